"""What the back ends need from their caller: a record (Python) or a table (SQL).

Both scopes carry the acting user and "now". `now` must be timezone-aware and already in
the company time zone: today() is ``now.date()``, and datetimes are reduced to dates
(days_between) in the fixed UTC offset ``now.utcoffset()``, identically in both back ends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.sql import ColumnElement


class EvalScope(Protocol):
    """Values of one record, for `evaluate`."""

    user: str | None
    now: datetime

    def lookup(self, path: tuple[str, ...]) -> Any:
        """("amount",) -> the value (None when empty); ("items", "subtotal") -> list of
        the table rows' values; ("account", "grade") -> the linked record's value (None if
        the link is empty); a multiselect -> list of strings or None.
        Raises ExpressionError for an unknown path."""
        ...


class SqlScope(Protocol):
    """Columns of one table, for `to_sql`.

    Datetimes must be stored in UTC: on SQLite as SQLAlchemy's naive
    'YYYY-MM-DD HH:MM:SS.ffffff' text, on PostgreSQL as timestamptz; dates on SQLite as
    'YYYY-MM-DD' text. The SQLAlchemy type of each returned column decides how the
    expression is compiled (Integer, Numeric, String, Boolean, Date, DateTime, JSON).
    Build correlated subqueries with ``.correlate_except(<inner table>)``: the compiler may
    nest one inside another (``owner.grade in lines.item``), where SQLAlchemy's
    automatic correlation would otherwise add the outer table to the inner FROM.
    """

    user: str | None
    now: datetime
    dialect: str  # "sqlite" | "postgresql"

    def column(self, path: tuple[str, ...]) -> ColumnElement[Any]:
        """A scalar column, or a correlated scalar subquery for a linked record's field."""
        ...

    def aggregate(self, func: str, path: tuple[str, ...]) -> ColumnElement[Any]:
        """func in "sum" | "len" | "min" | "max" over a list-valued path, as a correlated
        scalar subquery. "len" counts elements (rows), nulls included; the others may
        return NULL for no rows (the compiler turns an empty sum into 0)."""
        ...

    def is_list(self, path: tuple[str, ...]) -> bool:
        """True for list-valued paths: a table's column (items.qty) or a multiselect."""
        ...

    def contains(self, path: tuple[str, ...], element: ColumnElement[Any]) -> ColumnElement[Any]:
        """SQL for ``element in <list-valued path>`` (element is never NULL here)."""
        ...
