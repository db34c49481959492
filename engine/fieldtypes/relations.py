"""Types that point at something else: user (a user name) and link (a record id)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sqlalchemy import BigInteger, Text
from wtforms import Field

from engine.i18n import N_, _
from engine.text_checks import text_problem

from .base import NO_REFS, CellReader, CheckContext, FieldError, FieldType, Refs, WidgetContext, no_access, register
from .controls import EMPTY_CHOICE, LooseSelectField, SelectChoice, control_attrs
from .text import quoted

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks, SettingsBuild


def check_form_exists(field: FieldDef, checks: DefinitionChecks) -> None:
    if checks.app.form(field.form or "") is None:
        checks.problem(f"{field.pointer}/form", N_("unknown form '%(name)s'"), name=field.form)


@register
class UserType(FieldType):
    name = "user"
    label = N_("User")
    samples = ({"type": "user"}, ("zhangwei",))
    summary = "A user of the system, by user name."
    options_schema = {"role": {"description": "Only users with this role may be chosen. A `$user` default "
                                               "applies only when the acting user has this role; otherwise "
                                               "the field starts empty (on pages, API and import alike).",
                                "$ref": "#/$defs/identifier"}}
    holds_user = True

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        if field.role and not checks.role_exists(field.role):
            checks.problem(f"{field.pointer}/role", N_("unknown role '%(name)s'"), name=field.role)

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        choices = [EMPTY_CHOICE] + [SelectChoice(u.name, f"{u.label} ({u.name})" if u.label != u.name else u.name)
                                    for u in ctx.users(field.role)]
        attrs = control_attrs(field, **{"class": "form-select", "data-enhance": "single"})
        return LooseSelectField(field.label, choices=choices, render_kw=attrs, description=field.help or "")

    def filter_kind(self, field: FieldDef) -> str:
        return "choice"

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        return [(u.name, u.label) for u in ctx.users(field.role)]

    def client_kind(self, field: FieldDef) -> str:
        return "text"

    def column_type(self, field: FieldDef) -> Text:
        return Text()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise FieldError(_("must be a user name"))
        if problem := text_problem(raw):
            raise FieldError(problem)
        return raw.strip()

    def check(self, field: FieldDef, value: str, ctx: CheckContext) -> list[str]:
        if not ctx.user_exists(value, field.role):
            if field.role:
                role = ctx.app.roles.get(field.role)  # people know a role by its title
                return [_("no active user %(name)s with role %(role)s", name=quoted(value),
                          role=role.title if role else field.role)]
            return [_("no active user %(name)s", name=quoted(value))]
        return []

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        """The user's label (display name) where `refs.users` knows it, else the user name."""
        if self.is_empty(value):
            return ""
        return refs.users.get(value, str(value))

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> str:
        return reader.user(str(cell).strip())

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return _("user name or display name")


MAX_ID = 2**63 - 1  # ids are BIGINT


