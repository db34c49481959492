"""Types that point at something else: user (a user name) and link (a record id)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Text
from wtforms import Field
from wtforms.fields.choices import SelectChoice

from engine.i18n import N_, _
from engine.text_checks import text_problem

from .base import CheckContext, FieldError, FieldType, WidgetContext, register
from .controls import EMPTY_CHOICE, LooseSelectField, control_attrs
from .text import quoted

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks


def check_form_exists(field: FieldDef, checks: DefinitionChecks) -> None:
    if checks.app.form(field.form or "") is None:
        checks.problem(f"{field.pointer}/form", N_("unknown form '%(name)s'"), name=field.form)


@register
class UserType(FieldType):
    name = "user"
    label = N_("User")
    samples = ({"type": "user"}, ("zhangwei",))

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
    summary = "A user of the system, by user name."
    options_schema = {"role": {"description": "Only users with this role may be chosen.", "$ref": "#/$defs/identifier"}}
    holds_user = True

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        if field.role and not checks.role_exists(field.role):
            checks.problem(f"{field.pointer}/role", N_("unknown role '%(name)s'"), name=field.role)

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


MAX_ID = 2**63 - 1  # ids are BIGINT


@register
class LinkType(FieldType):
    name = "link"
    label = N_("Link to a record")
    samples = ({"type": "link", "form": "thing"}, (7, 8))

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        """A select offering the current record only; the page's script searches the linked
        form through the API as people type."""
        attrs = control_attrs(field, **{"class": "form-select", "data-link-form": field.form or "",
                                        "data-link-title": ctx.title_of(field.form or "") or ""})
        return LooseSelectField(field.label, choices=[EMPTY_CHOICE], render_kw=attrs, description=field.help or "")

    def form_data(self, field: FieldDef, value: Any) -> Any:
        return None if value is None else str(value)

    def filter_kind(self, field: FieldDef) -> str:
        return ""  # no list control: `field=id` is for the API and the related-records lists

    def client_kind(self, field: FieldDef) -> str:
        return "integer"  # the record id; `link.field` paths read the linked record
    summary = "A record of the form `form`, by its id."
    options_schema = {"form": {"description": "The form whose records this field points at (in any module).",
                               "$ref": "#/$defs/identifier"}}
    required_options = ("form",)
    default_schema = {"type": ["integer", "string", "null"]}
    links = True

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        check_form_exists(field, checks)

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

    def json_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "integer", "description": f"id of a {field.form} record"}
