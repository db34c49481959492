"""List view and bulk edit endpoints (docs/reference.md, HTTP API), thin: parse, call the
service, answer."""
from __future__ import annotations

from flask import jsonify

from engine.services import bulk_edit
from engine.services import views as service
from engine.web import use_case
from engine.web.errors import error_body

from . import bp, json_body


@bp.get("/forms/<form_name>/views")
def list_views(form_name: str):
    """The list views the caller may use: the form's shared views for their roles, then their own;
    answers `{"items": [{"id", "name", "title", "shared", "filters", "columns", "order_by"}]}`
    (`id` null for a shared view; columns hidden from the caller left out)."""
    with use_case() as ctx:
        return jsonify(service.list_views(ctx, form_name))


@bp.post("/forms/<form_name>/views")
def create_view(form_name: str):
    """Save a view of the caller's own: body `{"name", "filters": {param: value}, "columns": [...],
    "order_by"}`, checked like the list request it stands for (422 naming the key); 201 with it."""
    body = json_body(("name", "filters", "columns", "order_by"))
    with use_case(write=True) as ctx:
        return jsonify(service.create_view(ctx, form_name, body)), 201


@bp.put("/forms/<form_name>/views/<id:view_id>")
def update_view(form_name: str, view_id: int):
    """Rename or change one of the caller's own views (the keys given); another user's is 404."""
    body = json_body(("name", "filters", "columns", "order_by"))
    with use_case(write=True) as ctx:
        return jsonify(service.update_view(ctx, form_name, view_id, body))


@bp.delete("/forms/<form_name>/views/<id:view_id>")
def delete_view(form_name: str, view_id: int):
    """Delete one of the caller's own views (204); another user's is 404."""
    with use_case(write=True) as ctx:
        service.delete_view(ctx, form_name, view_id)
    return "", 204


@bp.post("/forms/<form_name>/records/bulk")
def bulk_update(form_name: str):
    """Bulk edit: body `{"ids": [...] (at most 500), "fields": {...}, "versions": {id: V}
    (optional)}`; all or nothing: every record is checked as a single edit would be, and any
    refusal is 422 `{"error": {"records": {id: {"fields", "message", "code"}}}}` with nothing
    written; answers `{"updated", "items": [{"id", "version"}]}`."""
    body = json_body(("ids", "fields", "versions"))
    try:
        with use_case(write=True) as ctx:
            return jsonify(bulk_edit.bulk_update(ctx, form_name, body.get("ids"), body.get("fields"),
                                                 body.get("versions")))
    except bulk_edit.BulkRefused as exc:
        return jsonify(error_body(exc.code, exc.message, records=exc.records)), exc.status
