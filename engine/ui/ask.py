"""The ask form: a transition or a task decision that needs the
user's input — `require`d fields still empty, a required comment — shows a small form for exactly
those fields (the record form's widgets and validation) and the comment: in a <dialog> on the page
(static/js/ask.js loads `?partial=1` and posts it back), or as a page of its own without scripts.
Also the board's drop of a card on another stage (static/js/board.js asks `.../moves?to=STAGE`).

Errors come back next to the fields with everything typed kept; nothing is written unless all is
(the action and its field writes are one transaction)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required

from engine.access.visibility import without_hidden_columns
from engine.errors import Conflict, EngineError, NotFound, ValidationFailed
from engine.forms.builder import apply_errors, build_form_class, form_data_from_record, raw_values
from engine.i18n import _
from engine.records.context import Context
from engine.services import asking, route
from engine.services import tasks as task_service
from engine.services import workflow as workflow_service
from engine.services.records import present
from engine.web import use_case

from .records import store_uploads, widget_context
from .workflow import bp, refusal_text


def _partial() -> bool:
    """The dialog asks for the form alone (and gets JSON when the action is done)."""
    return request.args.get("partial") == "1" or request.headers.get("X-Ask") == "1"


def _wtform(ctx: Context, form: Any, names: list[str], record: Any, hidden: frozenset[str]) -> Any:
    shown_form = without_hidden_columns(form, hidden | ctx.gate.never_visible(ctx.user, form, ctx.local_now))
    form_class = build_form_class(shown_form, names, widget_context(ctx))
    if request.method == "POST" and request.form.get("asked"):
        return shown_form, form_class()
    return shown_form, form_class(formdata=None, data=form_data_from_record(shown_form, record.values))


def _render(context: dict[str, Any], status: int = 200):
    template = "workflow/_ask_form.html" if _partial() else "workflow/ask.html"
    return render_template(template, **context), status


def _comment_errors(wtform: Any, errors: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Split the service's errors: the comment's, and those placed on fields (the rest returned)."""
    comment = list(errors.pop("comment", []))
    return comment, apply_errors(wtform, errors)


def _done(message: str, target: str, extra: dict[str, Any] | None = None):
    if _partial():
        return jsonify({"ok": True, "message": message, "redirect": target, **(extra or {})})
    flash(message, "success")
    return redirect(target)


def _refused_answer(exc: EngineError, target: str):
    if _partial():
        return jsonify({"ok": False, "message": exc.message, "code": exc.code}), exc.status
    flash(exc.message, "error")
    return redirect(target)


def _ask_flow(ctx: Context, ask: dict[str, Any], comment: str | None, wtform: Any, context: dict[str, Any],
              act: Callable[[dict[str, Any] | None], Any],
              refused: Callable[[EngineError], Any] | None = None) -> tuple[Any, Any]:
    """The ask form's one flow for a transition and a task decision: GET (or a post without what
    it asks) shows the form, `probe=1` answers 204 when nothing is asked; a post with `asked=1`
    validates the fields and runs `act(values)` (`act(None)` without `asked`) in a savepoint with
    the uploads stored. Returns (the answer to give, None) when the form is shown again or the
    action is refused (`refused`: how a post made without the form says why), else (None, what
    `act` returned)."""
    asked = bool(request.form.get("asked"))
    if request.method == "GET" and request.args.get("probe") and not asking.needs_asking(ask, None):
        return ("", 204), None  # nothing to ask: the page posts the action as it is
    if request.method == "GET" or (not asked and asking.needs_asking(ask, comment)):
        return _render(context), None
    if asked and not wtform.validate():
        context["errors"] = [_("Please correct the marked fields.")]
        return _render(context, 422), None
    values, uploads = raw_values(wtform, ask["fields"]) if asked else ({}, {})
    try:
        with ctx.session.begin_nested():
            values.update(store_uploads(ctx, uploads))
            return None, act(values if asked else None)
    except ValidationFailed as exc:
        if not asked and refused is not None:
            return refused(exc), None
        context["comment_errors"], unplaced = _comment_errors(wtform, dict(exc.fields))
        context["errors"] = [_("Please correct the marked fields."), *unplaced]
        return _render(context, 422), None
    except EngineError as exc:
        if exc.status == 404:
            raise
        if not asked and refused is not None:
            return refused(exc), None
        context["errors"] = [exc.message]
        return _render(context, exc.status), None


