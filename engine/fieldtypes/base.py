"""The field-type contract and its registry. One class per type, registered by name.

A field type is the one place that knows everything about its values. Grouped by who
asks (the contract test in tests/fieldtypes/test_contract.py calls every hook of every
registered type on its `samples`):

- definitions: `options_schema` / `required_options` (the JSON Schema fragment the module
  schema is assembled from), `build_settings` (raw keys → frozen settings on FieldDef),
  `check_definition` (semantic checks, JSON-pointer messages), `value_kind`;
- store: `column_type`, `storage_signature`;
- codec: `decode`, `encode`, `parse_query`, `check`, `is_empty`;
- reading: `text` (plain, any output path), `html` (pages), `to_cell` / `from_cell` /
  `cell_hint` (spreadsheets);
- writing: `widget` (the unbound WTForms field of the create/edit pages), `filter_kind`;
- API and browser: `value_schema` (OpenAPI / JSON Schema of the value), `client_kind`
  (what the browser's expression evaluator and formula runner treat the value as).

Record-level concerns (defaults, formulas, required, unique, links that must exist) live
in `engine.records`. Adding a type is one module in this package plus its tests; see
docs/field-types.md.
"""
from __future__ import annotations

from typing import Any, ClassVar, Protocol

from sqlalchemy.types import TypeEngine

from engine.definitions.model import FieldDef


class FieldError(ValueError):
    """A value that does not fit its field; the message is shown next to the field."""


class CheckContext(Protocol):
    """What constraint checks may ask of the world (users, records, files, time zone)."""

    tzinfo: Any
    app: Any  # the AppDef: titles of roles and forms for messages

    def user_exists(self, name: str, role: str | None) -> bool: ...
    def link_readable(self, form: str, record_id: int) -> bool: ...
    def file_info(self, file_id: int) -> dict[str, Any] | None: ...


class FieldType:
    name: ClassVar[str]
    #: May users type into it (False for formula and serial).
    input: ClassVar[bool] = True
    sortable: ClassVar[bool] = True
    #: Supports `__contains` and `q` search.
    searchable: ClassVar[bool] = False
    #: Supports `__gte` / `__lte`.
    ordered: ClassVar[bool] = False

    def column_type(self, field: FieldDef) -> TypeEngine | None:
        """The column's type; None for types stored elsewhere (tables)."""
        raise NotImplementedError

    def storage_signature(self, field: FieldDef) -> str:
        """Changes only when the stored representation changes (used by schema sync)."""
        column = self.column_type(field)
        return type(column).__name__ if column is not None else "child-table"

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> Any:
        """JSON value → Python value; raises FieldError. `raw` is never None here."""
        raise NotImplementedError

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> Any:
        """Python value → JSON value."""
        return value

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> Any:
        """Query-string text → Python value (for filters)."""
        return self.decode(field, text, ctx)

    def check(self, field: FieldDef, value: Any, ctx: CheckContext) -> list[str]:
        """Constraint messages for a decoded, non-empty value."""
        return []

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or value == []

    def json_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "string"}


REGISTRY: dict[str, FieldType] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    if cls.name in REGISTRY:
        raise RuntimeError(f"field type {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def field_type(name: str) -> FieldType:
    return REGISTRY[name]


def type_of(field: FieldDef) -> FieldType:
    return REGISTRY[field.type]


