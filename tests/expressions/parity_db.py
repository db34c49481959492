"""A tiny database for the SQL parity tests: orders, their items (a table field) and
customers (a link), with test implementations of EvalScope and SqlScope over them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from engine.expressions import ExpressionError, evaluate_condition, parse

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 6, 15, 9, 30, tzinfo=CST)
TODAY = NOW.date()
PG_URLS = ["postgresql+psycopg://postgres@127.0.0.1:5432/test",
           "postgresql+psycopg://root@127.0.0.1:5432/test"]


class UTCDateTime(TypeDecorator[datetime]):
    """As the store does it: aware UTC in and out; naive UTC text on SQLite."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()
customers = sa.Table(
    "customers", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("grade", sa.Text),
    sa.Column("credit", sa.Numeric(18, 2)))
orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("n", sa.BigInteger),
    sa.Column("amount", sa.Numeric(18, 2)),
    sa.Column("name", sa.Text),
    sa.Column("due", sa.Date),
    sa.Column("at", UTCDateTime),
    sa.Column("ok", sa.Boolean),
    sa.Column("tags", sa.JSON(none_as_null=True)),
    sa.Column("owner", sa.String(64)),
    sa.Column("customer", sa.Integer, sa.ForeignKey("customers.id")))
items = sa.Table(
    "items", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("qty", sa.BigInteger),
    sa.Column("price", sa.Numeric(18, 2)),
    sa.Column("subtotal", sa.Numeric(18, 2)),
    sa.Column("product", sa.Text))

D = Decimal
CUSTOMERS = [
    {"id": 1, "grade": "A", "credit": D("500.00")},
    {"id": 2, "grade": "B", "credit": None},
    {"id": 3, "grade": None, "credit": D("20.50")},
]
NAMES = ["alpha", "beta", "Zed", "apple", "中文", "", None, "Éclair", "b", "alpha"]
TAGS = [["red", "blue"], [], None, ["green", "b"], ["red", "alpha"]]
OWNERS = ["alice", "bob", None, "carol"]
AMOUNTS = [D("0.10"), D("100.50"), None, D("33.33"), D("250.00"), D("0.30"), D("-12.75")]
NS = [3, -7, None, 0, 5, 12, 1, 2, None, 4]
HOURS = [-30, 16, 17, None, 40, -200, 0, 15]   # around company midnight (UTC+8)


def _rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    order_rows, item_rows = [], []
    base_at = datetime(2024, 6, 14, 0, 0, tzinfo=UTC)
    for i in range(1, 23):
        hours = HOURS[i % len(HOURS)]
        order_rows.append({
            "id": i, "n": NS[i % len(NS)], "amount": AMOUNTS[i % len(AMOUNTS)],
            "name": NAMES[i % len(NAMES)],
            "due": None if i % 6 == 0 else TODAY + timedelta(days=(i * 5) % 23 - 11),
            "at": None if hours is None else base_at + timedelta(hours=hours, microseconds=i),
            "ok": [True, False, None][i % 3], "tags": TAGS[i % len(TAGS)],
            "owner": OWNERS[i % len(OWNERS)], "customer": [1, 2, 3, None][i % 4]})
        for j in range(i % 4):
            qty = None if (i + j) % 5 == 0 else (i + j) % 4
            price = None if (i * j) % 7 == 3 else D(f"{(i + 2 * j) % 9}.{(i * 7) % 100:02d}")
            item_rows.append({
                "id": len(item_rows) + 1, "order_id": i, "qty": qty, "price": price,
                "subtotal": None if qty is None or price is None else qty * price,
                "product": ["bolt", "nut", None][(i + j) % 3]})
    return order_rows, item_rows


ORDERS, ITEMS = _rows()


