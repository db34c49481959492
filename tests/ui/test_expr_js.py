"""Parity of the browser evaluator (engine/ui/static/js/expr.js) with engine.expressions.

Every case is parsed in Python, its `to_dict()` IR is evaluated by EngineExpr in a headless
Chromium and by `engine.expressions.evaluate`, and both results are compared in one
canonical JSON form (decimals as Python's format(d, 'f') so that even the scale agrees,
dates ISO, date-times ISO in UTC, any error as "ERROR").
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.expressions import ExpressionError, evaluate, evaluate_condition, parse

CHROMIUM = Path("/usr/bin/chromium")
EXPR_JS = Path(__file__).resolve().parents[2] / "engine" / "ui" / "static" / "js" / "expr.js"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Chromium is not installed at /usr/bin/chromium")

CST = timezone(timedelta(hours=8))
# 01:30 in the company time zone (UTC+8) is still the previous day in UTC: today() must
# follow the company offset, not UTC.
NOW = datetime(2024, 6, 15, 1, 30, tzinfo=CST)
TZ_MINUTES = 480

HELPERS = r"""
window.__canon = function (v) {
  if (v === null) return null;
  if (typeof v === "boolean") return v;
  if (typeof v === "bigint") return {int: v.toString()};
  if (typeof v === "string") return {str: v};
  if (v && typeof v === "object" && "dec" in v) return {dec: v.dec};
  if (v && typeof v === "object" && "date" in v) return {date: v.date};
  if (v && typeof v === "object" && "datetime" in v) return {datetime: v.datetime};
  return "UNEXPECTED: " + String(v);
};
window.__scope = function (values, user, nowMs, tz) {
  return {
    lookup: function (path) {
      var key = path.join(".");
      if (!Object.prototype.hasOwnProperty.call(values, key)) {
        throw new EngineExpr.ExprError("unknown field '" + key + "'");
      }
      return values[key];
    },
    user: user, now: new Date(nowMs), tzOffsetMinutes: tz
  };
};
window.__run = function (irJson, values, user, nowMs, tz) {
  try {
    return __canon(EngineExpr.evaluate(JSON.parse(irJson), __scope(values, user, nowMs, tz)));
  } catch (e) {
    if (e instanceof EngineExpr.ExprError) return "ERROR";
    return "JS EXCEPTION: " + e;
  }
};
window.__runCondition = function (irJson, values, user, nowMs, tz) {
  try {
    return EngineExpr.evaluateCondition(JSON.parse(irJson), __scope(values, user, nowMs, tz));
  } catch (e) {
    return e instanceof EngineExpr.ExprError ? "ERROR" : "JS EXCEPTION: " + e;
  }
};
"""


@pytest.fixture(scope="module")
def page(chromium):
    pg = chromium.new_page()
    pg.goto("about:blank")
    pg.add_script_tag(path=str(EXPR_JS))
    pg.add_script_tag(content=HELPERS)
    yield pg
    pg.close()


# -- the Python side ---------------------------------------------------------------------

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


def canon(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, Decimal):
        return {"dec": format(value, "f")}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, datetime):
        return {"datetime": value.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    raise AssertionError(f"unexpected result {value!r}")


def to_js(value: Any) -> Any:
    """A Python scope value in the form expr.js documents for lookup()."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, list):
        return [to_js(v) for v in value]
    raise AssertionError(f"cannot send {value!r}")


def python_result(source: str, values: dict[str, Any], user: str | None = "alice") -> Any:
    try:
        return canon(evaluate(parse(source), DictScope(values, user=user)))
    except ExpressionError:
        return "ERROR"


def js_args(source: str, values: dict[str, Any], user: str | None = "alice") -> list[Any]:
    return [json.dumps(parse(source).to_dict()), {k: to_js(v) for k, v in values.items()},
            user, NOW.timestamp() * 1000, TZ_MINUTES]


def js_result(page, source: str, values: dict[str, Any], user: str | None = "alice") -> Any:
    return page.evaluate("(a) => __run(...a)", js_args(source, values, user))


