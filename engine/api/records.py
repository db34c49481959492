"""Record endpoints (docs/reference.md, HTTP API), thin: parse, call the service, answer."""
from __future__ import annotations

from flask import g, jsonify, request

from engine.errors import BadRequest, ValidationFailed
from engine.i18n import _
from engine.records.context import Context
from engine.services import comments, duplicates, mentions
from engine.services import link_choices as choices_service
from engine.services import records as service
from engine.web import engine_state, use_case
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
    and `before` (keyset cursors), `chart` (the `where` of the form's chart N), `owner`, `team` (owned by
    that user, or by them or anyone they manage), `quick` (`mine`, `this_month`, `overdue`), `saved` (a view:
    own id or shared name); answers `{"items", "total", "total_exact", "page", "per_page", "next",
    "previous"}`, `total` exact up to ENGINE_EXACT_TOTAL_LIMIT (10,000) matching records, an estimate above
    it with `total_exact` false."""
    limit = engine_state().settings["ENGINE_EXACT_TOTAL_LIMIT"]
    with use_case() as ctx:
        return jsonify(service.list_records(ctx, form_name, request.args, exact_limit=limit))


@bp.post("/forms/<form_name>/records")
def create_record(form_name: str):
    """Create a record: body `{"fields": {...}}`; 201 with the record. Checked in a reading
    transaction, then written in a short one of its own (on SQLite the write lock is held only for
    the writes); a unique value taken in between is 409 `unique_conflict`, a linked record deleted
    in between 409 `link_conflict`."""
    fields = _fields(json_body(("fields", "version")))
    with use_case() as ctx:
        _refuse_unknown_fields(ctx, form_name, fields)
        form = service.creatable_form(ctx, form_name)
        checked = service.prepare_create(ctx, form, fields)
        g.runtime = ctx.runtime  # the write step uses the definitions the check used
    with use_case(write=True, now=ctx.now) as ctx:
        record_id = service.write_created(ctx, form, *checked, alone=True)
        return jsonify(service.created_body(ctx, form, record_id)), 201


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
    """Add a comment to the record's history: body `{"comment": "..."}`; 201. Each reader of the
    record it @mentions (`@username` or `@display name`) gets a `mention` notification."""
    body = json_body(("comment",))
    with use_case(write=True) as ctx:
        return jsonify(comments.add_comment(ctx, form_name, record_id, body.get("comment"))), 201


@bp.get("/forms/<form_name>/records/<id:record_id>/mentionable")
def mentionable(form_name: str, record_id: int):
    """People a comment on the record may @mention (the comment box's completion): query `q`
    (part of a user name or display name); answers `{"items": [{"name", "display"}]}`, at most 10,
    only people who may read the record, never the caller."""
    with use_case() as ctx:
        return jsonify(mentions.mentionable(ctx, form_name, record_id, request.args.get("q")))


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
