"""The caller's notifications (docs/reference.md, HTTP API)."""
from __future__ import annotations

from flask import jsonify, request

from engine.notify import inbox as service
from engine.web import use_case

from . import bp


@bp.get("/notifications")
def list_notifications():
    """The caller's notifications (the latest 100), newest first; `unread=1` for the unread ones only
    (`unread` other than 1 / 0: 400)."""
    unread = service.unread_param(request.args.get("unread"))
    with use_case() as ctx:
        return jsonify(service.list_notifications(ctx, unread_only=unread))


@bp.post("/notifications/<id:notification_id>/read")
def mark_read(notification_id: int):
    """Mark one of the caller's notifications as read."""
    with use_case(write=True) as ctx:
        return jsonify(service.mark_read(ctx, notification_id))


@bp.post("/notifications/read")
def mark_all_read():
    """Mark all of the caller's notifications as read; answers `{"marked": N}`."""
    with use_case(write=True) as ctx:
        return jsonify({"marked": service.mark_all_read(ctx)})
