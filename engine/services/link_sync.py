"""`fill_mode: "sync"`: when a record is saved, the records linking to it through a link
field with `fill_mode: "sync"` take the new values of the fields their `fill` copies, unless
they are in a final stage. The engine writes them as the system, by batches (one read, one
UPDATE and one history INSERT per batch: a single UPDATE when no formula reads a copied
field, else one executemany conditional on the versions read); each record's history names
the record that caused the change (`via`), and its formulas are recomputed when one of them
reads a copied field.

What the written records trigger: their date reminders are planned again, and rollups over
the fields written refresh the records they link to (their formulas and date reminders too).
Nothing further: no `update_linked`, no sync of the records that sync from them, no
transition, notification or webhook."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from engine.definitions.model import FieldDef, FormDef
from engine.errors import Conflict
from engine.i18n import _
from engine.records.codec import encode_value
from engine.records.compute import compute_formulas
from engine.records.context import Context
from engine.store.db import rowcount
from engine.store.records import StoredRecord, load_children, rows_to_records, select_records
from engine.store.system import history
from engine.workflows import timers

from . import rollups

BATCH = 1000
#: Times a batch's records changed meanwhile are read again before the save gives up (409).
ATTEMPTS = 5


@dataclass
class Synced:
    """A record sync wrote: as read, its new values, and the stored names that changed."""
    record: StoredRecord
    values: dict[str, Any]
    names: list[str]


def after_sync(ctx: Context, form: FormDef, written: list[Synced], names: set[str],
               via: Mapping[str, Any]) -> None:
    """What a batch of records written by sync triggers, set based: their date reminders on the
    fields written (and `updated_at`) are planned again, and the rollups over those fields of
    the records they link to are refreshed (with those records' formulas and date reminders)."""
    if not written:
        return
    timers.plan_date_reminders_many(ctx, form, [(w.record.id, w.values, {**w.record.meta, "updated_at": ctx.now})
                                                for w in written], {*names, "updated_at"})
    rollups.refresh_many(ctx, form, [w.values for w in written], names, via)


def _syncing(app: Any, form: FormDef) -> list[tuple[FormDef, FieldDef]]:
    return [(other, field) for other in app.forms.values() for field in other.fields
            if field.field_type.links and field.form == form.name and field.fill and field.fill_mode == "sync"]


def sync_fills(ctx: Context, form: FormDef, record_id: int, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Propagate the changed fields of record `record_id` of `form` to the records syncing from it."""
    changed = {name for name in new if old.get(name) != new.get(name)}
    for other, field in _syncing(ctx.app, form):
        pairs = [(ours, theirs) for ours, theirs in field.fill or () if theirs in changed and other.field(ours)]
        if pairs:
            _sync(ctx, form, record_id, other, field, {ours: new.get(theirs) for ours, theirs in pairs})


def _sync(ctx: Context, source: FormDef, record_id: int, form: FormDef, link: FieldDef,
          copies: Mapping[str, Any]) -> None:
    tables = ctx.runtime.tables(form.name)
    table = tables.table
    conditions = [table.c[link.name] == record_id]
    if form.workflow is not None:
        finals = [s.name for s in form.workflow.stages if s.final]
        if finals:
            conditions.append(table.c.stage.notin_(finals))
    formulas = [f.name for f in form.fields if f.formula is not None and f.name in table.c]
    recompute = any(path[0] in copies for f in form.fields if f.formula is not None
                    for path in f.formula.references())
    stored = [n for n in (*copies, *(formulas if recompute else ())) if n in table.c]
    via = {"form": source.name, "id": record_id}
    last = 0
    while True:
        stmt = select_records(tables, *conditions, table.c.id > last).order_by(table.c.id).limit(BATCH)
        records = rows_to_records(form, tables, ctx.session.execute(stmt))
        if not records:
            return
        last = records[-1].id
        if recompute:
            written = _write_recomputed(ctx, form, records, copies, stored, conditions, via)
        else:
            written = _write_copies(ctx, form, records, copies, stored, via)
        after_sync(ctx, form, written, set(stored), via)


def _changes(ctx: Context, form: FormDef, record: StoredRecord, copies: Mapping[str, Any], stored: list[str],
             recompute: bool) -> tuple[dict[str, Any], list[str]]:
    """The record's values with the copies (and its formulas recomputed), and the stored names
    that change."""
    values = dict(record.values)
    values.update(copies)
    if recompute:
        compute_formulas(form, values, record.meta, ctx)
    return values, [n for n in stored if values.get(n) != record.values.get(n)]


def _entry(ctx: Context, form: FormDef, record: StoredRecord, values: Mapping[str, Any], names: list[str],
           via: Mapping[str, Any]) -> dict[str, Any]:
    fields = {f.name: f for f in form.fields}
    return {"form": form.name, "record_id": record.id, "actor": ctx.user.name, "action": "update", "at": ctx.now,
            "details": {"changes": [{"field": n, "old": encode_value(fields[n], record.values.get(n), ctx),
                                     "new": encode_value(fields[n], values.get(n), ctx)} for n in names],
                        "via": dict(via)}}


def _write_copies(ctx: Context, form: FormDef, records: list[StoredRecord], copies: Mapping[str, Any],
                  stored: list[str], via: Mapping[str, Any]) -> list[Synced]:
    """No formula reads a copy: every record takes the same values, one UPDATE (what else the
    records hold is not read, so a concurrent edit of another field is not overwritten)."""
    table = ctx.runtime.tables(form.name).table
    written = []
    for record in records:
        values, names = _changes(ctx, form, record, copies, stored, False)
        if names:
            written.append(Synced(record, values, names))
    if written:
        ctx.session.execute(
            update(table).where(table.c.id.in_([w.record.id for w in written]))
            .values({**{n: copies[n] for n in stored}, "version": table.c.version + 1, "updated_at": ctx.now}))
        ctx.session.execute(insert(history), [_entry(ctx, form, w.record, w.values, w.names, via) for w in written])
    return written


def _write_recomputed(ctx: Context, form: FormDef, records: list[StoredRecord], copies: Mapping[str, Any],
                      stored: list[str], conditions: list[Any], via: Mapping[str, Any]) -> list[Synced]:
    """Formulas read a copy: each record's own values are recomputed, so the write holds only
    for the version read. The batch's rows are locked (FOR UPDATE on PostgreSQL; SQLite has one
    writer) and their versions compared with those read; a record changed since it was read
    (another process's edit committed meanwhile) is read again and recomputed, never
    overwritten with values computed from what it held before."""
    tables = ctx.runtime.tables(form.name)
    table = tables.table
    written: list[Synced] = []
    pending = records
    for _attempt in range(ATTEMPTS):
        load_children(ctx.session, form, tables, pending)  # formulas over a table read its rows
        changed = []
        for record in pending:
            values, names = _changes(ctx, form, record, copies, stored, True)
            if names:
                changed.append(Synced(record, values, names))
        if not changed:
            return written
        current = {row.id: row.version for row in ctx.session.execute(
            select(table.c.id, table.c.version).where(table.c.id.in_([c.record.id for c in changed]))
            .with_for_update(of=table))}
        lost = [c.record.id for c in changed if current.get(c.record.id) != c.record.version]
        fresh = [c for c in changed if current.get(c.record.id) == c.record.version]
        if fresh:
            result = ctx.session.execute(
                update(table).where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                .values({**{n: bindparam(f"b_{n}") for n in stored},
                         "version": table.c.version + 1, "updated_at": ctx.now}),
                [{"b_id": c.record.id, "b_version": c.record.version, **{f"b_{n}": c.values.get(n) for n in stored}}
                 for c in fresh])
            if rowcount(result) != len(fresh):  # the rows are locked: nothing can change them now
                raise Conflict(_("records of %(form)s were changed at the same time; try again", form=form.title),
                               code="stale_version")
            ctx.session.execute(insert(history), [_entry(ctx, form, c.record, c.values, c.names, via)
                                                  for c in fresh])
            written += fresh
        if not lost:
            return written
        pending = rows_to_records(form, tables, ctx.session.execute(
            select_records(tables, *conditions, table.c.id.in_(lost)).order_by(table.c.id)))
    raise Conflict(_("records of %(form)s were changed at the same time; try again", form=form.title),
                   code="stale_version")
