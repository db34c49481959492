"""Writing many checked new records with a few bulk statements (the write step of an import).

Each record gets what `records.write_created` gives one record: serial numbers, child rows,
files, stage and date timers, a `create` history entry, `update_linked` changes and
rollups, but with one INSERT per table for all records instead of several statements per
record, and each rollup target refreshed once.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from engine.definitions.model import FormDef
from engine.errors import Conflict
from engine.i18n import _
from engine.records.context import Context
from engine.store.records import value_columns
from engine.store.serials import reserve_serials as reserve_numbers
from engine.store.system import history, timers
from engine.workflows.timers import SYSTEM_DATES, reminder_time

from . import rollups
from .files import attach_files
from .linked import apply_update_linked
from .records import encode_values

#: (values, changed field names, system attributes) of a checked new record.
Prepared = tuple[dict[str, Any], set[str], dict[str, Any]]
#: Rows per INSERT statement.
BATCH = 1000


def reserve_serials(ctx: Context, form: FormDef, count: int) -> dict[str, list[str]]:
    """`count` numbers for each serial field of the form, one statement per field."""
    return {f.name: reserve_numbers(ctx.session, f.pattern, ctx.local_now, count)
            for f in form.fields if f.field_type.numbered and f.pattern}


def _insert_many(ctx: Context, table: Any, rows: list[dict[str, Any]], returning: bool = False) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        if returning:
            result = ctx.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), batch)
            ids.extend(int(i) for i in result.scalars())
        else:
            ctx.session.execute(insert(table), batch)
    return ids


def _new_ids(ctx: Context, table: Any, count: int) -> list[int] | None:
    """PostgreSQL: the new rows' ids from the table's sequence in one query, so that the rows go
    in with a plain executemany (an INSERT … RETURNING of thousands of rows is sent as one huge
    statement that takes longer to build than to run). Elsewhere None: RETURNING is cheap."""
    if ctx.session.get_bind().dialect.name != "postgresql":
        return None
    sequence = func.pg_get_serial_sequence(table.name, "id")
    return sorted(int(i) for i in ctx.session.execute(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count))).scalars())


def write_many(ctx: Context, form: FormDef, items: Sequence[Prepared], serials: dict[str, list[str]]) -> list[int]:
    """Insert the records (in order) and everything that comes with them; their ids."""
    if not items:
        return []
    tables = ctx.runtime.tables(form.name)
    names = value_columns(form, tables)
    for i, (values, changed, _meta) in enumerate(items):
        for name, numbers in serials.items():
            values[name] = numbers[i]
            changed.add(name)
    try:
        with ctx.session.begin_nested():
            rows = [{**meta, **{n: values.get(n) for n in names}} for values, _changed, meta in items]
            ids = _new_ids(ctx, tables.table, len(rows))
            if ids is None:
                ids = _insert_many(ctx, tables.table, rows, returning=True)
            else:
                _insert_many(ctx, tables.table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
            for name, child in tables.children.items():
                columns = [c.name for c in child.columns if c.name not in ("id", "parent_id", "position")]
                _insert_many(ctx, child, [
                    {"parent_id": record_id, "position": position, **{c: row.get(c) for c in columns}}
                    for record_id, (values, _c, _m) in zip(ids, items, strict=True)
                    for position, row in enumerate(values.get(name) or [])])
    except IntegrityError:
        raise Conflict(_("a unique value was taken by another record while the file was checked; "
                         "nothing was imported, try again"), code="unique_conflict") from None
    file_fields = [f.name for f in form.fields if f.field_type.holds_file]
    for record_id, (values, changed, _meta) in zip(ids, items, strict=True):
        if any(values.get(name) for name in file_fields):
            attach_files(ctx, form, record_id, values, changed)
    _insert_many(ctx, timers, _timer_rows(ctx, form, ids, items))
    _insert_many(ctx, history, [
        {"form": form.name, "record_id": record_id, "actor": ctx.user.name, "action": "create",
         "details": {"values": encode_values(ctx, form, values)}, "at": meta["created_at"]}
        for record_id, (values, _c, meta) in zip(ids, items, strict=True)])
    if form.update_linked:
        for record_id, (values, _c, meta) in zip(ids, items, strict=True):
            apply_update_linked(ctx, form, record_id, values, meta)
    _refresh_rollups(ctx, form, ids, items)
    return ids


def _timer_rows(ctx: Context, form: FormDef, ids: list[int], items: Sequence[Prepared]) -> list[dict[str, Any]]:
    """The timers a new record arms: its first stage's reminder and due time, its date reminders."""
    rows = []

    def arm(record_id: int, kind: str, name: str, fire_at: Any) -> None:
        rows.append({"form": form.name, "record_id": record_id, "kind": kind, "name": name, "fire_at": fire_at,
                     "status": "pending", "armed_at": ctx.now})
    for record_id, (values, _c, meta) in zip(ids, items, strict=True):
        stage = form.workflow.stage(meta["stage"]) if form.workflow else None
        if stage is not None and meta.get("due_at") is not None:
            if stage.remind_before:
                arm(record_id, "remind", stage.name, meta["due_at"] - stage.remind_before)
            arm(record_id, "due", stage.name, meta["due_at"])
        for reminder in form.reminders:
            source = meta if reminder.date_field in SYSTEM_DATES else values
            fire_at = reminder_time(ctx, reminder, source.get(reminder.date_field))
            if fire_at is not None:
                arm(record_id, "date", reminder.name, fire_at)
    return rows


def _refresh_rollups(ctx: Context, form: FormDef, ids: list[int], items: Sequence[Prepared]) -> None:
    """Each record a rollup over this form points to is refreshed once, not once per new row."""
    links = sorted({fdef.link or "" for _parent, fdef in rollups.dependents(ctx.app, form.name)})
    if not links:
        return
    last: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for record_id, (values, _c, _m) in zip(ids, items, strict=True):
        key = tuple(values.get(link) for link in links)
        if any(key):
            last[key] = (record_id, {link: values.get(link) for link in links})
    for record_id, values in last.values():
        rollups.refresh(ctx, form, record_id, values)
