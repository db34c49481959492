"""Approval runs: steps in order (skipping those whose `when` is false), one task per
approver, modes any (或签) and all (会签), 去重 (skip_if_approved_before), 抄送 (cc).

These functions run inside the caller's transaction, after the caller has locked the
record row; they only write approval, task and cc rows and report what happened, and
the caller moves the record (so stage changes stay in one place).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from engine.access.visibility import fields_read, uses_hidden
from engine.definitions.model import FormDef, StageDef, StepDef
from engine.errors import Conflict, ValidationFailed
from engine.expressions import ExpressionError, evaluate_condition
from engine.fieldtypes.text import quoted
from engine.i18n import _, each_language
from engine.notify.outbox import notify
from engine.notify.rendering import about_record
from engine.records.compute import RecordScope
from engine.records.context import Context
from engine.store.records import StoredRecord
from engine.store.system import approvals, carbon_copies, tasks

from .recipients import resolve

SYSTEM = "system"


class NoApprover(Conflict):
    """A step found nobody to approve: the action that started it does not go through, and
    admins are told (an incident, written after the rollback)."""

    def __init__(self, step: StepDef, form: str, record_id: int) -> None:
        super().__init__(_("approval step '%(step)s' found no approver; an administrator has been told",
                           step=step.title), code="no_approver")
        self.step = step
        self.incident = ("no_approver", form, record_id,
                         f"approval step '{step.name}' ({step.title}) of {form} #{record_id} found no approver")


@dataclass
class Outcome:
    """"waiting" (tasks are open), "approved" or "rejected": where the approval stands."""

    status: str
    approval_id: int


def _scope(ctx: Context, form: FormDef, record: StoredRecord) -> RecordScope:
    return RecordScope(ctx, form, record.values, record.meta, now=ctx.local_now, user=ctx.user.name)


def barred_approvers(form: FormDef, record: StoredRecord, submitter: str | None) -> frozenset[str]:
    """Who may not approve this record unless the step has `allow_self_approval`: the
    submitter (who fired the transition into the approval stage) and the record's owner
    (`owner_field`, default `created_by`), so "their own record" holds whoever submitted it
    (also when the system did, e.g. by an escalation or a date reminder)."""
    owner = record.get(form.owner_attribute)
    return frozenset(str(p) for p in (submitter, owner) if p and p != SYSTEM)


def start(ctx: Context, form: FormDef, record: StoredRecord, stage: StageDef, return_stage: str) -> Outcome:
    approval_id = ctx.session.execute(insert(approvals).values(
        form=form.name, record_id=record.id, stage=stage.name, return_stage=return_stage,
        submitter=ctx.user.name, status="pending", step_index=0, round=1, started_at=ctx.now,
    ).returning(approvals.c.id)).scalar_one()
    return activate(ctx, form, record, stage, approval_id, first=0, round_no=1)


def activate(ctx: Context, form: FormDef, record: StoredRecord, stage: StageDef, approval_id: int,
             first: int, round_no: int) -> Outcome:
    """Open the first applicable step from index `first`; approved when none is left."""
    assert stage.approval is not None
    submitter = ctx.session.execute(select(approvals.c.submitter).where(approvals.c.id == approval_id)).scalar_one()
    # who approved which steps, by themselves (a decision by the system is nobody's approval)
    approved_steps: dict[str, set[int]] = {}
    for person, step_index in ctx.session.execute(select(tasks.c.assignee, tasks.c.step_index).where(
            tasks.c.approval_id == approval_id, tasks.c.status == "approved", tasks.c.acted_by == tasks.c.assignee)):
        approved_steps.setdefault(person, set()).add(step_index)
    steps = stage.approval.steps
    barred = barred_approvers(form, record, submitter)
    for index in range(first, len(steps)):
        step = steps[index]
        if step.when is not None and not evaluate_condition(step.when, _scope(ctx, form, record)):
            continue
        people = resolve(ctx.session, step.approvers, record.values, record.meta)
        if not step.allow_self_approval:
            people = [p for p in people if p not in barred]
        if not people:
            raise NoApprover(step, form.name, record.id)
        # an earlier step only: a step that runs again after a send-back is decided again
        passed = [p for p in people if step.skip_if_approved_before and min(approved_steps.get(p, {index})) < index]
        if passed and step.mode == "any":
            people = passed  # an automatic pass is that approver's approval: the step needs nobody else
        open_count = 0
        told = []
        for person in people:
            skip = person in passed
            ctx.session.execute(insert(tasks).values(
                approval_id=approval_id, form=form.name, record_id=record.id, step=step.name, step_index=index,
                round=round_no, assignee=person, status="skipped" if skip else "open",
                acted_by=SYSTEM if skip else None, acted_at=ctx.now if skip else None,
                comment="already approved an earlier step" if skip else None, created_at=ctx.now,
                due_at=ctx.now + stage.due if stage.due else None))
            open_count += 0 if skip else 1
            if not skip:
                told.append(person)
        about = {"title": about_record(form, record), "step": each_language(step.title)}
        notify(ctx, told, "task", about, form.name, record.id)
        copied = resolve(ctx.session, step.cc, record.values, record.meta)
        for person in copied:
            ctx.session.execute(insert(carbon_copies).values(
                approval_id=approval_id, form=form.name, record_id=record.id, user_name=person, step=step.name,
                created_at=ctx.now))
        notify(ctx, copied, "cc", about, form.name, record.id)
        ctx.session.execute(update(approvals).where(approvals.c.id == approval_id)
                            .values(step_index=index, round=round_no))
        if open_count:
            return Outcome("waiting", approval_id)
        # the step passed by itself: everybody needed (mode all) or somebody (mode any) approved before
    finish(ctx, approval_id, "approved")
    return Outcome("approved", approval_id)


def finish(ctx: Context, approval_id: int, status: str, closing: str = "closed") -> None:
    """End an approval: its open tasks become `closing`."""
    ctx.session.execute(update(tasks).where(tasks.c.approval_id == approval_id, tasks.c.status == "open")
                        .values(status=closing, acted_at=ctx.now))
    ctx.session.execute(update(approvals).where(approvals.c.id == approval_id)
                        .values(status=status, finished_at=ctx.now))


def pending_approval(ctx: Context, form: str, record_id: int) -> Any:
    return ctx.session.execute(
        select(approvals).where(approvals.c.form == form, approvals.c.record_id == record_id,
                                approvals.c.status == "pending").order_by(approvals.c.id.desc()).limit(1)
    ).mappings().first()


def step_complete(ctx: Context, task: Any, step: StepDef) -> bool:
    """After a decision on `task`: is its step done (any: one approval; all: no open task left)?"""
    if step.mode == "any":
        return True
    still_open = ctx.session.execute(select(tasks.c.id).where(
        tasks.c.approval_id == task["approval_id"], tasks.c.step_index == task["step_index"],
        tasks.c.round == task["round"], tasks.c.status == "open")).first()
    return still_open is None


def close_step(ctx: Context, task: Any, status: str = "closed") -> None:
    ctx.session.execute(update(tasks).where(
        tasks.c.approval_id == task["approval_id"], tasks.c.step_index == task["step_index"],
        tasks.c.round == task["round"], tasks.c.status == "open").values(status=status, acted_at=ctx.now))


def previous_step(ctx: Context, task: Any) -> int | None:
    """The step before the task's step that actually ran in this approval, if any."""
    return ctx.session.execute(
        select(tasks.c.step_index).where(tasks.c.approval_id == task["approval_id"],
                                         tasks.c.step_index < task["step_index"])
        .order_by(tasks.c.step_index.desc()).limit(1)).scalar()


