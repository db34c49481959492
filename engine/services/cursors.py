"""Keyset paging for record lists (docs/reference.md, HTTP API): `after=CURSOR` → `"next"`,
and back with `before=CURSOR` → `"previous"`.

A cursor is base64url of compact JSON `{"o": ORDER, "k": [sort values..., id]}`: the
list's order and the sort key of the last row shown. The next page is the rows strictly
after that key in the same order, so a deep page costs what the first does, and rows
inserted or deleted before the cursor neither repeat nor skip rows after it. The page before
a cursor is the rows strictly before its key, read in the reverse order (`reverse_order`).

Sort values are only of columns the caller may order by (never-visible fields are refused),
but such a field can still be hidden in some rows (a grant hiding it in a stage). Then the
cursor carries `{"r": 1}` instead of the value, and the value is read again from the row
by id when the cursor is used, so a cursor never shows a hidden value in clear.

A cursor is not signed: it only names a position a caller could also reach with filters.
It is decoded strictly, by the type of each sort column; anything else is a 400.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Column, ColumnElement, and_, false, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from engine.errors import BadRequest
from engine.i18n import _

MAX_CURSOR = 2048
HIDDEN = {"r": 1}


@dataclass(frozen=True)
class SortKey:
    """One part of a list's order. Empty values (NULL) come last in either direction."""
    column: Column
    descending: bool

    @property
    def nullable(self) -> bool:
        return bool(self.column.nullable) and not self.column.primary_key


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode_cursor(order: str, keys: list[SortKey], values: list[Any], hidden: frozenset[str]) -> str:
    """The cursor after a row whose sort values are `values` (in the order of `keys`)."""
    parts = [HIDDEN if key.column.name in hidden else _plain(value) for key, value in zip(keys, values, strict=True)]
    raw = json.dumps({"o": order, "k": parts}, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _bad(param: str = "after") -> BadRequest:
    if param == "before":
        return BadRequest(_("parameter 'before' is not a cursor given by this list (start again without it)"))
    return BadRequest(_("parameter 'after' is not a cursor given by this list (start again without it)"))


def _python_type(column: Column) -> type:
    kind = column.type
    try:
        return getattr(kind, "impl_instance", kind).python_type
    except NotImplementedError:
        return object


def _typed(column: Column, value: Any, param: str = "after") -> Any:
    """A JSON value as the Python value of the column's type; a BadRequest when it is not one."""
    if value is None:
        if column.nullable and not column.primary_key:
            return None
        raise _bad(param)
    kind = _python_type(column)
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
        elif kind is int:
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63:
                return value
        elif kind is Decimal:
            if isinstance(value, str) and len(value) <= 80:
                number = Decimal(value)
                if number.is_finite():
                    return number
        elif kind is datetime:
            if isinstance(value, str) and len(value) <= 40:
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    return moment
        elif kind is date:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        elif kind is str:
            if isinstance(value, str):
                return value
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return value
    except (ValueError, InvalidOperation):
        pass
    raise _bad(param)


def decode_cursor(session: Session, text: str, order: str, keys: list[SortKey], readable: ColumnElement,
                  param: str = "after") -> list[Any]:
    """The sort values a cursor names, typed for comparison; 400 for anything malformed,
    made for another order, or naming a row that is gone or that the caller may not read
    (`readable`: the caller's row rule), so a forged cursor learns nothing of such a row.
    `param`: the parameter it came in (`after` or `before`), named by the 400."""
    if not text or len(text) > MAX_CURSOR:
        raise _bad(param)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _bad(param) from None
    if not isinstance(doc, dict) or set(doc) != {"o", "k"} or doc["o"] != order:
        raise _bad(param)
    parts = doc["k"]
    if not isinstance(parts, list) or len(parts) != len(keys):
        raise _bad(param)
    row_id = _typed(keys[-1].column, parts[-1], param)
    values = []
    for key, part in zip(keys, parts, strict=True):
        if part == HIDDEN and key.column.name != "id":
            table = key.column.table
            found = session.execute(select(key.column).where(table.c.id == row_id, readable)).one_or_none()
            if found is None:
                raise _bad(param)
            values.append(found[0])
        else:
            values.append(_typed(key.column, part, param))
    return values


def after_condition(keys: list[SortKey], values: list[Any]) -> ColumnElement:
    """Rows strictly after `values` in the order of `keys`, NULLs last in either direction:
    k1 beyond v1, or k1 = v1 and k2 beyond v2, and so on. Keys that are all filled and run
    one way compare as a row value, `(k1, k2) < (v1, v2)`, which an index on them serves."""
    bounds = [literal(value, key.column.type) for key, value in zip(keys, values, strict=True)]
    if all(not key.nullable for key in keys) and len({key.descending for key in keys}) == 1:
        columns, row = tuple_(*(key.column for key in keys)), tuple_(*bounds)
        return columns < row if keys[0].descending else columns > row
    branches: list[ColumnElement] = []
    same: list[ColumnElement] = []
    for key, value, bound in zip(keys, values, bounds, strict=True):
        column = key.column
        if value is None:
            same.append(column.is_(None))  # nothing comes after an empty value but the tie-break
            continue
        beyond = column < bound if key.descending else column > bound  # bound: `column > True` is refused
        if key.nullable:
            beyond = or_(beyond, column.is_(None))
        branches.append(and_(*same, beyond))
        same.append(column == bound)
    if not branches:
        return false()
    first = keys[0]
    if not first.nullable:  # a redundant range on the first key, for an index on it
        return and_(first.column <= bounds[0] if first.descending else first.column >= bounds[0], or_(*branches))
    return or_(*branches)


def before_condition(keys: list[SortKey], values: list[Any]) -> ColumnElement:
    """Rows strictly before `values` in the order of `keys` (NULLs last in either direction):
    the mirror of `after_condition`. Filled values come before an empty one."""
    bounds = [literal(value, key.column.type) for key, value in zip(keys, values, strict=True)]
    if all(not key.nullable for key in keys) and len({key.descending for key in keys}) == 1:
        columns, row = tuple_(*(key.column for key in keys)), tuple_(*bounds)
        return columns > row if keys[0].descending else columns < row
    branches: list[ColumnElement] = []
    same: list[ColumnElement] = []
    for key, value, bound in zip(keys, values, bounds, strict=True):
        column = key.column
        if value is None:
            branches.append(and_(*same, column.is_not(None)))
            same.append(column.is_(None))
            continue
        branches.append(and_(*same, column > bound if key.descending else column < bound))
        same.append(column == bound)
    first = keys[0]
    if not first.nullable:  # a redundant range on the first key, for an index on it
        return and_(first.column >= bounds[0] if first.descending else first.column <= bounds[0], or_(*branches))
    return or_(*branches)


def reverse_order(keys: list[SortKey]) -> list[ColumnElement]:
    """ORDER BY for the list's order backwards (empty values first), to read the rows just
    before a cursor; an index that serves the order serves it scanned backwards."""
    clauses: list[ColumnElement] = []
    for key in keys:
        clause = key.column.asc() if key.descending else key.column.desc()
        clauses.append(clause.nulls_first() if key.nullable else clause)
    return clauses
