"""Dialect-specific SQL building blocks for the SQL back end (SQLite and PostgreSQL).

Every helper returns SQL whose value equals the Python rule in `values.py` for the same
inputs. Known approximation: SQLite has no exact decimal type, so decimal arithmetic
there is binary floating point rounded to `SQLITE_DECIMAL_PLACES` places after each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

from .errors import ExpressionError

SQLITE_DECIMAL_PLACES = 10
Col = ColumnElement[Any]


@dataclass(frozen=True)
class SqlValue:
    """A compiled sub-expression with its language kind (see values.kind_of).

    ``nonnull`` is True when the SQL can never be NULL (literals, conditions, counts);
    it lets comparisons drop IS NOT NULL guards. ``path`` is set for list-valued fields,
    whose SQL only exists inside in/sum/len/min/max. ``shifted`` = (base, days) records
    that the value is base + days, so chains like ``at + 1 + 1`` stay linear in size.
    """

    expr: Col | None
    kind: str
    nonnull: bool = False
    path: tuple[str, ...] | None = None
    shifted: tuple[Col, Col] | None = None

    @property
    def sql(self) -> Col:
        if self.expr is None:
            raise ExpressionError("a list can only be used with in, sum, len, min and max")
        return self.expr


NULL = SqlValue(sa.null(), "null")


def kind_of_type(type_: TypeEngine[Any]) -> str:
    """Language kind of a SQLAlchemy column type (TypeDecorators are unwrapped)."""
    while isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, sa.Boolean):
        return "bool"
    if isinstance(type_, sa.Integer):
        return "int"
    if isinstance(type_, sa.Numeric):
        return "dec"
    if isinstance(type_, sa.DateTime):
        return "datetime"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.String):
        return "str"
    if isinstance(type_, sa.JSON | sa.ARRAY):
        return "list"
    raise ExpressionError(f"columns of type {type_!r} cannot be used in expressions")


def op(left: Col, symbol: str, right: Col, type_: TypeEngine[Any]) -> Col:
    """A plain infix operator with an explicit result type (no SQLAlchemy rewriting)."""
    return left.op(symbol, return_type=type_)(right)


def dec_result(expr: Col, sqlite: bool) -> Col:
    """Decimal results on SQLite are rounded so 0.1 + 0.2 compares equal to 0.3."""
    return sa.func.round(expr, SQLITE_DECIMAL_PLACES, type_=sa.Numeric()) if sqlite else expr


def divide(left: Col, right: Col, sqlite: bool) -> Col:
    """Always decimal division; NULL (row does not match) instead of a per-row error."""
    divisor = sa.func.nullif(right, 0)
    if sqlite:
        return dec_result(op(sa.cast(left, sa.Float()), "/", divisor, sa.Numeric()), True)
    return op(sa.cast(left, sa.Numeric()), "/", divisor, sa.Numeric())


def modulo(left: Col, right: Col, integers: bool, sqlite: bool) -> Col:
    """Remainder with the sign of the dividend (SQL and Decimal rule)."""
    divisor = sa.func.nullif(right, 0)
    if integers:
        return op(left, "%", divisor, sa.BigInteger())
    if not sqlite:
        return sa.func.mod(left, divisor, type_=sa.Numeric())
    quotient = sa.cast(dec_result(op(sa.cast(left, sa.Float()), "/", divisor, sa.Numeric()),
                                  True), sa.Integer())
    return dec_result(op(left, "-", op(divisor, "*", quotient, sa.Numeric()), sa.Numeric()),
                      True)


def add_days(value: SqlValue, days: Col, sqlite: bool) -> SqlValue:
    """date/datetime plus a whole number of days (24 hours each for datetimes)."""
    base = value.sql
    if value.shifted is not None:
        base, earlier = value.shifted
        days = op(earlier, "+", days, sa.BigInteger())
    expr = _add_days(base, value.kind, days, sqlite)
    return SqlValue(expr, value.kind, value.nonnull, shifted=(base, days))


def _add_days(value: Col, kind: str, days: Col, sqlite: bool) -> Col:
    days = sa.cast(days, sa.Integer())
    if not sqlite:
        if kind == "date":
            return op(value, "+", days, sa.Date())
        hours: Col = sa.literal_column("INTERVAL '24 hours'")
        return op(value, "+", op(days, "*", hours, sa.Interval()), sa.DateTime(timezone=True))
    modifier = op(sa.cast(days, sa.Text()), "||", sa.literal_column("' days'"), sa.Text())
    if kind == "date":
        return sa.func.date(value, modifier, type_=sa.Date())
    # strftime drops the microseconds; SQLAlchemy's stored text keeps them after char 19.
    whole = sa.func.strftime("%Y-%m-%d %H:%M:%S", value, modifier, type_=sa.Text())
    return op(whole, "||", sa.func.substr(value, 20), sa.DateTime())


def date_of(value: Col, kind: str, offset: timedelta, sqlite: bool) -> Col:
    """A date; a datetime (stored in UTC) is reduced at the fixed UTC offset `offset`."""
    if kind == "date":
        return value
    seconds = int(offset.total_seconds())
    if sqlite:
        return sa.func.date(value, f"{seconds:+d} seconds", type_=sa.Date())
    shift: Col = sa.literal_column(f"INTERVAL '{seconds} seconds'")
    local = op(sa.func.timezone("UTC", value), "+", shift, sa.DateTime())
    return sa.cast(local, sa.Date())


def days_between(first: Col, second: Col, sqlite: bool) -> Col:
    """Whole days from `first` to `second`, both dates."""
    if sqlite:
        diff = op(sa.func.julianday(second), "-", sa.func.julianday(first), sa.Float())
        return sa.cast(diff, sa.Integer())
    return op(second, "-", first, sa.Integer())


def extreme(name: str, values: list[SqlValue], kind: str, sqlite: bool) -> Col:
    """Scalar min/max of several values, skipping NULLs (NULL only if all are NULL).

    PostgreSQL's least/greatest already skip NULLs; SQLite's min/max return NULL when
    any argument is NULL, so each argument falls back to the others there.
    """
    type_ = sa.Numeric() if kind == "dec" else values[0].sql.type
    exprs = [text_order(v.sql, kind, sqlite) for v in values]
    if not sqlite:
        return getattr(sa.func, "least" if name == "min" else "greatest")(*exprs, type_=type_)
    if any(not v.nonnull for v in values):
        exprs = [sa.func.coalesce(e, *(o for j, o in enumerate(exprs) if j != i))
                 for i, e in enumerate(exprs)]
    return getattr(sa.func, name)(*exprs, type_=type_)


def check_size(expr: Col, max_elements: int, max_depth: int) -> Col:
    """Refuse SQL that is too big (some SQLite forms repeat an operand) or too deep for
    SQLAlchemy's recursive compiler (~4 Python frames per level). The walk stops at the
    limit, so checking costs at most `max_elements` steps."""
    seen = 0
    stack: list[tuple[Any, int]] = [(expr, 1)]
    while stack:
        element, depth = stack.pop()
        seen += 1
        if seen > max_elements or depth > max_depth:
            raise ExpressionError("expression is too complex to run as SQL")
        stack.extend((child, depth + 1) for child in element.get_children())
    return expr


def text_order(expr: Col, kind: str, sqlite: bool) -> Col:
    """Strings order by code point: SQLite's BINARY does; PostgreSQL needs COLLATE "C"."""
    return sa.collate(expr, "C") if kind == "str" and not sqlite else expr
