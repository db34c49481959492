"""Approval task use cases: the inbox, approve / reject / send back / reassign, batch approve.

Every decision locks the record row first (the serialization point for all actions on a
record), then re-reads the task: of two people acting on one task, exactly one finds it
open; the other gets 409 task_closed."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update

from engine.access.visibility import PARTLY_HIDDEN, UNREADABLE, may_decide
from engine.auth.users import User, get_user
from engine.errors import BadRequest, Conflict, EngineError, Forbidden, NotFound, ValidationFailed
from engine.fieldtypes.text import quoted
from engine.i18n import _, each_language
from engine.notify.outbox import notify
from engine.notify.rendering import about_record
from engine.records.codec import readable_titles
from engine.records.context import Context, ContextOpener
from engine.store.db import rowcount
from engine.store.system import approvals as approvals_table
from engine.store.system import carbon_copies, tasks, users
from engine.workflows import approvals
from engine.workflows.recipients import resolve

from .comments import check_length
from .history import write_history
from .records import load_readable, readable_form
from .workflow import move_record

ACTIONS = ("approve", "reject", "send_back", "reassign")
#: Tasks one batch approval may name (each is decided in its own transaction).
MAX_BATCH = 200


def _task(ctx: Context, task_id: int, lock: bool = False) -> Any:
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


def encode_task(ctx: Context, row: Any, titles: dict | None = None) -> dict[str, Any]:
    form = ctx.app.form(row["form"])
    stage = form.workflow.stage(_stage_of_approval(ctx, row["approval_id"])) if form and form.workflow else None
    step = next((s for s in (stage.approval.steps if stage and stage.approval else ()) if s.name == row["step"]), None)
    key = (row["form"], row["record_id"])
    title = (titles or {}).get(key) or _title(ctx, row["form"], row["record_id"])

    def when(value: Any) -> str | None:
        return value.astimezone(ctx.tzinfo).isoformat() if value is not None else None

    return {
        "id": row["id"], "form": row["form"], "record_id": row["record_id"], "title": title,
        "step": row["step"], "step_title": step.title if step else row["step"], "status": row["status"],
        "due_at": when(row["due_at"]), "assignee": row["assignee"], "acted_by": row["acted_by"],
        "acted_at": when(row["acted_at"]), "comment": row["comment"], "created_at": when(row["created_at"]),
        "reassigned_from": row["reassigned_from"],
        "form_title": form.title if form else row["form"],
        "overdue": bool(row["due_at"] and row["status"] == "open" and row["due_at"] < ctx.now),
    }


def _stage_of_approval(ctx: Context, approval_id: int) -> str:
    cache = ctx._cache.setdefault("approval_stage", {})
    if approval_id not in cache:
        cache[approval_id] = ctx.session.execute(
            select(approvals_table.c.stage).where(approvals_table.c.id == approval_id)).scalar_one()
    return cache[approval_id]


def list_tasks(ctx: Context, status: str = "open", limit: int = 200) -> list[dict[str, Any]]:
    """待办 (open, overdue first), 已办 (done: what I decided), 抄送我 (cc)."""
    if status == "open":
        stmt = (select(tasks).where(tasks.c.assignee == ctx.user.name, tasks.c.status == "open")
                .order_by(tasks.c.due_at.is_(None), tasks.c.due_at, tasks.c.id))
    elif status == "done":
        stmt = (select(tasks).where(tasks.c.acted_by == ctx.user.name,
                                    tasks.c.status.in_(("approved", "rejected", "sent_back", "reassigned")))
                .order_by(tasks.c.acted_at.desc()))
    elif status == "cc":
        return _cc_items(ctx, limit)
    else:
        raise BadRequest("status must be open, done or cc")
    rows = ctx.session.execute(stmt.limit(limit)).mappings().all()
    items = [encode_task(ctx, row) for row in rows]
    if status == "done":  # a task handed on no longer grants reading its record: no title, no link
        readable = _readable_ids(ctx, {(row["form"], row["record_id"]) for row in rows})
        for item in items:
            item["readable"] = (item["form"], item["record_id"]) in readable
            if not item["readable"]:
                item["title"] = f"#{item['record_id']}"
    return items


def _readable_ids(ctx: Context, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Which of these (form, record id) the caller may read now, one query per form."""
    found: set[tuple[str, int]] = set()
    for form_name in {f for f, _id in keys}:
        form = ctx.app.form(form_name)
        if form is None:
            continue
        found.update((form_name, i) for i in readable_titles(ctx, form, [i for f, i in keys if f == form_name]))
    return found


