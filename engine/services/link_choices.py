"""The records a link field may point at, for a form being filled in: its `filter` read from
the form's current values (and the current table row), its `where`, the reader's read
rule; each with what the link's `fill` would copy (only what the reader may read).
GET /api/forms/{form}/fields/{field}/choices (docs/reference.md, HTTP API)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from engine.definitions.model import FieldDef, FormDef
from engine.errors import BadRequest, NotFound
from engine.fieldtypes import FieldError, type_of
from engine.fieldtypes.relations import MAX_ID
from engine.i18n import _
from engine.records.codec import encode_value
from engine.records.context import Context
from engine.records.links import Rules, copies

from .queries import QueryBuilder

MAX_CHOICES = 100
MAX_IDS = 100


def _form_for(ctx: Context, form_name: str) -> FormDef:
    form = ctx.app.form(form_name)
    if form is None or not (ctx.gate.can(ctx.user, form, "read") or ctx.gate.can_create(ctx.user, form)):
        raise NotFound(f"no form '{form_name}'")
    return form


def _field_for(ctx: Context, form: FormDef, path: str) -> tuple[FieldDef, FieldDef | None]:
    """The link field (`name`, or `table.column`) and its table field, if any."""
    head, _dot, column = path.partition(".")
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now) if ctx.gate.can(ctx.user, form, "read") \
        else frozenset(p for perm in ctx.gate.permissions(ctx.user, form) for p in perm.hide)
    field = form.field(head)
    row_of = None
    if field is not None and column:
        row_of, field = field, field.subfield(column) if field.is_table else None
    if field is None or head in hidden or path in hidden or not field.field_type.links:
        raise NotFound(f"no link field '{path}' in '{form.name}'")
    return field, row_of


def _decoded(ctx: Context, fields: Mapping[str, FieldDef], raw: Any) -> dict[str, Any]:
    """Current values as the page sends them → stored values; what does not decode is left out
    (an unfinished input restricts nothing)."""
    out: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        return out
    for key, value in raw.items():
        field = fields.get(key)
        if field is None or field.is_table or value in (None, ""):
            continue
        try:
            out[key] = type_of(field).decode(field, value, ctx)
        except (FieldError, TypeError, ValueError):
            continue
    return out


def _record_id(raw: Any) -> int | None:
    """The edited record's id from `values`; anything that is no record id restricts nothing."""
    ok = isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw <= MAX_ID
    return raw if ok else None


def _parse_ids(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > MAX_IDS or not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts):
        raise BadRequest(_("parameter 'ids': at most %(n)s record ids, separated by commas", n=MAX_IDS))
    return [int(p) for p in parts]


def link_choices(ctx: Context, form_name: str, path: str, params: Mapping[str, str]) -> dict[str, Any]:
    form = _form_for(ctx, form_name)
    field, row_of = _field_for(ctx, form, path)
    target = ctx.app.form(field.form or "")
    if target is None:
        raise NotFound(f"no form '{field.form}'")
    try:
        raw = json.loads(params.get("values") or "{}")
    except ValueError:
        raise BadRequest(_("parameter 'values' must be a JSON object")) from None
    if not isinstance(raw, dict):
        raise BadRequest(_("parameter 'values' must be a JSON object"))
    values = _decoded(ctx, {f.name: f for f in form.fields}, raw)
    row = _decoded(ctx, {f.name: f for f in row_of.fields}, raw.get("row")) if row_of is not None else None
    record_id = _record_id(raw.get("id"))
    text = (params.get("limit") or "20").strip()
    if not (text.isdigit() and 1 <= int(text) <= MAX_CHOICES):
        raise BadRequest(_("parameter 'limit' must be a number from 1 to %(n)s", n=MAX_CHOICES))
    ids = _parse_ids(params["ids"]) if params.get("ids") is not None else None
    return {"items": _query(ctx, form, field, row_of, target, values, row, record_id,
                            str(params.get("q") or "").strip(), ids, int(text))}


def _query(ctx: Context, form: FormDef, field: FieldDef, row_of: FieldDef | None, target: FormDef,
           values: Mapping[str, Any], row: Mapping[str, Any] | None, record_id: int | None, q: str,
           ids: list[int] | None, limit: int) -> list[dict[str, Any]]:
    """One query: readable, `where`, `filter`, search, ids; ordered by title (the id when the
    title is hidden)."""
    rules = Rules(ctx, field, target, system=False)
    table = rules.table
    invisible = ctx.gate.never_visible(ctx.user, target, ctx.local_now)
    title = target.title_field
    if title is None or title not in table.c or title in invisible:
        title = None
    stmt = select(table.c.id, *([table.c[title].label("t")] if title else []), *rules.fill_columns())
    stmt = stmt.where(rules.readable(), rules.where(), *rules.filters(values, row, row_of, record_id))
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(ids))
    if q:
        stmt = stmt.where(QueryBuilder(ctx, target, table, invisible).search(q))
    order = [table.c[title].asc(), table.c.id.asc()] if title else [table.c.id.desc()]
    dest = row_of.fields if row_of is not None else form.fields
    fields = {f.name: f for f in dest}
    hidden_here = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    prefix = f"{row_of.name}." if row_of is not None else ""
    items = []
    for found in ctx.session.execute(stmt.order_by(*order).limit(limit)):
        shown = found._mapping["t"] if title else None
        items.append({
            "id": found.id,
            "title": str(shown) if shown not in (None, "") else f"#{found.id}",
            "fill": {name: encode_value(fields[name], value, ctx) for name, value in copies(rules, found).items()
                     if name in fields and prefix + name not in hidden_here},
        })
    return items