D = Decimal
RECORD: dict[str, Any] = {
    "qty": 3, "price": D("10.50"), "discount": D("1.25"), "amount": D("1200.00"),
    "rate": D("0.1"), "zero": 0, "dzero": D("0.00"), "neg": -7, "dneg": D("-7.5"),
    "empty": None, "name": "Widget", "grade": "A", "ok": True, "no": False,
    "due": date(2024, 6, 20), "start": date(2024, 6, 1),
    "created_at": datetime(2024, 6, 14, 20, 0, tzinfo=UTC),   # 04:00 on the 15th in UTC+8
    "updated_at": datetime(2024, 6, 10, 15, 59, 59, 123456, tzinfo=UTC),
    "items.subtotal": [D("31.50"), D("12.25"), None, D("0.25")],
    "items.qty": [1, 2, None, 4],
    "items.name": ["bolt", "nut"],
    "items": [True, True, True, True],
    "noitems.subtotal": [],
    "tags": ["red", "blue"],
    "nulltags": None,
    "customer.grade": "B",
    "customer.limit": D("5000"),
    "big": 9_223_372_036_854_775_807,
    "bigdec": D("9999999999999.99"),
    "cn": "杭州",
    "emoji": "a😀",
}

CASES: list[str] = [
    # literals, fields, $user
    "1", "-5", "1.50", "'text'", "true", "false", "null", "qty", "price", "empty", "name",
    "$user", "customer.grade", "due", "created_at", "missing_field", "cn",
    # arithmetic on exact decimals and integers
    "0.1 + 0.2", "0.1 + 0.2 == 0.3", "qty * price", "3 * 10.50", "amount - discount",
    "price - price", "1 + 2", "7 - 10", "6 * 7", "7 / 2", "1 / 3", "2 / 3", "6 / 3", "1.10 / 2",
    "20 / 0.5", "100 / 8", "1 / 7 * 7", "7 % 3", "-7 % 3", "7 % -3", "7.5 % 2", "-7.5 % 2",
    "10 % 0.3", "1.10 * 3", "0 * dneg", "-(2 + 3)", "-price", "-dzero", "-zero", "2 + 3 * 4",
    "10 - 2 - 3", "qty / zero", "price / dzero", "qty % zero", "empty + 1", "1 + empty",
    "empty * price", "-empty", "big + 1", "big * big", "bigdec * bigdec", "bigdec / 7",
    "amount * rate", "price + 1", "0.30 + 0", "dzero + dneg - dneg",
    "1234567890.123456789 * 1234567890.123456789",
    "99999999999999999999999999.99 + 0.01",
    "9999999999999999999999999999.0 + 0.5", "big * 1.5",
    # strings
    "'ab' + 'cd'", "name + ' ' + grade", "name + 1", "'a' - 'b'", "name * 2", "'abc' < 'abd'",
    "'b' > 'a'", "cn + name", "emoji > 'a￿'", "len(emoji)", "len(cn)",
    # comparisons and nulls
    "qty == 3", "qty == 3.0", "price == 10.5", "price != 10.5", "qty < price", "price >= 10.50",
    "empty == null", "empty != null", "null == null", "empty < 1", "empty >= 1", "1 > empty",
    "empty == 0", "qty == 'x'", "name == 1", "ok == true", "ok < true", "ok == 1",
    "due > start", "due < created_at", "created_at > updated_at", "0 < qty <= 9",
    "1 < qty < 3", "due == today()", "start + 14 == due - 5",
    # in / not in
    "grade in ['A', 'B']", "grade not in ['A', 'B']", "qty in [1, 2, 3]", "qty in [1.0, 3.00]",
    "empty in [null, 1]", "empty not in [1]", "'red' in tags", "'green' in tags",
    "'red' in nulltags", "'red' not in nulltags", "1 in tags", "grade in name",
    "2 in items.qty", "31.5 in items.subtotal", "qty in [1, 'a']", "grade in [null, 'A']",
    "customer.grade in ['B']",
    # and / or / not, truthiness
    "qty and price", "qty and empty", "empty or 0", "empty or name", "not empty", "not qty",
    "not ''", "not 0.0", "not dzero", "not due", "ok and no", "ok or no", "no or zero or 'x'",
    "no and (1 / 0)", "ok or (1 / 0)", "ok and (1 / 0)", "not (qty > 2)", "qty > 2 and grade == 'A'",
    "tags and true", "not tags",
    # functions
    "sum(items.subtotal)", "sum(items.qty)", "sum(noitems.subtotal)", "sum(nulltags)",
    "sum(qty)", "sum(tags)", "sum(items.subtotal) - discount", "len(tags)", "len(items)",
    "len(noitems.subtotal)", "len(nulltags)", "len(name)", "len(qty)", "len(empty)",
    "min(items.subtotal)", "max(items.subtotal)", "min(items.qty)", "max(items.name)",
    "min(noitems.subtotal)", "min(qty, price, empty)", "max(qty, price)", "max(3, 3.0)",
    "min(3.0, 3)", "max(empty, null)", "min(qty)", "max(ok)", "min(qty, 'a')", "max(tags)",
    "min(due, start)", "max(created_at, updated_at)", "min(qty, tags)",
    "round(price)", "round(2.5)", "round(-2.5)", "round(2.45, 1)", "round(-0.004, 2)",
    "round(qty, 2)", "round(qty)", "round(1 / 3, 4)", "round(empty, 2)", "round(name)",
    "round(1234.5678, 10)", "abs(neg)", "abs(dneg)", "abs(empty)", "abs(name)", "abs(-dzero)",
    "coalesce(empty, qty)", "coalesce(empty, null)", "coalesce(empty, price, qty)",
    "coalesce(empty, name, qty)", "coalesce(name, 'x')", "coalesce(qty)",
    "days_between(start, due)", "days_between(due, start)", "days_between(start, empty)",
    "days_between(created_at, due)", "days_between(updated_at, created_at)",
    "days_between(start, qty)", "days_between(start, today())", "days_between(now(), due)",
    "today()", "now()", "now() > created_at", "today() - start", "today() + 1", "1 + today()",
    "due - 30", "created_at + 1", "created_at - 2", "created_at - updated_at", "due - created_at",
    "due + price", "due + 1000000", "due - 1000000",
    # lists where a scalar is needed, bad right side of in
    "tags == 1", "tags + 1", "qty in qty", "items.subtotal", "-tags", "not items.qty",
    "coalesce(tags)",
]


