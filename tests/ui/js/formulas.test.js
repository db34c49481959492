// node --test tests/ui/js: the page's formula runner (engine/ui/static/js/formulas.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const STATIC = path.join(__dirname, "..", "..", "..", "engine", "ui", "static", "js");
const { EngineExpr } = require(path.join(STATIC, "expr.js"));
const { EngineFormulas } = require(path.join(STATIC, "formulas.js"));

const field = (name) => ({ t: "field", path: [name] });
const bin = (op, left, right) => ({ t: "bin", op, left, right });
const ir = (root) => ({ version: 1, source: "", root });

// The order form's formulas, listed as the page's JSON lists them (keys sorted).
const ORDER = {
  amount: ir({ t: "call", fn: "sum", args: [{ t: "field", path: ["items", "subtotal"] }] }),
  outstanding: ir(bin("-", field("total"), field("collected"))),
  total: ir(bin("-", field("amount"), field("discount"))),
};

function inputs(values) {
  return (p) => {
    const key = p.join(".");
    if (!(key in values)) { throw new EngineExpr.ExprError("unknown field '" + key + "'"); }
    return values[key];
  };
}

test("references lists the first part of every field path", () => {
  assert.deepEqual(EngineFormulas.references(ORDER.amount).sort(), ["items"]);
  assert.deepEqual(EngineFormulas.references(ORDER.outstanding).sort(), ["collected", "total"]);
});

test("dependencyOrder puts a formula after the formulas it reads, whatever the key order", () => {
  const order = EngineFormulas.dependencyOrder(ORDER);
  assert.ok(order.indexOf("amount") < order.indexOf("total"));
  assert.ok(order.indexOf("total") < order.indexOf("outstanding"));
  assert.deepEqual(order.slice().sort(), ["amount", "outstanding", "total"]);
});

test("dependencyOrder keeps the declared order between independent formulas", () => {
  const a = ir(field("x"));
  const b = ir(field("y"));
  assert.deepEqual(EngineFormulas.dependencyOrder({ a, b }, ["b", "a"]), ["b", "a"]);
});

test("a cycle does not hang or throw", () => {
  const loop = { a: ir(field("b")), b: ir(field("a")) };
  assert.deepEqual(EngineFormulas.dependencyOrder(loop, ["a", "b"]).sort(), ["a", "b"]);
  const values = EngineFormulas.computeAll(loop, { expr: EngineExpr, lookup: inputs({}) });
  assert.deepEqual(values, { b: null, a: null });
});

test("outstanding follows total in the same pass (no lag of one edit)", () => {
  const values = EngineFormulas.computeAll(ORDER, {
    expr: EngineExpr,
    lookup: inputs({
      "items.subtotal": [EngineExpr.decimal("36.00"), EngineExpr.decimal("100.50")],
      discount: EngineExpr.decimal("6.5"),
      collected: EngineExpr.decimal("30"),
    }),
    precision: { amount: 2, total: 2, outstanding: 2 },
  });
  assert.deepEqual(values, { amount: { dec: "136.50" }, total: { dec: "130.00" }, outstanding: { dec: "100.00" } });
});

test("formulas read each other's values coerced to their result type, as the server stores them", () => {
  const formulas = {
    rounded: ir(bin("/", field("a"), field("b"))),
    twice: ir(bin("*", field("rounded"), { t: "lit", v: 3 })),
  };
  const values = EngineFormulas.computeAll(formulas, {
    expr: EngineExpr,
    lookup: inputs({ a: 1n, b: 3n }),
    precision: { rounded: 2, twice: 2 },
  });
  // 1/3 is stored as 0.33, so twice is 0.99 (not 1.00)
  assert.deepEqual(values, { rounded: { dec: "0.33" }, twice: { dec: "0.99" } });
});

test("a formula that fails is null and the others still compute", () => {
  const formulas = { bad: ir(bin("*", field("name"), field("qty"))), fine: ir(field("qty")) };
  const values = EngineFormulas.computeAll(formulas, {
    expr: EngineExpr, lookup: inputs({ name: "text", qty: 2n }), results: { fine: "integer" },
  });
  assert.deepEqual(values, { bad: null, fine: 2n });
});

test("fromJson reads API values as the field's client kind", () => {
  const f = (raw, kind) => EngineFormulas.fromJson(raw, kind, EngineExpr);
  assert.deepEqual(f("12.50", "decimal"), { dec: "12.50" });
  assert.equal(f(7, "integer"), 7n);
  assert.equal(f(3, "integer"), 3n);  // a link: the record id
  assert.deepEqual(f("2030-06-30", "date"), { date: "2030-06-30" });
  assert.deepEqual(f("2030-06-30T01:30:00+08:00", "datetime"), { datetime: "2030-06-29T17:30:00+00:00" });
  assert.equal(f(true, "boolean"), true);
  assert.equal(f("A", "text"), "A");
  assert.deepEqual(f(["a", "b"], "list"), ["a", "b"]);
  assert.equal(f([{ qty: 1 }], "rows"), null);  // a linked record's rows: not in its row, as on the server
  assert.equal(f(null, "decimal"), null);
  assert.equal(f("", "text"), null);
  assert.equal(f({ name: "x.pdf", size: 1, url: "/f" }, "none"), null);
  assert.equal(f("not a number", "decimal"), null);
});

test("fromInput reads what people type as the field's client kind", () => {
  const f = (text, kind) => EngineFormulas.fromInput(text, kind, EngineExpr);
  assert.equal(f(" 4 ", "integer"), 4n);  // a rating's checked star, an integer input
  assert.equal(f("4.5", "integer"), "4.5");  // not a whole number: text, so arithmetic fails as on the server
  assert.deepEqual(f("12.5", "decimal"), { dec: "12.5" });
  assert.deepEqual(f(".5", "decimal"), { dec: "0.5" });
  assert.equal(f("12,5", "decimal"), "12,5");
  assert.deepEqual(f("2030-06-30", "date"), { date: "2030-06-30" });
  assert.equal(f("2030-06", "date"), null);  // half typed
  assert.deepEqual(f("2030-06-30T09:30", "datetime"), { datetime: "2030-06-30T09:30:00+00:00" });
  assert.equal(f("A ", "text"), "A");
  assert.equal(f("", "integer"), null);
  assert.equal(f(null, "text"), null);
  assert.equal(f("x.pdf", "none"), null);
});
