"""Workflow pages: fire a transition, withdraw, comment, act on tasks, the inbox (待办 / 已办 / 抄送我).

Every action posts to the same services as the API and comes back to the page it came
from with a message; a refused action says why there, nothing is half-done."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.auth.redirects import safe_target
from engine.definitions.model import FormDef
from engine.errors import BadRequest, EngineError, ValidationFailed
from engine.i18n import _, lazy
from engine.notify import inbox as notification_service
from engine.records.validate import error_label
from engine.services import inbox as inbox_service
from engine.services import tasks as task_service
from engine.services import workflow as service
from engine.services.comments import add_comment
from engine.web import use_case

from .layout import request_top_bar
from .records import query_without

bp = Blueprint("workflow", __name__)


def _back(form_name: str, record_id: int):
    return redirect(url_for("records.detail_page", form_name=form_name, record_id=record_id))


# Keys of ValidationFailed that are not fields of a form: the action's own inputs.
ACTION_INPUTS = {"comment": lazy("Comment"), "to": lazy("Hand on to"), "send_back_to": lazy("Send back to"),
                 "version": lazy("Version")}


def _label(form: FormDef | None, key: str) -> str:
    """`lines.2.qty` → "Lines row 3 Qty" (labels from the form); `comment` → its label; an unknown key as it is."""
    if key in ACTION_INPUTS:
        return str(ACTION_INPUTS[key])
    return error_label(form, key)


def _refused(exc: EngineError, form_name: str | None = None) -> None:
    """Flash why an action was refused, naming each field by its label in the user's language
    (404 propagates: the record or task is not yours to see)."""
    if exc.status == 404:
        raise exc
    fields = getattr(exc, "fields", None) or {}
    if not fields:
        flash(exc.message, "error")
        return
    with use_case() as ctx:
        form = ctx.app.form(form_name) if form_name else None
    flash(refusal_text(form, fields), "error")


def refusal_text(form: FormDef | None, fields: dict[str, list[str]]) -> str:
    """An action's field errors as one message, each field named by its label."""
    detail = "; ".join(f"{_label(form, k)}: {', '.join(v)}" for k, v in fields.items())
    return _("Not done. Please check: %(detail)s", detail=detail)


def _on_record(form_name: str, record_id: int, action, done: str):
    """Run one write action on a record from its page, then go back to it with a message."""
    try:
        with use_case(write=True) as ctx:
            action(ctx)
        flash(done, "success")
    except EngineError as exc:
        _refused(exc, form_name)
    return _back(form_name, record_id)


@bp.post("/f/<form_name>/<id:record_id>/withdraw")
@login_required
def withdraw(form_name: str, record_id: int):
    """Withdraw the record's pending approval."""
    return _on_record(form_name, record_id, lambda ctx: service.withdraw(ctx, form_name, record_id),
                      _("Withdrawn."))


@bp.post("/f/<form_name>/<id:record_id>/comment")
@login_required
def comment(form_name: str, record_id: int):
    """Add a comment to the record's history."""
    return _on_record(form_name, record_id, lambda ctx: add_comment(
        ctx, form_name, record_id, request.form.get("comment")), _("Comment added."))


@bp.post("/tasks/<id:task_id>/<action>")
@login_required
def act(task_id: int, action: str):
    """Decide a task: `approve`, `reject`, `send_back` (to the step or submitter chosen in `send_back_to`) or
    `reassign` (hand on)."""
    target = request.form.get("next") or url_for("workflow.inbox")
    try:
        with use_case(write=True) as ctx:
            task_service.decide(ctx, task_id, action, request.form.get("comment"),
                                request.form.get("send_back_to" if action == "send_back" else "to"))
        flash({"approve": _("Approved."), "reject": _("Rejected."), "send_back": _("Sent back."),
               "reassign": _("Handed on.")}.get(action, _("Done.")), "success")
    except EngineError as exc:
        if isinstance(exc, ValidationFailed) and action == "send_back":  # the page's input for `to`
            exc.fields = {("send_back_to" if k == "to" else k): v for k, v in exc.fields.items()}
        _refused(exc)
    return redirect(safe_target(target, url_for("workflow.inbox")))


def waited(seconds: int) -> str:
    """How long a task has waited, as people say it: 5 分钟, 3 小时, 2 天 4 小时."""
    minutes = max(0, int(seconds)) // 60
    if minutes < 60:
        return _("%(n)s min", n=minutes)
    hours = minutes // 60
    if hours < 24:
        return _("%(n)s h", n=hours)
    days, rest = divmod(hours, 24)
    return _("%(d)s d %(h)s h", d=days, h=rest) if rest else _("%(d)s d", d=days)


OPEN_TAB: dict[str, Any] = {"tab": "open", "form": None, "step": None, "overdue": False}


def _render_inbox(filters: dict[str, Any] | None, results: list | None = None, comment: str = "", status: int = 200):
    """The inbox page; `filters` None: read them from the query string (the API's names, `tab` for
    `status`), and when they are bad show the open tab with the reason (400), not an error page."""
    problem = None
    with use_case() as ctx:
        if filters is None:
            try:
                filters = inbox_service.inbox_filters(ctx, request.args, tab_key="tab")
            except BadRequest as exc:
                filters, problem, status = OPEN_TAB, exc.message, 400
        items, following = inbox_service.task_page(
            ctx, filters["tab"], per_page=filters.get("per_page") or inbox_service.PAGE_SIZE,
            after=filters.get("after"), form=filters["form"], step=filters["step"], overdue=filters["overdue"])
        choices = inbox_service.task_choices(ctx, filters["tab"])
        counts = {"open": request_top_bar().open_tasks}  # the top bar's count: one statement for both
        # rendered in the use case: what the layout reads joins its transaction
        return render_template("workflow/inbox.html", items=items, tab=filters["tab"], counts=counts,
                               problem=problem, filters=filters, choices=choices, results=results, waited=waited,
                               comment=comment, following=following, args=request.args,
                               query_without=query_without), status


