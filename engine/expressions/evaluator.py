"""Python back end: evaluate an `Expression` against one record (an `EvalScope`).

Bound: the IR has at most 500 nodes and 50 levels (see parser), no loops and no calls
into Python objects, so one evaluation visits each node once; the only other work is
linear in the size of the lists a scope returns (table rows, multiselect values).
Decimal arithmetic runs in `values.CONTEXT` (28 digits, overflow trapped).
"""

from __future__ import annotations

import decimal
from datetime import timedelta
from typing import Any

from .errors import ExpressionError
from .nodes import (
    Binary,
    BoolOp,
    Call,
    Compare,
    Expression,
    Field,
    ListLit,
    Literal,
    Node,
    Unary,
    User,
)
from .scopes import EvalScope
from .values import (
    CONTEXT,
    NUMBER,
    arithmetic,
    check_comparable,
    compare,
    kind_of,
    member,
    negate,
    normalize,
    round_half_up,
    to_date,
    truthy,
    word,
)


def evaluate(expr: Expression, scope: EvalScope) -> Any:
    """The value of `expr` for one record; raises ExpressionError on type errors etc."""
    with decimal.localcontext(CONTEXT):
        try:
            return _Evaluator(scope).value(expr.root)
        except decimal.DivisionByZero:
            raise ExpressionError("division by zero") from None
        except (decimal.DecimalException, OverflowError) as exc:
            raise ExpressionError(f"arithmetic error ({type(exc).__name__})") from None


def evaluate_condition(expr: Expression, scope: EvalScope) -> bool:
    """`evaluate` read as a condition: null, false, 0 and '' are false."""
    return truthy(evaluate(expr, scope))


class _Evaluator:
    def __init__(self, scope: EvalScope) -> None:
        self.scope = scope
        now = normalize(scope.now)
        self.now = now
        self.offset = now.utcoffset() or timedelta(0)

    def value(self, node: Node) -> Any:
        """A scalar value; a list here is a type error."""
        result = self.raw(node)
        if isinstance(result, list):
            raise ExpressionError(
                "a list can only be used with in, sum, len, min and max", node.offset)
        return result

    def raw(self, node: Node) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Field):
            return normalize(self.scope.lookup(node.path))
        if isinstance(node, User):
            return self.scope.user
        if isinstance(node, Unary):
            if node.op == "not":
                return not truthy(self.value(node.operand))
            return negate(self.value(node.operand), node.offset)
        if isinstance(node, Binary):
            return arithmetic(node.op, self.value(node.left), self.value(node.right),
                              node.offset)
        if isinstance(node, BoolOp):
            return self._boolop(node)
        if isinstance(node, Compare):
            return self._compare(node)
        if isinstance(node, Call):
            return self._call(node)
        raise ExpressionError(f"{type(node).__name__} cannot be evaluated", node.offset)

    def _boolop(self, node: BoolOp) -> bool:
        if node.op == "and":
            return all(truthy(self.value(operand)) for operand in node.operands)
        return any(truthy(self.value(operand)) for operand in node.operands)

    def _compare(self, node: Compare) -> bool:
        left = self.value(node.left)
        if node.op not in ("in", "not in"):
            return compare(node.op, left, self.value(node.right), node.offset)
        if isinstance(node.right, ListLit):
            items = [self.value(item) for item in node.right.items]
        else:
            items = self.raw(node.right)
            if items is None:
                items = []
            if not isinstance(items, list):
                raise ExpressionError(
                    f"right of '{node.op}' must be a list like [1, 2] or a list-valued "
                    "field", node.offset)
        found = member(left, items, node.offset)
        return found if node.op == "in" else not found

    def _call(self, node: Call) -> Any:
        name, at = node.name, node.offset
        if name == "today":
            return self.now.date()
        if name == "now":
            return self.now
        if name in ("sum", "len") or (name in ("min", "max") and len(node.args) == 1):
            return self._aggregate(name, self.raw(node.args[0]), at)
        args = [self.value(arg) for arg in node.args]
        if name in ("min", "max"):
            return _extreme(name, args, at)
        if name == "round":
            return round_half_up(args[0], args[1] if len(args) > 1 else 0, at)
        if name == "abs":
            if args[0] is not None and kind_of(args[0]) not in NUMBER:
                raise ExpressionError(f"abs() needs a number, not {word(kind_of(args[0]))}", at)
            return None if args[0] is None else abs(args[0])
        if name == "coalesce":
            present = [arg for arg in args if arg is not None]
            for other in present[1:]:
                check_comparable(present[0], other, "==", at)
            return present[0] if present else None
        if name == "days_between":
            if args[0] is None or args[1] is None:
                return None
            for arg in args:
                if kind_of(arg) not in ("date", "datetime"):
                    raise ExpressionError(
                        f"days_between() needs dates, not {word(kind_of(arg))}", at)
            return (to_date(args[1], self.offset) - to_date(args[0], self.offset)).days
        raise ExpressionError(f"unknown function '{name}'", at)

    def _aggregate(self, name: str, value: Any, at: int | None) -> Any:
        if name == "len":
            if value is None:
                return 0
            if isinstance(value, list | str):
                return len(value)
            raise ExpressionError(f"len() needs a list or text, not {word(kind_of(value))}", at)
        if name in ("min", "max") and not isinstance(value, list):
            return _extreme(name, [value], at)
        if name == "min" or name == "max":
            return _extreme(name, value, at)
        if value is None:
            return 0
        if not isinstance(value, list):
            raise ExpressionError("sum() needs a list-valued field, e.g. sum(items.subtotal)", at)
        total: Any = 0
        for item in value:
            if item is not None:
                if kind_of(item) not in NUMBER:
                    raise ExpressionError(f"sum() cannot add {word(kind_of(item))}", at)
                total = total + item
        return total


def _extreme(name: str, values: list[Any], at: int | None) -> Any:
    """min/max of the non-null values; null when there are none."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    for other in present:
        check_comparable(present[0], other, "<", at)
    return min(present) if name == "min" else max(present)

