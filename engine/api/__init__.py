"""The JSON API (docs/reference.md, HTTP API): Bearer tokens or the browser session with a CSRF token."""
from __future__ import annotations

from collections.abc import Collection

from flask import Blueprint, g, request

from engine.errors import BadRequest, Unauthorized
from engine.web.limits import refuse_unstorable_text
from engine.web.login import resolve_user

bp = Blueprint("api", __name__, url_prefix="/api")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@bp.before_request
def authenticate() -> None:
    from engine.web.security import csrf

    user = resolve_user()
    if user is None:
        raise Unauthorized("log in or send 'Authorization: Bearer TOKEN'")
    if g.auth == "session" and request.method not in SAFE_METHODS:
        csrf.protect()
    refuse_unstorable_text()  # only now: a stranger's body is never read


def json_body(allowed: Collection[str] | None = None) -> dict:
    """The request's JSON object; 400 when it is missing, not an object, or (with `allowed`)
    has keys the endpoint does not take. Size, nesting and text are checked on parsing."""
    from engine.i18n import _
    from engine.web.json_input import refuse_unknown_keys, request_json

    body = request_json()
    if not isinstance(body, dict):
        raise BadRequest(_("the request body must be a JSON object (Content-Type: application/json)"))
    if allowed is not None:
        refuse_unknown_keys(body, allowed)
    return body


from . import (  # noqa: E402,F401  (routes)  # noqa: E402,F401  (routes)
    admin,
    designer,
    designer_session,
    files,
    forms,
    notifications,
    openapi,
    prints,
    records,
    search,
    views,
    workflow,
)
