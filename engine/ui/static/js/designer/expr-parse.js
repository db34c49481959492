// The engine's expression language, parsed in the browser for the designer's live checks:
// source text -> the same JSON IR as engine/expressions (Expression.to_dict()["root"]), which
// expr.js evaluates. The server's parser (Python's ast with an allow-list) stays the judge;
// this one accepts the same language: literals ('text', "text", 12, 1.5, true, false, null),
// field names and a.b paths, $user, + - * / %, unary -, comparisons == != < <= > >= in, not in
// (chained: 0 < x <= 9), and / or / not, [lists] right of in / not in, and calls of FUNCTIONS.
//
//   parseExpression(text) -> {root: IR}   throws ExprSyntaxError {message, offset}
//   printExpression(ir)   -> source text (canonical spacing, parentheses only where needed)
//   references(ir)        -> [["amount"], ["items", "qty"], ...] field paths read
//   FUNCTIONS             -> name -> [min args, max args | null]

export const FUNCTIONS = {
  abs: [1, 1], coalesce: [1, null], days_between: [2, 2], len: [1, 1], max: [1, null], min: [1, null],
  now: [0, 0], round: [1, 2], sum: [1, 1], today: [0, 0],
};
const CONSTANTS = { true: true, false: false, null: null };
const KEYWORDS = new Set(["and", "or", "not", "in", "is", "if", "else", "lambda", "for", "True", "False", "None"]);
const MAX_INT = (1n << 63n) - 1n;

export class ExprSyntaxError extends Error {
  constructor(message, offset) {
    super(message);
    this.name = "ExprSyntaxError";
    this.offset = offset;
  }
}

function tokenize(text) {
  const tokens = [];
  let i = 0;
  let depth = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i += 1; continue; }
    const start = i;
    if (ch === "'" || ch === '"') {
      let value = "";
      i += 1;
      for (;;) {
        if (i >= text.length || text[i] === "\n") { throw new ExprSyntaxError("unterminated string literal", start); }
        const c = text[i];
        if (c === ch) { i += 1; break; }
        if (c === "\\") {
          const next = text[i + 1];
          const map = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
          value += next in map ? map[next] : "\\" + next;
          i += 2;
          continue;
        }
        value += c;
        i += 1;
      }
      tokens.push({ kind: "str", value, start, end: i });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(text[i + 1] || ""))) {
      const m = /^[0-9_]*(\.[0-9_]*)?([eEjJ][+-]?[0-9]*)?/.exec(text.slice(i));
      const raw = m[0];
      i += raw.length;
      if (m[2]) { throw new ExprSyntaxError(`number '${raw}' is not allowed; write plain digits like 12 or 1.5`, start); }
      if (/^0[0-9]/.test(raw) && !raw.includes(".")) { throw new ExprSyntaxError("leading zeros in a number are not allowed", start); }
      tokens.push({ kind: raw.includes(".") ? "dec" : "int", value: raw.replace(/_/g, ""), start, end: i });
      continue;
    }
    if (ch.charCodeAt(0) > 127) {  // as the server: names are ASCII, other letters only in 'text'
      throw new ExprSyntaxError(`character '${String.fromCodePoint(text.codePointAt(i))}' is only allowed inside a string literal`, start);
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[\p{L}\p{N}_]+/u.exec(text.slice(i));
      i += m[0].length;
      tokens.push({ kind: "name", value: m[0], start, end: i });
      continue;
    }
    if (ch === "$") {
      const m = /^\$user(?![A-Za-z0-9_])/.exec(text.slice(i));
      if (!m) { throw new ExprSyntaxError("'$' may only be used in the variable $user", start); }
      i += 5;
      tokens.push({ kind: "user", value: "$user", start, end: i });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "**", "//", "<<", ">>", ":="].includes(two)) {
      if (!["==", "!=", "<=", ">="].includes(two)) { throw new ExprSyntaxError(`operator '${two}' is not allowed`, start); }
      i += 2;
      tokens.push({ kind: "op", value: two, start, end: i });
      continue;
    }
    if ("+-*/%<>()[],.".includes(ch)) {
      if (ch === "(" || ch === "[") {
        depth += 1;
        if (depth > 32) { throw new ExprSyntaxError("brackets are nested too deeply (more than 32 levels)", start); }
      } else if (ch === ")" || ch === "]") {
        depth -= 1;
        if (depth < 0) { throw new ExprSyntaxError(`unbalanced '${ch}'`, start); }
      }
      i += 1;
      tokens.push({ kind: "op", value: ch, start, end: i });
      continue;
    }
    if (ch === "=") { throw new ExprSyntaxError("use == to compare", start); }
    throw new ExprSyntaxError(`character '${ch}' is not allowed`, start);
  }
  if (depth > 0) { throw new ExprSyntaxError("unclosed bracket", text.length); }  // as the server says it
  tokens.push({ kind: "end", value: "", start: text.length, end: text.length });
  return tokens;
}

