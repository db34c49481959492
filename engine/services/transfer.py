"""Import and export of a form's records as rows of cells (CSV and XLSX live in sheets.py).

Export: the records the user may read (with the list's filters), every visible field as a
column headed by its label, values as people read them (option labels, link titles, 是/否,
line items as JSON). Streams by id, so a million records never sit in memory.

Import (imports.py) reads cells the way export writes them; `template` gives the header
and guide an import file needs.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select

from engine.access.visibility import hidden_columns, visible_values
from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import Refs, type_label, type_of
from engine.i18n import _
from engine.records.codec import link_titles
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
    """A stored value as a cell people read (and import reads back): the field type's `to_cell`."""
    if value is None or value == [] or value == "":
        return None
    return type_of(fdef).to_cell(fdef, value, Refs(title=title, users=user_labels, ctx=ctx))


# -- import (the rows themselves: imports.py) ------------------------------------------

def template(ctx: Context, form_name: str) -> tuple[list[str], list[list[str]]]:
    """The header an import file needs, and a guide: one line per column (what it takes)."""
    form = readable_form(ctx, form_name)
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    columns = [f for f in form.fields if f.name not in hidden and importable(f)]
    guide = [[_("Column"), _("Field"), _("Type"), _("Required"), _("How to fill it in")]]
    refs = Refs(ctx=ctx)
    narrowed: dict[tuple[str, frozenset[str]], FieldDef] = {}
    for fdef in columns:
        how = type_of(fdef).cell_hint(_without_hidden_columns(fdef, hidden, narrowed), refs)
        guide.append([fdef.label, fdef.name, type_label(fdef.type), "✓" if fdef.required else "", how])
    return [f.label for f in columns], guide
