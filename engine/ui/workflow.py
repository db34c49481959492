"""Workflow pages: fire a transition, withdraw, comment, act on tasks, the inbox (待办 / 已办 / 抄送我).

Every action posts to the same services as the API and comes back to the page it came
from with a message; a refused action says why there, nothing is half-done."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.auth.redirects import safe_target
from engine.definitions.model import FormDef
from engine.errors import EngineError
from engine.i18n import _, lazy
from engine.notify import inbox as notification_service
from engine.records.validate import error_label
from engine.services import tasks as task_service
from engine.services import workflow as service
from engine.services.comments import add_comment
from engine.web import use_case

bp = Blueprint("workflow", __name__)


def _back(form_name: str, record_id: int):
    return redirect(url_for("records.detail_page", form_name=form_name, record_id=record_id))


# Keys of ValidationFailed that are not fields of a form: the action's own inputs.
ACTION_INPUTS = {"comment": lazy("Comment"), "to": lazy("Hand on to"), "version": lazy("Version")}


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
    detail = "; ".join(f"{_label(form, k)}: {', '.join(v)}" for k, v in fields.items())
    flash(_("Not done. Please check: %(detail)s", detail=detail), "error")


def _on_record(form_name: str, record_id: int, action, done: str):
    """Run one write action on a record from its page, then go back to it with a message."""
    try:
        with use_case(write=True) as ctx:
            action(ctx)
        flash(done, "success")
    except EngineError as exc:
        _refused(exc, form_name)
    return _back(form_name, record_id)


@bp.post("/f/<form_name>/<id:record_id>/do/<name>")
@login_required
def fire(form_name: str, record_id: int, name: str):
    """Fire a transition on the record (with a comment where one is asked for)."""
    return _on_record(form_name, record_id, lambda ctx: service.fire_transition(
        ctx, form_name, record_id, name, request.form.get("comment"), request.form.get("version", type=int)),
        _("Done."))


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
    """Decide a task: `approve`, `reject`, `send_back` or `reassign` (hand on)."""
    target = request.form.get("next") or url_for("workflow.inbox")
    try:
        with use_case(write=True) as ctx:
            task_service.decide(ctx, task_id, action, request.form.get("comment"), request.form.get("to"))
        flash({"approve": _("Approved."), "reject": _("Rejected."), "send_back": _("Sent back."),
               "reassign": _("Handed on.")}.get(action, _("Done.")), "success")
    except EngineError as exc:
        _refused(exc)
    return redirect(safe_target(target, url_for("workflow.inbox")))


@bp.post("/tasks/batch-approve")
@login_required
def batch_approve():
    """Approve the selected tasks at once."""
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    try:
        results = task_service.approve_tasks(use_case, ids, request.form.get("comment"))
    except EngineError as exc:
        _refused(exc)
        return redirect(url_for("workflow.inbox"))
    done = sum(1 for result in results if result["ok"])
    failed = len(results) - done
    flash(_("%(done)s approved, %(failed)s not possible.", done=done, failed=failed),
          "success" if not failed else "warning")
    return redirect(url_for("workflow.inbox"))


@bp.get("/tasks")
@login_required
def inbox():
    """The task inbox: 待办 (`tab=open`), 已办 (`done`) and 抄送我 (`cc`)."""
    tab = request.args.get("tab", "open")
    if tab not in ("open", "done", "cc"):
        tab = "open"
    with use_case() as ctx:
        items = task_service.list_tasks(ctx, tab)
        counts = {"open": task_service.count_open(ctx)}
    return render_template("workflow/inbox.html", items=items, tab=tab, counts=counts)


@bp.get("/notifications")
@login_required
def notifications_page():
    """The user's notifications; `unread=1` for the unread ones only."""
    unread = request.args.get("unread") == "1"
    with use_case() as ctx:
        items = notification_service.list_notifications(ctx, unread_only=unread)
    return render_template("workflow/notifications.html", items=items, unread=unread)


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
    """The dashboard: the charts of every form the user may read, within their permissions."""
    from engine.services.charts import dashboard

    with use_case() as ctx:
        modules = dashboard(ctx)
    return render_template("workflow/dashboard.html", modules=modules)