class Parser {
  constructor(text) {
    this.text = text;
    this.tokens = tokenize(text);
    this.pos = 0;
  }
  peek(offset = 0) { return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]; }
  next() { const t = this.peek(); this.pos += 1; return t; }
  isOp(value, offset = 0) { const t = this.peek(offset); return t.kind === "op" && t.value === value; }
  isWord(value, offset = 0) { const t = this.peek(offset); return t.kind === "name" && t.value === value; }
  expectOp(value) {
    if (!this.isOp(value)) { this.fail(`expected '${value}'`); }
    return this.next();
  }
  fail(message, token) {
    const t = token || this.peek();
    throw new ExprSyntaxError(message, t.start);
  }

  parse() {
    if (!this.text.trim()) { throw new ExprSyntaxError("expression is empty", 0); }
    if (this.text.length > 2000) { throw new ExprSyntaxError(`expression is too long (${this.text.length} > 2000 characters)`, 0); }
    const root = this.or();
    if (this.peek().kind !== "end") { this.fail("syntax error: invalid syntax"); }
    checkSize(root);
    return root;
  }

  or() {
    const args = [this.and()];
    while (this.isWord("or")) { this.next(); args.push(this.and()); }
    return args.length === 1 ? args[0] : { t: "or", args };
  }

  and() {
    const args = [this.not()];
    while (this.isWord("and")) { this.next(); args.push(this.not()); }
    return args.length === 1 ? args[0] : { t: "and", args };
  }

  not() {
    if (this.isWord("not")) { this.next(); return { t: "not", arg: this.not() }; }
    return this.comparison();
  }

  compareOp() {
    const t = this.peek();
    if (t.kind === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.value)) { this.next(); return t.value; }
    if (this.isWord("in")) { this.next(); return "in"; }
    if (this.isWord("not") && this.isWord("in", 1)) { this.next(); this.next(); return "not in"; }
    if (this.isWord("is")) { this.fail("'is' is not allowed; use == null or != null"); }
    return null;
  }

  comparison() {
    let left = this.sum();
    const parts = [];
    for (;;) {
      const op = this.compareOp();
      if (!op) { break; }
      const right = (op === "in" || op === "not in") && this.isOp("[") ? this.list() : this.sum();
      parts.push({ t: "cmp", op, left, right });
      left = right;
    }
    if (!parts.length) { return left; }
    return parts.length === 1 ? parts[0] : { t: "and", args: parts };
  }

  sum() {
    let left = this.product();
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().value;
      left = { t: "bin", op, left, right: this.product() };
    }
    return left;
  }

  product() {
    let left = this.unary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.next().value;
      left = { t: "bin", op, left, right: this.unary() };
    }
    return left;
  }

  unary() {
    if (this.isOp("-")) {
      this.next();
      const arg = this.unary();
      if (arg.t === "lit" && typeof arg.v === "number") { return { t: "lit", v: -arg.v }; }
      if (arg.t === "lit" && typeof arg.v === "bigint") { return { t: "lit", v: -arg.v }; }
      if (arg.t === "dec") { return { t: "dec", v: arg.v.startsWith("-") ? arg.v.slice(1) : "-" + arg.v }; }
      return { t: "neg", arg };
    }
    if (this.isOp("+")) { this.fail("unary '+' is not allowed"); }
    return this.atom();
  }

  list() {
    this.expectOp("[");
    const items = [];
    while (!this.isOp("]")) {
      items.push(this.or());
      if (!this.isOp("]")) { this.expectOp(","); }
    }
    this.expectOp("]");
    return { t: "list", items };
  }

  atom() {
    const t = this.peek();
    if (t.kind === "str") { this.next(); return { t: "lit", v: t.value }; }
    if (t.kind === "int") {
      this.next();
      const big = BigInt(t.value);
      if (big > MAX_INT) { this.fail(`number '${t.value}' is too large (64-bit integers only)`, t); }
      return { t: "lit", v: Number.isSafeInteger(Number(big)) ? Number(big) : big };
    }
    if (t.kind === "dec") { this.next(); return { t: "dec", v: normalDecimal(t.value) }; }
    if (t.kind === "user") {
      this.next();
      if (this.isOp("(")) { this.fail("$user is not a function"); }
      return { t: "user" };
    }
    if (t.kind === "op" && t.value === "(") {
      this.next();
      const inner = this.or();
      this.expectOp(")");
      return inner;
    }
    if (t.kind === "op" && t.value === "[") { this.fail("a list [...] may only appear right of 'in' or 'not in'"); }
    if (t.kind === "name") {
      this.next();
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, t.value)) { return { t: "lit", v: CONSTANTS[t.value] }; }
      if (t.value === "True" || t.value === "False" || t.value === "None") { this.fail("use true, false and null (lowercase)", t); }
      if (KEYWORDS.has(t.value)) { this.fail("syntax error: invalid syntax", t); }
      if (t.value.startsWith("_")) { this.fail("names starting with '_' are not allowed", t); }
      if (this.isOp("(")) { return this.call(t); }
      if (Object.prototype.hasOwnProperty.call(FUNCTIONS, t.value)) {
        this.fail(`'${t.value}' is a function; call it like ${t.value}(...)`, t);
      }
      if (this.isOp(".")) {
        this.next();
        const attr = this.next();
        if (attr.kind !== "name") { this.fail("syntax error: invalid syntax", attr); }
        if (attr.value.startsWith("_")) { this.fail("names starting with '_' are not allowed", attr); }
        if (this.isOp(".")) { this.fail("field paths have at most two parts (a.b)"); }
        if (this.isOp("(")) { this.fail("only these functions may be called: " + Object.keys(FUNCTIONS).join(", ")); }
        return { t: "field", path: [t.value, attr.value] };
      }
      return { t: "field", path: [t.value] };
    }
    this.fail(t.kind === "end" ? "syntax error: unexpected end" : "syntax error: invalid syntax", t);
  }

  call(nameToken) {
    const name = nameToken.value;
    const allowed = Object.keys(FUNCTIONS).sort().join(", ");
    if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
      this.fail(`unknown function '${name}'; allowed: ${allowed}`, nameToken);
    }
    this.expectOp("(");
    const args = [];
    while (!this.isOp(")")) {
      args.push(this.or());
      if (!this.isOp(")")) { this.expectOp(","); }
    }
    this.expectOp(")");
    const [low, high] = FUNCTIONS[name];
    if (args.length < low || (high !== null && args.length > high)) {
      const expected = low === high ? String(low) : high === null ? `at least ${low}` : `${low} to ${high}`;
      this.fail(`${name}() takes ${expected} argument(s), got ${args.length}`, nameToken);
    }
    return { t: "call", fn: name, args };
  }
}

