"""Workflow endpoints (docs/reference.md, HTTP API): transitions, withdraw, approval progress, the task inbox."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import jsonify, request

from engine.errors import BadRequest, ValidationFailed
from engine.i18n import _
from engine.services import asking
from engine.services import inbox as inbox_service
from engine.services import tasks as task_service
from engine.services import workflow as service
from engine.web import use_case

from . import bp, json_body
from .forms import describe_field


def _optional_body(allowed: tuple[str, ...]) -> dict:
    if not request.get_data(cache=True).strip():
        return {}
    return json_body(allowed)


@bp.get("/forms/<form_name>/records/<id:record_id>/transitions")
def list_transitions(form_name: str, record_id: int):
    """The transitions the caller may fire on the record now; each with `ask`: what firing it asks for
    (`{"comment": bool, "fields": [field definitions as in GET /api/forms, with "value"]}`), or null."""
    with use_case() as ctx:
        items = service.available_transitions(ctx, form_name, record_id)
        if any(item["ask"] and item["ask"]["fields"] for item in items):
            asking.describe_asked(ctx, form_name, record_id, [item["ask"] for item in items if item["ask"]],
                                  describe_field)
        return jsonify(items)


@bp.post("/forms/<form_name>/records/<id:record_id>/transitions/<name>")
def fire_transition(form_name: str, record_id: int, name: str):
    """Fire a transition: body `{"comment": "...", "version": V, "fields": {...}}` (all optional unless the
    transition requires a comment; `fields`: values of its `require`d fields, written with it); answers the
    record."""
    body = _optional_body(("comment", "version", "fields"))
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise BadRequest("'comment' must be a string")
    with use_case(write=True) as ctx:
        return jsonify(service.fire_transition(ctx, form_name, record_id, name, comment, body.get("version"),
                                               body.get("fields")))


@bp.post("/forms/<form_name>/records/<id:record_id>/withdraw")
def withdraw(form_name: str, record_id: int):
    """Withdraw a pending approval (the submitter, while no task of it has been acted on); the record
    returns to the stage it came from."""
    with use_case(write=True) as ctx:
        return jsonify(service.withdraw(ctx, form_name, record_id))


@bp.get("/forms/<form_name>/records/<id:record_id>/approvals")
def approvals(form_name: str, record_id: int):
    """The record's approval runs, newest first, each with its steps and its tasks (who, status,
    decision)."""
    with use_case() as ctx:
        return jsonify(task_service.approval_progress(ctx, form_name, record_id))


@bp.get("/forms/<form_name>/records/<id:record_id>/route")
def route(form_name: str, record_id: int):
    """The record's route: its stages in order (`current`, `visited`), each approval stage's steps
    (`condition`, `applies` for this record, `status`, who `acted` and who is `waiting_for`), the
    workflow's transitions, and `preview`: for each transition the caller may fire now that enters an
    approval, the steps that would run."""
    from engine.services.route import record_route

    with use_case() as ctx:
        return jsonify(record_route(ctx, form_name, record_id))


@bp.get("/tasks")
def list_tasks():
    """The caller's approval tasks: `status=open` (待办, default), `done` (已办) or `cc` (抄送我); filters
    `form=NAME`, `step=NAME`, `overdue=1`. Each item: `{"id", "form", "form_title", "record_id", "title",
    "summary": [{"field", "label", "text"}], "step", "step_title", "stage", "stage_title", "status", "created_at",
    "waiting" (seconds), "due_at", "overdue", ...}`. Pages: `per_page` (1–200, default 200); when more
    follow, the `Link` header names the next page (`rel="next"`, the same query with `after=CURSOR`).
    An unknown parameter, status, form or step, a bad `per_page` or a cursor this tab did not give: 400."""
    with use_case() as ctx:
        filters = inbox_service.inbox_filters(ctx, request.args)
        items, following = inbox_service.task_page(
            ctx, filters["tab"], per_page=filters["per_page"] or inbox_service.MAX_PER_PAGE, after=filters["after"],
            form=filters["form"], step=filters["step"], overdue=filters["overdue"])
        response = jsonify(items)
        if following:
            query = [(k, v) for k, v in request.args.items(multi=True) if k != "after"] + [("after", following)]
            response.headers["Link"] = f'<{request.base_url}?{urlencode(query)}>; rel="next"'
        return response


def _comment(body: dict) -> None:
    """A task decision's comment, when sent, is text (422 at `comment` otherwise; a batch's is
    checked by the batch)."""
    if body.get("comment") is not None and not isinstance(body["comment"], str):
        raise ValidationFailed({"comment": [_("must be text")]})


@bp.post("/tasks/reject")
def batch_reject():
    """Reject several tasks with one comment: body `{"ids": [...], "comment": "..."}` (comment required:
    422 at `comment`; at most 200 ids); each task in its own transaction, answers
    `{"results": [{"id", "ok", ...}]}`."""
    body = json_body(("ids", "comment"))
    return jsonify({"results": task_service.reject_tasks(use_case, body.get("ids"), body.get("comment"))})


@bp.post("/tasks/<id:task_id>/<action>")
def act_on_task(task_id: int, action: str):
    """Decide a task: `{action}` is `approve`, `reject` (comment required), `send_back` (optional
    `"to"`: an earlier step that ran, or `"$submitter"`; default the previous step) or `reassign`
    (body `"to": USER`); body `{"comment": "..."}`; approve at a step with `require` takes `"fields": {...}`."""
    body = _optional_body(("comment", "to", "fields"))
    _comment(body)
    with use_case(write=True) as ctx:
        return jsonify(task_service.decide(ctx, task_id, action, body.get("comment"), body.get("to"),
                                           fields=body.get("fields")))


@bp.post("/tasks/approve")
def batch_approve():
    """Approve several tasks: body `{"ids": [...], "comment": "..."}` (at most 200 ids); each task in its
    own transaction, answers `{"results": [{"id", "ok", ...}]}`."""
    body = json_body(("ids", "comment"))
    return jsonify({"results": task_service.approve_tasks(use_case, body.get("ids"), body.get("comment"))})
