"""Definition → SQLAlchemy tables. One table per form (`rec_<form>`), one child table
per table field (`rec_<form>__<field>`, rows with `parent_id` and `position`)."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table

from engine.definitions.indexes import index_columns
from engine.definitions.model import AppDef, FieldDef, FormDef
from engine.fieldtypes import type_of
from engine.fieldtypes.dates import UTCDateTime

from .system import ID, NAMING

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer names silently


def short_name(name: str) -> str:
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[:MAX_IDENTIFIER - 9]}_{digest}"


def table_name(form: str) -> str:
    return short_name(f"rec_{form}")


def child_table_name(form: str, field: str) -> str:
    return short_name(f"rec_{form}__{field}")


def index_name(table: str, column: str, unique: bool = False) -> str:
    return short_name(f"{'uq' if unique else 'ix'}_{table}_{column}")


def composite_index_name(table: str, spec: tuple[str, ...]) -> str:
    """`cx_<table>_<a>_<b>` (a descending column as `<a>_desc`): the name says the columns, so
    a changed index is a dropped one and a new one."""
    parts = [f"{column}_desc" if desc else column for column, desc in index_columns(spec)]
    return short_name(f"{COMPOSITE}{table}_{'_'.join(parts)}")


def system_columns() -> list[Column]:
    return [
        Column("id", ID, primary_key=True, autoincrement=True),
        Column("stage", String(63)),
        Column("version", Integer, nullable=False, default=1),
        Column("created_by", String(64), nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Column("due_at", UTCDateTime),
    ]


SYSTEM_SIGNATURES = {
    "id": "ID", "stage": "String", "version": "Integer", "created_by": "String",
    "created_at": "DateTime", "updated_at": "DateTime", "due_at": "DateTime",
}
SYSTEM_INDEXES = ("stage", "created_by", "due_at")
#: Prefix of the definition's composite indexes (`indexes`): the sync drops those no longer declared.
COMPOSITE = "cx_"
TRIGRAM = "trigram"  # Index.info flag: a PostgreSQL GIN trigram index, built only where pg_trgm is available


def field_columns(fields: tuple[FieldDef, ...]) -> list[Column]:
    columns = []
    for field in fields:
        column_type = type_of(field).column_type(field)
        if column_type is not None:
            columns.append(Column(field.name, column_type))
    return columns


def indexed_fields(form: FormDef) -> list[tuple[str, bool]]:
    """(column, unique) pairs that get an index: index/unique fields, links, the owner, the
    title field (link choices are ordered by it)."""
    wanted: dict[str, bool] = {name: False for name in SYSTEM_INDEXES}
    for field in form.fields:
        if type_of(field).column_type(field) is None:
            continue
        if field.unique:
            wanted[field.name] = True
        elif field.index or field.field_type.links or field.name == form.owner_field or _short_title(form, field):
            wanted.setdefault(field.name, False)
    return list(wanted.items())


def _short_title(form: FormDef, field: FieldDef) -> bool:
    """The title field, when its values are short enough for a b-tree index (not long text)."""
    return field.name == form.title_field and field.type != "textarea" and (field.max_length or 0) <= 500


def search_columns(form: FormDef) -> list[str]:
    """Text columns the list search (`q`) looks in: they get trigram indexes on PostgreSQL,
    so a substring search over a million rows need not read them all."""
    names = form.list.search or ((form.title_field,) if form.title_field else ())
    columns = []
    for name in names:
        field = form.field(name)
        if field is not None and isinstance(type_of(field).column_type(field), String):
            columns.append(name)
    return columns


@dataclass(frozen=True)
class FormTables:
    form: str
    table: Table
    children: Mapping[str, Table]  # table field name → child table


def build_form_tables(metadata: MetaData, form: FormDef) -> FormTables:
    name = table_name(form.name)
    table = Table(name, metadata, *system_columns(), *field_columns(form.fields))
    for column, unique in indexed_fields(form):
        Index(index_name(name, column, unique), table.c[column], unique=unique)
    # The default list order is newest first with the id as tie-breaker: one index serves it.
    Index(index_name(name, "created_at_id"), table.c.created_at, table.c.id)
    for spec in form.indexes:
        Index(composite_index_name(name, spec),
              *(table.c[column].desc() if desc else table.c[column] for column, desc in index_columns(spec)))
    for column in search_columns(form):
        Index(short_name(f"tg_{name}_{column}"), table.c[column], postgresql_using="gin",
              postgresql_ops={column: "gin_trgm_ops"}, info={TRIGRAM: True})
    children = {}
    for field in form.fields:
        if not field.is_table:
            continue
        cname = child_table_name(form.name, field.name)
        child = Table(
            cname, metadata,
            Column("id", ID, primary_key=True, autoincrement=True),
            Column("parent_id", BigInteger, nullable=False),
            Column("position", Integer, nullable=False),
            *field_columns(field.fields),
        )
        Index(index_name(cname, "parent_id"), child.c.parent_id, child.c.position)
        for sub in field.fields:
            if sub.field_type.links or sub.index:
                Index(index_name(cname, sub.name), child.c[sub.name])
        children[field.name] = child
    return FormTables(form.name, table, MappingProxyType(children))


@dataclass(frozen=True)
class Schema:
    """Every form's tables for one AppDef."""

    metadata: MetaData
    forms: Mapping[str, FormTables]

    def __getitem__(self, form: str) -> FormTables:
        return self.forms[form]


def build_schema(app: AppDef) -> Schema:
    """The tables of `app`; the same object for the same definitions (by signature) while it is
    one of the last two built: applying a set and then serving it build them once."""
    if app.signature and (cached := _BUILT.get(app.signature)) is not None:
        return cached
    metadata = MetaData(naming_convention=NAMING)
    forms = {name: build_form_tables(metadata, form) for name, form in app.forms.items()}
    schema = Schema(metadata, MappingProxyType(forms))
    if app.signature:
        with _BUILT_LOCK:
            _BUILT[app.signature] = schema
            while len(_BUILT) > 2:
                del _BUILT[next(iter(_BUILT))]
    return schema


_BUILT: dict[str, Schema] = {}
_BUILT_LOCK = threading.Lock()
