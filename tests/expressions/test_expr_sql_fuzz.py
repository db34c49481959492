"""Generated expressions: the SQL and Python back ends select the same rows.

A seeded, type-directed generator builds well-typed conditions over every column kind of
the parity database; each one that the Python evaluator accepts on every row must select
exactly the same ids through `to_sql_condition`.
"""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from parity_db import ORDERS, RowScope, TableScope, selected

from engine.expressions import ExpressionError, evaluate_condition, parse, to_sql_condition

pytestmark = pytest.mark.filterwarnings(
    r"ignore:Dialect sqlite\+pysqlite does \*not\* support Decimal objects natively")

COUNT = 400


class Generator:
    """Random well-typed expressions; `depth` keeps them small."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def num(self, depth: int) -> str:
        leaf = self.pick("n", "amount", "id", "customer.credit", "sum(items.qty)",
                         "sum(items.subtotal)", "len(items.qty)", "len(name)", "max(items.qty)",
                         str(self.rng.randint(-5, 20)), f"{self.rng.randint(-3, 300)}.25",
                         "0.1")
        if self.rng.random() < 0.05:
            return "null"
        if depth <= 0 or self.rng.random() < 0.3:
            return leaf
        a, b = self.num(depth - 1), self.num(depth - 1)
        return self.pick(
            f"({a} + {b})", f"({a} - {b})", f"({a} * {b})", f"({a} / {self.pick('2', '4', '5')})",
            f"({a} % {self.pick('3', '7', '-4')})", f"-{a}", f"abs({a})",
            f"round({a}, {self.rng.randint(0, 2)})", f"coalesce({a}, {b})", f"min({a}, {b})",
            f"max({a}, {b}, 1)", f"days_between({self.date(0)}, {self.date(0)})",
            f"({self.date(0)} - {self.date(0)})", f"len({self.text(depth - 1)})")

    def text(self, depth: int) -> str:
        leaf = self.pick("name", "owner", "customer.grade", "'alpha'", "'Zed'", "'中文'", "''",
                         "$user", "max(items.product)")
        if self.rng.random() < 0.05:
            return "null"
        if depth <= 0 or self.rng.random() < 0.4:
            return leaf
        a, b = self.text(depth - 1), self.text(depth - 1)
        return self.pick(f"({a} + {b})", f"coalesce({a}, {b})", f"min({a}, {b})",
                         f"max({a}, {b})")

    def date(self, depth: int) -> str:
        leaf = self.pick("due", "due", "today()", "null" if self.rng.random() < 0.2 else "due")
        if depth <= 0 or self.rng.random() < 0.5:
            return leaf
        days = self.pick("n", "3", "-10", "len(items.qty)")
        return self.pick(f"({leaf} + {days})", f"({leaf} - {days})",
                         f"max({leaf}, {self.date(depth - 1)})")

    def moment(self, depth: int) -> str:
        leaf = self.pick("at", "now()")
        if depth <= 0 or self.rng.random() < 0.5:
            return leaf
        return f"({leaf} {self.pick('+', '-')} {self.pick('n', '1', '2')})"

    def cond(self, depth: int) -> str:
        cmp = self.pick("==", "!=", "<", "<=", ">", ">=")
        kind = self.pick("num", "num", "text", "date", "moment", "bool", "in", "truth")
        if depth > 0 and self.rng.random() < 0.35:
            a, b = self.cond(depth - 1), self.cond(depth - 1)
            return self.pick(f"({a} and {b})", f"({a} or {b})", f"not ({a})")
        if kind == "num":
            return f"{self.num(depth)} {cmp} {self.num(depth)}"
        if kind == "text":
            return f"{self.text(depth)} {cmp} {self.text(depth)}"
        if kind == "date":
            return f"{self.date(depth)} {cmp} {self.date(depth)}"
        if kind == "moment":
            return f"{self.moment(depth)} {cmp} {self.moment(depth)}"
        if kind == "bool":
            return self.pick("ok", "ok == true", "ok != false", "ok == null", "not ok")
        if kind == "in":
            neg = self.pick("in", "not in")
            return self.pick(
                f"{self.text(depth)} {neg} ['alpha', 'b', null, {self.text(0)}]",
                f"{self.num(depth)} {neg} [1, 3, 0.1, {self.num(0)}]",
                f"{self.text(0)} {neg} tags", f"{self.text(0)} {neg} items.product",
                f"{self.num(0)} {neg} items.qty")
        return self.pick(self.num(depth), self.text(depth), self.date(depth))


def _cases() -> list[str]:
    generator = Generator(20240615)
    return [generator.cond(3) for _ in range(COUNT)]


CASES = _cases()


def test_generated_conditions_agree(engine: sa.Engine) -> None:
    scope = TableScope(engine.dialect.name)
    checked, mismatches = 0, []
    for source in CASES:
        expr = parse(source)
        try:
            want = {r["id"] for r in ORDERS if evaluate_condition(expr, RowScope(r))}
        except ExpressionError:
            continue  # e.g. a date pushed out of range; not a parity question
        got = selected(engine, to_sql_condition(expr, scope))
        checked += 1
        if got != want:
            mismatches.append(f"{source}: sql-only {sorted(got - want)}, "
                              f"python-only {sorted(want - got)}")
    assert not mismatches, "\n".join(mismatches[:20])
    assert checked >= COUNT * 0.9
