"""The designer page's session check (docs/reference.md, Designer): after its admin logged in again
(in another tab) the page asks for the new session's CSRF token here, so its saves resume."""
from __future__ import annotations

from flask import g, jsonify
from flask_wtf.csrf import generate_csrf

from engine.services import designer as service

from . import bp


@bp.get("/admin/designer/session")
def designer_session():
    """Admins: who is logged in (`user`) and the session's current CSRF token (`csrf_token`, to send as
    `X-CSRFToken`; null with a Bearer token). The designer page reads it when a save was refused because
    the session ended (401) or its token no longer matches (400 `csrf_failed`) after logging in again."""
    user = g.get("user")
    service.admins_only(user)
    token = generate_csrf() if g.get("auth") == "session" else None
    return jsonify({"user": user.name, "csrf_token": token})
