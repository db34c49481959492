// A live check of a formula or condition as the admin types it: parse (expr-parse.js), resolve the
// field names against the form, then run it with expr.js (the page's evaluator, the server's twin)
// on sample values of each field's kind, which finds type mistakes such as text * number.
//
//   checkExpression(text, scope, {condition, engine}) -> null (fine) or {key, params} (a UI text key:
//       "expr.syntax" {message, at}, "expr.unknown_field" {name}, "expr.type" {message}); a syntax
//       message is {key, params, text} (exprMessage), which store.text renders in the page's language
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

// The parser's English (the same as the server's, engine/expressions) -> a text key ("exprmsg.*" in
// designer_texts/status.py, the same msgids as the server's catalogue, so both read alike) and its values.
const MESSAGES = [
  [/^syntax error: unexpected end$/, "exprmsg.unexpected_end"],
  [/^syntax error: invalid syntax$/, "exprmsg.invalid_syntax"],
  [/^unclosed bracket$/, "exprmsg.unclosed"],
  [/^unbalanced (?<bracket>.+)$/, "exprmsg.unbalanced"],
  [/^unterminated string literal$/, "exprmsg.unterminated"],
  [/^expression is empty$/, "exprmsg.empty"],
  [/^use == to compare$/, "exprmsg.use_eq"],
  [/^character (?<char>.+) is not allowed$/, "exprmsg.character"],
  [/^character (?<char>.+) is only allowed inside a string literal$/, "exprmsg.character_text"],
  [/^'\$' may only be used in the variable \$user$/, "exprmsg.dollar"],
  [/^expected (?<token>.+)$/, "exprmsg.expected"],
  [/^names starting with '_' are not allowed$/, "exprmsg.underscore"],
  [/^use true, false and null \(lowercase\)$/, "exprmsg.lowercase"],
  [/^'is' is not allowed; use == null or != null$/, "exprmsg.is"],
  [/^a list \[\.\.\.\] may only appear right of 'in' or 'not in'$/, "exprmsg.list"],
  [/^field paths have at most two parts \(a\.b\)$/, "exprmsg.path"],
  [/^leading zeros in a number are not allowed$/, "exprmsg.zeros"],
  [/^unary '(?<op>.+)' is not allowed$/, "exprmsg.unary"],
  [/^operator '(?<op>.+)' is not allowed$/, "exprmsg.operator"],
  [/^'(?<name>\w+)' is a function; call it like \w+\(\.\.\.\)$/, "exprmsg.function"],
  [/^unknown function '(?<name>\w+)'; allowed: (?<allowed>.*)$/, "exprmsg.unknown_function"],
  [/^only these functions may be called: (?<allowed>.*)$/, "exprmsg.only_functions"],
  [/^(?<name>\w+)\(\) takes (?<expected>.+) argument\(s\), got (?<count>\d+)$/, "exprmsg.arguments"],
];

// {key, params, text}: store.text renders it with the key when the page has it, else the English text
export function exprMessage(message) {
  for (const [rx, key] of MESSAGES) {
    const m = rx.exec(message);
    if (m) { return { key, params: { ...(m.groups || {}) }, text: message }; }
  }
  return { key: null, params: {}, text: message };
}

export function checkExpression(text, scope, { condition = false, engine = null } = {}) {
  let ir;
  try {
    ir = parseExpression(text);
  } catch (error) {
    if (error instanceof ExprSyntaxError) {
      return { key: "expr.syntax", params: { message: exprMessage(error.message), at: (error.offset || 0) + 1 } };
    }
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