def _cc_items(ctx: Context, limit: int) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(carbon_copies).where(carbon_copies.c.user_name == ctx.user.name)
        .order_by(carbon_copies.c.id.desc()).limit(limit)).mappings().all()
    out = []
    for row in rows:
        form = ctx.app.form(row["form"])
        out.append({"id": row["id"], "form": row["form"], "record_id": row["record_id"],
                    "title": _title(ctx, row["form"], row["record_id"]), "step": row["step"], "status": "cc",
                    "due_at": None, "form_title": form.title if form else row["form"],
                    "created_at": row["created_at"].astimezone(ctx.tzinfo).isoformat()})
    return out


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
    stage = form.workflow.stage(_stage_of_approval(ctx, rows[0]["approval_id"]))
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
           by_system: bool = False) -> dict:
    """Act on a task as its assignee, or (`by_system`, for SLA escalation) in the name of the system."""
    if action not in ACTIONS:
        raise NotFound(f"no task action '{action}'")
    peek = _task(ctx, task_id)
    if peek is None or (peek["assignee"] != ctx.user.name and not ctx.user.is_admin):
        raise NotFound(f"no task {task_id}")
    form = ctx.app.form(peek["form"])
    if form is None or form.workflow is None:
        raise NotFound(f"no task {task_id}")
    record, _hidden = load_readable(ctx, form, peek["record_id"], lock=True)  # serialize on the record
    task = _task(ctx, task_id, lock=True)
    if task["status"] != "open":
        raise Conflict(_("this task has already been handled"), code="task_closed")
    if task["assignee"] != ctx.user.name and not by_system:
        raise Forbidden(_("this task is assigned to %(name)s", name=_person(ctx, task["assignee"])))
    stage = form.workflow.stage(_stage_of_approval(ctx, task["approval_id"]))
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

    if action == "approve":
        close("approved")
        write_history(ctx.session, form.name, record.id, ctx.user.name, "approve", details, ctx.now)
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
        close("sent_back")
        approvals.close_step(ctx, task, "sent_back")
        write_history(ctx.session, form.name, record.id, ctx.user.name, "send_back", details, ctx.now)
        previous = approvals.previous_step(ctx, task)
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
    fresh = _task(ctx, task_id)
    return encode_task(ctx, fresh)


def approve_tasks(open_context: ContextOpener, ids: Any, comment: str | None = None) -> list[dict[str, Any]]:
    """Batch approve (the inbox's and the API's): `ids` a list of task ids as sent (checked
    here: at most MAX_BATCH positive integers), each task decided in a transaction of its own
    (`open_context(write=True)`), so one that cannot be approved holds back none of the
    others; a duplicate id is decided once. Per task `{"id", "ok": True, "status"}` or
    `{"id", "ok": False, "code", "message"}`."""
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**63
                                            for i in ids):
        raise BadRequest("'ids' must be a list of task ids")
    if len(ids) > MAX_BATCH:
        raise BadRequest(_("at most %(n)s task ids in one batch", n=MAX_BATCH))
    results: list[dict[str, Any]] = []
    for task_id in dict.fromkeys(ids):
        try:
            with open_context(write=True) as ctx:
                task = decide(ctx, task_id, "approve", comment)
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
    """Every approval run of a record with its tasks, newest first (for the detail page)."""
    form = readable_form(ctx, form_name)
    load_readable(ctx, form, record_id)
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
            "steps": [{"name": s.name, "title": s.title, "mode": s.mode} for s in
                      (stage.approval.steps if stage and stage.approval else ())],
            "tasks": [encode_task(ctx, row) for row in rows],
        })
    return out


__all__ = ["decide", "list_tasks", "approval_progress", "count_open", "EngineError"]