@pytest.mark.parametrize("source", CASES)
def test_parity_with_python(page, source: str) -> None:
    expected = python_result(source, RECORD)
    assert js_result(page, source, RECORD) == expected


def test_case_table_is_broad() -> None:
    from engine.expressions import FUNCTIONS
    from engine.expressions.nodes import walk

    kinds: set[str] = set()
    functions: set[str] = set()
    errors = 0
    for source in CASES:
        expr = parse(source)
        for node in walk(expr.root):
            kinds.add(node.to_dict()["t"])
        functions |= expr.functions()
        errors += python_result(source, RECORD) == "ERROR"
    assert len(CASES) >= 80
    assert kinds == {"lit", "dec", "field", "user", "list", "neg", "not", "bin", "cmp", "and",
                     "or", "call"}
    assert functions == set(FUNCTIONS)
    assert errors >= 20


@pytest.mark.parametrize(("source", "values"), [
    ("$user", {}),
    ("$user == null", {}),
    ("coalesce($user, 'nobody')", {}),
])
def test_null_user(page, source: str, values: dict[str, Any]) -> None:
    assert js_result(page, source, values, user=None) == python_result(source, values, user=None)


@pytest.mark.parametrize("source", [
    "qty > 2", "empty", "name", "zero", "dzero", "due", "qty / zero", "tags", "grade in tags",
    "not ok", "price - 10.50",
])
def test_conditions(page, source: str) -> None:
    try:
        expected: Any = evaluate_condition(parse(source), DictScope(RECORD))
    except ExpressionError:
        expected = "ERROR"
    result = page.evaluate("(a) => __runCondition(...a)", js_args(source, RECORD))
    assert result == expected


