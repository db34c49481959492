"""Record endpoints (SPEC §8), thin: parse, call the service, answer."""
from __future__ import annotations

from flask import jsonify, request

from engine.errors import BadRequest
from engine.services import comments, duplicates
from engine.services import records as service
from engine.web import use_case

from . import bp, json_body


def _fields(body: dict) -> dict:
    fields = body.get("fields", {})
    if not isinstance(fields, dict):
        raise BadRequest("'fields' must be a JSON object")
    unknown = set(body) - {"fields", "version"}
    if unknown:
        raise BadRequest(f"unknown keys in the body: {', '.join(sorted(unknown))} (expected 'fields', 'version')")
    return fields


@bp.get("/forms/<form_name>/records")
def list_records(form_name: str):
    with use_case() as ctx:
        return jsonify(service.list_records(ctx, form_name, request.args))


@bp.post("/forms/<form_name>/records")
def create_record(form_name: str):
    fields = _fields(json_body())
    with use_case(write=True) as ctx:
        return jsonify(service.create_record(ctx, form_name, fields)), 201


@bp.get("/forms/<form_name>/records/<id:record_id>")
def get_record(form_name: str, record_id: int):
    with use_case() as ctx:
        return jsonify(service.get_record(ctx, form_name, record_id))


@bp.patch("/forms/<form_name>/records/<id:record_id>")
def update_record(form_name: str, record_id: int):
    body = json_body()
    fields = _fields(body)
    with use_case(write=True) as ctx:
        return jsonify(service.update_record(ctx, form_name, record_id, body.get("version"), fields))


@bp.delete("/forms/<form_name>/records/<id:record_id>")
def delete_record(form_name: str, record_id: int):
    with use_case(write=True) as ctx:
        service.delete_record(ctx, form_name, record_id)
    return "", 204


@bp.get("/forms/<form_name>/duplicates")
def find_duplicates(form_name: str):
    exclude = request.args.get("exclude", "")
    with use_case() as ctx:
        return jsonify(duplicates.duplicates(ctx, form_name, request.args.get("field", ""),
                                             request.args.get("value", ""),
                                             int(exclude) if exclude.isdigit() and len(exclude) < 19 else None))


@bp.post("/forms/<form_name>/records/<id:record_id>/comments")
def add_comment(form_name: str, record_id: int):
    body = json_body()
    with use_case(write=True) as ctx:
        return jsonify(comments.add_comment(ctx, form_name, record_id, body.get("comment"))), 201


@bp.get("/forms/<form_name>/records/<id:record_id>/history")
def record_history(form_name: str, record_id: int):
    with use_case() as ctx:
        return jsonify(service.record_history(ctx, form_name, record_id))
