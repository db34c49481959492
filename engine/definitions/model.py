"""Definitions as plain, frozen data: AppDef → ModuleDef → FormDef → FieldDef, WorkflowDef …

Built once per load by `engine.definitions.loader` after the JSON has passed the
schema and the semantic checks; everything downstream only reads these.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache
from types import MappingProxyType
from typing import Any

from engine.expressions import Expression
from engine.fieldtypes import REGISTRY, FieldType
from engine.fieldtypes.choices import Option  # noqa: F401  (re-exported: it used to live here)
from engine.i18n import N_, LocalText, localized_texts

#: The list's quick filters (`quick=`): the caller's records, created this month, overdue.
QUICK_FILTERS = ("mine", "this_month", "overdue")
#: What a shared view's filter value may be instead of a literal (in ENGINE_TIMEZONE).
VIEW_PLACEHOLDERS = ("$user", "$today", "$month_start", "$month_end")
#: List parameters a view's `filters` may set besides the fields' own.
VIEW_PARAMS = ("q", "stage", "quick", "owner", "team", "chart")

#: System attributes every record has; no field may use these names.
SYSTEM_ATTRIBUTES = ("id", "stage", "version", "created_by", "created_at", "updated_at", "due_at")
SYSTEM_TYPES = {
    "id": "integer",
    "stage": "text",
    "version": "integer",
    "created_by": "user",
    "created_at": "datetime",
    "updated_at": "datetime",
    "due_at": "datetime",
}
#: The filters on system attributes (a field's come from its type's `query_ops`): all are
#: ordered; who created a record and its stage are searched as text too.
SYSTEM_OPS = {name: ("", "gte", "lte", "contains") if name in ("created_by", "stage") else ("", "gte", "lte")
              for name in SYSTEM_ATTRIBUTES}
#: How people read the system attributes (prints, summaries, notifications): msgids.
SYSTEM_LABELS = {"id": N_("Record no."), "stage": N_("Stage"), "version": N_("Version"),
                 "created_by": N_("Created by"), "created_at": N_("Created at"), "updated_at": N_("Updated at"),
                 "due_at": N_("Due")}
ADMIN_ROLE = "admin"
EMPTY: Mapping[str, Any] = MappingProxyType({})


@localized_texts("label", "help", "placeholder")
@dataclass(frozen=True)
class FieldDef:
    """One field. The keys every field may have are attributes; the options of its type are
    in `settings` (built by the type's `build_settings`), and read as attributes too:
    `field.precision` is the setting, else the type's default, else None."""

    name: str
    type: str
    label: str
    pointer: str
    required: bool = False
    unique: bool = False
    default: Any = None
    help: str | None = None
    placeholder: str | None = None
    readonly: bool = False
    visible_if: Expression | None = None
    index: bool = False
    renamed_from: str | None = None
    warn_duplicates: bool = False
    settings: Mapping[str, Any] = field(default_factory=lambda: EMPTY, hash=False)

    def __post_init__(self) -> None:
        # Settings and the type's defaults read as plain attributes (no lookup per access);
        # __getattr__ below answers only for settings the field does not have.
        ftype = REGISTRY.get(self.type)
        for key, value in {**(ftype.defaults if ftype is not None else {}), **self.settings}.items():
            object.__setattr__(self, key, value)

    def __getattr__(self, name: str) -> Any:
        # Reached only for names __post_init__ did not set: a setting of some other type reads as
        # None (an empty tuple for lists of items); any other name is no attribute.
        if name[0] == "_" or name == "settings" or name not in _setting_names(len(REGISTRY)):
            raise AttributeError(name)
        return _NO_ITEMS.get(name)

    def with_settings(self, **changes: Any) -> FieldDef:
        """A copy with some settings replaced (e.g. a table without its hidden columns)."""
        return replace(self, settings=MappingProxyType({**self.settings, **changes}))

    @property
    def field_type(self) -> FieldType:
        """The field's type (its class in engine.fieldtypes)."""
        return REGISTRY[self.type]

    @property
    def is_table(self) -> bool:
        return self.field_type.is_table

    @property
    def value_kind(self) -> str:
        """The type of the value the field holds: a formula's result type, a rollup's number
        type (integer for count()), else the field's own type."""
        return self.field_type.value_kind(self)

    @property
    def computed(self) -> bool:
        """Formula, serial and rollup values are set by the engine, never by a user."""
        return self.field_type.computed

    def subfield(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


#: A field whose type has no columns, options or accepted extensions has none of them
#: (code may loop over `field.fields` of any field).
_NO_ITEMS: Mapping[str, tuple[()]] = MappingProxyType({"fields": (), "options": (), "accept": ()})


@cache
def _setting_names(registered: int) -> frozenset[str]:
    """Every name the registered types' options and defaults use (anything else is no
    attribute of a field); cached by the number of registered types."""
    names: set[str] = set()
    for ftype in REGISTRY.values():
        names |= set(ftype.options_schema) | set(ftype.defaults)
    return frozenset(names)


@dataclass(frozen=True)
class RowRule:
    """`false` | `"own"` | `"all"` | `{"where": EXPR}` of a permission."""

    kind: str  # "none" | "own" | "all" | "where"
    where: Expression | None = None

    @property
    def grants(self) -> bool:
        return self.kind != "none"


NO_ROWS = RowRule("none")
ALL_ROWS = RowRule("all")


@dataclass(frozen=True)
class PermissionDef:
    role: str
    create: bool = False
    read: RowRule = NO_ROWS
    update: RowRule = NO_ROWS
    delete: RowRule = NO_ROWS
    hide: frozenset[str] = frozenset()
    #: Fields (and `table.column`s) this role sees but may not change.
    readonly: frozenset[str] = frozenset()

    def rule(self, action: str) -> RowRule:
        return getattr(self, action)


ADMIN_PERMISSION = PermissionDef(ADMIN_ROLE, True, ALL_ROWS, ALL_ROWS, ALL_ROWS)


@dataclass(frozen=True)
class ListDef:
    columns: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    order_by: str = "-created_at"
    page_size: int = 20
    views: tuple[ViewDef, ...] = ()

    def view(self, name: str) -> ViewDef | None:
        return next((v for v in self.views if v.name == name), None)


@localized_texts("title")
@dataclass(frozen=True)
class ViewDef:
    """A shared list view (`list.views`): list API parameters, columns and sort, for `roles`
    (everyone who reads the form when empty)."""

    name: str
    title: str
    pointer: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    order_by: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """`{"role": R}` | `{"user": U}` | `{"field": F}` | `{"manager_of": F}`."""

    kind: str
    value: str


@localized_texts("title")
@dataclass(frozen=True)
class StepDef:
    name: str
    title: str
    approvers: tuple[Recipient, ...]
    mode: str = "any"
    when: Expression | None = None
    cc: tuple[Recipient, ...] = ()
    allow_self_approval: bool = False
    skip_if_approved_before: bool = False
    require: tuple[str, ...] = ()  # fields the approver fills to approve (asked when empty)


@dataclass(frozen=True)
class ApprovalDef:
    steps: tuple[StepDef, ...]
    approved: str
    rejected: str


@dataclass(frozen=True)
class EscalateDef:
    notify: tuple[Recipient, ...] = ()
    transition: str | None = None
    action: str | None = None


@localized_texts("title")
@dataclass(frozen=True)
class StageDef:
    name: str
    title: str
    editable: frozenset[str] = frozenset()  # "*" inside means every field
    final: bool = False
    due: timedelta | None = None
    remind_before: timedelta | None = None
    escalate: EscalateDef | None = None
    approval: ApprovalDef | None = None
    renamed_from: str | None = None

    def allows_edit(self, field_name: str) -> bool:
        return not self.final and ("*" in self.editable or field_name in self.editable)


@dataclass(frozen=True)
class TableCopyDef:
    """Rows a created record's table field takes: those of table `source` (`items` of the
    source record, or `link.items` of a linked one), columns copied by equal name, and
    `set`: column → expression over the source row."""

    source: tuple[str, ...]
    set: Mapping[str, Expression] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class CreateDef:
    form: str
    set: Mapping[str, Expression]
    #: target table field → the rows it copies (`{"from": ..., "set": ...}`); a plain string
    #: naming a table is in `set` (its target's type decides: see `table_copy`)
    tables: Mapping[str, TableCopyDef] = field(default_factory=lambda: EMPTY)

    def table_copy(self, name: str, target: FieldDef) -> TableCopyDef | None:
        """How target table field `target` (named `name` here) is filled, if it is."""
        if name in self.tables:
            return self.tables[name]
        expr = self.set.get(name)
        if expr is None or not target.is_table:
            return None
        return TableCopyDef(expr.bare_path() or ())


@localized_texts("title", "confirm")
@dataclass(frozen=True)
class TransitionDef:
    name: str
    title: str
    sources: tuple[str, ...]
    to: str
    roles: tuple[str, ...] = ()
    condition: Expression | None = None
    comment_required: bool = False
    confirm: str | None = None
    require: tuple[str, ...] = ()
    set: Mapping[str, Expression] = field(default_factory=lambda: EMPTY)
    create: CreateDef | None = None


@dataclass(frozen=True)
class WorkflowDef:
    initial: str
    stages: tuple[StageDef, ...]
    transitions: tuple[TransitionDef, ...]

    def stage(self, name: str) -> StageDef | None:
        return next((s for s in self.stages if s.name == name), None)

    def transition(self, name: str) -> TransitionDef | None:
        return next((t for t in self.transitions if t.name == name), None)

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)


@localized_texts("message")
@dataclass(frozen=True)
class ReminderDef:
    name: str
    date_field: str
    offset: timedelta
    notify: tuple[Recipient, ...] = ()
    when: Expression | None = None
    message: str | None = None
    transition: str | None = None


@dataclass(frozen=True)
class UpdateLinkedDef:
    """On create/edit, set fields of the record that link field `link` points to and/or fire
    one of its transitions (when available from its stage)."""

    link: str
    set: Mapping[str, Expression] = field(default_factory=lambda: MappingProxyType({}))
    when: Expression | None = None
    transition: str | None = None


@localized_texts("title")
@dataclass(frozen=True)
class ChartDef:
    title: str
    type: str
    group_by: str | None
    aggregate: str  # count | sum | avg | min | max
    value_field: str | None
    where: Expression | None = None
    name: str | None = None
    source: str = "records"  # or "approvals": lead times of the records' finished approvals
    interval: str = "day"  # for a date group_by: day, month or year
    date_field: str = "created_at"  # the date or datetime the dashboard's date range filters on


@localized_texts("title")
@dataclass(frozen=True)
class PrintRelatedDef:
    """Records of `form` pointing at the printed record through `link` (one or two link fields)."""

    form: str
    link: tuple[str, ...]
    columns: tuple[str, ...]
    totals: tuple[str, ...] = ()
    where: Expression | None = None
    order_by: str = "created_at"
    limit: int = 200
    title: str | None = None


@localized_texts("label", "text", "title")
@dataclass(frozen=True)
class PrintBlockDef:
    """One block of a print layout; `kind` says which of its keys it uses."""

    kind: str  # fields | table | related | amount_in_words | text | signatures
    pointer: str
    names: tuple[str, ...] = ()  # fields: the fields; table: the columns (empty: all)
    per_line: int = 2
    table: str | None = None
    totals: tuple[str, ...] = ()
    related: PrintRelatedDef | None = None
    amount: str | None = None
    label: str | None = None
    text: str | None = None
    #: signature labels, each in every language (str() gives the current one)
    signatures: tuple[LocalText, ...] = ()
    title: str | None = None


@localized_texts("title", "heading", "footer")
@dataclass(frozen=True)
class PrintDef:
    """A print layout (`prints` of a form)."""

    name: str
    title: str
    pointer: str
    blocks: tuple[PrintBlockDef, ...]
    roles: tuple[str, ...] = ()
    paper: str = "A4"
    company: bool = True
    logo: bool = True
    heading: str | None = None
    footer: str | None = None


@localized_texts("title", "description")
@dataclass(frozen=True)
class FormDef:
    name: str
    title: str
    module: str
    file: str
    pointer: str
    fields: tuple[FieldDef, ...]
    title_field: str | None = None
    owner_field: str | None = None
    permissions: Mapping[str, PermissionDef] = field(default_factory=lambda: EMPTY)
    list: ListDef = field(default_factory=ListDef)
    workflow: WorkflowDef | None = None
    reminders: tuple[ReminderDef, ...] = ()
    update_linked: tuple[UpdateLinkedDef, ...] = ()
    charts: tuple[ChartDef, ...] = ()
    renamed_from: str | None = None
    description: str | None = None
    prints: tuple[PrintDef, ...] = ()
    #: The fields (or system attributes) that sum a record up next to its title (tasks,
    #: notifications); None: the default, see `summary_fields`.
    summary: tuple[str, ...] | None = None
    #: Composite indexes (`indexes`): each a tuple of field names or system attributes, a
    #: leading `-` for a descending column.
    indexes: tuple[tuple[str, ...], ...] = ()

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    def is_datetime(self, name: str) -> bool:
        """Whether `name` (a field or system attribute) holds a date and time, not a day: a
        datetime field, a formula whose result is one, created_at, updated_at, due_at."""
        if name in SYSTEM_TYPES:
            return SYSTEM_TYPES[name] == "datetime"
        field = self.field(name)
        return field is not None and field.value_kind == "datetime"

    @property
    def summary_fields(self) -> tuple[str, ...]:
        """The record's summary fields: `summary` as declared, else the first up to 3 list
        columns that are neither the title field nor a table."""
        if self.summary is not None:
            return self.summary
        picked = [c for c in self.list.columns
                  if c != self.title_field and not ((f := self.field(c)) is not None and f.is_table)]
        return tuple(picked[:3])

    def print_layout(self, name: str) -> PrintDef | None:
        return next((p for p in self.prints if p.name == name), None)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def owner_attribute(self) -> str:
        return self.owner_field or "created_by"

    def permission(self, role: str) -> PermissionDef | None:
        if role == ADMIN_ROLE:
            return ADMIN_PERMISSION
        return self.permissions.get(role)


@localized_texts("title", "description")
@dataclass(frozen=True)
class RoleDef:
    name: str
    title: str
    description: str | None = None
    #: The role's previous name: users who hold it are given this name when the set is applied.
    renamed_from: str | None = None


@localized_texts("title", "description")
@dataclass(frozen=True)
class ModuleDef:
    name: str
    title: str
    file: str
    roles: tuple[RoleDef, ...]
    forms: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True)
class AppDef:
    """The whole application: every module file in the definitions directory."""

    modules: tuple[ModuleDef, ...]
    forms: Mapping[str, FormDef]
    roles: Mapping[str, RoleDef]
    #: Hash of the source files; changes whenever any definition changes.
    signature: str = ""
    #: The parsed JSON documents by file name, as loaded (for the admin view).
    sources: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    #: The file texts, byte for byte (stored with each applied version, to fall back on).
    texts: Mapping[str, str] = field(default_factory=lambda: EMPTY)

    def form(self, name: str) -> FormDef | None:
        return self.forms.get(name)

    def module(self, name: str) -> ModuleDef | None:
        return next((m for m in self.modules if m.name == name), None)

    @property
    def role_renames(self) -> dict[str, str]:
        """old name → new name of the roles declared with `renamed_from` (in any module)."""
        return {r.renamed_from: r.name for m in self.modules for r in m.roles if r.renamed_from}
