"""The field-type contract and its registry. One class per type, registered by name.

A field type is the one place that knows everything about its values. Grouped by who
asks (the contract test in tests/fieldtypes/test_contract.py calls every hook of every
registered type on its `samples`):

- definitions: `options_schema` / `required_options` (the JSON Schema fragment the module
  schema is assembled from), `build_settings` (raw keys → frozen settings on FieldDef),
  `check_definition` (semantic checks, JSON-pointer messages), `value_kind`;
- store: `column_type`, `storage_signature`;
- codec: `decode`, `encode`, `parse_query`, `check`, `is_empty`, `start_value`,
  `from_expression` (an expression's value as the type stores it: a formula's result);
- reading: `text` (plain, any output path), `html` (pages), `color` (the palette colour a
  value is drawn in: a coloured option's, for charts), `to_cell` / `from_cell` /
  `cell_hint` (spreadsheets);
- list filters: `query_ops` (which of `=`, `__gte`, `__lte`, `__contains` it takes),
  `filter_kind` / `filter_choices` / `filter_attrs` (the list page's filter control);
- writing: `widget` (the unbound WTForms field of the create/edit pages), `form_data`
  (a JSON value → the control's data); with the attributes `layout`, `wide`,
  `readonly_as_text`, `current_label` placing it on the page;
- API and browser: `value_schema` (OpenAPI / JSON Schema of the value), `client_kind`
  (what the browser's expression evaluator and formula runner treat the value as).

Record-level concerns (defaults, formulas, required, unique, links that must exist) live
in `engine.records`. Adding a type is one module in this package plus its tests; see
docs/field-types.md.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import UTC
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from markupsafe import Markup, escape
from sqlalchemy.types import TypeEngine
from wtforms import Field

from engine.i18n import _

if TYPE_CHECKING:  # definitions are built from the types: the model is imported for types only
    from datetime import tzinfo as TzInfo

    from engine.definitions.model import AppDef, FieldDef


class FieldError(ValueError):
    """A value that does not fit its field; the message is shown next to the field."""


class CheckContext(Protocol):
    """What constraint checks may ask of the world (users, records, files, time zone)."""

    @property
    def tzinfo(self) -> TzInfo: ...
    @property
    def app(self) -> AppDef: ...  # titles of roles and forms for messages

    def user_exists(self, name: str, role: str | None) -> bool: ...
    def link_readable(self, form: str, record_id: int) -> bool: ...
    def file_info(self, file_id: int) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Refs:
    """What showing a value needs from outside the value. `title`: a link's linked record's
    title, None when the reader may not read it (shown as "(no access)"); `users`: user
    name → what people read for them; `ctx` (a CheckContext): the company time zone and the
    app, for cells and import hints; `record_url(form, id)`: where a page links a linked
    record (no link without it)."""

    title: str | None = None
    users: Mapping[str, str] = dc_field(default_factory=lambda: MappingProxyType({}))
    ctx: Any = None
    record_url: Callable[[str, int], str] | None = None

    def with_title(self, title: str | None) -> Refs:
        return replace(self, title=title)

    @property
    def tzinfo(self) -> Any:
        return self.ctx.tzinfo if self.ctx is not None else UTC

    @property
    def app(self) -> Any:
        return self.ctx.app if self.ctx is not None else None


NO_REFS = Refs()


class CellReader(Protocol):
    """What reading an imported cell may ask of the world (users and linked records by name)."""

    @property
    def tzinfo(self) -> TzInfo: ...

    def user(self, text: str) -> str: ...
    def link(self, field: FieldDef, text: str) -> int: ...


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a value that may be absent: null too, except a list's (absent is [])."""
    return schema if schema.get("type") == "array" else {**schema, "nullable": True}


def no_access() -> Markup:
    """What a link to a record the reader may not read shows on a page: neither its title nor a link."""
    return Markup('<span class="text-secondary" data-no-access>{}</span>').format(_("(no access)"))


#: What the browser's evaluator knows values as (engine/ui/static/js/formulas.js, app.js):
#: "none" is a value no expression reads (a file).
CLIENT_KINDS = ("integer", "decimal", "text", "date", "datetime", "boolean", "list", "rows", "none")


class WidgetContext(Protocol):
    """What building a control may ask of the page: the users a user field offers, and the
    title field of a linked form."""

    def users(self, role: str | None) -> list[Any]: ...
    def title_of(self, form: str) -> str | None: ...


class SettingsBuild(Protocol):
    """What `build_settings` may ask of the definitions builder. Problems are collected with
    the field's file; `pointer` is the field's JSON pointer."""

    pointer: str

    def expression(self, source: Any, pointer: str) -> Any: ...  # Expression | None
    def fields(self, docs: Any, pointer: str) -> tuple[FieldDef, ...]: ...  # a table's columns
    def problem(self, pointer: str, message: str) -> None: ...


