"""Parser: what the language accepts, what it refuses, and how it says so."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from engine.expressions import Expression, ExpressionError, parse
from engine.expressions.nodes import BoolOp, Call, Compare, Field, ListLit, Literal, User

ACCEPTED = [
    "1", "1.5", "-3", "'text'", '"text"', "true", "false", "null",
    "amount", "customer.grade", "items.subtotal", "id", "stage", "created_by",
    "a + b - c * d / e % f", "-x", "not x", "a and b or c", "a == b", "a != b",
    "a < b", "a <= b", "a > b", "a >= b", "x in [1, 2]", "x not in ['a', null]",
    "x in tags", "0 < x <= 9", "sum(items.subtotal)", "len(name)", "min(a, b, 3)",
    "max(items.qty)", "round(x)", "round(x, 2)", "abs(x)", "today()", "now()",
    "days_between(a, b)", "coalesce(a, b, 0)", "$user", "owner == $user",
    "  x  ", "(a +\n b)", "x in []", "1_000 + 0.000_1", "'中文' == name",
    "9223372036854775807", "-9223372036854775807",
]

REFUSED = [
    ("__import__('os')", "names starting with '_'"),
    ("().__class__.__bases__", "names starting with '_'"),
    ("(x).__class__", "names starting with '_'"),
    ("x._y", "names starting with '_'"),
    ("_user", "names starting with '_'"),
    ("lambda: 1", "lambda"),
    ("2**99999", "operator '**' is not allowed"),
    ("7 // 2", "operator '//'"),
    ("1 << 3", "operator '<<'"),
    ("a | b", "operator '|'"),
    ("~a", "unary '~'"),
    ("+a", "unary '+'"),
    ("[x for x in y]", "comprehensions"),
    ("(x for x in y)", "generator"),
    ("{x: 1}", "dictionaries"),
    ("{1, 2}", "sets"),
    ("a[0]", "subscripts"),
    ("f'{x}'", "f-strings"),
    ("x if y else z", "conditional expressions"),
    ("(y := 1)", "assignment expressions"),
    ("open('f')", "unknown function 'open'; allowed: abs, coalesce"),
    ("foo(1)", "unknown function 'foo'"),
    ("x.upper()", "only these functions may be called"),
    ("a.b.c", "at most two parts"),
    ("'s'.x", "'.' may only follow a field name"),
    ("sum.x", "'.' may only follow a field name"),
    ("true.x", "'.' may only follow a field name"),
    ("round(x, ndigits=2)", "keyword arguments"),
    ("max(*items)", "starred"),
    ("round(x, n)", "n must be a whole number"),
    ("round(x, 11)", "n must be a whole number"),
    ("today(1)", "today() takes 0 argument(s), got 1"),
    ("days_between(a)", "takes 2 argument(s)"),
    ("round()", "takes 1 to 2 argument(s)"),
    ("coalesce()", "takes at least 1 argument(s)"),
    ("x is None", "'is' is not allowed"),
    ("x is not null", "'is' is not allowed"),
    ("True", "lowercase"),
    ("None", "lowercase"),
    ("...", "constant"),
    ("1e5", "number '1e5' is not allowed"),
    ("9223372036854775808", "too large"),
    ("$user(1)", "$user is not a function"),
    ("$user.name", "'.' may only follow a field name"),
    ("0x1f", "number '0x1f'"),
    ("1j", "number '1j'"),
    ("b'x'", "constant"),
    ("(1, 2)", "tuples are not allowed"),
    ("x in (1, 2)", "tuples are not allowed"),
    ("[1, 2]", "a list [...] may only appear right of 'in'"),
    ("x in [[1]]", "a list [...] may only appear"),
    ("sum([1, 2])", "a list [...] may only appear"),
    ("sum", "is a function"),
    ("$users", "'$' may only be used in the variable $user"),
    ("$", "'$' may only"),
    ("x # comment", "comments"),
    ("x + \\\n 1", "backslashes"),
    ("金额 > 1", "only allowed inside a string literal"),
    ("x\x00", "control character"),
    ("'abc", "unterminated string literal"),
    ("(a", "unclosed bracket"),
    ("a)", "unbalanced ')'"),
    ("", "empty"),
    ("   ", "empty"),
    ("a +", "syntax error"),
    ("x = 1", "use == to compare"),
    ("import os", "syntax error"),
    ("a; b", "syntax error"),
    ("await x", "'await' is not allowed"),
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_accepted(source: str) -> None:
    expr = parse(source)
    assert isinstance(expr, Expression) and expr.source == source
    json.dumps(expr.to_dict())  # always JSON-serialisable


@pytest.mark.parametrize(("source", "message"), REFUSED)
def test_refused(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(source)
    assert message in info.value.message


def test_non_string_is_refused() -> None:
    with pytest.raises(ExpressionError, match="must be a string"):
        parse(123)  # type: ignore[arg-type]


@pytest.mark.parametrize("source", [
    "1+" * 50_000 + "1",                      # 100,001 characters
    "(" * 10_000 + "x" + ")" * 10_000,         # 10,000 nested parentheses
    "'" + "x" * 100_000 + "'",
])
def test_huge_inputs_are_refused_quickly(source: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ExpressionError, match="too long"):
        parse(source)
    assert time.perf_counter() - started < 0.5


def test_bracket_depth_limit() -> None:
    parse("(" * 32 + "x" + ")" * 32)
    with pytest.raises(ExpressionError, match="nested too deeply") as info:
        parse("(" * 33 + "x" + ")" * 33)
    assert info.value.offset == 32


@pytest.mark.parametrize("source", [
    "- " * 900 + "x",        # deep without brackets
    "not " * 400 + "x",
    "+".join(["a"] * 600),   # too many nodes
    "[" * 30 + "]" * 30,
])
def test_deep_or_large_trees_are_refused(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse(source)


def test_node_and_depth_limits_allow_realistic_formulas() -> None:
    parse(" + ".join(f"f{i}" for i in range(50)))  # the deepest allowed
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse(" + ".join(f"f{i}" for i in range(70)))
    with pytest.raises(ExpressionError, match="too large"):
        parse("x in [" + ", ".join(["1"] * 600) + "]")


def test_offsets_point_at_the_problem() -> None:
    cases = {
        "amount + foo(1)": 9,
        "a and  __x": 7,
        "'金额' + x ** 2": 7,         # characters, not UTF-8 bytes
        "x == 1 and y.__z": 13,
        "$user == $users": 9,
        "(a +\n(b ** 2))": 6,
    }
    for source, offset in cases.items():
        with pytest.raises(ExpressionError) as info:
            parse(source)
        assert info.value.offset == offset, source
        assert f"offset {offset}" in str(info.value)


def test_user_variable() -> None:
    expr = parse("owner == $user")
    assert expr.uses_user()
    assert isinstance(expr.root, Compare) and isinstance(expr.root.right, User)
    assert not parse("owner == 'x'").uses_user()


def test_user_inside_string_stays_literal() -> None:
    for source, text in [("'$user'", "$user"), ('"a $user b"', "a $user b"),
                         ("'it\\'s $user'", "it's $user"), ("'''$user'''", "$user")]:
        expr = parse(source)
        assert expr.root == Literal(text)
        assert not expr.uses_user()
    assert parse("'_x' + $user").uses_user()


def test_literals_are_exact() -> None:
    assert parse("1.10").root == Literal(Decimal("1.10"))
    assert isinstance(parse("1.10").root.value, Decimal)
    assert parse("-2.5").root == Literal(Decimal("-2.5"))
    assert parse("42").root == Literal(42)
    assert parse("null").root == Literal(None)
    assert parse("true").root == Literal(True)


def test_chained_comparison_becomes_and() -> None:
    root = parse("0 < x <= 9").root
    assert isinstance(root, BoolOp) and root.op == "and"
    assert [c.op for c in root.operands] == ["<", "<="]  # type: ignore[attr-defined]


def test_references_functions_and_to_dict() -> None:
    expr = parse("sum(items.subtotal) > 100 and customer.grade in ['A', $user] "
                 "and round(amount, 2) != 1.5 and not ok")
    assert expr.references() == {("items", "subtotal"), ("customer", "grade"),
                                 ("amount",), ("ok",)}
    assert expr.functions() == {"sum", "round"}
    assert expr.uses_user()
    data = json.loads(json.dumps(expr.to_dict()))
    assert data["version"] == 1 and data["source"] == expr.source
    first, second, third, fourth = data["root"]["args"]
    assert first == {"t": "cmp", "op": ">", "left": {"t": "call", "fn": "sum", "args": [
        {"t": "field", "path": ["items", "subtotal"]}]}, "right": {"t": "lit", "v": 100}}
    assert second["right"] == {"t": "list", "items": [{"t": "lit", "v": "A"}, {"t": "user"}]}
    assert third["right"] == {"t": "dec", "v": "1.5"}
    assert fourth == {"t": "not", "arg": {"t": "field", "path": ["ok"]}}
    assert parse("-x").to_dict()["root"] == {"t": "neg", "arg": {"t": "field", "path": ["x"]}}
    assert parse("a % 2").to_dict()["root"]["op"] == "%"


def test_ir_nodes() -> None:
    root = parse("x in [1, y]").root
    assert root == Compare("in", Field(("x",)), ListLit((Literal(1), Field(("y",)))))
    assert parse("len(a.b)").root == Call("len", (Field(("a", "b")),))


def test_parse_is_cached() -> None:
    assert parse("a + 1") is parse("a + 1")
