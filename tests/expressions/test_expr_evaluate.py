"""Python back end: value semantics of `evaluate`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from engine.expressions import ExpressionError, evaluate, evaluate_condition, parse

CST = timezone(timedelta(hours=8))
NOW = datetime(2024, 6, 15, 9, 30, tzinfo=CST)


@dataclass
class DictScope:
    values: dict[str, Any] = field(default_factory=dict)
    user: str | None = "alice"
    now: datetime = NOW

    def lookup(self, path: tuple[str, ...]) -> Any:
        key = ".".join(path)
        if key not in self.values:
            raise ExpressionError(f"unknown field '{key}'")
        return self.values[key]


def ev(source: str, **values: Any) -> Any:
    return evaluate(parse(source), DictScope(dict(values)))


@pytest.mark.parametrize(("source", "expected"), [
    ("0.1 + 0.2 == 0.3", True),
    ("0.1 + 0.2", Decimal("0.3")),
    ("1 + 2", 3),
    ("7 - 10", -3),
    ("6 * 7", 42),
    ("7 / 2", Decimal("3.5")),
    ("1 / 3", Decimal("0.3333333333333333333333333333")),
    ("6 / 3", Decimal(2)),
    ("7 % 3", 1),
    ("-7 % 3", -1),      # sign of the dividend, as in SQL
    ("7 % -3", 1),
    ("7.5 % 2", Decimal("1.5")),
    ("-7.5 % 2", Decimal("-1.5")),
    ("1.10 * 3", Decimal("3.30")),
    ("-(2 + 3)", -5),
    ("'ab' + 'cd'", "abcd"),
    ("2 + 3 * 4", 14),
    ("10 - 2 - 3", 5),
])
def test_arithmetic(source: str, expected: Any) -> None:
    result = ev(source)
    assert result == expected
    assert type(result) is type(expected)


def test_floats_from_scope_become_exact_decimals() -> None:
    assert ev("x + 0.2", x=0.1) == Decimal("0.3")
    assert type(ev("x", x=0.1)) is Decimal
    with pytest.raises(ExpressionError, match="not finite"):
        ev("x", x=float("nan"))


@pytest.mark.parametrize("source", ["1 / 0", "1 % 0", "x / 0.0", "x % (2 - 2)"])
def test_division_by_zero(source: str) -> None:
    with pytest.raises(ExpressionError, match="division by zero"):
        ev(source, x=Decimal(5))


@pytest.mark.parametrize(("source", "expected"), [
    ("x + 1", None), ("x * 2.5", None), ("-x", None), ("x / 0", None), ("x + 'a'", None),
    ("x == null", True), ("x != null", False), ("null == null", True), ("x == 1", False),
    ("x != 1", True), ("x < 1", False), ("x >= 1", False), ("not (x > 1)", True),
    ("x in [1, null]", False), ("x not in [1, 2]", True), ("x in tags", False),
    ("1 in [1, null]", True), ("2 in [1, null]", False),
    ("x and true", False), ("x or true", True), ("not x", True),
    ("len(x)", 0), ("sum(x)", 0), ("min(x)", None), ("max(x, null)", None),
    ("min(x, 3, 1)", 1), ("max(x, 3, 1)", 3), ("round(x)", None), ("abs(x)", None),
    ("coalesce(x, null, 7)", 7), ("coalesce(x)", None),
    ("days_between(x, today())", None), ("x + 1 == null", True),
])
def test_null_semantics(source: str, expected: Any) -> None:
    assert ev(source, x=None, tags=None) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("1 and 'a'", True), ("0 or ''", False), ("0.0 or null", False), ("not ''", True),
    ("'a' and 2", True), ("d and true", True), ("(1 < 2) and (2 < 3)", True),
])
def test_logic_returns_booleans(source: str, expected: bool) -> None:
    result = ev(source, d=date(2024, 1, 1))
    assert result is expected


@pytest.mark.parametrize(("source", "message"), [
    ("'a' < 1", "cannot compare text with a number using '<'"),
    ("'a' == 1", "cannot compare text with a number"),
    ("d < now()", "cannot compare a date with a date-time"),
    ("true < false", "booleans cannot be compared"),
    ("1 in ['a']", "cannot compare a number with text"),
    ("'a' * 3", "cannot apply '*' to text and a number"),
    ("'a' - 'b'", "cannot apply '-'"),
    ("true + 1", "cannot apply '+' to a boolean"),
    ("-'a'", "cannot negate text"),
    ("now() - now()", "use days_between"),
    ("d + 1.5", "cannot apply '+' to a date and a number"),
    ("tags == 1", "a list can only be used with in"),
    ("tags", "a list can only be used"),
    ("1 in name", "must be a list"),
    ("sum(name)", "sum() needs a list-valued field"),
    ("sum(tags)", "sum() cannot add text"),
    ("len(3)", "len() needs a list or text"),
    ("round('a')", "round() needs a number"),
    ("abs('a')", "abs() needs a number"),
    ("days_between(1, d)", "days_between() needs dates"),
    ("min(1, 'a')", "cannot compare"),
    ("max(true)", "booleans cannot be compared"),
    ("coalesce(1, 'a')", "cannot compare"),
    ("missing", "unknown field 'missing'"),
])
def test_type_errors(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        ev(source, d=date(2024, 1, 1), tags=["a"], name="bob")
    assert message in info.value.message


def test_error_offsets_come_from_the_node() -> None:
    with pytest.raises(ExpressionError) as info:
        ev("1 + 'a' * 3")
    assert info.value.offset == 4


def test_functions() -> None:
    items = [Decimal("1.10"), None, Decimal("2.20")]
    assert ev("sum(items.subtotal)", **{"items.subtotal": items}) == Decimal("3.30")
    assert ev("sum(q)", q=[1, 2, None, 4]) == 7 and type(ev("sum(q)", q=[1, 2])) is int
    assert ev("sum(q)", q=[]) == 0
    assert ev("len(q)", q=[1, None]) == 2 and ev("len('中文')", ) == 2 and ev("len('')") == 0
    assert ev("min(q)", q=[3, None, 1]) == 1 and ev("max(q)", q=[3, None, 1]) == 3
    assert ev("min(q)", q=[None, None]) is None and ev("max(q)", q=[]) is None
    assert ev("min(3, x, 1.5)", x=None) == Decimal("1.5")
    assert ev("max('a', 'B')") == "a"          # code point order
    assert ev("min(5)") == 5
    assert ev("round(2.5)") == Decimal(3) and ev("round(-2.5)") == Decimal(-3)
    assert ev("round(2.345, 2)") == Decimal("2.35") and ev("round(1.005, 2)") == Decimal("1.01")
    assert ev("round(7)") == 7 and type(ev("round(7)")) is int
    assert ev("round(7, 2)") == Decimal("7.00") and type(ev("round(7, 2)")) is Decimal
    assert ev("round(x, 1)", x=2.25) == Decimal("2.3")
    assert ev("abs(-3)") == 3 and ev("abs(-1.5)") == Decimal("1.5")
    assert ev("coalesce(null, 0, 5)") == 0
    assert ev("today()") == date(2024, 6, 15)
    assert ev("now()") == NOW
    assert ev("$user") == "alice"
    assert evaluate(parse("$user == null"), DictScope(user=None)) is True


def test_dates() -> None:
    d = date(2024, 2, 28)
    assert ev("d + 1", d=d) == date(2024, 2, 29)
    assert ev("2 + d", d=d) == date(2024, 3, 1)
    assert ev("d - 28", d=d) == date(2024, 1, 31)
    assert ev("today() - d", d=d) == 108 and type(ev("today() - d", d=d)) is int
    assert ev("d < today()", d=d) is True
    assert ev("days_between(d, today())", d=d) == 108
    assert ev("days_between(today(), d)", d=d) == -108
    at = datetime(2024, 6, 14, 17, 0, tzinfo=UTC)     # 2024-06-15 01:00 company time
    assert ev("days_between(at, today())", at=at) == 0
    assert ev("days_between(at, now())", at=at) == 0
    naive = datetime(2024, 6, 14, 15, 59)               # naive = UTC: 23:59 company time
    assert ev("days_between(at, today())", at=naive) == 1
    assert ev("at + 1", at=at) == datetime(2024, 6, 15, 17, 0, tzinfo=UTC)
    assert ev("at - 1 < now()", at=at) is True
    assert ev("now() + 1 > now()") is True
    with pytest.raises(ExpressionError, match="date out of range"):
        ev("d + 99999999", d=d)


def test_membership() -> None:
    assert ev("'red' in tags", tags=["red", "blue"]) is True
    assert ev("'red' not in tags", tags=["blue"]) is True
    assert ev("'red' in tags", tags=[]) is False
    assert ev("x in [1, 2.0]", x=Decimal(2)) is True
    assert ev("$user in [owner, 'bob']", owner="alice") is True
    assert ev("true in [false, true]") is True


def test_evaluate_condition_and_large_numbers() -> None:
    assert evaluate_condition(parse("x"), DictScope({"x": 0})) is False
    assert evaluate_condition(parse("x"), DictScope({"x": "a"})) is True
    assert ev("x * x", x=10**30) == 10**60        # ints stay exact
    with pytest.raises(ExpressionError, match="arithmetic error"):
        ev("x * x", x=Decimal("1e600000"))