@bp.route("/f/<form_name>/<id:record_id>/do/<name>", methods=["GET", "POST"])
@login_required
def fire(form_name: str, record_id: int, name: str):
    """Fire a transition on the record. GET: the ask form (its `require`d fields still empty and the
    comment; `partial=1` the form alone, for the dialog). POST: the comment, `version` and, with
    `asked=1`, the asked fields; posted without them when the transition asks for something, the ask
    form is shown first."""
    back = url_for("records.detail_page", form_name=form_name, record_id=record_id)
    comment = request.form.get("comment") if request.method == "POST" else None
    with use_case(write=request.method == "POST") as ctx:
        try:
            ask = asking.transition_ask(ctx, form_name, record_id, name)
        except NotFound:
            abort(404)
        form, record, transition = ask["form"], ask["record"], ask["transition"]
        if not ask["available"]:
            return _refused_answer(Conflict(ask["reason"], code="not_possible"), back)
        hidden = ask["hidden"]
        shown_form, wtform = _wtform(ctx, form, ask["fields"], record, hidden)
        context = {
            "form": shown_form, "record_id": record_id, "record_title": _title(ctx, form, record, hidden),
            "title": transition.title, "to_title": _stage_title(form, transition.to), "wtform": wtform,
            "fields": ask["fields"], "comment_required": ask["comment"], "comment": comment or "",
            "version": request.form.get("version") or record.version, "errors": [], "comment_errors": [],
            "action_url": url_for("workflow.fire", form_name=form.name, record_id=record_id, name=name),
            "back": back, "submit": transition.title, "confirm": transition.confirm,
            "preview_steps": route.preview_for(ctx, form, record, hidden, transition.to),
        }

        def act(values: dict[str, Any] | None) -> Any:
            return workflow_service.fire_transition(ctx, form.name, record_id, name, comment,
                                                    request.form.get("version", type=int), values)

        def refused(exc: EngineError) -> Any:  # posted from the record page or the board: say why there
            if isinstance(exc, ValidationFailed):
                exc = ValidationFailed(exc.fields, refusal_text(form, exc.fields))
            return _refused_answer(exc, back)

        answer, body = _ask_flow(ctx, ask, comment, wtform, context, act, refused)
        if answer is not None:
            return answer
    return _done(_("Done."), back, {"stage": body.get("stage"), "stage_title": _stage_title(form, body.get("stage")),
                                    "version": body.get("version")})


def _title(ctx: Context, form: Any, record: Any, hidden: frozenset[str]) -> str:
    body = present(ctx, form, record, hidden)
    return str(body["fields"].get(form.title_field) or f"#{record.id}") if form.title_field else f"#{record.id}"


def _stage_title(form: Any, stage: str | None) -> str:
    found = form.workflow.stage(stage) if form.workflow is not None and stage else None
    return found.title if found else str(stage or "")


@bp.route("/tasks/<id:task_id>/do/<action>", methods=["GET", "POST"])
@login_required
def decide(task_id: int, action: str):
    """Approve or reject a task through its ask form: approve at a step with `require` asks for those
    fields still empty, reject for the comment. GET: the form (`partial=1` alone, for the dialog); POST:
    `comment`, `asked=1` and the fields; posted without what it asks, the form is shown first."""
    target = request.values.get("next") or url_for("workflow.inbox")
    from engine.auth.redirects import safe_target

    target = safe_target(target, url_for("workflow.inbox"))
    comment = request.form.get("comment") if request.method == "POST" else None
    with use_case(write=request.method == "POST") as ctx:
        try:
            ask = asking.task_ask(ctx, task_id, action)
        except NotFound:
            abort(404)
        except EngineError as exc:
            return _refused_answer(exc, target)
        form, record = ask["form"], ask["record"]
        hidden = ask["hidden"]
        shown_form, wtform = _wtform(ctx, form, ask["fields"], record, hidden)
        context = {
            "form": shown_form, "record_id": record.id, "record_title": ask["task"]["title"],
            "title": _("Approve") if action == "approve" else _("Reject"), "to_title": None,
            "step_title": ask["step_title"], "wtform": wtform, "fields": ask["fields"],
            "comment_required": ask["comment"], "comment": comment or "", "version": None,
            "errors": [], "comment_errors": [], "next": target,
            "action_url": url_for("workflow.decide", task_id=task_id, action=action),
            "back": target, "submit": _("Approve") if action == "approve" else _("Reject"), "confirm": None,
            "preview_steps": None, "danger": action == "reject",
        }

        def act(values: dict[str, Any] | None) -> Any:
            return task_service.decide(ctx, task_id, action, comment,
                                       fields=values if action == "approve" and values else None)

        answer, _body = _ask_flow(ctx, ask, comment, wtform, context, act)
        if answer is not None:
            return answer
    return _done(_("Approved.") if action == "approve" else _("Rejected."), target)


@bp.get("/f/<form_name>/<id:record_id>/moves")
@login_required
def moves(form_name: str, record_id: int):
    """The board's drop on another stage column: `to=STAGE` → `{"choices": [{"name", "title", "ask",
    "confirm", "url"}]}` (the transitions to that stage the user may fire now) or `{"refused": reason}`."""
    with use_case() as ctx:
        answer = asking.moves_to(ctx, form_name, record_id, request.args.get("to", ""))
    for choice in answer["choices"]:
        choice["url"] = url_for("workflow.fire", form_name=form_name, record_id=record_id, name=choice["name"])
    return jsonify(answer)
