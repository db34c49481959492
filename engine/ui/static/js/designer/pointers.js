// JSON pointers (RFC 6901) over the module documents the designer edits.
//   pointerOf(["forms", 0, "fields", 3]) -> "/forms/0/fields/3"
//   parse("/forms/0/fields/3")           -> ["forms", "0", "fields", "3"]
//   get(doc, pointer)                    -> the value there, or undefined
//   set(doc, pointer, value)             -> sets it (the parent must exist); returns value
//   remove(doc, pointer)                 -> deletes a key or splices an array item; returns it
//   findByName(array, name)              -> the item whose .name is name, or undefined
//   indexByName(array, name)             -> its index, or -1
//   within(pointer, prefix)              -> pointer is prefix or below it (whole segments)
//   parent(pointer), last(pointer), join(pointer, ...tokens)

export function escapeToken(token) {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeToken(token) {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function pointerOf(path) {
  return path.map((t) => "/" + escapeToken(t)).join("");
}

export function parse(pointer) {
  if (pointer === "" || pointer == null) { return []; }
  if (pointer[0] !== "/") { throw new Error("not a JSON pointer: " + pointer); }
  return pointer.slice(1).split("/").map(unescapeToken);
}

export function join(pointer, ...tokens) {
  return (pointer || "") + pointerOf(tokens);
}

export function parent(pointer) {
  const path = parse(pointer);
  return pointerOf(path.slice(0, -1));
}

export function last(pointer) {
  const path = parse(pointer);
  return path.length ? path[path.length - 1] : undefined;
}

function step(node, token) {
  if (node === null || typeof node !== "object") { return undefined; }
  if (Array.isArray(node)) {
    if (!/^(0|[1-9][0-9]*)$/.test(token)) { return undefined; }
    return node[Number(token)];
  }
  return Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
}

export function get(doc, pointer) {
  let node = doc;
  for (const token of parse(pointer)) {
    node = step(node, token);
    if (node === undefined) { return undefined; }
  }
  return node;
}

export function set(doc, pointer, value) {
  const path = parse(pointer);
  if (!path.length) { throw new Error("cannot set the whole document"); }
  const holder = get(doc, pointerOf(path.slice(0, -1)));
  if (holder === null || typeof holder !== "object") { throw new Error("no parent at " + pointer); }
  const key = path[path.length - 1];
  if (Array.isArray(holder)) {
    if (key === "-") { holder.push(value); } else { holder[Number(key)] = value; }
  } else {
    holder[key] = value;
  }
  return value;
}

export function remove(doc, pointer) {
  const path = parse(pointer);
  const holder = get(doc, pointerOf(path.slice(0, -1)));
  if (holder === null || typeof holder !== "object") { return undefined; }
  const key = path[path.length - 1];
  if (Array.isArray(holder)) { return holder.splice(Number(key), 1)[0]; }
  const value = holder[key];
  delete holder[key];
  return value;
}

export function within(pointer, prefix) {
  if (!prefix) { return true; }
  return pointer === prefix || pointer.startsWith(prefix + "/");
}

export function findByName(array, name) {
  return Array.isArray(array) ? array.find((item) => item && item.name === name) : undefined;
}

export function indexByName(array, name) {
  return Array.isArray(array) ? array.findIndex((item) => item && item.name === name) : -1;
}
