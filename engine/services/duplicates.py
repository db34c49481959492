"""Duplicate warnings (`warn_duplicates` or `unique` fields): which records already hold a
value. Names only the records the user may read; the others are counted, so a user
learns that a colleague already has the record without seeing it. Only a readable record
may be excluded from the count."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from engine.errors import BadRequest
from engine.fieldtypes import FieldError, type_of
from engine.records.context import Context

from .records import readable_form

SHOWN = 5


def duplicates(ctx: Context, form_name: str, field_name: str, text: str, exclude: int | None = None) -> dict:
    """`exclude` (the record being edited) is left out of the count only when the user may
    read it: an unreadable or unknown id is ignored, so a count never confirms what a
    hidden record holds (compare the count with and without `exclude=<its id>`)."""
    form = readable_form(ctx, form_name)
    field = form.field(field_name)
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    if field is None or field_name in hidden or not (field.warn_duplicates or field.unique):
        raise BadRequest(f"'{field_name}' is not a field checked for duplicates")
    text = (text or "").strip()
    if not text:
        return {"count": 0, "records": [], "others": 0}
    try:
        value = type_of(field).parse_query(field, text, ctx)
    except FieldError:
        return {"count": 0, "records": [], "others": 0}
    table = ctx.runtime.tables(form.name).table
    readable = ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)
    same = [table.c[field.name] == value]
    if exclude and _readable(ctx, table, readable, exclude):
        same.append(table.c.id != exclude)
    total = int(ctx.session.execute(select(func.count()).select_from(table).where(*same)).scalar_one())
    if not total:
        return {"count": 0, "records": [], "others": 0}
    title_field = form.title_field
    shows_title = title_field is not None and title_field in table.c and title_field not in hidden
    title = table.c[title_field] if title_field is not None and shows_title else table.c.id
    seen = int(ctx.session.execute(select(func.count()).select_from(table).where(*same, readable)).scalar_one())
    rows = ctx.session.execute(select(table.c.id, title).where(*same, readable).order_by(table.c.id).limit(SHOWN)).all()
    records: list[dict[str, Any]] = [{"id": r[0], "title": str(r[1]) if r[1] is not None and shows_title
                                      else f"#{r[0]}"} for r in rows]
    return {"count": total, "records": records, "others": total - seen}


def _readable(ctx: Context, table: Any, readable: Any, record_id: int) -> bool:
    found = ctx.session.execute(select(table.c.id).where(table.c.id == record_id, readable)).first()
    return found is not None
