"""The JSON API (SPEC §8): Bearer tokens or the browser session with a CSRF token."""
from __future__ import annotations

from flask import Blueprint, g, request

from engine.auth.web import resolve_user
from engine.errors import BadRequest, Unauthorized

bp = Blueprint("api", __name__, url_prefix="/api")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@bp.before_request
def authenticate() -> None:
    from engine import csrf

    user = resolve_user()
    if user is None:
        raise Unauthorized("log in or send 'Authorization: Bearer TOKEN'")
    if g.auth == "session" and request.method not in SAFE_METHODS:
        csrf.protect()


def json_body() -> dict:
    """The request's JSON object; 400 when it is missing or not an object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


from . import admin, files, forms, notifications, openapi, records, workflow  # noqa: E402,F401  (routes)