@dataclass
class RowScope:
    """EvalScope over the Python data that was inserted."""

    row: dict[str, Any]
    user: str | None = "alice"
    now: datetime = NOW

    def lookup(self, path: tuple[str, ...]) -> Any:
        if path[0] == "items" and len(path) == 2 and path[1] in items.c:
            return [item[path[1]] for item in ITEMS if item["order_id"] == self.row["id"]]
        if path[0] == "customer" and len(path) == 2 and path[1] in customers.c:
            linked = [c for c in CUSTOMERS if c["id"] == self.row["customer"]]
            return linked[0][path[1]] if linked else None
        if len(path) == 1 and path[0] in self.row:
            return self.row[path[0]]
        raise ExpressionError(f"unknown field {'.'.join(path)!r}")


@dataclass
class TableScope:
    """SqlScope over the orders table."""

    dialect: str
    user: str | None = "alice"
    now: datetime = NOW

    def is_list(self, path: tuple[str, ...]) -> bool:
        return path == ("tags",) or path[0] == "items"

    def column(self, path: tuple[str, ...]) -> sa.ColumnElement[Any]:
        if path[0] == "customer" and len(path) == 2 and path[1] in customers.c:
            return (sa.select(customers.c[path[1]])
                    .where(customers.c.id == orders.c.customer)
                    .correlate_except(customers).scalar_subquery())
        if len(path) == 1 and path[0] in orders.c:
            return orders.c[path[0]]
        raise ExpressionError(f"unknown field {'.'.join(path)!r}")

    def aggregate(self, func: str, path: tuple[str, ...]) -> sa.ColumnElement[Any]:
        if path == ("tags",) and func == "len":
            return sa.func.json_array_length(orders.c.tags, type_=sa.Integer())
        if path[0] != "items" or len(path) != 2 or path[1] not in items.c:
            raise ExpressionError(f"cannot aggregate {'.'.join(path)!r}")
        column = items.c[path[1]]
        if func == "len":
            agg: sa.ColumnElement[Any] = sa.func.count()
        else:
            if self.dialect == "postgresql" and isinstance(column.type, sa.Text):
                column = sa.collate(column, "C")
            agg = getattr(sa.func, func)(column)
        return (sa.select(agg).where(items.c.order_id == orders.c.id)
                .correlate_except(items).scalar_subquery())

    def contains(self, path: tuple[str, ...], element: sa.ColumnElement[Any]) \
            -> sa.ColumnElement[Any]:
        if path == ("tags",):
            name = "json_each" if self.dialect == "sqlite" else "json_array_elements_text"
            values = getattr(sa.func, name)(orders.c.tags).table_valued("value")
            return sa.exists(sa.select(1).select_from(values).where(values.c.value == element))
        column = items.c[path[1]]
        return sa.exists(sa.select(1).where(items.c.order_id == orders.c.id, column == element)
                         .correlate_except(items))


def _load(engine: sa.Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(customers.insert(), CUSTOMERS)
        conn.execute(orders.insert(), ORDERS)
        conn.execute(items.insert(), ITEMS)


@contextmanager
def sqlite_engine(path: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(f"sqlite:///{path}")
    _load(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_engine() -> Iterator[sa.Engine | None]:
    """A fresh schema on the local server, dropped afterwards; None if unreachable."""
    admin = None
    for url in PG_URLS:
        candidate = sa.create_engine(url)
        try:
            with candidate.connect():
                admin = candidate
                break
        except sa.exc.OperationalError:
            candidate.dispose()
    if admin is None:
        yield None
        return
    schema = f"expr_parity_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(admin.url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        _load(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def selected(engine: sa.Engine, condition: sa.ColumnElement[Any]) -> set[int]:
    """Ids of the orders the SQL condition selects."""
    with engine.connect() as conn:
        return set(conn.scalars(sa.select(orders.c.id).where(condition)))


def expected(source: str) -> set[int]:
    """Ids of the orders for which the Python evaluator says true."""
    expr = parse(source)
    return {row["id"] for row in ORDERS if evaluate_condition(expr, RowScope(row))}
