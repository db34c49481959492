"""Approval task use cases: the inbox, approve / reject / send back / reassign, batch approve.

Every decision locks the record row first (the serialization point for all actions on a
record), then re-reads the task: of two people acting on one task, exactly one finds it
open; the other gets 409 task_closed."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update

from engine.access.visibility import PARTLY_HIDDEN, UNREADABLE, may_decide
from engine.auth.users import User, get_user
from engine.definitions.model import FormDef, StageDef, StepDef
from engine.errors import BadRequest, Conflict, EngineError, Forbidden, NotFound, ValidationFailed
from engine.fieldtypes.text import quoted
from engine.i18n import _, each_language
from engine.notify.outbox import notify
from engine.notify.rendering import about_record
from engine.records.context import Context, ContextOpener
from engine.store.db import rowcount
from engine.store.system import approvals as approvals_table
from engine.store.system import tasks, users
from engine.workflows import approvals
from engine.workflows.recipients import resolve

from .asking import write_step_fields
from .comments import check_length
from .history import write_history
from .records import load_readable, readable_form
from .summaries import summarize
from .workflow import move_record

ACTIONS = ("approve", "reject", "send_back", "reassign")
#: Tasks one batch approval may name (each is decided in its own transaction).
MAX_BATCH = 200


def task_row(ctx: Context, task_id: int, lock: bool = False) -> Any:
    """The task's row, or None; `lock`: locked for the decision that follows."""
    stmt = select(tasks).where(tasks.c.id == task_id)
    if lock:
        stmt = stmt.with_for_update()
    return ctx.session.execute(stmt).mappings().first()


def _title(ctx: Context, form_name: str, record_id: int) -> str:
    form = ctx.app.form(form_name)
    if form is None or not form.title_field:
        return f"#{record_id}"
    table = ctx.runtime.tables(form_name).table
    value = ctx.session.execute(select(table.c[form.title_field]).where(table.c.id == record_id)).scalar()
    return str(value) if value is not None else f"#{record_id}"


def encode_task(ctx: Context, row: Any, titles: dict | None = None,
                summaries: dict | None = None) -> dict[str, Any]:
    """A task as the inbox and the API show it; `titles` and `summaries` ((form, record id) →
    title / summary) when a whole list was read at once (`list_tasks`)."""
    form = ctx.app.form(row["form"])
    stage_name = stage_of_approval(ctx, row["approval_id"])
    stage, step = step_of(form, stage_name, row["step"])
    key = (row["form"], row["record_id"])
    title = (titles or {}).get(key) or _title(ctx, row["form"], row["record_id"])
    summary = summaries.get(key, []) if summaries is not None else _summary(ctx, row["form"], row["record_id"])

    def when(value: Any) -> str | None:
        return value.astimezone(ctx.tzinfo).isoformat() if value is not None else None

    until = row["acted_at"] if row["status"] != "open" and row["acted_at"] is not None else ctx.now
    return {
        "id": row["id"], "form": row["form"], "record_id": row["record_id"], "title": title,
        "summary": summary,
        "step": row["step"], "step_title": step.title if step else row["step"], "status": row["status"],
        "stage": stage_name, "stage_title": stage.title if stage else stage_name,
        "due_at": when(row["due_at"]), "assignee": row["assignee"], "acted_by": row["acted_by"],
        "acted_at": when(row["acted_at"]), "comment": row["comment"], "created_at": when(row["created_at"]),
        "waiting": max(0, int((until - row["created_at"]).total_seconds())) if row["created_at"] else 0,
        "reassigned_from": row["reassigned_from"],
        "form_title": form.title if form else row["form"],
        "overdue": bool(row["due_at"] and row["status"] == "open" and row["due_at"] < ctx.now),
    }


