"""SQL back end: compile an `Expression` to a SQLAlchemy Core expression over a `SqlScope`.

Types are checked statically from the scope's column types, so a type error is raised
once, at compile time. Every boolean-valued node compiles to SQL that is never NULL, so
``not``, ``and`` and ``or`` agree with the Python evaluator row by row.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from . import sql_ops as ops
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
from .scopes import SqlScope
from .sql_ops import NULL, Col, SqlValue
from .values import NUMBER, same_family, word

_TRUE = SqlValue(sa.true(), "bool", True)
_FALSE = SqlValue(sa.false(), "bool", True)


#: Bounds on the compiled SQL (see sql_ops.check_size); ~160 levels need ~600 frames.
MAX_SQL_ELEMENTS = 20_000
MAX_SQL_DEPTH = 160


def to_sql(expr: Expression, scope: SqlScope) -> Col:
    """The expression's value as SQL; for comparisons and logic a never-NULL boolean."""
    value = _Compiler(scope).value(expr.root).sql
    return ops.check_size(value, MAX_SQL_ELEMENTS, MAX_SQL_DEPTH)


def to_sql_condition(expr: Expression, scope: SqlScope) -> Col:
    """A never-NULL WHERE condition selecting the rows where `evaluate_condition` is true."""
    condition = _Compiler(scope).cond(expr.root)
    return ops.check_size(condition, MAX_SQL_ELEMENTS, MAX_SQL_DEPTH)


def _unless_null(test: Col, *values: SqlValue) -> Col:
    """`test` made never-NULL; `test` must be NULL whenever a nullable operand is NULL.

    Plain columns get IS NOT NULL guards (index-friendly); anything else is wrapped in
    coalesce(test, false) so a subquery or computation is not repeated.
    """
    nullable = [v for v in values if not v.nonnull]
    if not nullable:
        return test
    if all(isinstance(v.sql, sa.ColumnClause) for v in nullable):
        return sa.and_(*(v.sql.is_not(None) for v in nullable), test)
    return sa.func.coalesce(test, sa.false())


def _kind(values: list[SqlValue]) -> str:
    kinds = {v.kind for v in values}
    return "dec" if kinds == {"int", "dec"} else kinds.pop()


