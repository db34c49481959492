"""Firing due timers, exactly once across processes and hosts.

A pass first *claims* a batch of due timers in a short transaction (`FOR UPDATE SKIP
LOCKED` on PostgreSQL, so passes running at once take disjoint batches; SQLite's single
writer does the same by turns). It then fires each claimed timer in a transaction that
locks the record first and the timer row second, the same order as a user's action
(which re-arms or cancels timers while holding the record), and re-checks that the timer
is still claimed by this pass: a timer re-armed or cancelled meanwhile is left alone.
The action (notifications, a transition, an approval decision) and the timer's `fired`
mark commit together, so a timer still marked claimed has not fired: a claim whose pass
died is taken over after CLAIM_TIMEOUT and fired by the pass that takes it.

Each of these transactions is retried when it only lost a race for a lock (SQLite's one
writer at a time, a PostgreSQL deadlock): it changed nothing, and it re-checks its claim,
so running it again is safe; a pass waits instead of dying and leaving claims behind.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, select, true, update

from engine.auth.users import SYSTEM_USER
from engine.definitions.model import FormDef
from engine.errors import EngineError
from engine.expressions import ExpressionError, evaluate_condition
from engine.i18n import N_, each_language
from engine.notify.outbox import buffered, flush, notify
from engine.notify.rendering import about_record, per_reader, system_text
from engine.records.compute import RecordScope
from engine.records.context import Context, Runtime, open_context
from engine.store.busy import retry_busy
from engine.store.db import Database
from engine.store.records import StoredRecord, fetch_one, load_children, rows_to_records, select_records
from engine.store.system import incidents, tasks, timers
from engine.workflows.approvals import pending_approval
from engine.workflows.recipients import resolve

CLAIM_TIMEOUT = timedelta(minutes=10)
CLAIM_BATCH = 500
FIRE_BATCH = 100


@dataclass
class Fired:
    timer: int
    form: str
    record_id: int
    kind: str
    name: str
    status: str  # fired | skipped | cancelled | failed
    note: str

    def line(self) -> str:
        return f"{self.status:9} {self.kind:6} {self.form} #{self.record_id} {self.name}: {self.note}"


def claim(db: Database, now: datetime, token: str, limit: int = CLAIM_BATCH) -> list[dict[str, Any]]:
    with db.session(write=True) as session, session.begin():
        due = (select(timers.c.id).where(or_(
            and_(timers.c.status == "pending", timers.c.fire_at <= now),
            and_(timers.c.status == "claimed", timers.c.claimed_at < now - CLAIM_TIMEOUT)))
            .order_by(timers.c.fire_at, timers.c.id).limit(limit).with_for_update(skip_locked=True))
        ids = list(session.execute(due).scalars())
        if not ids:
            return []
        session.execute(update(timers).where(timers.c.id.in_(ids)).values(status="claimed", claim=token,
                                                                           claimed_at=now))
        return [dict(r) for r in session.execute(select(timers).where(timers.c.id.in_(ids))
                                                 .order_by(timers.c.fire_at, timers.c.id)).mappings()]


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def fire_due(db: Database, runtime: Runtime, now: datetime, tzinfo: Any) -> list[Fired]:
    """Claim and fire everything due at `now`, batch after batch, until nothing is left."""
    token = secrets.token_hex(8)
    done: list[Fired] = []
    while True:
        claimed = retry_busy(lambda: claim(db, now, token))
        if not claimed:
            return done
        for chunk in _chunks(claimed, FIRE_BATCH):
            done += retry_busy(partial(_fire_chunk, db, runtime, chunk, now, tzinfo, token))


def _fire_chunk(db: Database, runtime: Runtime, rows: list[dict], now: datetime, tzinfo: Any,
                token: str) -> list[Fired]:
    """Fire one chunk in one transaction: lock its records (in id order, as a user action
    would: record first), then its timers, re-check the claim, act, mark. A timer whose
    action fails is rolled back alone (savepoint), marked failed and reported."""
    out = []
    with open_context(db, runtime, SYSTEM_USER, tzinfo=tzinfo, now=now, write=True) as ctx:
        session = ctx.session
        records = _lock_records(ctx, rows)
        ours = set(session.execute(select(timers.c.id).where(
            timers.c.id.in_([r["id"] for r in rows]), timers.c.claim == token, timers.c.status == "claimed")
            .order_by(timers.c.id).with_for_update()).scalars())
        pending = buffered(ctx)
        marks = []
        for row in rows:
            if row["id"] not in ours:  # re-armed or cancelled since the claim: not ours any more
                continue
            key = (row["form"], row["record_id"])
            form = ctx.app.form(row["form"])
            record = records.get(key)
            mark = len(pending)
            try:
                if form is None:
                    result = ("cancelled", "the form no longer exists")
                elif record is None:
                    result = ("cancelled", "the record no longer exists")
                elif _changes_records(form, row):
                    with session.begin_nested():
                        result = _fire_one(ctx, form, record, row)
                    refreshed = fetch_one(session, form, ctx.runtime.tables(form.name), record.id, true())
                    if refreshed is None:  # its own action removed it: later timers find it gone
                        records.pop(key, None)
                    else:
                        records[key] = refreshed
                else:
                    result = _fire_one(ctx, form, record, row)
            except EngineError as exc:
                del pending[mark:]  # what it was about to tell goes with it
                fields = getattr(exc, "fields", None) or {}
                detail = exc.message + "".join(f"; {k}: {', '.join(map(str, v))}" for k, v in fields.items())
                result = ("failed", detail)
                session.execute(insert(incidents).values(
                    kind="timer_failed", form=row["form"], record_id=row["record_id"], created_at=now,
                    message=f"{row['kind']} timer '{row['name']}' of {row['form']} #{row['record_id']} "
                            f"could not fire: {detail}"))
            status, note = result
            marks.append({"tid": row["id"], "st": status, "nt": note[:1000]})
            out.append(Fired(row["id"], row["form"], row["record_id"], row["kind"], row["name"], status, note))
        flush(ctx)
        if marks:
            session.execute(update(timers).where(timers.c.id == bindparam("tid")).values(
                status=bindparam("st"), note=bindparam("nt"), fired_at=now), marks)
    return out


def _lock_records(ctx: Context, rows: list[dict]) -> dict[tuple[str, int], StoredRecord]:
    found: dict[tuple[str, int], StoredRecord] = {}
    by_form: dict[str, set[int]] = {}
    for row in rows:
        by_form.setdefault(row["form"], set()).add(row["record_id"])
    for form_name in sorted(by_form):
        form = ctx.app.form(form_name)
        if form is None:
            continue
        tables = ctx.runtime.tables(form_name)
        ids = sorted(by_form[form_name])
        stmt = (select_records(tables, tables.table.c.id.in_(ids)).order_by(tables.table.c.id)
                .with_for_update(of=tables.table))
        records = rows_to_records(form, tables, ctx.session.execute(stmt))
        load_children(ctx.session, form, tables, records)
        found.update({(form_name, r.id): r for r in records})
    return found


def _changes_records(form: FormDef, row: dict) -> bool:
    """Whether firing may change records (a transition or an approval decision), not only notify."""
    if row["kind"] == "date":
        reminder = next((r for r in form.reminders if r.name == row["name"]), None)
        return reminder is not None and reminder.transition is not None
    if row["kind"] == "due" and form.workflow is not None:
        stage = form.workflow.stage(row["name"])
        return bool(stage and stage.escalate and (stage.escalate.transition or stage.escalate.action))
    return False


def _fire_one(ctx: Context, form: FormDef, record: StoredRecord, row: dict) -> tuple[str, str]:
    if row["kind"] in ("remind", "due"):
        return _stage_timer(ctx, form, record, row)
    return _date_reminder(ctx, form, record, row)


def _actors(ctx: Context, form: FormDef, record: StoredRecord) -> list[str]:
    """Who must act: the open tasks' assignees, else the record's owner."""
    people = sorted(set(ctx.session.execute(select(tasks.c.assignee).where(
        tasks.c.form == form.name, tasks.c.record_id == record.id, tasks.c.status == "open")).scalars()))
    owner = record.get(form.owner_attribute)
    return people or ([str(owner)] if owner else [])


def _stage_timer(ctx: Context, form: FormDef, record: StoredRecord, row: dict) -> tuple[str, str]:
    from engine.services.tasks import decide
    from engine.services.workflow import fire_transition

    assert form.workflow is not None
    stage = form.workflow.stage(row["name"])
    if stage is None or record.meta["stage"] != stage.name:
        return "cancelled", "the record left the stage"
    due = record.meta["due_at"]
    params = {"title": about_record(form, record), "stage": each_language(stage.title),
              "due": due.astimezone(ctx.tzinfo).strftime("%Y-%m-%d %H:%M") if due else ""}
    actors = _actors(ctx, form, record)
    if row["kind"] == "remind":
        notify(ctx, actors, "due_soon", params, form.name, record.id)
        return "fired", f"due soon: told {', '.join(actors) or 'nobody'}"
    notify(ctx, actors, "overdue", params, form.name, record.id)
    notes = [f"overdue: told {', '.join(actors) or 'nobody'}"]
    escalate = stage.escalate
    if escalate is not None and escalate.notify:
        bosses = resolve(ctx.session, escalate.notify, record.values, record.meta, ctx._cache)
        notify(ctx, bosses, "escalation", params, form.name, record.id)
        notes.append(f"escalated to {', '.join(bosses) or 'nobody'}")
    if escalate is not None and escalate.transition:
        fire_transition(ctx, form.name, record.id, escalate.transition,
                        system_text(N_("Overdue: done by the system")))
        notes.append(f"fired {escalate.transition}")
    elif escalate is not None and escalate.action:
        pending = pending_approval(ctx, form.name, record.id)
        comment = system_text(N_("Overdue: decided by the system"))
        open_now = [] if pending is None else list(ctx.session.execute(select(tasks.c.id).where(
            tasks.c.approval_id == pending["id"], tasks.c.status == "open").order_by(tasks.c.id)).scalars())
        acted = 0
        for task_id in open_now:  # the tasks open when it fell due; a decision may close the others
            still_open = ctx.session.execute(select(tasks.c.status).where(tasks.c.id == task_id)).scalar()
            if still_open == "open":
                decide(ctx, task_id, escalate.action, comment, by_system=True)
                acted += 1
        notes.append(f"{escalate.action} on {acted} task(s)")
    return "fired", "; ".join(notes)


def _date_reminder(ctx: Context, form: FormDef, record: StoredRecord, row: dict) -> tuple[str, str]:
    from engine.services.workflow import fire_transition

    reminder = next((r for r in form.reminders if r.name == row["name"]), None)
    if reminder is None:
        return "cancelled", "the reminder was removed from the definitions"
    if reminder.when is not None:
        scope = RecordScope(ctx, form, record.values, record.meta, now=ctx.local_now, user=SYSTEM_USER.name)
        try:
            if not evaluate_condition(reminder.when, scope):
                return "skipped", "its condition is false"
        except ExpressionError as exc:
            return "failed", f"condition: {exc.message}"
    notes = []
    if reminder.notify:
        people = resolve(ctx.session, reminder.notify, record.values, record.meta, ctx._cache)
        for group, params in per_reader(ctx, form, record, reminder.message, people):
            notify(ctx, group, "reminder", params, form.name, record.id)
        notes.append(f"told {', '.join(people) or 'nobody'}")
    if reminder.transition:
        fire_transition(ctx, form.name, record.id, reminder.transition, None)
        notes.append(f"fired {reminder.transition}")
    return "fired", "; ".join(notes)