class DefinitionChecks(Protocol):
    """What `check_definition` may ask of the semantic checks: the whole app (forms, roles),
    and a place for problems (`message` an N_ msgid with %(name)s params)."""

    app: Any  # the AppDef
    form: Any  # the FormDef the field belongs to
    row_of: Any  # the table field whose column is checked, or None

    def problem(self, pointer: str, message: str, /, **params: object) -> None: ...
    def role_exists(self, role: str) -> bool: ...
    def check_expression(self, expr: Any, pointer: str) -> None: ...  # in the field's row, if any
    def check_expression_on(self, form: Any, expr: Any, pointer: str) -> None: ...  # over another form
    #: (value kind, field or None for a system attribute) of a field of `form`, None if no such name.
    def attribute(self, form: Any, name: str) -> tuple[str, FieldDef | None] | None: ...
    def check_fields(self, fields: tuple[FieldDef, ...], pointer: str, row_of: FieldDef) -> None: ...


class FieldType:
    name: ClassVar[str]
    #: What people call the type (import page, template guide, admin pages), marked with
    #: N_() and shown through `type_label`; the internal `name` is for definition files.
    label: ClassVar[str]
    #: For the contract test (tests/fieldtypes/test_contract.py) and docs/field-types.md: a
    #: field of this type as written in a module file (besides name and label), and a few
    #: JSON values it holds. Its definition may name the form `thing` (links, rollups).
    samples: ClassVar[tuple[Mapping[str, Any], tuple[Any, ...]]] = ({}, ())
    #: Numbers: right-aligned in lists and tables.
    numeric: ClassVar[bool] = False
    #: Among a list's columns when the form names none (not long text, rows or files).
    list_column: ClassVar[bool] = True
    #: Import sets it from a cell (computed and read-only fields aside).
    importable: ClassVar[bool] = True
    #: A chart's `avg` of it is a share in percent (yes/no: the rate of yes).
    average_is_share: ClassVar[bool] = False
    #: May users type into it (False for formula and serial).
    input: ClassVar[bool] = True
    sortable: ClassVar[bool] = True
    #: Supports `__contains` and `q` search.
    searchable: ClassVar[bool] = False
    #: Supports `__gte` / `__lte`.
    ordered: ClassVar[bool] = False

    # -- definitions ----------------------------------------------------------------------
    #: One line on what the type holds, in the product's words (module schema, reference).
    summary: ClassVar[str] = ""
    #: The option keys this type owns: key → JSON Schema with a description people read.
    #: The module schema refuses them on every other type.
    options_schema: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    #: Option keys a field of this type must have.
    required_options: ClassVar[tuple[str, ...]] = ()
    #: JSON Schema of a literal `default`; None: the type takes no default.
    default_schema: ClassVar[Mapping[str, Any] | None] = {"type": ["string", "null"]}
    #: Settings a field has when its definition leaves them out (text: max_length 255).
    defaults: ClassVar[Mapping[str, Any]] = {}
    #: The engine sets the value (formula, serial, rollup); users and transitions never do.
    computed: ClassVar[bool] = False
    #: Rows of sub-fields, kept in a child table.
    is_table: ClassVar[bool] = False
    #: May be a column of a table field.
    in_tables: ClassVar[bool] = True
    #: Holds a user name (owner fields, notification recipients); shown by `Refs.users`.
    holds_user: ClassVar[bool] = False
    #: Points at a record of another form (`update_linked`, rollups); shown by `Refs.title`.
    links: ClassVar[bool] = False
    #: Holds an uploaded file, attached to the record when it is saved.
    holds_file: ClassVar[bool] = False
    #: Numbered from its `pattern` when a record is created (serial numbers).
    numbered: ClassVar[bool] = False
    #: Aggregates the records of its `form` that link here, refreshed when they change.
    rolls_up: ClassVar[bool] = False
    #: A date or a moment (reminders, chart intervals).
    temporal: ClassVar[bool] = False
    #: What charts and rollups may compute over its values besides count().
    aggregates: ClassVar[tuple[str, ...]] = ()
    #: May name a record (`title_field`), be unique, be a list filter or search, be a chart
    #: group, be set by transitions and `update_linked`, be read in row conditions.
    can_title: ClassVar[bool] = True
    can_be_unique: ClassVar[bool] = True
    filterable: ClassVar[bool] = True
    groupable: ClassVar[bool] = True
    settable: ClassVar[bool] = True
    in_conditions: ClassVar[bool] = True

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        """The field's raw option keys (as written in the module file, already valid against
        the schema) → its settings: plain, frozen values. By default each owned key as given."""
        return {key: raw[key] for key in self.options_schema if key in raw}

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        """What the schema cannot say about the field's options (names resolve, values
        agree); report each problem at its JSON pointer under `field.pointer`."""

    def value_kind(self, field: FieldDef) -> str:
        """The type of the value the field holds (a formula's result type, ...)."""
        return self.name

    # -- list filters and the edit pages --------------------------------------------------
    #: The value is a list: `field=v` and `__contains` test whether v is among its values.
    multiple: ClassVar[bool] = False
    #: How the edit page lays the control out: "control" (label above it), "check" (a
    #: checkbox, label after it), "group" (a fieldset of choices, legend above), "table".
    layout: ClassVar[str] = "control"
    #: Takes the whole width of the edit page (long text, tables).
    wide: ClassVar[bool] = False
    #: Read-only, the value shows as text (with the control hidden, for live formulas): a
    #: browser's date input would show its own format, or nothing.
    readonly_as_text: ClassVar[bool] = False
    #: Words before the stored value, shown above a control that cannot show it (a file
    #: input); "" for controls that show their value.
    current_label: ClassVar[str] = ""

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

    def from_expression(self, field: FieldDef, value: Any) -> Any:
        """A non-null expression value (a formula of this result type) as the type stores it;
        raises ArithmeticError, TypeError or ValueError when it cannot be (the formula is
        then empty, as in the browser)."""
        return value

    def start_value(self, field: FieldDef) -> Any:
        """The stored value a new record starts with when the engine sets it and no default
        does (a count or sum over the records linking here: none yet, so 0); None: nothing."""
        return None

    # -- list filters ------------------------------------------------------------------

    def query_ops(self, field: FieldDef) -> tuple[str, ...]:
        """The list filters the field takes: "" (`field=v`), "gte" / "lte" (`__gte`, `__lte`),
        "contains"; none for values no filter reaches (tables, files)."""
        return ("",) + (("gte", "lte") if self.ordered else ()) + (("contains",) if self.searchable else ())

    def filter_kind(self, field: FieldDef) -> str:
        """The list page's filter control: "text" (`__contains`), "choice" (`=`, a select of
        `filter_choices`), "number" / "date" (`__gte`, an input), "at_least" (`__gte`, a
        select of `filter_choices`), "" (none)."""
        ops = self.query_ops(field)
        return "text" if "contains" in ops else "number" if "gte" in ops else ""

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        """(value, label) pairs of a "choice" or "at_least" filter."""
        return []

    def filter_attrs(self, field: FieldDef, ctx: WidgetContext) -> dict[str, str]:
        """More HTML attributes of the filter's control (a link's search of its form)."""
        return {}

    # -- writing: the create/edit pages ------------------------------------------------

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        """The unbound WTForms field of the create/edit pages. It renders the control and
        collects the submitted text; validation is `decode` and `check`, in the record service."""
        raise NotImplementedError

    def form_data(self, field: FieldDef, value: Any) -> Any:
        """A JSON value (as the API gives it) → the data of the field's WTForms control."""
        return value

    def client_kind(self, field: FieldDef) -> str:
        """What the page's expression evaluator and formula runner treat the value as, one of
        CLIENT_KINDS: how an input's text is read, and a linked record's JSON value."""
        raise NotImplementedError

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        """The JSON Schema of the value as read, or as sent in a create/patch body (`writing`)."""
        return {"type": "string"}

    def is_numeric(self, field: FieldDef) -> bool:
        """Whether the value is a number (right-aligned in lists and tables)."""
        return self.numeric

    # -- reading: `text` and `html` take the JSON value (as the API gives it, or decoded);
    # -- `to_cell` the stored (decoded) value; `from_cell` gives the JSON value back ----------

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        """The value as plain text people read (exports, notifications, history, emails);
        "" for an absent value (pages show "—"). 0 and 0.00 are values, never ""."""
        if self.is_empty(value):
            return ""
        return str(value)

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        """The value on a page."""
        return escape(self.text(field, value, refs))

    def color(self, field: FieldDef, value: Any) -> str | None:
        """The name of the palette colour (engine.fieldtypes.choices.COLORS) one stored value
        is drawn in, e.g. a chart's bar for it; None: no colour of its own."""
        return None

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        """A stored (decoded) value as a spreadsheet cell people read and import reads back."""
        if self.is_empty(value):
            return None
        return self.text(field, self.encode(field, value, refs.ctx), refs)

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> Any:
        """A non-blank cell → the JSON value `decode` takes; raises FieldError (a ValueError)."""
        return cell.strip() if isinstance(cell, str) else cell

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        """The import template's "how to fill it in" for this column."""
        return field.help or ""


REGISTRY: dict[str, FieldType] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    if cls.name in REGISTRY:
        raise RuntimeError(f"field type {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def field_type(name: str) -> FieldType:
    return REGISTRY[name]


def type_label(name: str) -> str:
    """A type's label in the reader's language (English outside a request); an unknown type
    keeps its internal name."""
    kind = REGISTRY.get(name)
    return _(kind.label) if kind is not None else name


def type_of(field: FieldDef) -> FieldType:
    return REGISTRY[field.type]


