"""Types with structure: table (rows of a sub-form, stored in a child table) and file."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape
from sqlalchemy import JSON
from wtforms import Field, FieldList, FileField, Form, FormField

from engine.i18n import N_, _
from engine.sizes import human_size

from .base import (
    NO_REFS,
    CellReader,
    CheckContext,
    FieldError,
    FieldType,
    Refs,
    WidgetContext,
    nullable,
    register,
)
from .controls import control_attrs

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks, SettingsBuild


@register
class TableType(FieldType):
    """Rows are decoded by the records layer, one sub-field at a time; this only checks shape."""

    name = "table"
    label = N_("Table of rows")
    samples = ({"type": "table", "fields": [{"name": "qty", "type": "integer", "label": "Qty"}]}, ([{"qty": 2}],))
    list_column = False
    summary = "Rows of sub-fields (`fields`), e.g. the lines of a list of items."
    options_schema = {
        "fields": {"description": "The columns of each row: fields of any type but `table`.", "type": "array",
                   "minItems": 1, "items": {"description": "One column of the table.", "$ref": "#/$defs/table_field"}},
        "min_rows": {"description": "The fewest rows allowed.", "type": "integer", "minimum": 0},
        "max_rows": {"description": "The most rows allowed.", "type": "integer", "minimum": 1},
    }
    required_options = ("fields",)
    default_schema = {"type": ["array", "null"], "items": {"type": "object"}}
    defaults = {"fields": ()}
    is_table = True
    in_tables = False
    can_title = False
    can_be_unique = False
    filterable = False
    groupable = False
    settable = False
    sortable = False
    layout = "table"
    wide = True

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        settings = super().build_settings(raw, build)
        settings["fields"] = build.fields(raw.get("fields", ()), f"{build.pointer}/fields")
        return settings

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        checks.check_fields(field.fields, f"{field.pointer}/fields", row_of=field)

    def query_ops(self, field: FieldDef) -> tuple[str, ...]:
        return ()

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        from . import REGISTRY

        row_fields = {sub.name: REGISTRY[sub.type].widget(sub, ctx) for sub in field.fields}
        row_form = type(f"{field.name.title()}Row", (Form,), row_fields)
        return FieldList(FormField(row_form), label=field.label, min_entries=0)

    def form_data(self, field: FieldDef, value: Any) -> Any:
        from . import REGISTRY

        return [{sub.name: REGISTRY[sub.type].form_data(sub, row.get(sub.name)) for sub in field.fields}
                for row in value or []]

    def client_kind(self, field: FieldDef) -> str:
        return "rows"

    def column_type(self, field: FieldDef) -> None:
        return None

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> list[dict[str, Any]]:
        if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
            raise FieldError(_("must be a list of rows"))
        return raw

    def check(self, field: FieldDef, value: list[Any], ctx: CheckContext) -> list[str]:
        """Row counts; also called with [] for no rows, so `min_rows` holds for an empty table."""
        if field.min_rows is not None and len(value) < field.min_rows:
            return [_("needs at least %(n)s rows", n=field.min_rows)]
        if field.max_rows is not None and len(value) > field.max_rows:
            return [_("at most %(n)s rows", n=field.max_rows)]
        return []

    def is_empty(self, value: Any) -> bool:
        return not value

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        """Rows of the columns' values; a body sends no computed column."""
        from . import REGISTRY

        props = {f.name: nullable(REGISTRY[f.type].value_schema(f, writing)) for f in field.fields
                 if not (writing and f.computed)}
        bounds = {key: n for key, n in (("minItems", field.min_rows), ("maxItems", field.max_rows)) if n is not None}
        return {"type": "array", "items": {"type": "object", "properties": props, "additionalProperties": False},
                **bounds}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        return "" if self.is_empty(value) else _("%(n)s rows", n=len(value))

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        """The rows as the API's JSON (what import reads back)."""
        from . import REGISTRY

        if self.is_empty(value):
            return None
        rows = [{sub.name: None if row.get(sub.name) is None
                 else REGISTRY[sub.type].encode(sub, row[sub.name], refs.ctx) for sub in field.fields}
                for row in value]
        return json.dumps(rows, ensure_ascii=False)

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> Any:
        try:
            return json.loads(cell) if isinstance(cell, str) else cell
        except json.JSONDecodeError:
            raise FieldError(_("must be a JSON list of rows")) from None

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        example = [{s.name: s.label for s in field.fields if not s.computed}]
        return _("JSON rows, e.g. %(example)s", example=json.dumps(example, ensure_ascii=False))


