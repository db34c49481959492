"""Types the engine fills in: formula (computed on every save) and serial (assigned once)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sqlalchemy import Text
from sqlalchemy.types import TypeEngine
from wtforms import Field

from engine.i18n import N_, _

from .base import NO_REFS, REGISTRY, CheckContext, FieldError, FieldType, Refs, WidgetContext, register
from .controls import text_control

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks, SettingsBuild


def computed_control(field: FieldDef) -> Field:
    """What a page shows of a value the engine computes: read-only, skipped by Tab, filled in
    by the page's live formulas as people type."""
    return text_control(field, readonly=True, tabindex="-1")


_AGGREGATE = re.compile(r"^(count|sum|avg|min|max)\(([a-z][a-z0-9_]*)?\)$")
#: The placeholders of a serial pattern: {date:FORMAT} and {seq:N}.
SERIAL_TOKEN = re.compile(r"\{(date|seq)(?::([^}]*))?\}")


class DerivedType(FieldType):
    """A computed type whose values read, filter, store and show as the type named by its `value_kind`."""

    input = False
    ordered = True

    def result_type(self, field: FieldDef) -> FieldType:
        return REGISTRY[self.value_kind(field)]

    def query_ops(self, field: FieldDef) -> tuple[str, ...]:
        return self.result_type(field).query_ops(field)

    def filter_kind(self, field: FieldDef) -> str:
        return self.result_type(field).filter_kind(field)

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        return self.result_type(field).filter_choices(field, ctx)

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        return computed_control(field)

    def client_kind(self, field: FieldDef) -> str:
        return self.result_type(field).client_kind(field)

    def column_type(self, field: FieldDef) -> TypeEngine | None:
        return self.result_type(field).column_type(field)

    def storage_signature(self, field: FieldDef) -> str:
        return self.result_type(field).storage_signature(field)

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> Any:
        raise FieldError(_("is computed and cannot be set"))

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> Any:
        return self.result_type(field).parse_query(field, text, ctx)

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> Any:
        return self.result_type(field).encode(field, value, ctx)

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {**self.result_type(field).value_schema(field), "readOnly": True}

    def is_numeric(self, field: FieldDef) -> bool:
        return self.result_type(field).is_numeric(field)

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        return self.result_type(field).text(field, value, refs)

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        return self.result_type(field).html(field, value, refs)

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        return self.result_type(field).to_cell(field, value, refs)


@register
class FormulaType(DerivedType):
    """Stored, so lists can sort, filter and chart on it; its `result` type decides the column."""

    name = "formula"
    label = N_("Formula")
    samples = ({"type": "formula", "formula": "1 + 2", "result": "integer"}, (3,))
    summary = "Computed from `formula` each time the record is saved."
    options_schema = {
        "formula": {"description": "The expression computing the value from this record's fields (in a table "
                                   "row, from the row), e.g. `qty * price` or `sum(items.subtotal)`.",
                    "$ref": "#/$defs/expression"},
        "result": {"description": "The type of the computed value (default decimal).",
                   "enum": ["decimal", "integer", "text", "date", "boolean"], "default": "decimal"},
        "precision": {"description": "Digits after the decimal point of a decimal result (default 2).",
                      "type": "integer", "minimum": 0, "maximum": 10, "default": 2},
    }
    required_options = ("formula",)
    default_schema = None
    defaults = {"result": "decimal", "precision": 2}
    computed = True
    can_be_unique = False

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        result = raw.get("result", "decimal")
        return {"formula": build.expression(raw.get("formula"), f"{build.pointer}/formula"), "result": result,
                "precision": raw.get("precision", 0 if result == "integer" else 2)}

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        if field.formula is not None:
            checks.check_expression(field.formula, f"{field.pointer}/formula")

    def value_kind(self, field: FieldDef) -> str:
        return str(field.result)

    def from_expression(self, field: FieldDef, value: Any) -> Any:
        return self.result_type(field).from_expression(field, value)