def _summary(ctx: Context, form_name: str, record_id: int) -> list[dict[str, Any]]:
    """One record's summary as the caller reads it (empty when they may not read it), read once
    per use case however many of its tasks are shown."""
    key = ("task_summary", form_name, record_id)
    if key not in ctx._cache:
        form = ctx.app.form(form_name)
        ctx._cache[key] = summarize(ctx, form, [record_id]).get(record_id, []) if form is not None else []
    return ctx._cache[key]


def step_of(form: FormDef | None, stage_name: str, step_name: str) -> tuple[StageDef | None, StepDef | None]:
    """The stage (by name) of a form's workflow and its approval step (by name); None for what
    the definition no longer has."""
    stage = form.workflow.stage(stage_name) if form is not None and form.workflow is not None else None
    steps = stage.approval.steps if stage is not None and stage.approval is not None else ()
    return stage, next((s for s in steps if s.name == step_name), None)


def stage_of_approval(ctx: Context, approval_id: int) -> str:
    cache = ctx._cache.setdefault("approval_stage", {})
    if approval_id not in cache:
        cache[approval_id] = ctx.session.execute(
            select(approvals_table.c.stage).where(approvals_table.c.id == approval_id)).scalar_one()
    return cache[approval_id]


def _open_rows(ctx: Context, form_name: str, record_id: int) -> list[Any]:
    """The caller's open task rows on one record, read once per use case (the record page
    asks for them three ways)."""
    key = ("open_tasks", form_name, record_id)
    if key not in ctx._cache:
        ctx._cache[key] = ctx.session.execute(select(tasks).where(
            tasks.c.form == form_name, tasks.c.record_id == record_id, tasks.c.assignee == ctx.user.name,
            tasks.c.status == "open").order_by(tasks.c.id)).mappings().all()
    return ctx._cache[key]


def open_tasks_on(ctx: Context, form_name: str, record_id: int) -> list[dict[str, Any]]:
    """The caller's open tasks on one record (for the actions on its page)."""
    return [encode_task(ctx, row) for row in _open_rows(ctx, form_name, record_id)]


def barred_from_hand_on(ctx: Context, form_name: str, record_id: int) -> frozenset[str]:
    """Who the caller's open tasks on a record may not be handed on to: the submitter and the
    owner (see `approvals.barred_approvers`), unless every such task's step allows self-approval."""
    form = ctx.app.form(form_name)
    rows = _open_rows(ctx, form_name, record_id)
    if form is None or form.workflow is None or not rows:
        return frozenset()
    stage = form.workflow.stage(stage_of_approval(ctx, rows[0]["approval_id"]))
    if stage is None or stage.approval is None or all(
            stage.approval.steps[row["step_index"]].allow_self_approval for row in rows):
        return frozenset()
    record, _hidden = load_readable(ctx, form, record_id)
    submitter = ctx.session.execute(select(approvals_table.c.submitter).where(
        approvals_table.c.id == rows[0]["approval_id"])).scalar_one()
    return approvals.barred_approvers(form, record, submitter)


def hand_on_candidates(ctx: Context, form_name: str, record_id: int, people: list[User]) -> list[User]:
    """Whom the caller's open tasks on a record may be handed on to: active people other than
    the caller, not barred (`barred_from_hand_on`), who may decide on the whole record
    (`may_decide`: read through their own roles, nothing hidden). Empty without an open task."""
    form = ctx.app.form(form_name)
    if form is None or not _open_rows(ctx, form_name, record_id):
        return []
    barred = barred_from_hand_on(ctx, form_name, record_id)
    others = [u for u in people if u.active and u.name != ctx.user.name and u.name not in barred]
    answers = may_decide(ctx.gate, ctx.session, others, form, record_id, ctx.local_now)
    return [u for u in others if answers[u.name] is None]


def _person(ctx: Context, name: str) -> str:
    """A user as people know them in messages: `张伟 (zhangwei)`, or the user name alone."""
    shown = ctx.session.execute(select(users.c.display_name).where(users.c.name == name)).scalar()
    return f"{shown} ({name})" if shown and shown != name else name


