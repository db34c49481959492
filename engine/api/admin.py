"""Admin-only API: the state of the loaded definitions (for the admin pages and monitoring)."""
from __future__ import annotations

from flask import g, jsonify

from engine.errors import Forbidden
from engine.web import engine_state

from . import bp


@bp.get("/admin/definitions")
def definitions_status():
    if not g.user.is_admin:
        raise Forbidden("admins only")
    state = engine_state()
    runtime = state.runtime()
    holder = state.holder
    return jsonify({
        "signature": runtime.app.signature,
        "modules": [{"name": m.name, "title": m.title, "file": m.file, "forms": list(m.forms)}
                    for m in runtime.app.modules],
        "problems": holder.problems,
        "valid": not holder.problems,
        "reloaded_at": holder.reloaded_at,
    })
