"""Rollup fields (engine extension): an aggregate over the records of another form that link
here, e.g. an order's collected amount = the sum of its payments. Refreshed in the same
transaction as every create, edit and delete of such a record; the parent's formulas that
use it (outstanding = total - collected) are recomputed with it."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, insert, select, true, update

from engine.definitions.model import AppDef, FieldDef, FormDef
from engine.errors import Conflict
from engine.i18n import _
from engine.records.codec import encode_value
from engine.records.compute import compute_record_formulas, formulas_moved_by
from engine.records.context import Context
from engine.records.validate import _same
from engine.store.db import rowcount
from engine.store.records import fetch_one, load_children, rows_to_records, select_records, update_record_row
from engine.store.system import history
from engine.workflows import timers

from .history import write_history

#: Parents refreshed per statement by `refresh_many`.
BATCH = 1000


def dependents(app: AppDef, child: str) -> list[tuple[FormDef, FieldDef]]:
    return [(form, fdef) for form in app.forms.values() for fdef in form.fields
            if fdef.field_type.rolls_up and fdef.form == child]


def refresh(ctx: Context, child: FormDef, record_id: int, *value_sets: Mapping[str, Any]) -> None:
    """After a record of `child` changed (old and/or new values given), refresh the rollups of
    the records its links pointed to and point to now."""
    by_parent: dict[tuple[str, int], FormDef] = {}
    for parent, fdef in dependents(ctx.app, child.name):
        for values in value_sets:
            target = values.get(fdef.link or "")
            if target:
                by_parent[(parent.name, int(target))] = parent
    for (_name, parent_id), parent in sorted(by_parent.items(), key=lambda kv: kv[0]):
        _refresh_one(ctx, parent, parent_id, child, record_id)


def _aggregate(ctx: Context, fdef: FieldDef, parent_id: int) -> Any:
    return _aggregates(ctx, fdef, [parent_id])[parent_id]


def _aggregates(ctx: Context, fdef: FieldDef, parent_ids: list[int]) -> dict[int, Any]:
    """The rollup's value for each of these parents (one query)."""
    assert fdef.rollup is not None
    table = ctx.runtime.tables(fdef.form or "").table
    aggregate, name = fdef.rollup
    link = table.c[fdef.link or ""]
    measure = func.count() if aggregate == "count" else getattr(func, aggregate)(table.c[name])
    found = dict(ctx.session.execute(select(link, measure).where(link.in_(parent_ids)).group_by(link)).all())

    def value(raw: Any) -> Any:
        if aggregate == "count":
            return int(raw or 0)
        if raw is None:
            return Decimal(0) if aggregate == "sum" else None
        return Decimal(str(raw)).quantize(Decimal(1).scaleb(-fdef.precision))
    return {parent_id: value(found.get(parent_id)) for parent_id in parent_ids}


def refresh_many(ctx: Context, child: FormDef, rows: Iterable[Mapping[str, Any]], names: Collection[str],
                 via: Mapping[str, Any]) -> None:
    """After many records of `child` changed the fields `names` (their links unchanged, as when
    sync writes them), refresh the rollups over those fields of the records they link to: set
    based, a few statements per batch of parents; each parent's history names `via`."""
    rows = list(rows)
    parents: dict[str, tuple[FormDef, set[int]]] = {}
    for parent, fdef in dependents(ctx.app, child.name):
        assert fdef.rollup is not None
        if fdef.rollup[1] not in names:  # count() and rollups of other fields do not move
            continue
        ids = {int(v[fdef.link or ""]) for v in rows if v.get(fdef.link or "")}
        parents.setdefault(parent.name, (parent, set()))[1].update(ids)
    for _name, (parent, ids) in sorted(parents.items()):
        ordered = sorted(ids)
        for start in range(0, len(ordered), BATCH):
            _refresh_batch(ctx, parent, ordered[start:start + BATCH], via)


