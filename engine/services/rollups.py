"""Rollup fields (engine extension): an aggregate over the records of another form that link
here, e.g. an order's collected amount = the sum of its payments. Refreshed in the same
transaction as every create, edit and delete of such a record; the parent's formulas that
use it (outstanding = total - collected) are recomputed with it."""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, true

from engine.definitions.model import AppDef, FieldDef, FormDef
from engine.errors import Conflict
from engine.i18n import _
from engine.records.codec import encode_value
from engine.records.compute import compute_formulas
from engine.records.context import Context
from engine.records.validate import _same
from engine.store.records import fetch_one, update_record_row
from engine.workflows import timers

from .history import write_history


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
    assert fdef.rollup is not None
    table = ctx.runtime.tables(fdef.form or "").table
    aggregate, name = fdef.rollup
    measure = func.count() if aggregate == "count" else getattr(func, aggregate)(table.c[name])
    value = ctx.session.execute(
        select(measure).select_from(table).where(table.c[fdef.link or ""] == parent_id)).scalar()
    if aggregate == "count":
        return int(value or 0)
    if value is None:
        return Decimal(0) if aggregate == "sum" else None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-fdef.precision))


def _refresh_one(ctx: Context, parent: FormDef, parent_id: int, child: FormDef, child_id: int) -> None:
    tables = ctx.runtime.tables(parent.name)
    record = fetch_one(ctx.session, parent, tables, parent_id, true(), lock=True)
    if record is None:
        return
    values = dict(record.values)
    for fdef in parent.fields:
        if fdef.field_type.rolls_up:
            values[fdef.name] = _aggregate(ctx, fdef, parent_id)
    compute_formulas(parent, values, record.meta, ctx)
    changed = [f for f in parent.fields
               if not f.is_table and not _same(values.get(f.name), record.values.get(f.name))]
    if not changed:
        return
    if not update_record_row(ctx.session, tables, parent_id, record.version,
                             {f.name: values.get(f.name) for f in changed}, ctx.now):
        raise Conflict(_("record %(id)s of %(form)s was changed at the same time; try again", id=parent_id,
                         form=parent.title),
                       code="stale_version")
    timers.plan_date_reminders(ctx, parent, parent_id, values, {**record.meta, "updated_at": ctx.now})
    write_history(ctx.session, parent.name, parent_id, ctx.user.name, "update", {
        "changes": [{"field": f.name, "old": encode_value(f, record.values.get(f.name), ctx),
                     "new": encode_value(f, values.get(f.name), ctx)} for f in changed],
        "via": {"form": child.name, "id": child_id}}, ctx.now)