@register
class SerialType(FieldType):
    name = "serial"
    numbered = True
    label = N_("Serial number")
    samples = ({"type": "serial", "pattern": "TH-{date:%Y}-{seq:3}"}, ("TH-2026-001",))
    summary = "A number the engine gives each new record, following `pattern`."
    options_schema = {
        "pattern": {"description": "How numbers look, e.g. `SO-{date:%Y%m%d}-{seq:4}`: `{date:FORMAT}` is the date "
                                   "of creation (strftime), `{seq:N}` a counter of N digits.",
                    "type": "string", "minLength": 1, "allOf": [{"pattern": r"\{seq:[1-9][0-9]?\}"}]},
    }
    required_options = ("pattern",)
    default_schema = None
    computed = True
    input = False
    searchable = True
    ordered = True

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        ptr, pattern = f"{field.pointer}/pattern", field.pattern or ""
        tokens = SERIAL_TOKEN.findall(pattern)
        if not any(kind == "seq" for kind, _arg in tokens):
            checks.problem(ptr, N_("a serial pattern needs a {seq:N} counter, e.g. 'SO-{date:%Y%m%d}-{seq:4}'"))
        for kind, arg in tokens:
            if kind == "seq" and arg and not arg.isdigit():
                checks.problem(ptr, N_("{seq:%(arg)s}: the width must be a number"), arg=arg)
        leftover = SERIAL_TOKEN.sub("", pattern)
        if "{" in leftover or "}" in leftover:
            checks.problem(ptr, N_("unknown placeholder: only {date:FORMAT} and {seq:N} are allowed"))

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        return text_control(field, readonly=True, placeholder=_("assigned when saved"))

    def client_kind(self, field: FieldDef) -> str:
        return "text"

    def column_type(self, field: FieldDef) -> Text:
        return Text()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> Any:
        raise FieldError(_("is assigned automatically and cannot be set"))

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> str:
        return text

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "string", "readOnly": True}


@register
class RollupType(DerivedType):
    """An aggregate over the records of another form that link here (engine extension), e.g.
    an order's collected amount = sum of its payments. Stored, and refreshed whenever such a
    record is created, changed or deleted, so lists, formulas and charts can use it."""

    name = "rollup"
    rolls_up = True
    label = N_("Rollup")
    samples = ({"type": "rollup", "form": "thing", "link": "owner", "value": "sum(amount)"}, ("99.50",))
    summary = "An aggregate over the records of another form that link here, e.g. the sum of their amounts."
    options_schema = {
        "form": {"description": "The form whose records are aggregated.", "$ref": "#/$defs/identifier"},
        "link": {"description": "The link field of `form` that points to this form.",
                 "$ref": "#/$defs/identifier"},
        "value": {"description": "What is aggregated over the linked records: `count()`, or `sum(F)`, `avg(F)`, "
                                 "`min(F)`, `max(F)` of a number field F of `form`, e.g. `sum(amount)`.",
                  "type": "string", "pattern": r"^(count\(\)|(sum|avg|min|max)\([a-z][a-z0-9_]{0,62}\))$"},
    }
    required_options = ("form", "link", "value")
    default_schema = None
    #: `rollup`: (aggregate, field name or None), parsed from `value`.
    defaults = {"precision": 2, "rollup": None}
    computed = True
    in_tables = False

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        match = _AGGREGATE.match(raw.get("value") or "")
        return {"form": raw.get("form"), "link": raw.get("link"),
                "rollup": (match.group(1), match.group(2) or None) if match else None}

    def value_kind(self, field: FieldDef) -> str:
        return "integer" if field.rollup and field.rollup[0] == "count" else "decimal"

    def start_value(self, field: FieldDef) -> Any:
        aggregate = field.rollup[0] if field.rollup else None
        return 0 if aggregate == "count" else Decimal(0) if aggregate == "sum" else None  # nothing links here yet

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        """The form exists, `link` is its link field pointing here, `value` names one of its numbers."""
        ptr, form = field.pointer, checks.form
        child = checks.app.form(field.form or "")
        if child is None:
            checks.problem(f"{ptr}/form", N_("unknown form '%(name)s'"), name=field.form)
        if field.rollup is None:
            checks.problem(f"{ptr}/value", N_("use count() or sum(F), avg(F), min(F), max(F)"))
            return
        if child is None:
            return
        link = child.field(field.link or "")
        if link is None or not link.field_type.links or link.form != form.name:
            checks.problem(f"{ptr}/link", N_("'%(link)s' must be a link field of '%(form)s' pointing to '%(target)s'"),
                           link=field.link, form=child.name, target=form.name)
        aggregate, name = field.rollup
        if aggregate == "count":
            return
        value = child.field(name or "")
        if value is None or "sum" not in REGISTRY[value.value_kind].aggregates:  # only numbers add up
            checks.problem(f"{ptr}/value", N_("%(aggregate)s() needs a number field of '%(name)s'"),
                           aggregate=aggregate, name=child.name)
