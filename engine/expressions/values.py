"""Value semantics of the language in Python; the SQL back end mirrors every rule here.

Kinds: null, bool, int, dec (decimal.Decimal), str, date, datetime, list. Floats never
survive: they become ``Decimal(str(x))``. Naive datetimes are taken as UTC.
"""

from __future__ import annotations

import decimal
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from .errors import ExpressionError

#: Arithmetic context of every evaluation: 28 significant digits, errors trapped.
CONTEXT = decimal.Context(
    prec=28, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
NUMBER = ("int", "dec")
_WORDS = {"null": "null", "bool": "a boolean", "int": "a number", "dec": "a number",
          "str": "text", "date": "a date", "datetime": "a date-time", "list": "a list"}


def kind_of(value: Any) -> str:
    """The language kind of a normalised value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Decimal):
        return "dec"
    if isinstance(value, str):
        return "str"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list):
        return "list"
    raise ExpressionError(f"unsupported value of type {type(value).__name__}")


def word(kind: str) -> str:
    return _WORDS.get(kind, kind)


def normalize(value: Any) -> Any:
    """Bring a scope value into the language: float -> Decimal, naive datetime -> UTC."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise ExpressionError(f"number {value!r} is not finite")
        return number
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return [normalize(item) for item in value]
    raise ExpressionError(f"unsupported value of type {type(value).__name__}")


def same_family(a: str, b: str) -> bool:
    """Kinds that may be compared with each other (null aside)."""
    return a == b or (a in NUMBER and b in NUMBER)


def check_comparable(a: Any, b: Any, op: str, at: int | None) -> None:
    ka, kb = kind_of(a), kind_of(b)
    if "list" in (ka, kb):
        raise ExpressionError("a list can only be used with in, sum, len, min and max", at)
    if not same_family(ka, kb):
        raise ExpressionError(f"cannot compare {word(ka)} with {word(kb)} using '{op}'", at)
    if op not in ("==", "!=", "in") and ka == "bool":
        raise ExpressionError(f"booleans cannot be compared with '{op}'", at)


def compare(op: str, a: Any, b: Any, at: int | None = None) -> bool:
    """== and != are null-safe; ordering with a null side is false."""
    if op in ("==", "!="):
        if a is None or b is None:
            equal = a is None and b is None
        else:
            check_comparable(a, b, op, at)
            equal = a == b
        return equal if op == "==" else not equal
    if a is None or b is None:
        return False
    check_comparable(a, b, op, at)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def member(element: Any, items: list[Any], at: int | None = None) -> bool:
    """``element in items``: false for a null element; null items never match."""
    if element is None:
        return False
    for item in items:
        if item is not None:
            check_comparable(element, item, "in", at)
            if element == item:
                return True
    return False


def truthy(value: Any) -> bool:
    """Null, false, 0 and '' are false; every date is true."""
    if value is None:
        return False
    if isinstance(value, str | int | Decimal):  # bool is an int
        return bool(value)
    return True


def arithmetic(op: str, a: Any, b: Any, at: int | None = None) -> Any:
    """+ - * / % with null propagation, exact numbers and day arithmetic on dates."""
    if a is None or b is None:
        return None
    ka, kb = kind_of(a), kind_of(b)
    if ka in NUMBER and kb in NUMBER:
        if op in ("/", "%") and b == 0:
            raise ExpressionError("division by zero", at)
        if op == "/":
            return Decimal(a) / Decimal(b)
        if op == "%":
            if ka == kb == "int":  # sign of the dividend, as in SQL (not Python's floor)
                remainder = abs(a) % abs(b)
                return -remainder if a < 0 else remainder
            return Decimal(a) % Decimal(b)
        if op == "+":
            return a + b
        return a - b if op == "-" else a * b
    if op == "+" and ka == kb == "str":
        return a + b
    try:
        if ka in ("date", "datetime") and kb == "int" and op in ("+", "-"):
            return add_days(a, b if op == "+" else -b)
        if ka == "int" and kb in ("date", "datetime") and op == "+":
            return add_days(b, a)
        if ka == kb == "date" and op == "-":
            return (a - b).days
    except OverflowError:
        raise ExpressionError("date out of range", at) from None
    hint = "; use days_between(a, b)" if ka == kb == "datetime" and op == "-" else ""
    raise ExpressionError(f"cannot apply '{op}' to {word(ka)} and {word(kb)}{hint}", at)


def add_days(value: date, days: int) -> date:
    """Whole days; on datetimes exactly 24 hours each (in UTC, as the SQL back end does)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) + timedelta(days=days)
    return value + timedelta(days=days)


def negate(value: Any, at: int | None = None) -> Any:
    if value is None:
        return None
    if kind_of(value) not in NUMBER:
        raise ExpressionError(f"cannot negate {word(kind_of(value))}", at)
    return -value


def round_half_up(value: Any, digits: int, at: int | None = None) -> Any:
    """round(x, n): half away from zero; int stays int when n == 0, else Decimal."""
    if value is None:
        return None
    kind = kind_of(value)
    if kind not in NUMBER:
        raise ExpressionError(f"round() needs a number, not {word(kind)}", at)
    if kind == "int" and digits == 0:
        return value
    return Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def to_date(value: Any, offset: timedelta) -> date:
    """A date, or a datetime reduced to its date at the fixed UTC offset `offset`."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC).replace(tzinfo=None) + offset).date()
    return value