#: `send_back` `to`: back to the submitter (the approval ends; the record returns to its stage before).
SUBMITTER = "$submitter"


def step_applies(ctx: Context, form: FormDef, record: StoredRecord, step: StepDef) -> bool:
    """Whether the step's `when` holds for the record now (a step without one always applies;
    a condition that cannot be evaluated does not hold)."""
    if step.when is None:
        return True
    try:
        return evaluate_condition(step.when, _scope(ctx, form, record))
    except ExpressionError:
        return False


def _may_go_back_to(ctx: Context, form: FormDef, record: StoredRecord, step: StepDef,
                    hidden: frozenset[str]) -> bool:
    """Whether a step applies now, as far as the deciding person may know: a condition reading
    what is hidden from them is not evaluated for them (a step it makes pass is passed again)."""
    if step.when is None:
        return True
    names, through_hidden = fields_read(ctx.gate, ctx.user, form, step.when.references(), ctx.local_now)
    return through_hidden or uses_hidden(names, hidden) or step_applies(ctx, form, record, step)


def send_back_targets(ctx: Context, form: FormDef, record: StoredRecord, stage: StageDef,
                      task: Any, hidden: frozenset[str] = frozenset()) -> list[int]:
    """The steps a task may be sent back to (besides the submitter): earlier steps of its
    approval that ran before it (they have tasks in this approval) and apply to the record now
    (`hidden`: fields hidden from the caller in it), in order."""
    assert stage.approval is not None
    return [i for i in sorted(_ran_before(ctx, task)) if i < len(stage.approval.steps)
            and _may_go_back_to(ctx, form, record, stage.approval.steps[i], hidden)]


def _ran_before(ctx: Context, task: Any) -> set[int]:
    """Indexes of the steps before the task's that have tasks in its approval (they ran)."""
    return set(ctx.session.execute(select(tasks.c.step_index).distinct().where(
        tasks.c.approval_id == task["approval_id"], tasks.c.step_index < task["step_index"])).scalars())


def send_back_target(ctx: Context, form: FormDef, record: StoredRecord, stage: StageDef, task: Any,
                     to: Any, hidden: frozenset[str] = frozenset()) -> int | None:
    """The step index a send back goes to, None for the submitter. `to` absent: the previous
    step that ran (from the first step, the submitter); `$submitter`; or the name of an earlier
    step that ran and applies now (`send_back_targets`), else 422 at `to`."""
    assert stage.approval is not None
    if to is None or to == "":
        return previous_step(ctx, task)
    if not isinstance(to, str):
        raise ValidationFailed({"to": [_("must be the name of an earlier step or %(submitter)s",
                                         submitter=SUBMITTER)]})
    if to == SUBMITTER:
        return None
    steps = stage.approval.steps
    index = next((i for i, s in enumerate(steps) if s.name == to), None)
    if index is None:
        raise ValidationFailed({"to": [_("no approval step %(name)s", name=quoted(to))]})
    if index >= task["step_index"]:
        raise ValidationFailed({"to": [_("%(step)s is not an earlier step of this approval",
                                         step=steps[index].title)]})
    if index not in _ran_before(ctx, task):
        raise ValidationFailed({"to": [_("%(step)s did not run in this approval", step=steps[index].title)]})
    if not _may_go_back_to(ctx, form, record, steps[index], hidden):
        raise ValidationFailed({"to": [_("%(step)s does not apply to this record now", step=steps[index].title)]})
    return index