@register
class FileType(FieldType):
    """Stored as {"id", "name", "size"}; the bytes live in the files table."""

    name = "file"
    holds_file = True
    label = N_("File")
    samples = ({"type": "file", "accept": [".pdf"]}, ({"id": 7, "name": "a.pdf", "size": 10, "url": "/api/files/7"},))
    summary = "An uploaded file."
    options_schema = {
        "accept": {"description": "The file extensions accepted, e.g. [\".pdf\", \".jpg\"]; without it, any.",
                   "type": "array", "minItems": 1, "uniqueItems": True,
                   "items": {"description": "A file extension with its leading dot.", "type": "string",
                             "pattern": r"^\.[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$"}},
        "max_size": {"description": "The largest file accepted, in bytes (default 10 MB).", "type": "integer",
                     "minimum": 1, "default": 10485760},
    }
    default_schema = None
    defaults = {"accept": (), "max_size": 10 * 1024 * 1024}
    can_title = False
    can_be_unique = False
    filterable = False
    groupable = False
    settable = False
    in_conditions = False
    importable = False  # a cell holds only a file's name; files are attached on the record's page
    list_column = False
    sortable = False
    current_label = N_("Current file:")

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        settings = super().build_settings(raw, build)
        if "accept" in raw:
            settings["accept"] = tuple(a.lower() for a in raw["accept"])
        return settings

    def query_ops(self, field: FieldDef) -> tuple[str, ...]:
        return ()

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        extra: dict[str, Any] = {"accept": ",".join(field.accept)} if field.accept else {}
        if field.max_size:
            extra["data-max-size"] = field.max_size
        return FileField(field.label, render_kw=control_attrs(field, **extra), description=field.help or "")

    def form_data(self, field: FieldDef, value: Any) -> Any:
        return None  # a file input starts empty; the page shows the current file above it

    def client_kind(self, field: FieldDef) -> str:
        return "none"

    def column_type(self, field: FieldDef) -> JSON:
        return JSON()

    def storage_signature(self, field: FieldDef) -> str:
        return "JSON"

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> dict[str, Any]:
        file_id = raw.get("id") if isinstance(raw, dict) else raw
        if isinstance(file_id, bool) or not isinstance(file_id, int) or not 0 < file_id < 2**63:
            raise FieldError(_("must be the id of an uploaded file"))
        return {"id": file_id}

    def check(self, field: FieldDef, value: dict[str, Any], ctx: CheckContext) -> list[str]:
        info = ctx.file_info(value["id"])
        if info is None:
            return [_("no such uploaded file")]
        value.update(name=info["name"], size=info["size"])
        extension = "." + info["name"].rsplit(".", 1)[-1].lower() if "." in info["name"] else ""
        if field.accept and extension not in field.accept:
            return [_("file type %(ext)s is not accepted (allowed: %(allowed)s)",
                      ext=extension or "?", allowed=", ".join(field.accept))]
        if field.max_size and info["size"] > field.max_size:
            return [_("file is larger than %(size)s", size=human_size(field.max_size))]
        return []

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> Any:
        if not value:
            return None
        return {"id": value["id"], "name": value.get("name"), "size": value.get("size"),
                "url": f"/api/files/{value['id']}"}

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        if writing:
            return {"type": "integer", "description": "id from POST /api/files"}
        return {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                                  "size": {"type": "integer"}, "url": {"type": "string"}}}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        if self.is_empty(value):
            return ""
        return (value.get("name") if isinstance(value, dict) else None) or _("file")

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        if self.is_empty(value):
            return Markup("")
        url = value.get("url") if isinstance(value, dict) else None
        if not url:
            return escape(self.text(field, value, refs))
        return Markup('<a href="{}">{}</a>').format(url, self.text(field, value, refs))

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        """The file's name (import does not set files)."""
        return value.get("name") if isinstance(value, dict) else value
