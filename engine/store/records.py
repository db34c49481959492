"""Reading and writing record rows (main table + child tables). No permissions here:
callers pass the conditions the gate gave them."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, insert, select, update
from sqlalchemy.orm import Session

from engine.definitions.model import SYSTEM_ATTRIBUTES, FormDef

from .db import rowcount
from .tables import FormTables

META = SYSTEM_ATTRIBUTES


@dataclass
class StoredRecord:
    form: str
    meta: dict[str, Any]  # id, stage, version, created_by, created_at, updated_at, due_at
    values: dict[str, Any] = field(default_factory=dict)  # field → value; tables → list of row dicts
    extra: dict[str, Any] = field(default_factory=dict)  # query extras (grant flags)

    @property
    def id(self) -> int:
        return int(self.meta["id"])

    @property
    def version(self) -> int:
        return int(self.meta["version"])

    def get(self, name: str) -> Any:
        return self.meta[name] if name in META else self.values.get(name)


def value_columns(form: FormDef, tables: FormTables) -> list[str]:
    return [f.name for f in form.fields if not f.is_table and f.name in tables.table.c]


def rows_to_records(form: FormDef, tables: FormTables, rows: Iterable[Any],
                    extra_keys: Iterable[str] = ()) -> list[StoredRecord]:
    names = value_columns(form, tables)
    extra_keys = list(extra_keys)
    records = []
    for row in rows:
        mapping = row._mapping
        records.append(StoredRecord(
            form=form.name,
            meta={k: mapping[k] for k in META},
            values={k: mapping[k] for k in names},
            extra={k: mapping[k] for k in extra_keys},
        ))
    return records


def load_children(session: Session, form: FormDef, tables: FormTables, records: list[StoredRecord]) -> None:
    """Fill table fields for all records with one query per table field."""
    if not records or not tables.children:
        return
    by_id = {r.id: r for r in records}
    for name, child in tables.children.items():
        for record in records:
            record.values[name] = []
        sub = form.field(name)
        assert sub is not None
        columns = [f.name for f in sub.fields if f.name in child.c]
        stmt = (select(child).where(child.c.parent_id.in_(list(by_id)))
                .order_by(child.c.parent_id, child.c.position))
        for row in session.execute(stmt):
            mapping = row._mapping
            by_id[mapping["parent_id"]].values[name].append({c: mapping[c] for c in columns})


def select_records(tables: FormTables, *conditions: ColumnElement, extra: Mapping[str, ColumnElement] = {}) -> Select:
    stmt = select(tables.table, *(c.label(k) for k, c in extra.items()))
    return stmt.where(*conditions) if conditions else stmt


def fetch_one(session: Session, form: FormDef, tables: FormTables, record_id: int, *conditions: ColumnElement,
              lock: bool = False, extra: Mapping[str, ColumnElement] = {},
              children: bool = True) -> StoredRecord | None:
    """The record (locked FOR UPDATE with `lock`), with its table fields' rows unless not `children`."""
    stmt = select_records(tables, tables.table.c.id == record_id, *conditions, extra=extra)
    if lock:
        stmt = stmt.with_for_update(of=tables.table) if not extra else stmt.with_for_update()
    row = session.execute(stmt).first()
    if row is None:
        return None
    records = rows_to_records(form, tables, [row], extra)
    if children:
        load_children(session, form, tables, records)
    return records[0]


def insert_record(session: Session, form: FormDef, tables: FormTables, meta: dict[str, Any],
                  values: Mapping[str, Any]) -> int:
    columns = {k: v for k, v in values.items() if k in tables.table.c and k not in tables.children}
    record_id = session.execute(
        insert(tables.table).values(**meta, **columns).returning(tables.table.c.id)).scalar_one()
    for name in tables.children:
        write_children(session, tables, name, record_id, values.get(name) or [], new=True)
    return int(record_id)


def write_children(session: Session, tables: FormTables, name: str, record_id: int,
                   rows: list[Mapping[str, Any]], *, new: bool = False) -> None:
    """Replace a record's rows of table field `name` (`new`: a record just inserted, which has none)."""
    child = tables.children[name]
    if not new:
        session.execute(delete(child).where(child.c.parent_id == record_id))
    if rows:  # every row names every column: an executemany takes its columns from the first row
        columns = [c.name for c in child.columns if c.name not in ("id", "parent_id", "position")]
        session.execute(insert(child), [
            {"parent_id": record_id, "position": i, **{c: row.get(c) for c in columns}}
            for i, row in enumerate(rows)
        ])


def update_record_row(session: Session, tables: FormTables, record_id: int, expected_version: int,
                      changes: Mapping[str, Any], now: datetime) -> bool:
    """Write changed columns if the version still matches; False when it did not."""
    columns = {k: v for k, v in changes.items() if k in tables.table.c and k not in tables.children}
    result = session.execute(
        update(tables.table)
        .where(tables.table.c.id == record_id, tables.table.c.version == expected_version)
        .values(**columns, version=expected_version + 1, updated_at=now)
    )
    if rowcount(result) != 1:
        return False
    for name in tables.children:
        if name in changes:
            write_children(session, tables, name, record_id, changes[name] or [])
    return True


def delete_record_row(session: Session, tables: FormTables, record_id: int) -> None:
    for child in tables.children.values():
        session.execute(delete(child).where(child.c.parent_id == record_id))
    session.execute(delete(tables.table).where(tables.table.c.id == record_id))
