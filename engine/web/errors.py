"""One table from errors to responses, for the API (JSON) and the pages alike."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, DatabaseUnavailable, EngineError, ValidationFailed

log = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _headings() -> dict[int, Any]:
    from engine.i18n import lazy

    return {400: lazy("Bad request"), 401: lazy("Please log in"), 403: lazy("Not allowed"),
            404: lazy("Not found"), 409: lazy("Conflict"), 413: lazy("Too large"),
            414: lazy("Address too long"),
            422: lazy("Invalid input"), 500: lazy("Something went wrong"), 503: lazy("Temporarily unavailable")}


def html_error(status: int, message: str):
    from flask import render_template

    from engine.i18n import _

    heading = str(_headings().get(status) or _("Error"))
    try:
        return render_template("error.html", status=status, heading=heading, message=message), status
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        log.exception("error page failed")
        return f"{status} {heading}", status


def _too_large_message() -> str:
    from engine.i18n import _
    from engine.sizes import human_size

    limit = request.max_content_length
    length = request.content_length
    if limit is not None and length is not None and length <= limit and request.max_form_memory_size:
        return _("a field of the form is larger than %(size)s", size=human_size(request.max_form_memory_size))
    if limit is None:
        return _("the request body is too large")
    return _("the request body is larger than %(size)s", size=human_size(limit))


def _unavailable_message() -> str:
    from engine.i18n import _

    return _("The database cannot be reached right now; try again in a moment.")


def register_error_handlers(app: Flask) -> None:
    def unavailable(exc: DatabaseUnavailable):
        """503 with Retry-After: the page or the JSON envelope."""
        if wants_json():
            response = jsonify(error_body(exc.code, exc.message))
        else:
            response = app.make_response(html_error(503, exc.message)[0])
        response.status_code = 503
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(EngineError)
    def engine_error(exc: EngineError):
        if isinstance(exc, DatabaseUnavailable):
            return unavailable(exc)
        if not wants_json():
            if exc.status == 401:
                from flask import redirect, url_for

                return redirect(url_for("ui.login", next=request.path))
            if exc.status == 404:  # the API's text names forms and ids; a person reads this
                from engine.i18n import _

                return html_error(404, _("This page does not exist, or you may not see it."))
            return html_error(exc.status, exc.message)
        fields = exc.fields if isinstance(exc, ValidationFailed) else None
        extra = dict(exc.extra) if isinstance(exc, Conflict) else {}
        if isinstance(exc, ValidationFailed):  # a bounded answer, however many fields were wrong
            from .json_input import MAX_LISTED

            fields = exc.fields
            omitted = exc.omitted + max(len(fields) - MAX_LISTED, 0)
            if omitted:
                fields = dict(list(fields.items())[:MAX_LISTED])
                extra["fields_omitted"] = omitted
        return jsonify(error_body(exc.code, exc.message, fields, **extra)), exc.status

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if not wants_json():
            from engine.i18n import _

            return html_error(400, _("The form expired; go back, reload the page and try again."))
        return jsonify(error_body("csrf_failed", exc.description)), 400

    @app.errorhandler(IntegrityError)
    def integrity_error(exc: IntegrityError):
        from engine.i18n import _

        log.warning("integrity error: %s", exc.orig)
        message = _("the change conflicts with another change; try again")
        if not wants_json():
            return html_error(409, message)
        return jsonify(error_body("conflict", message)), 409

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        from engine.store.db import unreachable_reason

        reason = unreachable_reason(exc)
        if reason is not None:
            log.error("database unavailable on %s %s: %s", request.method, request.path, reason)
            return unavailable(DatabaseUnavailable(_unavailable_message()))
        message = str(exc.orig).lower()
        if isinstance(exc, OperationalError) and (
                "locked" in message or "deadlock" in message or "could not serialize" in message):
            from engine.i18n import _

            message = _("the record is busy; try again")
            if not wants_json():
                return html_error(409, message)
            return jsonify(error_body("busy", message)), 409
        return unexpected(exc)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not wants_json():
            if exc.code in _headings():
                return html_error(exc.code, _too_large_message() if exc.code == 413 else str(_headings()[exc.code]))
            return exc
        if exc.code == 413:
            return jsonify(error_body("payload_too_large", _too_large_message())), 413
        code = (exc.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(code, exc.description or exc.name)), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not wants_json():
            return html_error(500, "")
        return jsonify(error_body("server_error", "internal error")), 500
