"""Admin-only API: the state of the loaded definitions (for the admin pages and monitoring)
and the incidents the engine met at run time."""
from __future__ import annotations

from flask import g, jsonify, request

from engine.errors import Forbidden
from engine.services import incidents as incident_service
from engine.web import engine_state, use_case

from . import bp


@bp.get("/admin/definitions")
def definitions_status():
    """Admins: the loaded definitions: `signature`, `modules` (name, title, file, forms), `problems` (one
    `file: /json/pointer: message` line each), `valid`, `reloaded_at`."""
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


@bp.get("/admin/incidents")
def list_incidents():
    """Admins: problems the engine could not solve by itself (failed deliveries, steps without an approver,
    timers that could not fire), newest first; `status=open` (default) or `all`."""
    with use_case() as ctx:
        return jsonify(incident_service.list_incidents(ctx, request.args.get("status", "open")))


@bp.post("/admin/incidents/<id:incident_id>/resolve")
def resolve_incident(incident_id: int):
    """Admins: mark one problem as resolved."""
    with use_case(write=True) as ctx:
        return jsonify(incident_service.resolve(ctx, incident_id))