def _batch(action: str):
    """Approve or reject the selected tasks (one comment for all), then show the inbox with one
    line per task: done, or why not."""
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    comment = request.form.get("comment") or ""
    if not ids:
        flash(_("Select the tasks first."), "warning")
        return redirect(url_for("workflow.inbox"))
    with use_case() as ctx:
        known = {item["id"]: item for item in inbox_service.list_tasks(ctx, "open", ids=ids)}
    try:
        if action == "reject":
            results = task_service.reject_tasks(use_case, ids, comment)
        else:
            results = task_service.approve_tasks(use_case, ids, comment)
    except EngineError as exc:
        _refused(exc)
        return redirect(url_for("workflow.inbox"))
    for result in results:  # each line names the task as its row did: the record's title and summary
        item = known.get(result["id"])
        result["title"] = f"{item['form_title']} {item['title']}" if item else f"#{result['id']}"
        result["summary"] = item["summary"] if item else []
    done = sum(1 for result in results if result["ok"])
    failed = len(results) - done
    if action == "reject":
        flash(_("%(done)s rejected, %(failed)s not possible.", done=done, failed=failed),
              "success" if not failed else "warning")
    else:
        flash(_("%(done)s approved, %(failed)s not possible.", done=done, failed=failed),
              "success" if not failed else "warning")
    return _render_inbox(OPEN_TAB, results, comment if failed else "")


@bp.post("/tasks/batch-approve")
@login_required
def batch_approve():
    """Approve the selected tasks at once (one optional comment); the inbox shows each task's result."""
    return _batch("approve")


@bp.post("/tasks/batch-reject")
@login_required
def batch_reject():
    """Reject the selected tasks at once with one comment (required); the inbox shows each task's result."""
    return _batch("reject")


@bp.get("/tasks")
@login_required
def inbox():
    """The task inbox: 待办 (`tab=open`), 已办 (`done`) and 抄送我 (`cc`); each row the record's title and
    summary, the step, how long it has waited and whether it is overdue; filters `form`, `step`,
    `overdue=1` (as GET /api/tasks; bad ones: 400 with the reason above the open tab); 100 tasks a page,
    then 下一页 (`after=CURSOR`, `per_page` as the API's); select all, batch approve and batch reject."""
    return _render_inbox(None)


@bp.get("/notifications")
@login_required
def notifications_page():
    """The user's notifications; `unread=1` for the unread ones only (other than 1 / 0: 400 with the
    reason above all of them)."""
    problem, status = None, 200
    try:
        unread = notification_service.unread_param(request.args.get("unread"))
    except BadRequest as exc:
        unread, problem, status = False, exc.message, 400
    with use_case() as ctx:
        items = notification_service.list_notifications(ctx, unread_only=unread)
        return render_template("workflow/notifications.html", items=items, unread=unread, problem=problem), status


@bp.post("/notifications/<id:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark as read and go to the record it is about."""
    with use_case(write=True) as ctx:
        item = notification_service.mark_read(ctx, notification_id)
    if item["form"] and item["record_id"]:
        return redirect(url_for("records.detail_page", form_name=item["form"], record_id=item["record_id"]))
    return redirect(url_for("workflow.notifications_page"))


@bp.post("/notifications/read-all")
@login_required
def read_all_notifications():
    """Mark all of the user's notifications as read."""
    with use_case(write=True) as ctx:
        notification_service.mark_all_read(ctx)
    flash(_("All marked as read."), "success")
    return redirect(url_for("workflow.notifications_page"))


@bp.get("/api/docs")
@login_required
def api_docs():
    """The OpenAPI document, browsable: endpoints by tag, then each form's field schemas."""
    from engine.services.openapi import build

    with use_case() as ctx:
        spec = build(ctx)
    groups: dict[str, list] = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            groups.setdefault(op["tags"][0], []).append((method.upper(), path, op))
    return render_template("workflow/api_docs.html", spec=spec, groups=groups)


@bp.get("/dashboard")
@login_required
def dashboard_page():
    """The dashboard: the charts of every form the user may read, within their permissions; filters
    `from`, `to` (dates), `owner`, `team` (user names); a click on a figure, bar, slice or point opens
    the form's list filtered the same way. Bad filters: 400 with the reason."""
    from engine.ui.dashboard import render_dashboard

    return render_dashboard()


@bp.get("/dashboard/charts/<form>")
@login_required
def dashboard_charts(form: str):
    """The figures of charts of one form on the dashboard, as JSON (`charts=I,J,…` as a chart frame's
    `data-src` names them; `from`, `to`, `owner`, `team` as the page's): what the page fetches per chart."""
    from engine.ui.dashboard import chart_figures

    return chart_figures(form)


from . import ask  # noqa: E402,F401  (routes: the ask form, firing a transition, the board's moves)
