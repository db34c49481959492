// A live check of a formula or condition as the admin types it: parse (expr-parse.js), resolve the
// field names against the form, then run it with expr.js (the page's evaluator, the server's twin)
// on sample values of each field's kind, which finds type mistakes such as text * number.
//
//   checkExpression(text, scope, {condition, engine}) -> null (fine) or {key, params} (a UI text key:
//       "expr.syntax" {message, at}, "expr.unknown_field" {name}, "expr.type" {message})
//   scope: {fields: [{name, kind, columns: [{name, kind}] | null, target: [{name, kind}] | null}],
//           system: [names]}   kind = a client kind: integer decimal text date datetime boolean list rows
import { parseExpression, references, ExprSyntaxError } from "./expr-parse.js";

const SYSTEM = { id: "integer", stage: "text", version: "integer", created_by: "text", created_at: "datetime",
  updated_at: "datetime" };

function sample(kind, E) {
  switch (kind) {
    case "integer": return E.integer("3");
    case "decimal": return E.decimal("2.50");
    case "boolean": return true;
    case "date": return E.date("2024-06-15");
    case "datetime": return E.datetime("2024-06-15T08:30:00+00:00");
    case "list": return ["a"];
    case "rows": return [];
    case "none": return null;
    default: return "text";
  }
}

export function checkExpression(text, scope, { condition = false, engine = null } = {}) {
  let ir;
  try {
    ir = parseExpression(text);
  } catch (error) {
    if (error instanceof ExprSyntaxError) { return { key: "expr.syntax", params: { message: error.message, at: (error.offset || 0) + 1 } }; }
    throw error;
  }
  const fields = new Map((scope.fields || []).map((f) => [f.name, f]));
  const kindOf = (path) => {
    const first = fields.get(path[0]);
    if (!first) { return path.length === 1 && SYSTEM[path[0]] ? SYSTEM[path[0]] : undefined; }
    if (path.length === 1) { return first.kind; }
    const inner = (first.columns || first.target || []).find((c) => c.name === path[1]);
    if (!inner && path[1] === "id" && first.target) { return "integer"; }
    if (!inner) { return undefined; }
    return first.columns ? "column:" + inner.kind : inner.kind;
  };
  for (const path of references(ir)) {
    if (kindOf(path) === undefined) { return { key: "expr.unknown_field", params: { name: path.join(".") } }; }
  }
  const E = engine || globalThis.EngineExpr;
  if (!E) { return null; }
  const lookup = (path) => {
    const kind = kindOf(path);
    if (kind && kind.startsWith("column:")) { const one = sample(kind.slice(7), E); return [one, one]; }
    return sample(kind, E);
  };
  try {
    const run = condition ? E.evaluateCondition : E.evaluate;
    run(ir.root, { lookup, user: "someone", now: new Date("2024-06-15T08:30:00Z"), tzOffsetMinutes: 480 });
  } catch (error) {
    if (error && error.name === "ExprError") { return { key: "expr.type", params: { message: error.message } }; }
    throw error;
  }
  return null;
}