def count_open(ctx: Context) -> int:
    return int(ctx.session.execute(select(func.count()).select_from(tasks).where(
        tasks.c.assignee == ctx.user.name, tasks.c.status == "open")).scalar_one())


def decide(ctx: Context, task_id: int, action: str, comment: str | None = None, to: str | None = None, *,
           by_system: bool = False, fields: Any = None) -> dict:
    """Act on a task as its assignee, or (`by_system`, for SLA escalation) in the name of the system;
    `fields`: on approve, values of the step's `require`d fields."""
    if action not in ACTIONS:
        raise NotFound(f"no task action '{action}'")
    peek = task_row(ctx, task_id)
    if peek is None or (peek["assignee"] != ctx.user.name and not ctx.user.is_admin):
        raise NotFound(f"no task {task_id}")
    form = ctx.app.form(peek["form"])
    if form is None or form.workflow is None:
        raise NotFound(f"no task {task_id}")
    record, _hidden = load_readable(ctx, form, peek["record_id"], lock=True)  # serialize on the record
    task = task_row(ctx, task_id, lock=True)
    if task["status"] != "open":
        raise Conflict(_("this task has already been handled"), code="task_closed")
    if task["assignee"] != ctx.user.name and not by_system:
        raise Forbidden(_("this task is assigned to %(name)s", name=_person(ctx, task["assignee"])))
    stage = form.workflow.stage(stage_of_approval(ctx, task["approval_id"]))
    assert stage is not None and stage.approval is not None
    step = stage.approval.steps[task["step_index"]]
    comment = (comment or "").strip() or None
    check_length(comment)

    def close(status: str) -> None:
        done = ctx.session.execute(update(tasks).where(tasks.c.id == task_id, tasks.c.status == "open").values(
            status=status, acted_by=ctx.user.name, acted_at=ctx.now, comment=comment))
        if rowcount(done) != 1:
            raise Conflict(_("this task has already been handled"), code="task_closed")

    details = {"task": task_id, "step": step.name, "step_title": each_language(step.title), "comment": comment}
    submitter = ctx.session.execute(select(approvals_table.c.submitter).where(
        approvals_table.c.id == task["approval_id"])).scalar_one()
    about = {"title": about_record(form, record), "step": each_language(step.title), "comment": comment or ""}
    barred = frozenset() if step.allow_self_approval else approvals.barred_approvers(form, record, submitter)
    if action != "reassign" and not by_system and task["assignee"] in barred:
        # a task from before the record changed hands (or written by hand): hand it on instead
        raise Forbidden(_("you may not decide on your own record; hand the task on"))

    def tell_submitter(kind: str) -> None:
        if submitter != ctx.user.name:
            notify(ctx, [submitter], kind, about, form.name, record.id)

    if fields is not None and action != "approve":
        raise ValidationFailed({"fields": [_("only approve takes fields")]})
    if action == "approve":
        changes = write_step_fields(ctx, form, step, record, _hidden, fields)
        close("approved")
        write_history(ctx.session, form.name, record.id, ctx.user.name, "approve",
                      {**details, **({"changes": changes} if changes else {})}, ctx.now)
        if approvals.step_complete(ctx, task, step):
            approvals.close_step(ctx, task)
            outcome = approvals.activate(ctx, form, record, stage, task["approval_id"],
                                         first=task["step_index"] + 1, round_no=task["round"])
            if outcome.status == "approved":
                move_record(ctx, form, record, stage.approval.approved, action="approval",
                            details={"result": "approved"}, actor=ctx.user.name)
                tell_submitter("approved")
    elif action == "reject":
        if not comment:
            raise ValidationFailed({"comment": [_("required")]})
        close("rejected")
        write_history(ctx.session, form.name, record.id, ctx.user.name, "reject", details, ctx.now)
        approvals.finish(ctx, task["approval_id"], "rejected")
        move_record(ctx, form, record, stage.approval.rejected, action="approval",
                    details={"result": "rejected", "comment": comment}, actor=ctx.user.name)
        tell_submitter("rejected")
    elif action == "send_back":
        previous = approvals.send_back_target(ctx, form, record, stage, task, to, _hidden)  # 422 at `to` first
        close("sent_back")
        approvals.close_step(ctx, task, "sent_back")
        target = {"to": approvals.SUBMITTER} if previous is None else {
            "to": stage.approval.steps[previous].name, "to_title": each_language(stage.approval.steps[previous].title)}
        write_history(ctx.session, form.name, record.id, ctx.user.name, "send_back", {**details, **target}, ctx.now)
        if previous is None:
            approval = ctx.session.execute(select(approvals_table).where(
                approvals_table.c.id == task["approval_id"])).mappings().one()
            approvals.finish(ctx, task["approval_id"], "sent_back")
            move_record(ctx, form, record, approval["return_stage"], action="approval",
                        details={"result": "sent_back", "comment": comment}, actor=ctx.user.name)
            tell_submitter("sent_back")
        else:
            approvals.activate(ctx, form, record, stage, task["approval_id"], first=previous,
                               round_no=task["round"] + 1)
    elif action == "reassign":
        _reassign(ctx, task, to, comment, form.name, record.id, details, about, barred)
    fresh = task_row(ctx, task_id)
    return encode_task(ctx, fresh)


