"""Arming and cancelling timers, inside the transaction of the action that causes them.

A timer is a row of `engine_timers` keyed by (form, record, kind, name) and re-armed in
place: entering a stage (again, after a rejection or send-back too) re-arms its reminder
and due timers; changing a date re-schedules its date reminders; leaving a stage or
clearing a date cancels them. The scheduler pass (engine.scheduler) fires what is due.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from engine.definitions.model import FormDef, ReminderDef, StageDef
from engine.records.context import Context
from engine.store.system import timers

#: A reminder on a date field (not a datetime) fires at this local hour of its day.
REMINDER_HOUR = time(9, 0)
STAGE_KINDS = ("remind", "due")


def _upsert(ctx: Context, form: str, record_id: int, kind: str, name: str, fire_at: datetime,
            force: bool) -> None:
    """Arm (or re-arm) a timer. Without `force`, an unchanged time keeps the timer as it is
    (a date reminder that already fired does not fire again because another field changed)."""
    row = ctx.session.execute(select(timers.c.id, timers.c.fire_at, timers.c.status).where(
        timers.c.form == form, timers.c.record_id == record_id, timers.c.kind == kind, timers.c.name == name,
    ).with_for_update()).first()
    if row is None:
        ctx.session.execute(insert(timers).values(
            form=form, record_id=record_id, kind=kind, name=name, fire_at=fire_at, status="pending",
            armed_at=ctx.now))
        return
    if not force and row.fire_at == fire_at and row.status != "cancelled":
        return
    ctx.session.execute(update(timers).where(timers.c.id == row.id).values(
        fire_at=fire_at, status="pending", claim=None, claimed_at=None, fired_at=None, note=None, armed_at=ctx.now))


def _cancel(ctx: Context, form: str, record_id: int, kinds: tuple[str, ...], names: tuple[str, ...] | None = None,
            note: str = "no longer applies") -> None:
    stmt = update(timers).where(timers.c.form == form, timers.c.record_id == record_id, timers.c.kind.in_(kinds),
                                timers.c.status.in_(("pending", "claimed")))
    if names is not None:
        stmt = stmt.where(timers.c.name.in_(names))
    ctx.session.execute(stmt.values(status="cancelled", note=note))


def on_stage_entry(ctx: Context, form: FormDef, record_id: int, stage: StageDef, due_at: datetime | None,
                   *, created: bool = False) -> None:
    """Entering a stage: the previous stage's timers end, this one's start afresh (`created`: the
    record was just created, so it had no stage and no timers to end)."""
    if not created:
        _cancel(ctx, form.name, record_id, STAGE_KINDS, note="left the stage")
    if due_at is None:
        return
    if stage.remind_before:
        _upsert(ctx, form.name, record_id, "remind", stage.name, due_at - stage.remind_before, force=True)
    _upsert(ctx, form.name, record_id, "due", stage.name, due_at, force=True)


def reminder_time(ctx: Context, reminder: ReminderDef, value: Any) -> datetime | None:
    """When a date reminder fires for this value of its date field (None: it does not)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=ctx.tzinfo)
        return moment + reminder.offset
    if isinstance(value, date):
        return datetime.combine(value, REMINDER_HOUR, tzinfo=ctx.tzinfo) + reminder.offset
    return None


SYSTEM_DATES = ("created_at", "updated_at", "due_at")


def plan_date_reminders(ctx: Context, form: FormDef, record_id: int, values: Mapping[str, Any],
                        meta: Mapping[str, Any], *, created: bool = False) -> None:
    """(Re)schedule the form's date reminders for the record's current values and system dates:
    whatever the number of reminders, one statement for those whose date is cleared, one to read
    the armed ones, one to arm the new ones, and one per reminder whose time moved (`created`: a
    record just created has no pending timers to cancel)."""
    wanted = {r.name: reminder_time(ctx, r, (meta if r.date_field in SYSTEM_DATES else values).get(r.date_field))
              for r in form.reminders}
    cleared = tuple(name for name, at in wanted.items() if at is None)
    if cleared and not created:
        _cancel(ctx, form.name, record_id, ("date",), cleared, note="date cleared")
    timed = {name: at for name, at in wanted.items() if at is not None}
    if not timed:
        return
    armed = {row.name: row for row in ctx.session.execute(
        select(timers.c.id, timers.c.name, timers.c.fire_at, timers.c.status).where(
            timers.c.form == form.name, timers.c.record_id == record_id, timers.c.kind == "date",
            timers.c.name.in_(list(timed))).with_for_update())}
    new = [{"form": form.name, "record_id": record_id, "kind": "date", "name": name, "fire_at": at,
            "status": "pending", "armed_at": ctx.now} for name, at in timed.items() if name not in armed]
    if new:
        ctx.session.execute(insert(timers), new)
    for name, at in timed.items():  # an unchanged time keeps the timer as it is (see _upsert)
        row = armed.get(name)
        if row is not None and not (row.fire_at == at and row.status != "cancelled"):
            ctx.session.execute(update(timers).where(timers.c.id == row.id).values(
                fire_at=at, status="pending", claim=None, claimed_at=None, fired_at=None, note=None,
                armed_at=ctx.now))


def plan_date_reminders_many(ctx: Context, form: FormDef,
                             records: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
                             names: Collection[str] | None = None) -> None:
    """`plan_date_reminders` for many records (record id, values, system dates) at once: a few
    statements per reminder, none per record. With `names`, only the reminders whose date
    field is among them."""
    ids = [record_id for record_id, _values, _meta in records]
    for reminder in form.reminders:
        if not ids or (names is not None and reminder.date_field not in names):
            continue
        wanted = {record_id: reminder_time(ctx, reminder, (meta if reminder.date_field in SYSTEM_DATES else values)
                                           .get(reminder.date_field))
                  for record_id, values, meta in records}
        armed = {row.record_id: row for row in ctx.session.execute(
            select(timers.c.id, timers.c.record_id, timers.c.fire_at, timers.c.status).where(
                timers.c.form == form.name, timers.c.kind == "date", timers.c.name == reminder.name,
                timers.c.record_id.in_(ids)).with_for_update())}
        cleared = [record_id for record_id, at in wanted.items() if at is None]
        if cleared:
            ctx.session.execute(update(timers).where(
                timers.c.form == form.name, timers.c.record_id.in_(cleared), timers.c.kind == "date",
                timers.c.name == reminder.name, timers.c.status.in_(("pending", "claimed")))
                .values(status="cancelled", note="date cleared"))
        new = [{"form": form.name, "record_id": record_id, "kind": "date", "name": reminder.name, "fire_at": at,
                "status": "pending", "armed_at": ctx.now}
               for record_id, at in wanted.items() if at is not None and record_id not in armed]
        if new:
            ctx.session.execute(insert(timers), new)
        moved = [{"b_id": row.id, "b_fire_at": at} for record_id, at in wanted.items()
                 if at is not None and (row := armed.get(record_id)) is not None
                 and not (row.fire_at == at and row.status != "cancelled")]
        if moved:
            ctx.session.execute(update(timers).where(timers.c.id == bindparam("b_id")).values(
                fire_at=bindparam("b_fire_at"), status="pending", claim=None, claimed_at=None, fired_at=None,
                note=None, armed_at=ctx.now), moved)


def cancel_all(ctx: Context, form: str, record_id: int) -> None:
    _cancel(ctx, form, record_id, ("remind", "due", "date"), note="record deleted")

