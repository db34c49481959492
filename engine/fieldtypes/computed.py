"""Types the engine fills in: formula (computed on every save) and serial (assigned once)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Text
from sqlalchemy.types import TypeEngine

from engine.definitions.model import FieldDef
from engine.i18n import _

from .base import REGISTRY, CheckContext, FieldError, FieldType, register


@register
class FormulaType(FieldType):
    """Stored, so lists can sort, filter and chart on it; its `result` type decides the column."""

    name = "formula"
    input = False
    ordered = True

    def result_type(self, field: FieldDef) -> FieldType:
        return REGISTRY[field.result]

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

    def json_schema(self, field: FieldDef) -> dict[str, Any]:
        return {**self.result_type(field).json_schema(field), "readOnly": True}


@register
class SerialType(FieldType):
    name = "serial"
    input = False
    searchable = True
    ordered = True

    def column_type(self, field: FieldDef) -> Text:
        return Text()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> Any:
        raise FieldError(_("is assigned automatically and cannot be set"))

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> str:
        return text

    def json_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "string", "readOnly": True}


@register
class RollupType(FieldType):
    """An aggregate over the records of another form that link here (engine extension), e.g.
    an order's collected amount = sum of its payments. Stored, and refreshed whenever such a
    record is created, changed or deleted, so lists, formulas and charts can use it."""

    name = "rollup"
    input = False
    ordered = True

    def _as(self, field: FieldDef) -> FieldType:
        return REGISTRY[field.value_kind]

    def column_type(self, field: FieldDef) -> TypeEngine | None:
        return self._as(field).column_type(field)

    def storage_signature(self, field: FieldDef) -> str:
        return self._as(field).storage_signature(field)

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> Any:
        raise FieldError(_("is computed and cannot be set"))

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> Any:
        return self._as(field).parse_query(field, text, ctx)

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> Any:
        return self._as(field).encode(field, value, ctx)

    def json_schema(self, field: FieldDef) -> dict[str, Any]:
        return {**self._as(field).json_schema(field), "readOnly": True}
