"""One table from errors to responses, for the API (JSON) and the pages alike."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, EngineError, ValidationFailed

log = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(EngineError)
    def engine_error(exc: EngineError):
        fields = exc.fields if isinstance(exc, ValidationFailed) else None
        extra = exc.extra if isinstance(exc, Conflict) else {}
        return jsonify(error_body(exc.code, exc.message, fields, **extra)), exc.status

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return jsonify(error_body("csrf_failed", exc.description)), 400

    @app.errorhandler(IntegrityError)
    def integrity_error(exc: IntegrityError):
        log.warning("integrity error: %s", exc.orig)
        return jsonify(error_body("conflict", "the change conflicts with another change; try again")), 409

    @app.errorhandler(OperationalError)
    def operational_error(exc: OperationalError):
        message = str(exc.orig).lower()
        if "locked" in message or "deadlock" in message or "could not serialize" in message:
            return jsonify(error_body("busy", "the record is busy; try again")), 409
        log.exception("database error")
        return jsonify(error_body("server_error", "internal error")), 500

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if not wants_json():
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(code, exc.description or exc.name)), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return jsonify(error_body("server_error", "internal error")), 500
