"""Workflow endpoints (docs/reference.md, HTTP API): transitions, withdraw, approval progress, the task inbox."""
from __future__ import annotations

from flask import jsonify, request

from engine.errors import BadRequest
from engine.services import tasks as task_service
from engine.services import workflow as service
from engine.web import use_case

from . import bp, json_body


def _optional_body(allowed: tuple[str, ...]) -> dict:
    if not request.get_data(cache=True).strip():
        return {}
    return json_body(allowed)


@bp.get("/forms/<form_name>/records/<id:record_id>/transitions")
def list_transitions(form_name: str, record_id: int):
    """The transitions the caller may fire on the record now."""
    with use_case() as ctx:
        return jsonify(service.available_transitions(ctx, form_name, record_id))


@bp.post("/forms/<form_name>/records/<id:record_id>/transitions/<name>")
def fire_transition(form_name: str, record_id: int, name: str):
    """Fire a transition: body `{"comment": "...", "version": V}` (both optional unless the transition
    requires a comment); answers the record."""
    body = _optional_body(("comment", "version"))
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise BadRequest("'comment' must be a string")
    with use_case(write=True) as ctx:
        return jsonify(service.fire_transition(ctx, form_name, record_id, name, comment, body.get("version")))


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


@bp.get("/tasks")
def list_tasks():
    """The caller's approval tasks: `status=open` (待办, default), `done` (已办) or `cc` (抄送我); a list of
    `{"id", "form", "record_id", "title", "step", "status", "due_at"}`."""
    with use_case() as ctx:
        return jsonify(task_service.list_tasks(ctx, request.args.get("status", "open")))


@bp.post("/tasks/<id:task_id>/<action>")
def act_on_task(task_id: int, action: str):
    """Decide a task: `{action}` is `approve`, `reject` (comment required), `send_back` or `reassign`
    (body `"to": USER`); body `{"comment": "..."}`."""
    body = _optional_body(("comment", "to"))
    with use_case(write=True) as ctx:
        return jsonify(task_service.decide(ctx, task_id, action, body.get("comment"), body.get("to")))


@bp.post("/tasks/approve")
def batch_approve():
    """Approve several tasks: body `{"ids": [...], "comment": "..."}` (at most 200 ids); each task in its
    own transaction, answers `{"results": [{"id", "ok", ...}]}`."""
    body = json_body(("ids", "comment"))
    return jsonify({"results": task_service.approve_tasks(use_case, body.get("ids"), body.get("comment"))})
