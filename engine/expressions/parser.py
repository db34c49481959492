"""Front end: source text -> `Expression` (our IR), via `ast.parse` and an allow-list.

Only the node types handled in `_Builder` are accepted; everything else is refused with
an English message and, where Python reports it, the character offset. Names are not
checked against any form here: the definition layer checks `Expression.references()`.
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from functools import lru_cache

from .errors import ExpressionError
from .nodes import (
    FUNCTIONS,
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
from .scan import USER_NAME, prepare

MAX_NODES = 500
MAX_DEPTH = 50
MAX_ROUND_DIGITS = 10
MAX_INT = 2**63 - 1  # what a BIGINT column and a SQL bind parameter can hold

_BINOPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
                            ast.Mod: "%"}
_REFUSED_BINOPS: dict[type, str] = {
    ast.Pow: "**", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
_CMPOPS: dict[type, str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in"}
_CONSTANT_NAMES = {"true": True, "false": False, "null": None}
_REFUSED: dict[type, str] = {
    ast.Lambda: "lambda functions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.Subscript: "subscripts (a[...]) are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.IfExp: "conditional expressions (x if c else y) are not allowed",
    ast.NamedExpr: "assignment expressions (:=) are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.Tuple: "tuples are not allowed; after 'in' write a list like [1, 2]",
    ast.Starred: "starred expressions are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "slices are not allowed",
}
_INT_TEXT = re.compile(r"[0-9][0-9_]*")
_DECIMAL_TEXT = re.compile(r"[0-9_]*\.[0-9_]*")


def parse(source: str) -> Expression:
    """Parse and validate `source`; raises ExpressionError. Results are cached by source."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be a string, not {type(source).__name__}")
    return _parse_cached(source)


@lru_cache(maxsize=4096)
def _parse_cached(source: str) -> Expression:
    prepared = prepare(source)
    stripped = prepared.lstrip()  # Python refuses leading spaces ("unexpected indent")
    builder = _Builder(stripped, shift=len(prepared) - len(stripped))
    try:
        tree = ast.parse(builder.source, mode="eval")
    except SyntaxError as exc:
        # Python's own wording varies by version ("invalid syntax. Perhaps you forgot a comma?"); the
        # engine says one of two things, as the designer's live check does (expr-parse.js)
        if not exc.offset or exc.lineno is None or exc.lineno > builder.source.count("\n") + 1:
            raise ExpressionError("syntax error: unexpected end", len(source)) from None
        offset = builder.char_offset(exc.lineno, exc.offset - 1, in_bytes=False)
        if offset is not None and offset >= len(source.rstrip()):
            raise ExpressionError("syntax error: unexpected end", len(source)) from None
        if "leading zeros" in exc.msg:
            raise ExpressionError("leading zeros in a number are not allowed", offset) from None
        if offset is not None and source[offset:offset + 1] == "=" and source[offset - 1:offset] not in "=!<>":
            raise ExpressionError("use == to compare", offset) from None
        raise ExpressionError("syntax error: invalid syntax", offset) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("expression could not be parsed") from None
    _check_size(tree.body, builder)
    return Expression(source=source, root=builder.build(tree.body))


