"""`fill_mode: "sync"`: when a record is saved, the records linking to it through a link
field with `fill_mode: "sync"` take the new values of the fields their `fill` copies, unless
they are in a final stage. The engine writes them as the system, by batches (one read, one
UPDATE and one history INSERT per batch: a single UPDATE when no formula reads a copied
field, else one executemany); each record's history names the record that caused the
change (`via`), and its formulas are recomputed when one of them reads a copied field."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, insert, update

from engine.definitions.model import FieldDef, FormDef
from engine.records.codec import encode_value
from engine.records.compute import compute_formulas
from engine.records.context import Context
from engine.store.records import rows_to_records, select_records
from engine.store.system import history

BATCH = 1000


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
    fields = {f.name: f for f in form.fields}
    formulas = [f.name for f in form.fields if f.formula is not None and f.name in table.c]
    recompute = any(path[0] in copies for f in form.fields if f.formula is not None
                    for path in f.formula.references())
    stored = [n for n in (*copies, *(formulas if recompute else ())) if n in table.c]
    last = 0
    while True:
        stmt = select_records(tables, *conditions, table.c.id > last).order_by(table.c.id).limit(BATCH)
        records = rows_to_records(form, tables, ctx.session.execute(stmt))
        if not records:
            return
        last = records[-1].id
        writes, entries = [], []
        for record in records:
            values = dict(record.values)
            values.update(copies)
            if recompute:
                compute_formulas(form, values, record.meta, ctx)
            names = [n for n in stored if values.get(n) != record.values.get(n)]
            if not names:
                continue
            writes.append({"b_id": record.id, **{f"b_{n}": values.get(n) for n in stored}})
            entries.append({"form": form.name, "record_id": record.id, "actor": ctx.user.name, "action": "update",
                            "at": ctx.now, "details": {
                                "changes": [{"field": n, "old": encode_value(fields[n], record.values.get(n), ctx),
                                             "new": encode_value(fields[n], values.get(n), ctx)} for n in names],
                                "via": {"form": source.name, "id": record_id}}})
        if writes and not recompute:  # every record takes the same copies: one UPDATE
            ctx.session.execute(
                update(table).where(table.c.id.in_([w["b_id"] for w in writes]))
                .values({**{n: copies[n] for n in stored}, "version": table.c.version + 1, "updated_at": ctx.now}))
            ctx.session.execute(insert(history), entries)
        elif writes:
            ctx.session.execute(
                update(table).where(table.c.id == bindparam("b_id"))
                .values({**{n: bindparam(f"b_{n}") for n in stored},
                         "version": table.c.version + 1, "updated_at": ctx.now}),
                writes)
            ctx.session.execute(insert(history), entries)

