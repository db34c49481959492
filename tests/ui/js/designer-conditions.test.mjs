// node --test: conditions.js (simple condition rows <-> expression text), expr-parse.js (the designer's
// parser, checked against the server's parser on every expression of every config) and expr-check.js.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseSimple, printSimple, valueNode, valueText, listNode } from "../../../engine/ui/static/js/designer/conditions.js";
import { parseExpression, printExpression, references } from "../../../engine/ui/static/js/designer/expr-parse.js";
import { checkExpression } from "../../../engine/ui/static/js/designer/expr-check.js";
import { ROOT, allConfigs, engineExpr } from "./designer-shell-fixtures.mjs";

const SIMPLE = [
  "grade == 'A'",
  "total >= 100000",
  "stage == 'collecting' and payment_due < today() and outstanding > 0",
  "owner == $user or in_pool == true",
  "stage not in ['won', 'lost']",
  "stage in ['scheduling', 'production']",
  "contract != null",
  "supplier == null",
  "order.stage != 'done'",
  "amount >= 1.50",
  "note == 'it\\'s'",
  "has_exception == true",
  "level < -3",
];

test("simple conditions parse into rows and print back to the same text", () => {
  for (const text of SIMPLE) {
    const model = parseSimple(text);
    assert.ok(model, text);
    assert.equal(printSimple(model), text);
  }
  const model = parseSimple("stage == 'open' and level == 'high'");
  assert.deepEqual(model, { join: "and", rows: [
    { field: "stage", op: "==", value: { t: "lit", v: "open" } },
    { field: "level", op: "==", value: { t: "lit", v: "high" } }] });
  assert.deepEqual(parseSimple("contract != null").rows[0], { field: "contract", op: "not_empty", value: null });
});

test("spacing and quotes are normalised, the meaning kept", () => {
  assert.equal(printSimple(parseSimple('grade=="A"')), "grade == 'A'");
  assert.equal(printSimple(parseSimple("  total>=5 AND x == 1".replace("AND", "and"))), "total >= 5 and x == 1");
});

test("anything else falls back to the expression box (null)", () => {
  for (const text of ["sum(items.subtotal) > 0", "a == 1 and (b == 2 or c == 3)", "a + 1 > 2", "not done",
    "coalesce(discount, 0) <= amount", "a == b", "0 < x <= 9", "a ==", "x in [y]"]) {
    assert.equal(parseSimple(text), null, text);
  }
  assert.deepEqual(parseSimple(""), { join: "and", rows: [] });
  assert.equal(printSimple({ join: "and", rows: [] }), "");
});

test("rows built from what people type print as valid expressions", () => {
  const model = { join: "or", rows: [
    { field: "total", op: ">=", value: valueNode("100000", "decimal") },
    { field: "grade", op: "in", value: listNode("A, B，C", "text") },
    { field: "owner", op: "==", value: valueNode("$user", "text") },
    { field: "due", op: "<", value: valueNode("today()", "date") },
    { field: "rate", op: "==", value: valueNode("0.5", "decimal") },
    { field: "vip", op: "==", value: valueNode("true", "boolean") },
    { field: "memo", op: "empty", value: null },
  ] };
  const text = printSimple(model);
  assert.equal(text, "total >= 100000 or grade in ['A', 'B', 'C'] or owner == $user or due < today() or rate == 0.5 "
    + "or vip == true or memo == null");
  assert.equal(printSimple(parseSimple(text)), text);
  assert.equal(valueText(valueNode("12", "integer")), "12");
  assert.equal(valueText(listNode("a,b", "text")), "a, b");
  assert.deepEqual(valueNode("12", "text"), { t: "lit", v: "12" }, "a number typed for a text field stays text");
});

function serverIR(sources) {
  const script = "import json, sys\nfrom engine.expressions import parse\nout = []\n"
    + "for s in json.load(sys.stdin):\n"
    + "    try:\n        out.append(parse(s).to_dict()['root'])\n"
    + "    except Exception as e:\n        out.append({'error': str(e)})\n"
    + "sys.stdout.write(json.dumps(out, default=str))\n";
  const python = fs.existsSync(path.join(ROOT, ".venv/bin/python")) ? path.join(ROOT, ".venv/bin/python") : "python3";
  return JSON.parse(execFileSync(python, ["-c", script], { cwd: ROOT, input: JSON.stringify(sources), encoding: "utf8", maxBuffer: 1 << 26 }));
}

function expressionsOf(node, out) {
  if (Array.isArray(node)) { node.forEach((n) => expressionsOf(n, out)); return out; }
  if (!node || typeof node !== "object") { return out; }
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === "string" && ["visible_if", "condition", "when", "where", "formula", "if"].includes(key)) { out.push(value); }
    else { expressionsOf(value, out); }
  }
  return out;
}

test("the designer's parser agrees with the server's on every expression of every config", () => {
  const sources = [...new Set(allConfigs().flatMap((c) => expressionsOf(JSON.parse(c.text), [])))];
  sources.push("-5 * (a + b)", "not (a or b)", "a - (b - c)", "x % 3 == 1", "round(total / 3, 2)", "'a' + \"b\"", "1.50");
  assert.ok(sources.length > 40);
  const server = serverIR(sources);
  const normal = (node) => JSON.parse(JSON.stringify(node, (k, v) => (typeof v === "bigint" ? Number(v) : v)));
  sources.forEach((source, i) => {
    let mine;
    try { mine = parseExpression(source).root; } catch (e) { mine = { error: e.message }; }
    if (server[i].error) {
      assert.ok(mine.error, `server refuses ${source.slice(0, 60)} (${server[i].error}); the designer must too`);
    } else {
      assert.deepEqual(normal(mine), server[i], source);
      assert.deepEqual(normal(parseExpression(printExpression(mine)).root), server[i], "printed back: " + source);
    }
  });
});

test("references lists the field paths an expression reads", () => {
  assert.deepEqual(references(parseExpression("sum(items.subtotal) + coalesce(price, 0) > $user")),
    [["items", "subtotal"], ["price"]]);
});

test("the live check finds syntax errors, unknown fields and type mistakes, with expr.js", () => {
  const E = engineExpr();
  const scope = { fields: [
    { name: "qty", kind: "integer" }, { name: "price", kind: "decimal" }, { name: "name", kind: "text" },
    { name: "items", kind: "rows", columns: [{ name: "subtotal", kind: "decimal" }] },
    { name: "account", kind: "integer", target: [{ name: "grade", kind: "text" }] }] };
  const check = (text, condition = false) => checkExpression(text, scope, { engine: E, condition });
  assert.equal(check("qty * price"), null);
  assert.equal(check("sum(items.subtotal) - price"), null);
  assert.equal(check("account.grade == 'A' and created_at != null", true), null);
  assert.equal(check("qty *").key, "expr.syntax");
  assert.equal(check("qty *").params.at, 6);
  assert.deepEqual(check("foo + 1"), { key: "expr.unknown_field", params: { name: "foo" } });
  assert.deepEqual(check("items.nope").params, { name: "items.nope" });
  assert.equal(check("name * 2").key, "expr.type");
  assert.equal(check("2 ** 3").key, "expr.syntax");
});
