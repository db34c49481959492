"""Bulk edit (docs/reference.md, `POST /api/forms/{form}/records/bulk`): the same fields set on
several records in one request, all or nothing. Each record goes through `update_record`, the
one edit rule (read and update row rules, stage editable fields, hidden and read-only fields,
validation, versions, history, linked updates); any refusal rolls every record back and the
answer names each refused record with its fields."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from engine.definitions.model import FormDef
from engine.errors import EngineError, ValidationFailed
from engine.i18n import _
from engine.records.context import Context

from .records import readable_form, update_record

MAX_BULK = 500


class BulkRefused(EngineError):
    """Some records cannot take the change: `records` maps a record id to its `fields`
    (field → messages) and/or `message` and `code`. Nothing was written."""

    code = "validation_failed"
    status = 422

    def __init__(self, records: Mapping[str, dict[str, Any]]) -> None:
        super().__init__(_("%(n)s of the chosen records cannot be changed; nothing was saved", n=len(records)))
        self.records = dict(records)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def check_body(form: FormDef, ids: Any, fields: Any,
               versions: Any) -> tuple[list[int], dict[str, Any], dict[str, int]]:
    """The body checked as a whole before any record is touched: `ids` a list of 1 to MAX_BULK
    record ids, `fields` single-value fields of `form` (tables and files are changed one record
    at a time), `versions` (optional) record ids of `ids` → versions (integers ≥ 1)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(ids, list) or not ids or not all(_positive_int(i) for i in ids):
        errors["ids"] = [_("a list of 1 to %(n)s record ids is required", n=MAX_BULK)]
    elif len(ids) > MAX_BULK:
        errors["ids"] = [_("at most %(n)s records at once", n=MAX_BULK)]
    if not isinstance(fields, dict) or not fields:
        errors["fields"] = [_("choose at least one field to change")]
    else:
        for name in fields:
            field = form.field(name)
            if field is not None and (field.is_table or field.field_type.holds_file):
                errors[name] = [_("tables and files are changed one record at a time, not in a bulk edit")]
    if versions is None:
        versions = {}
    if not isinstance(versions, dict):
        errors["versions"] = [_("must be an object of record id → version")]
    elif "ids" not in errors:
        chosen = {str(i) for i in ids}
        wrong = [_("%(key)s is not one of the chosen record ids", key=repr(key))
                 for key in versions if str(key) not in chosen]
        wrong += [_("the version of record %(id)s must be an integer of at least 1", id=key)
                  for key, value in versions.items() if str(key) in chosen and not _positive_int(value)]
        if wrong:
            errors["versions"] = wrong
    if errors:
        raise ValidationFailed(errors)
    return list(dict.fromkeys(ids)), fields, {str(k): v for k, v in versions.items()}


def bulk_update(ctx: Context, form_name: str, ids: Any, fields: Any, versions: Any = None) -> dict[str, Any]:
    """Set `fields` on every record of `ids` (each at its `versions` entry when given, else as it
    is now); raises BulkRefused, leaving everything as it was, when any record refuses."""
    form = readable_form(ctx, form_name)
    ids, fields, versions = check_body(form, ids, fields, versions)
    table = ctx.runtime.tables(form.name).table
    current = dict(ctx.session.execute(select(table.c.id, table.c.version).where(table.c.id.in_(ids))).all())
    refused: dict[str, dict[str, Any]] = {}
    updated = []
    for record_id in ids:
        try:
            with ctx.session.begin_nested():
                version = versions.get(str(record_id), current.get(record_id, 1))
                record = update_record(ctx, form.name, record_id, version, fields)
            updated.append({"id": record_id, "version": record.get("version")})
        except ValidationFailed as exc:
            refused[str(record_id)] = {"code": exc.code, "message": exc.message, "fields": exc.fields}
        except EngineError as exc:
            if exc.status >= 500:
                raise
            refused[str(record_id)] = {"code": exc.code, "message": exc.message, "fields": {}}
    if refused:
        raise BulkRefused(refused)
    return {"updated": len(updated), "items": updated}