class _Compiler:
    def __init__(self, scope: SqlScope) -> None:
        if scope.dialect not in ("sqlite", "postgresql"):
            raise ExpressionError(f"unsupported SQL dialect {scope.dialect!r}")
        self.scope = scope
        self.sqlite = scope.dialect == "sqlite"
        now = scope.now if scope.now.tzinfo else scope.now.replace(tzinfo=UTC)
        self.now = now
        self.offset = now.utcoffset() or timedelta(0)

    # -- entry points ------------------------------------------------------------------

    def value(self, node: Node) -> SqlValue:
        result = self.raw(node)
        if result.kind == "list":
            raise ExpressionError(
                "a list can only be used with in, sum, len, min and max", node.offset)
        return result

    def cond(self, node: Node) -> Col:
        """Truthiness, never NULL: null, false, 0 and '' are false."""
        v = self.value(node)
        if v.kind == "null":
            return sa.false()
        if v.kind == "bool":
            return v.sql if v.nonnull else sa.func.coalesce(v.sql, sa.false())
        if v.kind in NUMBER:
            return _unless_null(v.sql != 0, v)
        if v.kind == "str":
            return _unless_null(v.sql != "", v)
        return sa.true() if v.nonnull else v.sql.is_not(None)

    def raw(self, node: Node) -> SqlValue:
        if isinstance(node, Literal):
            return self._literal(node.value)
        if isinstance(node, Field):
            return self._field(node)
        if isinstance(node, User):
            return self._literal(self.scope.user)
        if isinstance(node, Unary):
            if node.op == "not":
                return SqlValue(sa.not_(self.cond(node.operand)), "bool", True)
            v = self.value(node.operand)
            if v.kind == "null":
                return NULL
            if v.kind not in NUMBER:
                raise ExpressionError(f"cannot negate {word(v.kind)}", node.offset)
            return SqlValue(-v.sql, v.kind, v.nonnull)
        if isinstance(node, BoolOp):
            parts = [self.cond(operand) for operand in node.operands]
            combined = sa.and_(*parts) if node.op == "and" else sa.or_(*parts)
            return SqlValue(combined, "bool", True)
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, Compare):
            return SqlValue(self._compare(node), "bool", True)
        if isinstance(node, Call):
            return self._call(node)
        raise ExpressionError(f"{type(node).__name__} cannot be compiled", node.offset)

    # -- leaves ------------------------------------------------------------------------

    def _literal(self, value: Any) -> SqlValue:
        if value is None:
            return NULL
        if isinstance(value, bool):
            return _TRUE if value else _FALSE
        if isinstance(value, int):
            return SqlValue(sa.literal(value, sa.BigInteger()), "int", True)
        if isinstance(value, Decimal):
            return SqlValue(sa.literal(value, sa.Numeric()), "dec", True)
        return SqlValue(sa.literal(value, sa.Text()), "str", True)

    def _field(self, node: Field) -> SqlValue:
        if self.scope.is_list(node.path):
            return SqlValue(None, "list", path=node.path)
        column = self.scope.column(node.path)
        kind = ops.kind_of_type(column.type)
        if kind == "list":
            return SqlValue(None, "list", path=node.path)
        return SqlValue(column, kind)

    # -- operators ---------------------------------------------------------------------

    def _binary(self, node: Binary) -> SqlValue:
        left, right, sym, at = self.value(node.left), self.value(node.right), node.op, node.offset
        if "null" in (left.kind, right.kind):
            return NULL
        nonnull = left.nonnull and right.nonnull
        if left.kind in NUMBER and right.kind in NUMBER:
            if sym in ("/", "%") and isinstance(node.right, Literal) and node.right.value == 0:
                raise ExpressionError("division by zero", at)
            integers = left.kind == right.kind == "int"
            if sym == "/":
                return SqlValue(ops.divide(left.sql, right.sql, self.sqlite), "dec")
            if sym == "%":
                expr = ops.modulo(left.sql, right.sql, integers, self.sqlite)
                return SqlValue(expr, "int" if integers else "dec")
            if integers:
                return SqlValue(ops.op(left.sql, sym, right.sql, sa.BigInteger()), "int", nonnull)
            expr = ops.op(left.sql, sym, right.sql, sa.Numeric())
            return SqlValue(ops.dec_result(expr, self.sqlite), "dec", nonnull)
        if sym == "+" and left.kind == right.kind == "str":
            return SqlValue(ops.op(left.sql, "||", right.sql, sa.Text()), "str", nonnull)
        dated = ("date", "datetime")
        if sym in ("+", "-") and left.kind in dated and right.kind == "int":
            days = right.sql if sym == "+" else -right.sql
            return ops.add_days(SqlValue(left.sql, left.kind, nonnull, shifted=left.shifted),
                                days, self.sqlite)
        if sym == "+" and left.kind == "int" and right.kind in dated:
            return ops.add_days(SqlValue(right.sql, right.kind, nonnull,
                                         shifted=right.shifted), left.sql, self.sqlite)
        if sym == "-" and left.kind == right.kind == "date":
            return SqlValue(ops.days_between(right.sql, left.sql, self.sqlite), "int", nonnull)
        hint = "; use days_between(a, b)" if left.kind == right.kind == "datetime" else ""
        raise ExpressionError(
            f"cannot apply '{sym}' to {word(left.kind)} and {word(right.kind)}{hint}", at)

    def _check(self, left: SqlValue, right: SqlValue, sym: str, at: int | None) -> None:
        if not same_family(left.kind, right.kind):
            raise ExpressionError(
                f"cannot compare {word(left.kind)} with {word(right.kind)} using '{sym}'", at)
        if sym not in ("==", "!=", "in") and left.kind == "bool":
            raise ExpressionError(f"booleans cannot be compared with '{sym}'", at)

    def _equal(self, left: SqlValue, right: SqlValue) -> Col:
        """Null-safe equality, never NULL; index-friendly when one side cannot be NULL."""
        if left.kind == "null" or right.kind == "null":
            if left.kind == right.kind:
                return sa.true()
            other = right if left.kind == "null" else left
            return sa.false() if other.nonnull else other.sql.is_(None)
        if left.nonnull and right.nonnull:
            return left.sql == right.sql
        if left.nonnull or right.nonnull:
            return _unless_null(left.sql == right.sql, left, right)
        return left.sql.is_not_distinct_from(right.sql)

    def _compare(self, node: Compare) -> Col:
        sym, at = node.op, node.offset
        if sym in ("in", "not in"):
            found = self._member(node)
            return found if sym == "in" else sa.not_(found)
        left, right = self.value(node.left), self.value(node.right)
        if "null" not in (left.kind, right.kind):
            self._check(left, right, sym, at)
        if sym in ("==", "!="):
            equal = self._equal(left, right)
            return equal if sym == "==" else sa.not_(equal)
        if "null" in (left.kind, right.kind):
            return sa.false()
        a = ops.text_order(left.sql, left.kind, self.sqlite)
        b = ops.text_order(right.sql, right.kind, self.sqlite)
        test = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[sym]
        return _unless_null(test, left, right)

    def _member(self, node: Compare) -> Col:
        left = self.value(node.left)
        if isinstance(node.right, ListLit):
            items = [self.value(item) for item in node.right.items]
            items = [item for item in items if item.kind != "null"]
            if left.kind == "null" or not items:
                return sa.false()
            for item in items:
                self._check(left, item, "in", node.offset)
            if all(isinstance(i.sql, sa.BindParameter) for i in items):
                return _unless_null(left.sql.in_([i.sql for i in items]), left)
            guard = [] if left.nonnull else [left.sql.is_not(None)]
            nonnull_left = SqlValue(left.sql, left.kind, True)
            return sa.and_(*guard, sa.or_(*(self._equal(nonnull_left, i) for i in items)))
        right = self.raw(node.right)
        if right.kind != "list" or right.path is None:
            raise ExpressionError(
                f"right of '{node.op}' must be a list like [1, 2] or a list-valued field",
                node.offset)
        if left.kind == "null":
            return sa.false()
        contains = sa.func.coalesce(self.scope.contains(right.path, left.sql), sa.false())
        return contains if left.nonnull else sa.and_(left.sql.is_not(None), contains)

    # -- functions ---------------------------------------------------------------------

    def _call(self, node: Call) -> SqlValue:
        name, at = node.name, node.offset
        if name == "today":
            return SqlValue(sa.literal(self.now.date(), sa.Date()), "date", True)
        if name == "now":
            now = self.now.astimezone(UTC)
            if self.sqlite:
                now = now.replace(tzinfo=None)
            return SqlValue(sa.literal(now, sa.DateTime(timezone=True)), "datetime", True)
        if name in ("sum", "len") or (name in ("min", "max") and len(node.args) == 1):
            return self._aggregate(name, self.raw(node.args[0]), at)
        args = [self.value(arg) for arg in node.args]
        if name == "days_between":
            return self._days_between(args, at)
        if name == "round":
            return self._round(args[0], getattr(node.args[-1], "value", 0) if len(args) > 1
                               else 0, at)
        if name == "abs":
            if args[0].kind == "null":
                return NULL
            if args[0].kind not in NUMBER:
                raise ExpressionError(f"abs() needs a number, not {word(args[0].kind)}", at)
            return SqlValue(sa.func.abs(args[0].sql, type_=args[0].sql.type), args[0].kind,
                            args[0].nonnull)
        present = [arg for arg in args if arg.kind != "null"]
        for other in present[1:]:
            self._check(present[0], other, "<" if name in ("min", "max") else "==", at)
        if len(present) <= 1:
            if present and name in ("min", "max"):
                self._check(present[0], present[0], "<", at)
            return present[0] if present else NULL
        kind = _kind(present)
        if name == "coalesce":
            type_ = sa.Numeric() if kind == "dec" else present[0].sql.type
            expr: Col = sa.func.coalesce(*(v.sql for v in present), type_=type_)
            return SqlValue(expr, kind, any(v.nonnull for v in present))
        expr = ops.extreme(name, present, kind, self.sqlite)
        return SqlValue(expr, kind, any(v.nonnull for v in present))

    def _aggregate(self, name: str, arg: SqlValue, at: int | None) -> SqlValue:
        if arg.kind == "list" and arg.path is not None:
            column = self.scope.aggregate(name, arg.path)
            kind = "int" if name == "len" else ops.kind_of_type(column.type)
            if name in ("min", "max"):
                return SqlValue(column, kind)
            if kind not in NUMBER:
                raise ExpressionError(f"sum() cannot add {word(kind)}", at)
            total: Col = sa.func.coalesce(column, 0, type_=column.type)
            if kind == "dec":
                total = ops.dec_result(total, self.sqlite)
            return SqlValue(total, kind, True)
        if arg.kind == "null":
            return SqlValue(sa.literal(0, sa.BigInteger()), "int", True) if name in (
                "sum", "len") else NULL
        if name == "len":
            if arg.kind != "str":
                raise ExpressionError(f"len() needs a list or text, not {word(arg.kind)}", at)
            length = sa.func.coalesce(sa.func.length(arg.sql), 0, type_=sa.BigInteger())
            return SqlValue(length, "int", True)
        if name == "sum":
            raise ExpressionError("sum() needs a list-valued field, e.g. sum(items.subtotal)", at)
        self._check(arg, arg, "<", at)
        return arg

    def _round(self, arg: SqlValue, digits: int, at: int | None) -> SqlValue:
        if arg.kind == "null":
            return NULL
        if arg.kind not in NUMBER:
            raise ExpressionError(f"round() needs a number, not {word(arg.kind)}", at)
        if arg.kind == "int" and digits == 0:
            return arg
        value = arg.sql if self.sqlite or arg.kind == "dec" else sa.cast(arg.sql, sa.Numeric())
        places: Col = sa.literal_column(str(int(digits)))
        return SqlValue(sa.func.round(value, places, type_=sa.Numeric()), "dec", arg.nonnull)

    def _days_between(self, args: list[SqlValue], at: int | None) -> SqlValue:
        if any(arg.kind == "null" for arg in args):
            return NULL
        for arg in args:
            if arg.kind not in ("date", "datetime"):
                raise ExpressionError(f"days_between() needs dates, not {word(arg.kind)}", at)
        first, second = (ops.date_of(a.sql, a.kind, self.offset, self.sqlite) for a in args)
        return SqlValue(ops.days_between(first, second, self.sqlite), "int",
                        args[0].nonnull and args[1].nonnull)