@register
class LinkType(FieldType):
    name = "link"
    label = N_("Link to a record")
    samples = ({"type": "link", "form": "thing"}, (7, 8))
    summary = "A record of the form `form`, by its id."
    options_schema = {
        "form": {"description": "The form whose records this field points at (in any module).",
                 "$ref": "#/$defs/identifier"},
        "filter": {"description": "Only records whose fields equal fields of this record may be chosen: linked "
                                  "form's field (or system attribute) → field of this form (in a table row: a "
                                  "column of the same row, else a field of the record; `id` is this record's id), "
                                  "e.g. `{\"account\": \"account\"}`. An empty value here does not restrict. "
                                  "See Linked choices and filling from a linked record.",
                   "type": "object", "minProperties": 1,
                   "propertyNames": {"$ref": "#/$defs/identifier"},
                   "additionalProperties": {"$ref": "#/$defs/identifier"}},
        "where": {"description": "Only linked records for which this expression over the linked form's fields "
                                 "(and `$user`) is true may be chosen, e.g. `enabled == true`.",
                  "$ref": "#/$defs/expression"},
        "fill": {"description": "When the link is chosen or changed, copy fields of the linked record into this "
                                "record: field of this form (in a table: a column of the row) → field of the "
                                "linked form (or system attribute), e.g. `{\"address\": \"address\"}`.",
                 "type": "object", "minProperties": 1,
                 "propertyNames": {"$ref": "#/$defs/identifier"},
                 "additionalProperties": {"$ref": "#/$defs/identifier"}},
        "fill_mode": {"description": "`snapshot` (default): `fill` copies when the link is chosen or changed, "
                                     "never again; `sync`: the copies also follow later changes of the linked "
                                     "record while this record is not in a final stage.",
                      "enum": ["snapshot", "sync"], "default": "snapshot"},
    }
    required_options = ("form",)
    defaults = {"filter": None, "where": None, "fill": None, "fill_mode": "snapshot"}
    default_schema = {"type": ["integer", "string", "null"]}
    links = True

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        """`filter` and `fill` as tuples of (name, name) pairs, `where` parsed."""
        settings: dict[str, Any] = {"form": raw.get("form"), "fill_mode": raw.get("fill_mode", "snapshot")}
        for key in ("filter", "fill"):
            if isinstance(raw.get(key), Mapping):
                settings[key] = tuple((str(k), str(v)) for k, v in raw[key].items())
        if raw.get("where") is not None:
            settings["where"] = build.expression(raw["where"], f"{build.pointer}/where")
        return settings

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        check_form_exists(field, checks)
        check_link_options(field, checks)

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        """A select offering the current record only; the page's script searches the linked
        form through the API as people type."""
        attrs = control_attrs(field, **{"class": "form-select", "data-link-form": field.form or "",
                                        "data-link-title": ctx.title_of(field.form or "") or ""})
        if field.filter or field.where is not None or field.fill:  # the picker asks the link's choices
            attrs["data-link-choices"] = "1"
            attrs["data-link-filter"] = json.dumps([ours for _theirs, ours in field.filter or ()])
            attrs["data-link-fill"] = json.dumps([ours for ours, _theirs in field.fill or ()])
        return LooseSelectField(field.label, choices=[EMPTY_CHOICE], render_kw=attrs, description=field.help or "")

    def form_data(self, field: FieldDef, value: Any) -> Any:
        return None if value is None else str(value)

    def filter_kind(self, field: FieldDef) -> str:
        return "choice"  # a select that searches the linked form as people type (app.js)

    def filter_attrs(self, field: FieldDef, ctx: WidgetContext) -> dict[str, str]:
        return {"data-link-form": field.form or "", "data-link-title": ctx.title_of(field.form or "") or ""}

    def client_kind(self, field: FieldDef) -> str:
        return "integer"  # the record id; `link.field` paths read the linked record

    def column_type(self, field: FieldDef) -> BigInteger:
        return BigInteger()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> int:
        if isinstance(raw, bool):
            raise FieldError(_("must be a record id"))
        text = raw.strip() if isinstance(raw, str) else ""
        digits = text.isascii() and text.isdigit() and len(text) <= 20  # longer is no id (and costly)
        value = raw if isinstance(raw, int) else int(text) if digits else None
        if value is None or not 0 < value <= MAX_ID:
            raise FieldError(_("must be a record id"))
        return value

    def check(self, field: FieldDef, value: int, ctx: CheckContext) -> list[str]:
        if not ctx.link_readable(field.form or "", value):
            target = ctx.app.form(field.form or "")  # people know a form by its title
            return [_("no record %(id)s in %(form)s", id=value, form=target.title if target else field.form)]
        return []

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "integer", "description": f"id of a {field.form} record"}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        """The linked record's title; "(no access)" when the reader may not read it."""
        if self.is_empty(value):
            return ""
        return refs.title if refs.title is not None else _("(no access)")

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        if self.is_empty(value):
            return Markup("")
        if refs.title is None:
            return no_access()
        if refs.record_url is not None and field.form and isinstance(value, int):
            return Markup('<a href="{}">{}</a>').format(refs.record_url(field.form, value), refs.title)
        return escape(refs.title)

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        """The title, or the id (which import also reads) when there is none to show."""
        return refs.title or value

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> int:
        return reader.link(field, cell_id_text(cell))

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        target = refs.app.form(field.form or "") if refs.app is not None else None
        return _("the %(form)s's title or ID", form=target.title if target else field.form)


#: Kinds of value a text field may take a copy of (`fill`): the value as it is stored.
TEXTUAL = frozenset({"text", "textarea", "email", "phone", "url", "select", "serial"})
#: Field types a `fill` cannot write: the engine sets them, or they hold no single copyable value.
NOT_FILLABLE = frozenset({"table", "file", "formula", "serial", "rollup"})


