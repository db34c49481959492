"""The intermediate representation (IR): small frozen dataclasses, one per construct.

Both back ends (Python `evaluate`, SQL `to_sql`) and the JSON form (`Expression.to_dict`)
are defined over this IR only, never over Python's `ast`.

JSON shape of ``Expression.to_dict()`` (for a client-side evaluator)::

    {"version": 1, "source": "<text>", "root": NODE}

    NODE is one of
      {"t": "lit", "v": null | true | false | <int> | "<string>"}
      {"t": "dec", "v": "<decimal text, e.g. '1.50'>"}      # exact decimal literal
      {"t": "field", "path": ["amount"] | ["account", "grade"]}
      {"t": "user"}                                        # $user
      {"t": "list", "items": [NODE, ...]}                  # only right of in / not in
      {"t": "neg", "arg": NODE}
      {"t": "not", "arg": NODE}
      {"t": "bin", "op": "+"|"-"|"*"|"/"|"%", "left": NODE, "right": NODE}
      {"t": "cmp", "op": "=="|"!="|"<"|"<="|">"|">="|"in"|"not in",
       "left": NODE, "right": NODE}
      {"t": "and" | "or", "args": [NODE, NODE, ...]}
      {"t": "call", "fn": "<function name>", "args": [NODE, ...]}

Chained comparisons (``0 < x <= 9``) arrive as an "and" of two "cmp" nodes; ``-5``
arrives as the literal -5. Integer literals fit in 64 bits (a JavaScript client needs
BigInt beyond 2**53). The value semantics a client must follow are in values.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

#: function name -> (minimum, maximum) argument count; None = no maximum.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "coalesce": (1, None),
    "days_between": (2, 2),
    "len": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "now": (0, 0),
    "round": (1, 2),
    "sum": (1, 1),
    "today": (0, 0),
}
#: function name -> (signature, what it gives); the reference's function table is made from it.
FUNCTION_HELP: dict[str, tuple[str, str]] = {
    "abs": ("abs(x)", "The absolute value of a number; null stays null."),
    "coalesce": ("coalesce(a, b, ...)", "The first argument that is not null (null when all are); "
                 "the arguments must be of comparable kinds."),
    "days_between": ("days_between(a, b)", "Whole days from date `a` to date `b` (negative when `b` is "
                     "earlier); a datetime counts by its date in ENGINE_TIMEZONE; null when either is null."),
    "len": ("len(x)", "The number of rows of a table, items of a multiselect or characters of a text; "
            "0 for null."),
    "max": ("max(a, b, ...) or max(list)", "The largest value that is not null (null when there is none); "
            "with one list-valued argument, e.g. `max(items.price)`, the largest item."),
    "min": ("min(a, b, ...) or min(list)", "The smallest value that is not null (null when there is none); "
            "with one list-valued argument, the smallest item."),
    "now": ("now()", "The current date and time."),
    "round": ("round(x, n)", "`x` rounded half away from zero to `n` decimal places (0 to 10; default 0); "
              "a whole number stays whole when `n` is 0."),
    "sum": ("sum(list)", "The sum of a list-valued field such as a table column, e.g. `sum(items.subtotal)`; "
            "null items are skipped, no rows give 0."),
    "today": ("today()", "Today's date in ENGINE_TIMEZONE."),
}
ARITHMETIC = ("+", "-", "*", "/", "%")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")

Literal_ = None | bool | int | Decimal | str


@dataclass(frozen=True)
class Node:
    """Base of every IR node; ``offset`` points into the source for error messages."""

    offset: int | None = field(default=None, compare=False, repr=False, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        return ()

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Literal(Node):
    value: Literal_

    def to_dict(self) -> dict[str, Any]:
        if isinstance(self.value, Decimal):
            return {"t": "dec", "v": str(self.value)}
        return {"t": "lit", "v": self.value}


@dataclass(frozen=True)
class Field(Node):
    path: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"t": "field", "path": list(self.path)}


@dataclass(frozen=True)
class User(Node):
    def to_dict(self) -> dict[str, Any]:
        return {"t": "user"}


@dataclass(frozen=True)
class ListLit(Node):
    items: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.items

    def to_dict(self) -> dict[str, Any]:
        return {"t": "list", "items": [item.to_dict() for item in self.items]}


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "neg" | "not"
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def to_dict(self) -> dict[str, Any]:
        return {"t": self.op, "arg": self.operand.to_dict()}


@dataclass(frozen=True)
class Binary(Node):
    op: str  # one of ARITHMETIC
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_dict(self) -> dict[str, Any]:
        return {"t": "bin", "op": self.op, "left": self.left.to_dict(),
                "right": self.right.to_dict()}


@dataclass(frozen=True)
class Compare(Node):
    op: str  # one of COMPARISONS
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_dict(self) -> dict[str, Any]:
        return {"t": "cmp", "op": self.op, "left": self.left.to_dict(),
                "right": self.right.to_dict()}


@dataclass(frozen=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    operands: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands

    def to_dict(self) -> dict[str, Any]:
        return {"t": self.op, "args": [arg.to_dict() for arg in self.operands]}


@dataclass(frozen=True)
class Call(Node):
    name: str  # a key of FUNCTIONS
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args

    def to_dict(self) -> dict[str, Any]:
        return {"t": "call", "fn": self.name, "args": [arg.to_dict() for arg in self.args]}


def walk(root: Node) -> list[Node]:
    """Every node of the tree, iteratively (the tree is small but never trust depth)."""
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children()))
    return out


@dataclass(frozen=True)
class Expression:
    """A parsed, validated expression: immutable, cached by `parse`, safe to share."""

    source: str
    root: Node

    @cached_property
    def _nodes(self) -> tuple[Node, ...]:
        return tuple(walk(self.root))

    def references(self) -> frozenset[tuple[str, ...]]:
        """Every field path named, e.g. ("amount",), ("account", "grade")."""
        return frozenset(n.path for n in self._nodes if isinstance(n, Field))

    def functions(self) -> frozenset[str]:
        """Names of the functions called."""
        return frozenset(n.name for n in self._nodes if isinstance(n, Call))

    def uses_user(self) -> bool:
        """True when the value depends on the acting user ($user)."""
        return any(isinstance(n, User) for n in self._nodes)

    def bare_path(self) -> tuple[str, ...] | None:
        """The path when the whole expression is one name (`items`, `quote.items`), else None."""
        return self.root.path if isinstance(self.root, Field) else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable IR; shape documented in this module's docstring."""
        return {"version": 1, "source": self.source, "root": self.root.to_dict()}