def _refresh_batch(ctx: Context, parent: FormDef, parent_ids: list[int], via: Mapping[str, Any]) -> None:
    tables = ctx.runtime.tables(parent.name)
    table = tables.table
    records = rows_to_records(parent, tables, ctx.session.execute(
        select_records(tables, table.c.id.in_(parent_ids)).order_by(table.c.id).with_for_update(of=table)))
    rolled = {f.name: _aggregates(ctx, f, parent_ids) for f in parent.fields if f.field_type.rolls_up}
    formulas, reads_rows = formulas_moved_by(parent, rolled)
    if reads_rows:
        load_children(ctx.session, parent, tables, records)
    changed = []
    for record in records:
        values = dict(record.values)
        values.update({name: by_id[record.id] for name, by_id in rolled.items()})
        compute_record_formulas(parent, formulas, values, record.meta, ctx)
        names = [f for f in parent.fields if not f.is_table and f.name in table.c
                 and not _same(values.get(f.name), record.values.get(f.name))]
        if names:
            changed.append((record, values, names))
    if not changed:
        return
    stored = sorted({f.name for _record, _values, names in changed for f in names})
    result = ctx.session.execute(
        update(table).where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({**{n: bindparam(f"b_{n}") for n in stored}, "version": table.c.version + 1, "updated_at": ctx.now}),
        [{"b_id": r.id, "b_version": r.version, **{f"b_{n}": v.get(n) for n in stored}} for r, v, _n in changed])
    if rowcount(result) != len(changed):  # the rows are locked: nothing else can have changed them
        raise Conflict(_("records of %(form)s were changed at the same time; try again", form=parent.title),
                       code="stale_version")
    ctx.session.execute(insert(history), [
        {"form": parent.name, "record_id": r.id, "actor": ctx.user.name, "action": "update", "at": ctx.now,
         "details": {"changes": [{"field": f.name, "old": encode_value(f, r.values.get(f.name), ctx),
                                  "new": encode_value(f, v.get(f.name), ctx)} for f in names], "via": dict(via)}}
        for r, v, names in changed])
    timers.plan_date_reminders_many(ctx, parent, [(r.id, v, {**r.meta, "updated_at": ctx.now})
                                                  for r, v, _n in changed], {*stored, "updated_at"})


def _refresh_one(ctx: Context, parent: FormDef, parent_id: int, child: FormDef, child_id: int) -> None:
    tables = ctx.runtime.tables(parent.name)
    rollups = [fdef for fdef in parent.fields if fdef.field_type.rolls_up]
    formulas, reads_rows = formulas_moved_by(parent, [fdef.name for fdef in rollups])
    record = fetch_one(ctx.session, parent, tables, parent_id, true(), lock=True, children=reads_rows)
    if record is None:
        return
    values = dict(record.values)
    for fdef in rollups:
        values[fdef.name] = _aggregate(ctx, fdef, parent_id)
    compute_record_formulas(parent, formulas, values, record.meta, ctx)
    changed = [f for f in parent.fields
               if not f.is_table and not _same(values.get(f.name), record.values.get(f.name))]
    if not changed:
        return
    if not update_record_row(ctx.session, tables, parent_id, record.version,
                             {f.name: values.get(f.name) for f in changed}, ctx.now):
        raise Conflict(_("record %(id)s of %(form)s was changed at the same time; try again", id=parent_id,
                         form=parent.title),
                       code="stale_version")
    timers.plan_date_reminders_many(ctx, parent, [(parent_id, values, {**record.meta, "updated_at": ctx.now})],
                                    {*(f.name for f in changed), "updated_at"})
    write_history(ctx.session, parent.name, parent_id, ctx.user.name, "update", {
        "changes": [{"field": f.name, "old": encode_value(f, record.values.get(f.name), ctx),
                     "new": encode_value(f, values.get(f.name), ctx)} for f in changed],
        "via": {"form": child.name, "id": child_id}}, ctx.now)