def _check_size(tree: ast.expr, builder: _Builder) -> None:
    """Refuse trees over MAX_NODES expression nodes or MAX_DEPTH levels (iteratively)."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, ast.expr):
            continue
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"expression is too large (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
                builder.offset(node))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Builder:
    """Turns an allowed `ast` tree into IR nodes; one instance per parse."""

    def __init__(self, source: str, shift: int) -> None:
        self.source = source
        self.shift = shift
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source)]

    # -- offsets and errors --------------------------------------------------------

    def char_offset(self, lineno: int | None, col: int, in_bytes: bool = True) -> int | None:
        if lineno is None or not 1 <= lineno <= len(self.line_starts):
            return None
        start = self.line_starts[lineno - 1]
        if in_bytes:
            line = self.source[start:].encode("utf-8")[:col]
            col = len(line.decode("utf-8", errors="ignore"))
        return self.shift + max(0, min(start + col, len(self.source)))

    def offset(self, node: ast.AST) -> int | None:
        return self.char_offset(getattr(node, "lineno", None), getattr(node, "col_offset", 0))

    def fail(self, message: str, node: ast.AST) -> ExpressionError:
        return ExpressionError(message, self.offset(node))

    # -- dispatch ------------------------------------------------------------------

    def build(self, node: ast.AST) -> Node:
        match node:
            case ast.Constant():
                return self._constant(node)
            case ast.Name():
                return self._name(node)
            case ast.Attribute():
                return self._attribute(node)
            case ast.UnaryOp():
                return self._unary(node)
            case ast.BinOp():
                return self._binop(node)
            case ast.BoolOp():
                return self._boolop(node)
            case ast.Compare():
                return self._compare(node)
            case ast.Call():
                return self._call(node)
            case ast.List():
                return self._list_elsewhere(node)
        message = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed")
        raise self.fail(message, node)

    def _constant(self, node: ast.Constant) -> Node:
        value, at = node.value, self.offset(node)
        if isinstance(value, str):
            return Literal(value, offset=at)
        if value is None or isinstance(value, bool):
            raise self.fail("use true, false and null (lowercase)", node)
        text = ast.get_source_segment(self.source, node) or ""
        if isinstance(value, int) and _INT_TEXT.fullmatch(text):
            if value > MAX_INT:
                raise self.fail(f"number {text!r} is too large (64-bit integers only)", node)
            return Literal(value, offset=at)
        if isinstance(value, float) and _DECIMAL_TEXT.fullmatch(text):
            return Literal(Decimal(text.replace("_", "")), offset=at)
        if isinstance(value, int | float | complex):
            raise self.fail(f"number {text!r} is not allowed; write plain digits like 12 "
                            "or 1.5", node)
        raise self.fail(f"constant {text or value!r} is not allowed", node)

    def _name(self, node: ast.Name) -> Node:
        at = self.offset(node)
        if node.id in _CONSTANT_NAMES:
            return Literal(_CONSTANT_NAMES[node.id], offset=at)
        if node.id == USER_NAME:
            return User(offset=at)
        if node.id.startswith("_"):
            raise self.fail("names starting with '_' are not allowed", node)
        if node.id in FUNCTIONS:
            raise self.fail(f"'{node.id}' is a function; call it like {node.id}(...)", node)
        return Field((node.id,), offset=at)

    def _attribute(self, node: ast.Attribute) -> Node:
        if node.attr.startswith("_"):
            raise self.fail("names starting with '_' are not allowed", node)
        base = node.value
        if isinstance(base, ast.Attribute):
            raise self.fail("field paths have at most two parts (a.b)", node)
        if not isinstance(base, ast.Name) or base.id in _CONSTANT_NAMES \
                or base.id == USER_NAME or base.id.startswith("_") or base.id in FUNCTIONS:
            raise self.fail("'.' may only follow a field name (a.b)", node)
        return Field((base.id, node.attr), offset=self.offset(node))

    def _unary(self, node: ast.UnaryOp) -> Node:
        at = self.offset(node)
        if isinstance(node.op, ast.Not):
            return Unary("not", self.build(node.operand), offset=at)
        if not isinstance(node.op, ast.USub):
            symbol = "+" if isinstance(node.op, ast.UAdd) else "~"
            raise self.fail(f"unary '{symbol}' is not allowed", node)
        operand = self.build(node.operand)
        if isinstance(operand, Literal) and isinstance(operand.value, int | Decimal) \
                and not isinstance(operand.value, bool):
            return Literal(-operand.value, offset=at)
        return Unary("neg", operand, offset=at)

    def _binop(self, node: ast.BinOp) -> Node:
        op = _BINOPS.get(type(node.op))
        if op is None:
            symbol = _REFUSED_BINOPS.get(type(node.op), type(node.op).__name__)
            raise self.fail(f"operator '{symbol}' is not allowed", node)
        return Binary(op, self.build(node.left), self.build(node.right),
                      offset=self.offset(node))

    def _boolop(self, node: ast.BoolOp) -> Node:
        op = "and" if isinstance(node.op, ast.And) else "or"
        return BoolOp(op, tuple(self.build(v) for v in node.values), offset=self.offset(node))

    def _compare(self, node: ast.Compare) -> Node:
        parts: list[Node] = []
        left = self.build(node.left)
        for op_node, right_ast in zip(node.ops, node.comparators, strict=True):
            op = _CMPOPS.get(type(op_node))
            if op is None:
                raise self.fail("'is' is not allowed; use == null or != null", node)
            if op in ("in", "not in") and isinstance(right_ast, ast.List):
                right: Node = self._list(right_ast)
            else:
                right = self.build(right_ast)
            parts.append(Compare(op, left, right, offset=self.offset(node)))
            left = right
        if len(parts) == 1:
            return parts[0]
        return BoolOp("and", tuple(parts), offset=self.offset(node))

    def _list(self, node: ast.List) -> Node:
        return ListLit(tuple(self.build(item) for item in node.elts), offset=self.offset(node))

    def _list_elsewhere(self, node: ast.List) -> Node:
        raise self.fail("a list [...] may only appear right of 'in' or 'not in'", node)

    def _call(self, node: ast.Call) -> Node:
        allowed = ", ".join(sorted(FUNCTIONS))
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"only these functions may be called: {allowed}", node)
        name = node.func.id
        if name == USER_NAME:
            raise self.fail("$user is not a function", node)
        if name not in FUNCTIONS:
            raise self.fail(f"unknown function '{name}'; allowed: {allowed}", node)
        if node.keywords:
            raise self.fail("keyword arguments are not allowed", node)
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise self.fail("starred arguments are not allowed", node)
        low, high = FUNCTIONS[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            expected = str(low) if low == high else (
                f"at least {low}" if high is None else f"{low} to {high}")
            raise self.fail(f"{name}() takes {expected} argument(s), got {count}", node)
        args = tuple(self.build(arg) for arg in node.args)
        if name == "round" and len(args) == 2:
            digits = args[1]
            if not (isinstance(digits, Literal) and type(digits.value) is int
                    and 0 <= digits.value <= MAX_ROUND_DIGITS):
                raise self.fail("round(x, n): n must be a whole number from 0 to "
                                f"{MAX_ROUND_DIGITS}", node.args[1])
        return Call(name, args, offset=self.offset(node))