def approve_tasks(open_context: ContextOpener, ids: Any, comment: str | None = None) -> list[dict[str, Any]]:
    """Batch approve (the inbox's and the API's): see `_decide_batch`."""
    return _decide_batch(open_context, ids, "approve", comment)


def reject_tasks(open_context: ContextOpener, ids: Any, comment: Any) -> list[dict[str, Any]]:
    """Batch reject (the inbox's and the API's): one comment for every task, required (422 at
    `comment` before any task is touched); see `_decide_batch`."""
    return _decide_batch(open_context, ids, "reject", comment)


def _decide_batch(open_context: ContextOpener, ids: Any, action: str, comment: Any) -> list[dict[str, Any]]:
    """Decide several tasks alike: `ids` a list of task ids as sent (checked here: at most
    MAX_BATCH positive integers), each task decided in a transaction of its own
    (`open_context(write=True)`), so one that cannot be decided holds back none of the others; a
    duplicate id is decided once. Per task `{"id", "ok": True, "status"}` or `{"id", "ok": False,
    "code", "message"}`."""
    if comment is not None and not isinstance(comment, str):
        raise ValidationFailed({"comment": [_("must be text")]})
    comment = (comment or "").strip() or None
    if action == "reject" and not comment:
        raise ValidationFailed({"comment": [_("required")]})
    check_length(comment)
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63
                                            for i in ids):
        raise BadRequest(_("'ids' must be a list of task ids"))
    if len(ids) > MAX_BATCH:
        raise BadRequest(_("at most %(n)s task ids in one batch", n=MAX_BATCH))
    results: list[dict[str, Any]] = []
    for task_id in dict.fromkeys(ids):
        try:
            with open_context(write=True) as ctx:
                task = decide(ctx, task_id, action, comment)
            results.append({"id": task_id, "ok": True, "status": task["status"]})
        except EngineError as exc:
            results.append({"id": task_id, "ok": False, "code": exc.code, "message": exc.message})
    return results