function checkSize(root) {
  let count = 0;
  const stack = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop();
    count += 1;
    if (count > 500) { throw new ExprSyntaxError("expression is too large (more than 500 parts)", 0); }
    if (depth > 50) { throw new ExprSyntaxError("expression is nested too deeply (more than 50 levels)", 0); }
    for (const key of ["left", "right", "arg"]) { if (node[key]) { stack.push([node[key], depth + 1]); } }
    for (const key of ["args", "items"]) { if (Array.isArray(node[key])) { node[key].forEach((n) => stack.push([n, depth + 1])); } }
  }
}

function normalDecimal(raw) {
  let text = raw;
  if (text.startsWith(".")) { text = "0" + text; }
  if (text.endsWith(".")) { text = text.slice(0, -1); }
  return text;
}

export function parseExpression(text) {
  return { root: new Parser(String(text)).parse() };
}

// -- printing ----------------------------------------------------------------------------------
const LEVEL = { or: 1, and: 2, not: 3, cmp: 4, sum: 5, product: 6, unary: 7, atom: 8 };

function levelOf(node) {
  switch (node.t) {
    case "or": return LEVEL.or;
    case "and": return LEVEL.and;
    case "not": return LEVEL.not;
    case "cmp": return LEVEL.cmp;
    case "bin": return node.op === "+" || node.op === "-" ? LEVEL.sum : LEVEL.product;
    case "neg": return LEVEL.unary;
    case "lit": return (typeof node.v === "number" || typeof node.v === "bigint") && node.v < 0 ? LEVEL.unary : LEVEL.atom;
    case "dec": return node.v.startsWith("-") ? LEVEL.unary : LEVEL.atom;
    default: return LEVEL.atom;
  }
}

export function quote(text) {
  return "'" + String(text).replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\t/g, "\\t") + "'";
}

function wrap(node, min) {
  const text = printExpression(node);
  return levelOf(node) < min ? "(" + text + ")" : text;
}

export function printExpression(ir) {
  const node = ir && ir.root ? ir.root : ir;
  switch (node.t) {
    case "lit":
      if (node.v === null) { return "null"; }
      if (typeof node.v === "boolean") { return node.v ? "true" : "false"; }
      if (typeof node.v === "string") { return quote(node.v); }
      return String(node.v);
    case "dec": return node.v;
    case "field": return node.path.join(".");
    case "user": return "$user";
    case "list": return "[" + node.items.map((i) => printExpression(i)).join(", ") + "]";
    case "neg": return "-" + wrap(node.arg, LEVEL.unary);
    case "not": return "not " + wrap(node.arg, LEVEL.not);
    case "bin": {
      const level = levelOf(node);
      return wrap(node.left, level) + " " + node.op + " " + wrap(node.right, level + 1);
    }
    case "cmp": return wrap(node.left, LEVEL.cmp + 1) + " " + node.op + " " + wrap(node.right, LEVEL.cmp + 1);
    case "and": case "or": {
      const level = levelOf(node);
      return node.args.map((a) => wrap(a, level + 1)).join(" " + node.t + " ");
    }
    case "call": return node.fn + "(" + node.args.map((a) => printExpression(a)).join(", ") + ")";
    default: throw new Error("unknown node " + node.t);
  }
}

export function references(ir) {
  const out = [];
  const walk = (node) => {
    if (!node || typeof node !== "object") { return; }
    if (node.t === "field") { out.push(node.path); return; }
    for (const key of ["left", "right", "arg"]) { if (node[key]) { walk(node[key]); } }
    for (const key of ["args", "items"]) { if (Array.isArray(node[key])) { node[key].forEach(walk); } }
  };
  walk(ir && ir.root ? ir.root : ir);
  return out;
}
