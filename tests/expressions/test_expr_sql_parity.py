"""SQL back end: `to_sql` selects exactly the rows for which `evaluate` is true,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from parity_db import ORDERS, RowScope, TableScope, expected, orders, selected

from engine.expressions import (
    ExpressionError,
    evaluate,
    evaluate_condition,
    parse,
    to_sql,
    to_sql_condition,
)

pytestmark = pytest.mark.filterwarnings(
    r"ignore:Dialect sqlite\+pysqlite does \*not\* support Decimal objects natively")

CONDITIONS = [
    "n > 3", "n == null", "n != null", "not (n > 3)", "not (n <= 3)", "1 < n <= 5",
    "amount >= 100.50", "amount + n * 2 > 50", "amount * 3 == 0.3", "0.1 + 0.2 == 0.3",
    "amount / 0.5 > 40", "n / 4 == 0.75", "n % 3 == -1", "amount % 7 > 3", "-n > 0",
    "abs(n) > 2", "round(amount / 3, 2) > 33.33", "round(amount) == 100 or round(n, 1) > 4",
    "name == 'alpha'", "name != 'alpha'", "name < 'a'", "name >= 'b'", "not (name < 'm')",
    "name + '-x' == 'alpha-x'", "len(name) > 3", "len(name) == 0",
    "name in ['alpha', 'beta', null]", "name not in ['alpha', 'beta']", "n in [1, 2, 3]",
    "n in [1, amount, coalesce(n, 0)]", "min(name, 'k') == 'k'", "max(name, 'Z') == 'Z'",
    "due < today()", "due + 3 >= today()", "3 + due == today()", "due - 2 > today()",
    "today() - due > 5", "days_between(due, today()) >= 7", "days_between(today(), due) < 0",
    "days_between(at, today()) == 0", "days_between(at, now()) == 1",
    "days_between(due, at) > 0", "at < now()", "at + 1 > now()", "at - 2 < now()",
    "due + n > today()", "max(due, today()) == today()", "min(due, due + 1) == due",
    "ok", "not ok", "ok == true", "ok != false", "ok == null", "ok or n > 5",
    "ok and not (amount > 100)", "(n > 3) == (amount > 50)", "not n", "name", "not due",
    "sum(items.subtotal) > 10", "sum(items.qty) == 0", "len(items.qty) >= 2",
    "min(items.price) < 5", "max(items.qty) >= 3", "max(items.product) == 'nut'",
    "'bolt' in items.product", "n in items.qty", "'bolt' not in items.product",
    "'red' in tags", "'red' not in tags", "len(tags) == 0", "name in tags",
    "customer.grade == 'A'", "customer.grade in ['A', 'B']", "customer.credit > amount",
    "customer.grade != null and not (customer.credit > 100)",
    "coalesce(n, 0) > 2", "coalesce(customer.credit, amount, 0) > 50",
    "min(n, 5) == 5", "max(n, amount) > 100", "min(n, amount, 1) < 1",
    "owner == $user", "owner == $user or owner == null", "$user in [owner, 'carol']",
    "id % 2 == 0", "id in [1, 2, 3] and not (n == 3)", "null == null", "n > null",
    "null", "true", "false", "owner != null",
]

VALUES = [
    "n + 1", "coalesce(n, 0) * 2", "n % 3", "name + '!'", "len(name)", "due + 1",
    "days_between(due, today())", "days_between(at, today())", "sum(items.qty)",
    "len(items.qty)", "max(items.qty)", "customer.grade", "coalesce(name, customer.grade)",
    "round(n)", "abs(n)", "min(n, 3)", "today() - due", "n > 2",
]



@pytest.mark.parametrize("source", CONDITIONS)
def test_condition_parity(engine: sa.Engine, source: str) -> None:
    expr = parse(source)
    scope = TableScope(engine.dialect.name)
    want = expected(source)
    assert selected(engine, to_sql_condition(expr, scope)) == want
    if expr.root.__class__.__name__ in ("Compare", "BoolOp") or source.startswith("not"):
        assert selected(engine, to_sql(expr, scope)) == want
        negated = parse(f"not ({source})")
        assert selected(engine, to_sql(negated, scope)) == {r["id"] for r in ORDERS} - want


def test_parity_data_is_not_trivial() -> None:
    """Most conditions split the rows; a parity test that always agrees proves nothing."""
    splitting = [s for s in CONDITIONS if 0 < len(expected(s)) < len(ORDERS)]
    assert len(splitting) >= len(CONDITIONS) - 8


def _plain(value: Any) -> Any:
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return date.fromisoformat(value)
    return value


@pytest.mark.parametrize("source", VALUES)
def test_value_parity(engine: sa.Engine, source: str) -> None:
    expr = parse(source)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(orders.c.id, to_sql(expr, TableScope(engine.dialect.name))
                                      .label("v")).order_by(orders.c.id)).all()
    got = {row.id: _plain(row.v) for row in rows}
    want = {row["id"]: _plain(evaluate(expr, RowScope(row))) for row in ORDERS}
    if source == "n > 2":  # SQLite returns 0/1 for booleans
        got = {k: bool(v) for k, v in got.items()}
    assert got == want


@pytest.mark.parametrize("user", [None, "bob"])
def test_user_variable(engine: sa.Engine, user: str | None) -> None:
    for source in ["owner == $user", "owner != $user", "$user == null"]:
        expr = parse(source)
        want = {r["id"] for r in ORDERS if evaluate_condition(expr, RowScope(r, user=user))}
        scope = TableScope(engine.dialect.name, user=user)
        assert selected(engine, to_sql_condition(expr, scope)) == want


@pytest.mark.parametrize(("source", "message"), [
    ("name * 2 > 1", "cannot apply '*' to text"),
    ("name < 1", "cannot compare text with a number"),
    ("due < now()", "cannot compare a date with a date-time"),
    ("ok > false", "booleans cannot be compared"),
    ("tags == null", "a list can only be used"),
    ("sum(name) > 1", "sum() needs a list-valued field"),
    ("n / 0 > 1", "division by zero"),
    ("1 in name", "must be a list"),
    ("at - at > 1", "use days_between"),
    ("sum(items.product) > 1", "sum() cannot add text"),
    ("missing > 1", "unknown field"),
])
def test_static_type_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        to_sql(parse(source), TableScope("sqlite"))
    assert message in info.value.message


def test_postgres_text_order_is_code_point_order() -> None:
    sql = to_sql(parse("name < 'a'"), TableScope("postgresql"))
    compiled = str(sql.compile(dialect=sa.dialects.postgresql.dialect()))
    assert 'COLLATE "C"' in compiled


def test_equality_with_a_literal_stays_index_friendly() -> None:
    sql = to_sql(parse("owner == $user"), TableScope("postgresql"))
    compiled = str(sql.compile(dialect=sa.dialects.postgresql.dialect()))
    assert "DISTINCT" not in compiled and "owner IS NOT NULL" in compiled


def test_unsupported_dialect() -> None:
    with pytest.raises(ExpressionError, match="unsupported SQL dialect"):
        to_sql(parse("n > 1"), TableScope("mysql"))


def test_deep_expressions_run_or_are_refused_cleanly(engine: sa.Engine) -> None:
    """Deep or self-repeating SQL fails at compile time with ExpressionError, never with
    RecursionError or an exponential blow-up when the query is rendered."""
    dialect = engine.dialect.name
    source = " + ".join(["n"] * 48) + " > 0"
    assert selected(engine, to_sql(parse(source), TableScope(dialect))) == expected(source)
    source = "at" + " + 1" * 45 + " > now()"
    assert selected(engine, to_sql(parse(source), TableScope(dialect))) == expected(source)
    # SQLite repeats min/max operands (NULL skipping) and rounds decimals after each step.
    heavy = ["min(n, " * 31 + "n" + ")" * 31 + " > 1", "amount" + " / 7" * 45 + " > 1"]
    if dialect == "postgresql":
        for source in heavy:
            assert selected(engine, to_sql(parse(source), TableScope(dialect))) == \
                expected(source)
        return
    for source in heavy:
        started = time.perf_counter()
        with pytest.raises(ExpressionError, match="too complex to run as SQL"):
            to_sql(parse(source), TableScope(dialect))
        assert time.perf_counter() - started < 1