def _reassign(ctx: Context, task: Any, to: str | None, comment: str | None, form: str, record_id: int,
              details: dict, about: dict, barred: frozenset[str]) -> None:
    if not to:
        raise ValidationFailed({"to": [_("required")]})
    if to == ctx.user.name:
        raise ValidationFailed({"to": [_("you cannot hand a task to yourself")]})
    if to in barred:
        raise ValidationFailed({"to": [_("%(name)s submitted or owns this record and may not approve it",
                                         name=_person(ctx, to))]})
    if not resolve(ctx.session, [type("R", (), {"kind": "user", "value": to})()], {}, {}):
        raise ValidationFailed({"to": [_("no active user %(name)s", name=quoted(to))]})
    target = get_user(ctx.session, to)
    form_def = ctx.app.form(form)
    if target is not None and form_def is not None:
        reason = may_decide(ctx.gate, ctx.session, [target], form_def, record_id, ctx.local_now)[to]
        if reason == UNREADABLE:
            raise ValidationFailed({"to": [_("%(name)s may not read this record through their own roles, "
                                             "so cannot decide on it", name=_person(ctx, to))]})
        if reason == PARTLY_HIDDEN:
            raise ValidationFailed({"to": [_("fields of this record are hidden from %(name)s, "
                                             "so they cannot decide on it", name=_person(ctx, to))]})
    holder = ctx.session.execute(select(tasks.c.id).where(
        tasks.c.approval_id == task["approval_id"], tasks.c.step_index == task["step_index"],
        tasks.c.round == task["round"], tasks.c.assignee == to, tasks.c.status == "open")).first()
    if holder is not None:
        raise Conflict(_("%(name)s already has a task in this step", name=_person(ctx, to)),
                       code="duplicate_approver")
    done = ctx.session.execute(update(tasks).where(tasks.c.id == task["id"], tasks.c.status == "open").values(
        status="reassigned", acted_by=ctx.user.name, acted_at=ctx.now, comment=comment))
    if rowcount(done) != 1:
        raise Conflict(_("this task has already been handled"), code="task_closed")
    ctx.session.execute(insert(tasks).values(
        approval_id=task["approval_id"], form=task["form"], record_id=task["record_id"], step=task["step"],
        step_index=task["step_index"], round=task["round"], assignee=to, status="open",
        reassigned_from=ctx.user.name, created_at=ctx.now, due_at=task["due_at"]))
    write_history(ctx.session, form, record_id, ctx.user.name, "reassign", {**details, "to": to}, ctx.now)
    notify(ctx, [to], "handed_on", about, form, record_id)


def approval_progress(ctx: Context, form_name: str, record_id: int) -> list[dict[str, Any]]:
    """Every approval run of a record with its tasks, newest first (for the detail page). A step
    whose condition reads what is hidden from the caller has `condition_hidden` true: without
    tasks it must not read 无需处理 (that would tell the hidden value)."""
    from .route import condition_hidden

    form = readable_form(ctx, form_name)
    _record, hidden = load_readable(ctx, form, record_id)
    runs = ctx.session.execute(select(approvals_table).where(
        approvals_table.c.form == form.name, approvals_table.c.record_id == record_id)
        .order_by(approvals_table.c.id.desc())).mappings().all()
    out = []
    for run in runs:
        rows = ctx.session.execute(select(tasks).where(tasks.c.approval_id == run["id"])
                                   .order_by(tasks.c.round, tasks.c.step_index, tasks.c.id)).mappings().all()
        stage = form.workflow.stage(run["stage"]) if form.workflow else None
        out.append({
            "id": run["id"], "stage": run["stage"], "stage_title": stage.title if stage else run["stage"],
            "status": run["status"], "submitter": run["submitter"],
            "started_at": run["started_at"].astimezone(ctx.tzinfo).isoformat(),
            "steps": [{"name": s.name, "title": s.title, "mode": s.mode,
                       "condition_hidden": condition_hidden(ctx, form, hidden, s)}
                      for s in (stage.approval.steps if stage and stage.approval else ())],
            "tasks": [encode_task(ctx, row) for row in rows],
        })
    return out


__all__ = ["decide", "approve_tasks", "reject_tasks", "encode_task", "step_of", "stage_of_approval",
           "approval_progress", "count_open", "EngineError"]
