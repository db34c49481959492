// A forgiving scanner of JSON text, for the JSON tab: it never throws, so it also works on a text
// that is being typed (unterminated strings, missing commas, half-written keys).
//
//   tokens(text)              -> [{type, from, to, value?, closed?}]   type: "{" "}" "[" "]" ":" ","
//                                "string" (value = decoded text, closed = has its closing quote),
//                                "number", "word" (true/false/null or anything unquoted)
//   positions(text)           -> the tree of values with their ranges:
//                                {kind: "object"|"array"|"scalar", from, to, keyFrom?, keyTo?,
//                                 members?: Map(key -> node), items?: [node]}
//   pointerRange(text, ptr)   -> {from, to, found} the place to mark for a problem at a JSON pointer:
//                                a scalar's key and value, a container's key (or its opening
//                                bracket); for a pointer that is not in the text, the deepest part
//                                that is (found = false)

const PUNCT = "{}[]:,";

function readString(text, start) {
  // start is at the opening quote; returns {to, value, closed}
  let i = start + 1;
  let value = "";
  while (i < text.length) {
    const c = text[i];
    if (c === '"') { return { to: i + 1, value, closed: true }; }
    if (c === "\n") { break; }  // a string never spans lines: treat it as unterminated
    if (c === "\\" && i + 1 < text.length) {
      const e = text[i + 1];
      const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e in simple) { value += simple[e]; i += 2; continue; }
      if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      value += e;
      i += 2;
      continue;
    }
    value += c;
    i += 1;
  }
  return { to: i, value, closed: false };
}

export function tokens(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") { i += 1; continue; }
    if (PUNCT.includes(c)) { out.push({ type: c, from: i, to: i + 1 }); i += 1; continue; }
    if (c === '"') {
      const s = readString(text, i);
      out.push({ type: "string", from: i, to: s.to, value: s.value, closed: s.closed });
      i = s.to;
      continue;
    }
    let j = i;
    while (j < text.length && !PUNCT.includes(text[j]) && !/\s/.test(text[j]) && text[j] !== '"') { j += 1; }
    const word = text.slice(i, j);
    out.push({ type: /^-?[0-9]/.test(word) ? "number" : "word", from: i, to: j, value: word });
    i = j;
  }
  return out;
}

function scalarValue(token) {
  if (token.type === "string") { return token.value; }
  if (token.type === "number") { const n = Number(token.value); return Number.isNaN(n) ? token.value : n; }
  if (token.value === "true") { return true; }
  if (token.value === "false") { return false; }
  if (token.value === "null") { return null; }
  return token.value;
}

export { scalarValue };

// -- the tree of positions -------------------------------------------------------------------

export function positions(text) {
  const list = tokens(text);
  let k = 0;

  function value() {
    const t = list[k];
    if (!t) { return null; }
    if (t.type === "{") { return object(); }
    if (t.type === "[") { return array(); }
    if (t.type === "string" || t.type === "number" || t.type === "word") {
      k += 1;
      return { kind: "scalar", from: t.from, to: t.to, value: scalarValue(t) };
    }
    return null;
  }

  function object() {
    const open = list[k];
    k += 1;
    const node = { kind: "object", from: open.from, to: open.to, members: new Map() };
    while (k < list.length) {
      const t = list[k];
      if (t.type === "}") { k += 1; node.to = t.to; return node; }
      if (t.type === ",") { k += 1; continue; }
      if (t.type === "]") { return node; }  // mismatched: let the parent deal with it
      if (t.type !== "string") { k += 1; continue; }
      k += 1;
      const key = t.value;
      let child = null;
      if (list[k] && list[k].type === ":") {
        k += 1;
        child = value();
      }
      if (!child) { child = { kind: "scalar", from: t.from, to: t.to, value: undefined }; }
      child.keyFrom = t.from;
      child.keyTo = t.to;
      if (!node.members.has(key)) { node.members.set(key, child); }
      node.to = child.to;
    }
    return node;
  }

  function array() {
    const open = list[k];
    k += 1;
    const node = { kind: "array", from: open.from, to: open.to, items: [] };
    while (k < list.length) {
      const t = list[k];
      if (t.type === "]") { k += 1; node.to = t.to; return node; }
      if (t.type === ",") { k += 1; continue; }
      if (t.type === "}") { return node; }
      const child = value();
      if (!child) { k += 1; continue; }
      node.items.push(child);
      node.to = child.to;
    }
    return node;
  }

  return value();
}

function unescapeToken(token) {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function mark(node) {
  const from = node.keyFrom !== undefined ? node.keyFrom : node.from;
  if (node.kind === "scalar") { return { from, to: node.to }; }
  if (node.keyFrom !== undefined) { return { from: node.keyFrom, to: node.keyTo }; }
  return { from: node.from, to: node.from + 1 };
}

export function pointerRange(text, pointer, tree) {
  const root = tree === undefined ? positions(text) : tree;
  if (!root) { return { from: 0, to: Math.min(1, text.length), found: !pointer }; }
  const path = pointer ? pointer.slice(1).split("/").map(unescapeToken) : [];
  let node = root;
  for (const token of path) {
    let next;
    if (node.kind === "object") {
      next = node.members.get(token);
    } else if (node.kind === "array" && /^(0|[1-9][0-9]*)$/.test(token)) {
      next = node.items[Number(token)];
    }
    if (!next) { return { ...mark(node), found: false }; }
    node = next;
  }
  return { ...mark(node), found: true };
}