# -- random arithmetic / comparison expressions -------------------------------------------

NUMERIC_FIELDS = ("a", "b", "c", "d", "e", "n")


def random_value(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.45:
        return rng.choice([0, 1, -1, 2, 3, 7, 10, 12, 100, -25, rng.randint(-10**6, 10**6)])
    places = rng.choice([0, 1, 2, 2, 3, 4])
    unscaled = rng.choice([0, 1, 5, 15, 25, 50, rng.randint(-10**7, 10**7)])
    return Decimal(unscaled).scaleb(-places)


def random_number_expr(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.25:
        pick = rng.random()
        if pick < 0.6:
            return rng.choice(NUMERIC_FIELDS)
        if pick < 0.8:
            return str(rng.choice([0, 1, 2, 3, 7, 10, 100]))
        if pick < 0.95:
            return rng.choice(["0.1", "0.5", "1.25", "2.50", "0.333", "3.14159", "0.05"])
        return "null"
    if roll < 0.62:
        op = rng.choice(["+", "-", "*", "*", "/", "%", "+", "-"])
        return f"({random_number_expr(rng, depth - 1)} {op} {random_number_expr(rng, depth - 1)})"
    if roll < 0.68:
        return f"-({random_number_expr(rng, depth - 1)})"
    if roll < 0.76:
        digits = rng.choice(["", ", 0", ", 1", ", 2", ", 4"])
        return f"round({random_number_expr(rng, depth - 1)}{digits})"
    if roll < 0.8:
        return f"abs({random_number_expr(rng, depth - 1)})"
    if roll < 0.88:
        fn = rng.choice(["min", "max", "coalesce"])
        args = ", ".join(random_number_expr(rng, depth - 1) for _ in range(rng.randint(1, 3)))
        return f"{fn}({args})"
    if roll < 0.94:
        return rng.choice(["sum(rows.x)", "min(rows.x)", "max(rows.x)", "len(rows.x)"])
    return f"({random_number_expr(rng, depth - 1)} + sum(rows.x))"


def random_condition(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.5:
        op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
        return f"{random_number_expr(rng, 2)} {op} {random_number_expr(rng, 2)}"
    if roll < 0.6:
        items = ", ".join(random_number_expr(rng, 0) for _ in range(rng.randint(1, 3)))
        return f"{random_number_expr(rng, 1)} {rng.choice(['in', 'not in'])} [{items}]"
    if roll < 0.7:
        return f"not ({random_condition(rng, depth - 1)})"
    joiner = rng.choice([" and ", " or "])
    return "(" + joiner.join(random_condition(rng, depth - 1) for _ in range(rng.randint(2, 3))) + ")"


def test_random_parity(page) -> None:
    rng = random.Random(20240615)
    cases = []
    for index in range(300):
        source = random_condition(rng, 2) if index % 3 == 0 else random_number_expr(rng, 4)
        values = {name: random_value(rng) for name in NUMERIC_FIELDS}
        values["rows.x"] = [random_value(rng) for _ in range(rng.randint(0, 4))]
        cases.append((source, values))
    args = [js_args(source, values) for source, values in cases]
    results = page.evaluate("(all) => all.map((a) => __run(...a))", args)
    mismatches = []
    for (source, values), got in zip(cases, results, strict=True):
        expected = python_result(source, values)
        if got != expected:
            mismatches.append((source, values, expected, got))
    assert not mismatches, mismatches[:5]
    assert sum(python_result(s, v) == "ERROR" for s, v in cases) < 150  # mostly real values


# -- the API around evaluate ---------------------------------------------------------------

def test_value_inputs_from_the_page(page) -> None:
    ir = json.dumps(parse("qty * price").to_dict())
    out = page.evaluate("""(ir) => {
      const scope = (v) => ({lookup: (p) => v[p[0]], user: null, now: new Date()});
      const run = (v) => __canon(EngineExpr.evaluate(JSON.parse(ir), scope(v)));
      return [
        run({qty: EngineExpr.integer("3"), price: EngineExpr.decimal("10.50")}),
        run({qty: 3, price: 10.5}),
        run({qty: 3n, price: {dec: "1,050.00".replace(",", "")}}),
        run({qty: "", price: EngineExpr.decimal("1")}),
        run({qty: undefined, price: 1}),
        (() => { try { return run({qty: "3", price: "10.50"}); } catch (e) { return e.name; } })(),
        EngineExpr.decimal(" 1,234.5 "),
        EngineExpr.integer("+42").toString(),
        EngineExpr.date("2024-02-29"),
        (() => { try { return EngineExpr.date("2023-02-29"); } catch (e) { return e.name; } })(),
        EngineExpr.datetime("2024-06-15T09:30:00+08:00"),
        EngineExpr.kind(""), EngineExpr.truthy({dec: "0.00"}), EngineExpr.truthy({date: "2024-01-01"}),
      ];
    }""", ir)
    assert out == [
        {"dec": "31.50"}, {"dec": "31.5"}, {"dec": "3150.00"}, None, None, "ExprError",
        {"dec": "1234.5"}, "42", {"date": "2024-02-29"}, "ExprError",
        {"datetime": "2024-06-15T01:30:00+00:00"}, "null", False, True,
    ]


def test_today_follows_the_company_offset(page) -> None:
    ir = json.dumps(parse("today()").to_dict())
    out = page.evaluate("""(ir) => [480, -240, 0].map((tz) => EngineExpr.evaluate(JSON.parse(ir),
        {lookup: () => null, user: null, now: new Date(Date.UTC(2024, 5, 14, 17, 30)),
         tzOffsetMinutes: tz}).date)""", ir)
    assert out == ["2024-06-15", "2024-06-14", "2024-06-14"]


FORMAT_CASES = [("31.5", 2), ("0.125", 2), ("0.135", 2), ("-0.125", 2), ("2.5", 0), ("-2.5", 0),
                ("1E+2", 2), ("0.004", 2), ("-0.004", 2), ("1234567.891", 1), ("7", 3),
                ("0.1", 0), ("99.995", 2)]


def test_format_rounds_half_up_like_the_server(page) -> None:
    got = page.evaluate("(cases) => cases.map(([v, p]) => EngineExpr.format({dec: v}, p))",
                        [list(c) for c in FORMAT_CASES])
    expected = [format(Decimal(v).quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP), "f")
                for v, p in FORMAT_CASES]
    assert got == expected
    others = page.evaluate("""() => [EngineExpr.format(null, 2), EngineExpr.format(12n, 2),
        EngineExpr.format(12n), EngineExpr.format({dec: "1.50"}), EngineExpr.format("x", 2),
        EngineExpr.format(true), EngineExpr.format({date: "2024-06-15"}, 2),
        EngineExpr.format({dec: "0.125"}, 2, "half_even")]""")
    assert others == ["", "12.00", "12", "1.50", "x", "true", "2024-06-15", "0.12"]


def test_coerce_mirrors_compute(page) -> None:
    out = page.evaluate("""() => [
        EngineExpr.coerce({dec: "31.505"}, "decimal", 2), EngineExpr.coerce(3n, "decimal", 2),
        EngineExpr.coerce({dec: "1E+20"}, "decimal", 2), EngineExpr.coerce({dec: "-3.7"}, "integer"),
        EngineExpr.coerce({dec: "1E-7"}, "text"), EngineExpr.coerce(true, "text"),
        EngineExpr.coerce("0", "boolean"), EngineExpr.coerce(null, "decimal", 2),
        EngineExpr.coerce({date: "2024-06-15"}, "decimal", 2)].map(
          (v) => typeof v === "bigint" ? v.toString() : v)""")
    assert out == [{"dec": "31.51"}, {"dec": "3.00"}, None, "-3", "1E-7", "True", True, None,
                   None]
