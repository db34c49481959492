"""Record → JSON as one user may see it (docs/reference.md, HTTP API), and link titles for display."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from engine.access.visibility import hidden_columns, visible_values
from engine.auth.users import User
from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import type_of
from engine.store.records import StoredRecord

from .context import Context


def encode_value(field: FieldDef, value: Any, ctx: Context, hidden: frozenset[str] = frozenset()) -> Any:
    if value is None:
        return [] if field.is_table else None
    if field.is_table:
        columns = hidden_columns(field.name, hidden)
        return [
            {sub.name: encode_value(sub, row.get(sub.name), ctx) for sub in field.fields if sub.name not in columns}
            for row in value
        ]
    return type_of(field).encode(field, value, ctx)


def encode_meta(record: StoredRecord, ctx: Context) -> dict[str, Any]:
    meta = record.meta

    def dt(value: Any) -> str | None:
        return value.astimezone(ctx.tzinfo).isoformat() if value is not None else None

    return {
        "id": record.id,
        "form": record.form,
        "stage": meta["stage"],
        "version": meta["version"],
        "created_by": meta["created_by"],
        "created_at": dt(meta["created_at"]),
        "updated_at": dt(meta["updated_at"]),
        "due_at": dt(meta["due_at"]),
    }


def encode_record(form: FormDef, record: StoredRecord, ctx: Context, hidden: frozenset[str]) -> dict[str, Any]:
    body = encode_meta(record, ctx)
    shown = visible_values(record.values, hidden)
    body["fields"] = {f.name: encode_value(f, shown.get(f.name), ctx, hidden)
                      for f in form.fields if f.name not in hidden}
    return body


def readable_titles(ctx: Context, target: FormDef, ids: Iterable[object], reader: User | None = None) -> dict[int, str]:
    """id → title of the records of `target` among `ids` that the user (or `reader`, for text
    written for someone else) may read (one query). An unreadable or missing record is
    absent. A readable record whose title field is empty or hidden reads as "#id"."""
    ids = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    if not ids:
        return {}
    reader = reader or ctx.user
    table = ctx.runtime.tables(target.name).table
    title = target.title_field
    shows_title = (title is not None and title in table.c
                   and title not in ctx.gate.never_visible(reader, target, ctx.local_now))
    title_col = table.c[title] if title is not None and shows_title else table.c.id
    condition = ctx.gate.row_filter(reader, target, "read", ctx.local_now)
    rows = ctx.session.execute(select(table.c.id, title_col).where(table.c.id.in_(ids), condition)).all()
    return {row[0]: str(row[1]) if shows_title and row[1] not in (None, "") else f"#{row[0]}" for row in rows}


def link_titles(ctx: Context, form: FormDef, records: Iterable[StoredRecord],
                hidden: Mapping[int, frozenset[str]] | None = None) -> dict[int, dict[str, Any]]:
    """record id → {link field: title of the linked record}, one query per linked form (however
    many fields and table columns link to it); a link column of a table gives {"table.column":
    {"id": title}}. The rule (pages and API alike): a linked record the user may read gives its
    title; one they may not read gives None, shown as "no access" and never as its title."""
    records = list(records)
    out: dict[int, dict[str, Any]] = {r.id: {} for r in records}
    fields: list[tuple[FieldDef, FormDef]] = []  # link fields with their target
    columns: list[tuple[FieldDef, FieldDef, FormDef]] = []  # (table, link column, target)
    for field in form.fields:
        if field.is_table:
            columns += [(field, sub, target) for sub in field.fields
                        if type_of(sub).links and (target := ctx.app.form(sub.form or "")) is not None]
        elif type_of(field).links and (target := ctx.app.form(field.form or "")) is not None:
            fields.append((field, target))

    def shown(record: StoredRecord, *names: str) -> bool:
        return hidden is None or not set(names) & hidden.get(record.id, frozenset())

    wanted: dict[str, set[Any]] = {}
    for field, target in fields:
        wanted.setdefault(target.name, set()).update(r.values.get(field.name) for r in records)
    for table, sub, target in columns:
        key = f"{table.name}.{sub.name}"
        wanted.setdefault(target.name, set()).update(
            row.get(sub.name) for r in records if shown(r, table.name, key) for row in r.values.get(table.name) or [])
    titles = {name: readable_titles(ctx, target, ids - {None})
              for name, ids in wanted.items() if (target := ctx.app.form(name)) is not None}
    for field, target in fields:
        for record in records:
            value = record.values.get(field.name)
            if value is not None and shown(record, field.name):
                out[record.id][field.name] = titles[target.name].get(value)
    for table, sub, target in columns:
        key = f"{table.name}.{sub.name}"
        for record in records:
            if not shown(record, table.name, key):
                continue
            values = {row.get(sub.name) for row in record.values.get(table.name) or []} - {None}
            if values:
                out[record.id][key] = {str(v): titles[target.name].get(v) for v in values}
    return out
