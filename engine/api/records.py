"""Record endpoints (docs/reference.md, HTTP API), thin: parse, call the service, answer."""
from __future__ import annotations

from flask import jsonify, request

from engine.errors import BadRequest, ValidationFailed
from engine.i18n import _
from engine.records.context import Context
from engine.services import comments, duplicates
from engine.services import link_choices as choices_service
from engine.services import records as service
from engine.web import use_case
from engine.web.json_input import MAX_LISTED

from . import bp, json_body


def _fields(body: dict) -> dict:
    fields = body.get("fields", {})
    if not isinstance(fields, dict):
        raise BadRequest("'fields' must be a JSON object")
    return fields


def _refuse_unknown_fields(ctx: Context, form_name: str, fields: dict) -> None:
    """Before any per-field work: a body naming more fields the form does not have (in the body
    or in a table's rows) than an error list shows is refused at once, listing a bounded number.
    A few unknown names go on to full validation, which reports them with every other error.
    Only for a form the caller may use, so the answer never tells whether a form they may not
    see exists."""
    form = ctx.app.form(form_name)
    if form is None or not (ctx.gate.can_create(ctx.user, form) or ctx.gate.can(ctx.user, form, "read")):
        return
    unknown = [key for key in fields if form.field(key) is None]
    for key, rows in fields.items():
        table = form.field(key)
        if table is None or not table.is_table or not isinstance(rows, list):
            continue
        names = {sub.name for sub in table.fields}
        unknown += [f"{key}.{i}.{column}" for i, row in enumerate(rows) if isinstance(row, dict)
                    for column in row if column not in names]
    if len(unknown) > MAX_LISTED:
        message = _("unknown field")
        raise ValidationFailed({key: [message] for key in unknown[:MAX_LISTED]},
                               omitted=max(len(unknown) - MAX_LISTED, 0))


@bp.get("/forms/<form_name>/records")
def list_records(form_name: str):
    """List records: query `page`, `per_page` (at most 200), `order_by` (`field`, `-field`,
    comma-separated), `q` (search), `stage`, `{field}=v`, `{field}__gte`, `__lte`, `__contains`, `after`
    (keyset cursor); answers `{"items", "total", "page", "per_page", "next"}`."""
    with use_case() as ctx:
        return jsonify(service.list_records(ctx, form_name, request.args))


@bp.post("/forms/<form_name>/records")
def create_record(form_name: str):
    """Create a record: body `{"fields": {...}}`; 201 with the record."""
    fields = _fields(json_body(("fields", "version")))
    with use_case(write=True) as ctx:
        _refuse_unknown_fields(ctx, form_name, fields)
        return jsonify(service.create_record(ctx, form_name, fields)), 201


@bp.get("/forms/<form_name>/records/<id:record_id>")
def get_record(form_name: str, record_id: int):
    """One record: `{"id", "form", "stage", "version", "created_by", "created_at", "updated_at", "due_at",
    "fields", "links"}`."""
    with use_case() as ctx:
        return jsonify(service.get_record(ctx, form_name, record_id))


@bp.patch("/forms/<form_name>/records/<id:record_id>")
def update_record(form_name: str, record_id: int):
    """Change fields: body `{"version": V, "fields": {...}}`, only fields editable for the caller in this
    stage; a stale `version` is 409."""
    body = json_body(("fields", "version"))
    fields = _fields(body)
    with use_case(write=True) as ctx:
        _refuse_unknown_fields(ctx, form_name, fields)
        return jsonify(service.update_record(ctx, form_name, record_id, body.get("version"), fields))


@bp.delete("/forms/<form_name>/records/<id:record_id>")
def delete_record(form_name: str, record_id: int):
    """Delete a record (204)."""
    with use_case(write=True) as ctx:
        service.delete_record(ctx, form_name, record_id)
    return "", 204


@bp.get("/forms/<form_name>/duplicates")
def find_duplicates(form_name: str):
    """Records already holding a value of a `warn_duplicates` or `unique` field: query `field`, `value`,
    optional `exclude` (a record id); answers `{"count", "records": [{"id", "title"}], "others"}`
    (readable records named, the rest counted)."""
    exclude = request.args.get("exclude", "")
    with use_case() as ctx:
        return jsonify(duplicates.duplicates(ctx, form_name, request.args.get("field", ""),
                                             request.args.get("value", ""),
                                             int(exclude) if exclude.isdigit() and len(exclude) < 19 else None))


@bp.post("/forms/<form_name>/records/<id:record_id>/comments")
def add_comment(form_name: str, record_id: int):
    """Add a comment to the record's history: body `{"comment": "..."}`; 201."""
    body = json_body(("comment",))
    with use_case(write=True) as ctx:
        return jsonify(comments.add_comment(ctx, form_name, record_id, body.get("comment"))), 201


@bp.get("/forms/<form_name>/records/<id:record_id>/history")
def record_history(form_name: str, record_id: int):
    """The record's history, oldest first."""
    with use_case() as ctx:
        return jsonify(service.record_history(ctx, form_name, record_id))


@bp.get("/forms/<form_name>/fields/<path>/choices")
def link_choices(form_name: str, path: str):
    """The records a link field (`name` or `table.column`) may point at for the form's current
    values: query `values` (JSON object, with `row` for the current table row), `q`, `limit`
    (1–100, default 20), `ids` (comma-separated: which of these fit); answers
    `{"items": [{"id", "title", "fill"}]}`."""
    with use_case() as ctx:
        return jsonify(choices_service.link_choices(ctx, form_name, path, request.args))