def _compared_kind(field: FieldDef | None, kind: str, record_of: str | None) -> str:
    """What a filter compares: a link or a record id as "link to FORM", else the value kind."""
    if record_of is not None:
        return f"link to {record_of}"
    if field is not None and field.field_type.links:
        return f"link to {field.form}"
    return kind


def fill_problem(dest: FieldDef, source_kind: str, source: FieldDef | None) -> str | None:
    """Why a copy of a value of this kind cannot go into `dest` (an N_ msgid), or None: the one
    type rule of copies, for a link's `fill` and for the columns a transition's `create`
    copies from a table by equal name (docs/reference.md, Linked choices: "Types")."""
    if dest.type in NOT_FILLABLE:
        return N_("'%(target)s' is a %(type)s field, which a fill cannot set")
    if source is not None and source.type in ("table", "file", "multiselect") and dest.type != source.type:
        return N_("'%(source)s' is a %(source_type)s field and can only fill a field of the same type")
    kind = dest.value_kind
    if kind == source_kind or (kind == "decimal" and source_kind == "integer"):
        if kind == "link" and source is not None and source.form != dest.form:
            return N_("'%(target)s' links to another form than '%(source)s'")
        if kind in ("select", "multiselect") and source is not None \
                and not set(source.option_values()) <= set(dest.option_values()):
            return N_("'%(target)s' lacks some options of '%(source)s'")
        return None
    if kind in ("text", "textarea") and source_kind in TEXTUAL:
        return None
    return N_("'%(target)s' (%(type)s) cannot take a copy of '%(source)s' (%(source_type)s)")


def check_link_options(field: FieldDef, checks: DefinitionChecks) -> None:
    """`filter` and `fill` name existing fields of both forms with compatible types; `where` is
    an expression over the linked form."""
    target = checks.app.form(field.form or "")
    if target is None:
        return
    row_of = checks.row_of

    def local(name: str) -> FieldDef | None:
        if row_of is not None and row_of.subfield(name) is not None:
            return row_of.subfield(name)
        return checks.form.field(name)

    for theirs, ours in field.filter or ():
        ptr = f"{field.pointer}/filter/{theirs}"
        found = checks.attribute(target, theirs)
        if found is None or (found[1] is not None and (found[1].is_table or found[1].field_type.multiple)):
            checks.problem(ptr, N_("'%(name)s' is no field of '%(form)s' a filter can compare"),
                           name=theirs, form=target.name)
            continue
        mine = local(ours)
        if ours != "id" and (mine is None or mine.is_table or mine.field_type.multiple):
            checks.problem(ptr, N_("'%(name)s' is no field of this form"), name=ours)
            continue
        theirs_kind = _compared_kind(found[1], found[0], target.name if theirs == "id" else None)
        ours_kind = _compared_kind(mine, mine.value_kind if mine is not None else "integer",
                                   checks.form.name if ours == "id" else None)
        if theirs_kind != ours_kind and not {theirs_kind, ours_kind} <= {"integer", "decimal"}:
            checks.problem(ptr, N_("'%(name)s' (%(type)s) cannot be compared with '%(other)s' (%(other_type)s)"),
                           name=ours, type=ours_kind, other=theirs, other_type=theirs_kind)
    if row_of is not None and field.fill_mode == "sync":
        checks.problem(f"{field.pointer}/fill_mode", N_("a table row's copies are snapshots: \"sync\" is for "
                                                        "link fields of the record"))
    if field.where is not None:
        checks.check_expression_on(target, field.where, f"{field.pointer}/where")
    for ours, theirs in field.fill or ():
        ptr = f"{field.pointer}/fill/{ours}"
        dest = local(ours)
        found = checks.attribute(target, theirs)
        if dest is None or dest.name == field.name:
            checks.problem(ptr, N_("'%(name)s' is no other field of this form"), name=ours)
        elif found is None:
            checks.problem(ptr, N_("'%(name)s' is no field of '%(form)s'"), name=theirs, form=target.name)
        elif (problem := fill_problem(dest, *found)) is not None:
            checks.problem(ptr, problem, target=ours, source=theirs, type=dest.type,
                           source_type=found[1].type if found[1] is not None else found[0])


def cell_id_text(cell: Any) -> str:
    """A link cell as text: a spreadsheet's 12.0 is the id 12."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        return str(int(cell))
    return str(cell).strip()
