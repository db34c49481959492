"""Table columns a user may not change (a role's `readonly` `table.column`), row by row.

Rows of a table have no identity of their own (they are stored by position), so a row is
matched by its read-only values (and the links whose `fill` sets them): a row that holds those
of a stored row not matched yet keeps them (so rows may be reordered and removed); any other row
is new, and its read-only columns must be empty or the column's default, which it then gets (a
column a chosen link of the row fills is left to the fill, whatever was sent). A page sends
what it showed, so `ignore` gives a new row the default instead of refusing it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from engine.definitions.model import FieldDef
from engine.fieldtypes import type_of
from engine.i18n import _

from .compute import default_value
from .context import Context


def readonly_columns(table: FieldDef, readonly: Iterable[str]) -> tuple[FieldDef, ...]:
    """The columns of `table` named `table.column` in `readonly`, in definition order."""
    names = {path.partition(".")[2] for path in readonly if path.startswith(table.name + ".")}
    return tuple(sub for sub in table.fields if sub.name in names)


def _same(a: Any, b: Any) -> bool:
    return a == b or (a in (None, "") and b in (None, ""))


def _key(row: dict[str, Any], columns: tuple[FieldDef, ...]) -> tuple[Any, ...]:
    return tuple(None if row.get(c.name) == "" else row.get(c.name) for c in columns)


def _fillers(table: FieldDef, columns: tuple[FieldDef, ...]) -> tuple[tuple[FieldDef, ...], frozenset[str]]:
    """The link columns whose `fill` sets one of `columns`, and the names of those columns."""
    names = {c.name for c in columns}
    targets = {sub.name: {target for target, _source in sub.fill or ()} & names
               for sub in table.fields if sub.field_type.links}
    links = tuple(sub for sub in table.fields if targets.get(sub.name))
    return links, frozenset(name for link in links for name in targets[link.name])


def check_readonly_rows(ctx: Context, table: FieldDef, rows: list[dict[str, Any]],
                        stored: list[dict[str, Any]], columns: tuple[FieldDef, ...], *,
                        ignore: bool = False) -> dict[str, list[str]]:
    """Check (and complete) decoded `rows` of `table` against its `stored` rows: errors by
    `table.i.column` for read-only values a user changed. New rows get the defaults."""
    errors: dict[str, list[str]] = {}
    if not columns:
        return errors
    # A row keeps the read-only values of a stored row only with the same links that fill
    # them: a row whose link changed is new, and its filled columns wait for the fill.
    links, filled = _fillers(table, columns)
    matched = (*columns, *links)
    left = Counter(_key(row, matched) for row in stored)
    defaults = {c.name: default_value(c, ctx) for c in columns}
    for i, row in enumerate(rows):
        key = _key(row, matched)
        if left[key] > 0:
            left[key] -= 1
            continue
        # columns a chosen link of this row fills: the fill sets them, whatever was sent
        waiting = {target for link in links if row.get(link.name) is not None
                   for target, _source in link.fill or () if target in filled}
        for column in columns:
            value = row.get(column.name)
            if column.name in waiting:
                row[column.name] = None
            elif ignore or type_of(column).is_empty(value) or _same(value, defaults[column.name]):
                row[column.name] = defaults[column.name]
            else:
                errors.setdefault(f"{table.name}.{i}.{column.name}", []).append(_("is read-only for you"))
    return errors
