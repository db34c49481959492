"""Import and export of a form's records as rows of cells (CSV and XLSX live in sheets.py).

Export: the records the user may read (with the list's filters), every visible field as a
column headed by its label, values as people read them (option labels, link titles, 是/否,
line items as JSON). Streams by id, so a million records never sit in memory.

Import (imports.py) reads cells the way export writes them; `template` gives the header
and guide an import file needs.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine.access.visibility import hidden_columns, visible_values
from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import type_label
from engine.i18n import _
from engine.records.codec import encode_value, link_titles
from engine.records.context import Context
from engine.store.records import load_children, rows_to_records, select_records
from engine.store.system import users

from .imports import is_importable as importable
from .queries import parse_list_query
from .records import _grant_flags, _hidden, readable_form

CHUNK = 1000
ID_HEADER = "ID"


def export_columns(ctx: Context, form: FormDef) -> list[FieldDef]:
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    return [f for f in form.fields if f.name not in hidden]


def header(form: FormDef, columns: list[FieldDef]) -> list[str]:
    return [ID_HEADER, *([_("Stage")] if form.workflow else []), *(f.label for f in columns)]


def export_rows(ctx: Context, form_name: str, params: Mapping[str, str]) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and a lazy stream of rows of the records the user may read."""
    form = readable_form(ctx, form_name)
    tables = ctx.runtime.tables(form.name)
    table = tables.table
    invisible = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    query = parse_list_query(ctx, form, table, {k: v for k, v in params.items() if k not in ("page", "per_page")},
                             invisible)
    conditions = [ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now), *query.conditions]
    columns = export_columns(ctx, form)
    user_labels = readable_user_names(ctx)

    def rows() -> Iterator[list[Any]]:
        last = 0
        grants, flags = _grant_flags(ctx, form)
        narrowed: dict[tuple[str, frozenset[str]], FieldDef] = {}
        while True:
            stmt = select_records(tables, *conditions, table.c.id > last, extra=flags).order_by(table.c.id).limit(CHUNK)
            records = rows_to_records(form, tables, ctx.session.execute(stmt), flags)
            if not records:
                return
            load_children(ctx.session, form, tables, records)
            hidden = {r.id: _hidden(ctx, grants, r) for r in records}
            titles = link_titles(ctx, form, records, hidden)
            for record in records:
                stage = form.workflow.stage(record.meta["stage"]) if form.workflow else None
                row: list[Any] = [record.id]
                if form.workflow:
                    row.append(stage.title if stage else record.meta["stage"])
                shown = visible_values(record.values, hidden[record.id])  # no hidden field or column
                for column in columns:
                    if column.name in hidden[record.id]:
                        row.append(None)
                    else:
                        row.append(cell_of(ctx, _without_hidden_columns(column, hidden[record.id], narrowed),
                                           shown.get(column.name), titles[record.id].get(column.name), user_labels))
                yield row
            last = records[-1].id
    return header(form, columns), rows()


def _without_hidden_columns(column: FieldDef, hidden: frozenset[str],
                            cache: dict[tuple[str, frozenset[str]], FieldDef]) -> FieldDef:
    """A table field as this row's reader sees it: its hidden columns left out of the JSON."""
    if not column.is_table:
        return column
    key = (column.name, hidden)
    if key not in cache:
        columns = hidden_columns(column.name, hidden)
        cache[key] = column.with_settings(fields=tuple(s for s in column.fields if s.name not in columns))
    return cache[key]


def readable_user_names(ctx: Context) -> dict[str, str]:
    """User name → what a cell shows: the display name, or the user name where the display
    name is shared by several users or is another user's name (so import reads it back)."""
    rows = ctx.session.execute(select(users.c.name, users.c.display_name)).all()
    names = {name for name, _display in rows}
    shared = Counter(display for _name, display in rows if display)
    return {name: display if display and shared[display] == 1 and (display == name or display not in names)
            else name for name, display in rows}


def cell_of(ctx: Context, fdef: FieldDef, value: Any, title: str | None, user_labels: Mapping[str, str]) -> Any:
    """A stored value as a cell people read (and import reads back)."""
    if value is None or value == [] or value == "":
        return None
    kind = fdef.value_kind
    if kind == "select":
        return next((o.label for o in fdef.options if o.value == value), value)
    if kind == "multiselect":
        labels = {o.value: o.label for o in fdef.options}
        return "、".join(labels.get(v, v) for v in value)
    if kind == "boolean":
        return "是" if value else "否"
    if kind == "link":
        return title or value
    if kind == "user":
        return user_labels.get(value, value)
    if kind == "file":
        return value.get("name") if isinstance(value, dict) else value
    if kind == "table":
        return json.dumps(encode_value(fdef, value, ctx), ensure_ascii=False)
    if kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(ctx.tzinfo).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return value
    return value


# -- import (the rows themselves: imports.py) ------------------------------------------

def template(ctx: Context, form_name: str) -> tuple[list[str], list[list[str]]]:
    """The header an import file needs, and a guide: one line per column (what it takes)."""
    form = readable_form(ctx, form_name)
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    columns = [f for f in form.fields if f.name not in hidden and importable(f)]
    guide = [[_("Column"), _("Field"), _("Type"), _("Required"), _("How to fill it in")]]
    for fdef in columns:
        if fdef.options:
            how = " / ".join(o.label for o in fdef.options)
        elif fdef.type == "link":
            target = ctx.app.form(fdef.form or "")
            how = _("the %(form)s's title or ID", form=target.title if target else fdef.form)
        elif fdef.type == "user":
            how = _("user name or display name")
        elif fdef.type == "boolean":
            how = "是 / 否"
        elif fdef.type in ("date", "datetime"):
            how = "2026-03-01" if fdef.type == "date" else "2026-03-01 09:30:00"
        elif fdef.type == "table":
            how = _("JSON rows, e.g. %(example)s", example=json.dumps(
                [{s.name: s.label for s in fdef.fields
                  if not s.computed and s.name not in hidden_columns(fdef.name, hidden)}], ensure_ascii=False))
        else:
            how = fdef.help or ""
        guide.append([fdef.label, fdef.name, type_label(fdef.type), "✓" if fdef.required else "", how])
    return [f.label for f in columns], guide
