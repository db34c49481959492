// Schema completion for the JSON tab (pure: no editor, no DOM; tested with node).
//
//   pathAt(text, offset)          -> where the cursor is: {kind: "key" | "value" | null, path, from, to,
//                                    prefix, quoted, colonAfter, keys, objects}
//                                    path: keys/indexes from the root to the object whose key is typed
//                                    (kind "key") or to the value being typed (kind "value");
//                                    keys: the keys already in that object; objects[i]: the plain members
//                                    ({key: scalar}) of the i-th container on the way (to tell a field's
//                                    type, for example)
//   schemasAt(schema, path, objects) -> the sub-schemas that apply at path ($ref, allOf, anyOf/oneOf,
//                                    if/then on the values known, properties, items, additionalProperties)
//   keyOptions(schema, path, objects, keys)   -> [{label, detail, info, required}]
//   valueOptions(schema, path, objects)       -> [{label, value, info}]  (enum, const, booleans)
//   nameOptions(schemas, path, at, context) -> names the definitions use at that place: the form's field
//                                    names (list columns, title_field, editable, required, ...), its stages
//                                    (initial, from, to), transitions, roles (transition roles, recipients,
//                                    permission keys) and forms (a link's target); context = {doc, docs}
//   complete(schema, text, offset, {explicit, context}) -> {from, to, options: [{label, apply, type, detail,
//                                    info}]} | null: what the editor offers at the cursor
import { tokens, scalarValue } from "./json-scan.js";
import { SYSTEM_ATTRIBUTES } from "./perms-model.js";
import { txt } from "./loc.js";

// -- where is the cursor ----------------------------------------------------------------------

export function pathAt(text, offset) {
  const stack = [];  // frames: {type, state, key, index, members, keys, step, lastEnd}
  let found = null;

  function top() { return stack[stack.length - 1]; }

  function valueDone(end) {
    const frame = top();
    if (frame) { frame.state = "after"; frame.lastEnd = end; }
  }

  function push(type) {
    const parent = top();
    const step = parent ? (parent.type === "object" ? parent.key : parent.index) : undefined;
    stack.push({ type, state: type === "object" ? "key" : "value", key: null, index: 0, members: {},
                 keys: new Set(), step, lastEnd: null });
  }

  function feed(t) {
    const frame = top();
    if (t.type === "{" || t.type === "[") {
      if (!frame || frame.state === "value" || frame.state === "colon") { push(t.type === "{" ? "object" : "array"); }
      return;
    }
    if (t.type === "}" || t.type === "]") {
      if (frame && (frame.type === "object") === (t.type === "}")) { stack.pop(); valueDone(t.to); }
      return;
    }
    if (!frame) { return; }
    if (t.type === ":") { if (frame.type === "object" && frame.state === "colon") { frame.state = "value"; } return; }
    if (t.type === ",") {
      if (frame.type === "object") { frame.state = "key"; frame.key = null; } else { frame.index += 1; frame.state = "value"; }
      return;
    }
    // a string, number or word
    if (frame.type === "object" && frame.state === "key") {
      if (t.type === "string") { frame.key = t.value; frame.keys.add(t.value); frame.state = "colon"; }
      return;
    }
    if (frame.type === "object" && (frame.state === "value" || frame.state === "colon")) {
      frame.members[frame.key] = scalarValue(t);
      valueDone(t.to);
      return;
    }
    if (frame.type === "array" && frame.state === "value") { valueDone(t.to); }
  }

  // the place at the cursor, from the state before the token there (or before the next token)
  function locate(token) {
    const frame = top();
    if (!frame) { return { kind: null }; }
    const quoted = !!token && token.type === "string";
    const from = token ? token.from : offset;
    const to = token ? token.to : offset;
    const prefix = token ? text.slice(token.from + (quoted ? 1 : 0), offset) : "";
    const colonAfter = /^\s*:/.test(text.slice(to));
    const path = stack.slice(1).map((f) => f.step);
    let kind = null;
    if (frame.type === "object" && frame.state === "key") { kind = "key"; }
    if (frame.type === "object" && frame.state === "after" && !(token && quoted && token.closed)) { kind = "key"; }
    if (frame.state === "value" || (frame.type === "object" && frame.state === "colon" && !quoted)) { kind = "value"; }
    if (!kind) { return { kind: null }; }
    if (kind === "value") { path.push(frame.type === "object" ? frame.key : frame.index); }
    return {
      kind, path, from, to, prefix, quoted, colonAfter,
      commaAt: kind === "key" && frame.state === "after" ? frame.lastEnd : null,
      ownKey: kind === "key" && token && quoted ? token.value : undefined,
      frame, frames: stack.slice(),
    };
  }

  for (const t of tokens(text)) {
    if (!found) {
      const scalar = t.type === "string" || t.type === "word" || t.type === "number";
      const inside = scalar && t.from < offset && (offset < t.to || (offset === t.to && t.type !== "string")
        || (offset === t.to && t.type === "string" && !t.closed));
      if (inside) {
        found = locate(t);
      } else if (t.from >= offset) {
        found = locate(null);
      }
    }
    feed(t);
  }
  if (!found) { found = locate(null); }
  if (!found.kind) { return found; }
  // the frames kept filling in after the cursor: their members now hold the whole objects
  found.objects = found.frames.map((f) => f.members);
  const keys = new Set(found.frame.keys);
  if (found.ownKey !== undefined) { keys.delete(found.ownKey); }
  found.keys = keys;
  delete found.frames;
  delete found.frame;
  delete found.ownKey;
  return found;
}

// -- the schema at a path ---------------------------------------------------------------------

function resolveRef(root, ref) {
  if (!ref.startsWith("#")) { return undefined; }
  let node = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object") { return undefined; }
    node = node[token];
  }
  return node;
}

function matches(root, schema, value, depth = 0) {
  // a small check used for `if`: const, enum, type, required and properties; unknown → true
  if (schema === true || schema == null) { return true; }
  if (schema === false) { return false; }
  if (depth > 20) { return true; }
  if (schema.$ref) {
    const target = resolveRef(root, schema.$ref);
    if (target && !matches(root, target, value, depth + 1)) { return false; }
  }
  if ("const" in schema && value !== undefined && value !== schema.const) { return false; }
  if (schema.enum && value !== undefined && !schema.enum.includes(value)) { return false; }
  if (schema.type && value !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    const ok = types.some((t) => t === kind || (t === "integer" && kind === "number" && Number.isInteger(value))
      || (t === "object" && kind === "object"));
    if (!ok) { return false; }
  }
  if (schema.pattern && typeof value === "string" && !new RegExp(schema.pattern, "u").test(value)) { return false; }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const key of schema.required || []) { if (!(key in value)) { return false; } }
    for (const [key, sub] of Object.entries(schema.properties || {})) {
      if (key in value && !matches(root, sub, value[key], depth + 1)) { return false; }
    }
  } else if (schema.required && schema.required.length && value === undefined) {
    return false;
  }
  return true;
}

// All the sub-schemas that apply to a value (whose known plain members are `value`). `out.optional`
// holds those reached through anyOf/oneOf (one of them applies, not all): only the others may rule out
// a value that some schema offers.
export function expand(root, schema, value, depth = 0, out = null, optional = false) {
  if (!out) { out = []; out.optional = new Set(); }
  if (schema === null || typeof schema !== "object" || depth > 30) { return out; }
  out.push(schema);
  if (optional) { out.optional.add(schema); }
  if (schema.$ref) {
    const target = resolveRef(root, schema.$ref);
    if (target) { expand(root, target, value, depth + 1, out, optional); }
  }
  for (const sub of schema.allOf || []) { expand(root, sub, value, depth + 1, out, optional); }
  for (const sub of [...(schema.anyOf || []), ...(schema.oneOf || [])]) {
    if (value === undefined || matches(root, sub, value)) { expand(root, sub, value, depth + 1, out, true); }
  }
  if (schema.if && schema.then && value !== undefined && matches(root, schema.if, value)) {
    expand(root, schema.then, value, depth + 1, out, optional);
  }
  return out;
}

function childSchemas(root, schemas, step) {
  const out = [];
  for (const s of schemas) {
    const optional = schemas.optional && schemas.optional.has(s);
    const add = (sub) => out.push({ sub, optional });
    if (typeof step === "number") {
      if (Array.isArray(s.prefixItems) && step < s.prefixItems.length) { add(s.prefixItems[step]); continue; }
      if (s.items && typeof s.items === "object") { add(s.items); }
      continue;
    }
    if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, step)) { add(s.properties[step]); continue; }
    let matched = false;
    for (const [pattern, sub] of Object.entries(s.patternProperties || {})) {
      if (new RegExp(pattern, "u").test(step)) { add(sub); matched = true; }
    }
    if (!matched && s.additionalProperties && typeof s.additionalProperties === "object") {
      add(s.additionalProperties);
    }
  }
  return out;
}

// The schemas applying at `path`; objects[i] = plain members of the container at depth i (or undefined).
export function schemasAt(root, path, objects = []) {
  let schemas = expand(root, root, objects[0]);
  for (let i = 0; i < path.length; i++) {
    const subs = childSchemas(root, schemas, path[i]);
    schemas = [];
    schemas.optional = new Set();
    for (const { sub, optional } of subs) { expand(root, sub, objects[i + 1], 0, schemas, optional); }
    if (!schemas.length) { break; }
  }
  return schemas;
}

function allows(schema, value) {
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => v === value)) { return false; }
  if ("const" in schema && schema.const !== value) { return false; }
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const kind = value === null ? "null" : typeof value;
    if (!types.some((t) => t === kind || ((t === "integer" || t === "number") && kind === "number"))) { return false; }
  }
  return true;
}

function refusesAll(root, schema, depth = 0) {
  // `false`, or `{"not": <anything>}` where <anything> has no constraint: no value passes
  if (schema === false) { return true; }
  if (schema === null || typeof schema !== "object" || depth > 10) { return false; }
  if (schema.$ref) {
    const target = resolveRef(root, schema.$ref);
    if (target !== undefined && refusesAll(root, target, depth + 1)) { return true; }
  }
  if (schema.not && typeof schema.not === "object") {
    const constraints = Object.keys(schema.not).filter((k) => !["description", "$comment", "title"].includes(k));
    if (!constraints.length) { return true; }
  }
  return (schema.allOf || []).some((s) => refusesAll(root, s, depth + 1));
}

function firstSentence(text) {
  if (!text) { return ""; }
  const m = /^(.+?[.。])(\s|$)/.exec(text);
  return (m ? m[1] : text).slice(0, 160);
}

function describe(root, schemas) {
  for (const s of schemas) {
    let node = s;
    for (let i = 0; i < 5 && node; i++) {
      if (node.description) { return node.description; }
      node = node.$ref ? resolveRef(root, node.$ref) : null;
    }
  }
  return "";
}

export function keyOptions(root, path, objects = [], present = new Set()) {
  const schemas = schemasAt(root, path, objects);
  const keys = new Map();
  const refused = new Set();
  const required = new Set();
  for (const s of schemas) {
    for (const key of s.required || []) { required.add(key); }
    for (const [key, sub] of Object.entries(s.properties || {})) {
      if (refusesAll(root, sub)) { refused.add(key); continue; }
      if (!keys.has(key)) { keys.set(key, []); }
      keys.get(key).push(sub);
    }
  }
  const out = [];
  for (const [key, subs] of keys) {
    if (refused.has(key) || present.has(key)) { continue; }
    const info = describe(root, subs.slice().reverse());
    out.push({ label: key, detail: required.has(key) ? "required" : "", info, required: required.has(key) });
  }
  out.sort((a, b) => Number(b.required) - Number(a.required));
  return out;
}

export function valueOptions(root, path, objects = []) {
  const schemas = schemasAt(root, path, objects);
  const seen = new Set();
  const out = [];
  function add(value, info) {
    const key = JSON.stringify(value);
    if (seen.has(key)) { return; }
    seen.add(key);
    out.push({ label: typeof value === "string" ? value : key, value, info: firstSentence(info) });
  }
  for (const s of schemas) {
    if (Array.isArray(s.enum)) { for (const v of s.enum) { add(v, s.description); } }
    if ("const" in s) { add(s.const, s.description); }
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.includes("boolean") && !s.enum && !("const" in s)) { add(true, s.description); add(false, s.description); }
  }
  // every schema that must hold (not one branch of several) has to allow the value
  const binding = schemas.filter((s) => !schemas.optional.has(s));
  return out.filter((o) => binding.every((s) => allows(s, o.value)));
}

// -- names used in the definitions ------------------------------------------------------------

function fieldNames(form, withColumns) {
  const out = [];
  for (const field of (form && Array.isArray(form.fields) ? form.fields : [])) {
    if (!field || typeof field.name !== "string") { continue; }
    out.push({ name: field.name, info: txt(field.label) });
    if (withColumns && Array.isArray(field.fields)) {
      for (const column of field.fields) {
        if (column && typeof column.name === "string") {
          out.push({ name: field.name + "." + column.name, info: (txt(field.label) || field.name) + " · " + (txt(column.label) || column.name) });
        }
      }
    }
  }
  return out;
}

function named(list) {
  return (Array.isArray(list) ? list : []).filter((x) => x && typeof x.name === "string")
    .map((x) => ({ name: x.name, info: txt(x.title) || txt(x.label) }));
}

function allRoles(docs) {
  const seen = new Map();
  for (const doc of docs) { for (const r of named(doc && doc.roles)) { if (!seen.has(r.name)) { seen.set(r.name, r); } } }
  return [...seen.values()];
}

function allForms(docs) {
  return docs.flatMap((doc) => named(doc && doc.forms));
}

// path patterns: "#" is any index, "*" any key
function matchPath(path, pattern) {
  if (path.length !== pattern.length) { return false; }
  return pattern.every((p, i) => (p === "#" ? typeof path[i] === "number" : p === "*" ? true : p === path[i]));
}

const STAGE_VALUES = [
  ["forms", "#", "workflow", "initial"],
  ["forms", "#", "workflow", "transitions", "#", "from"],
  ["forms", "#", "workflow", "transitions", "#", "from", "#"],
  ["forms", "#", "workflow", "transitions", "#", "to"],
];
const FIELD_VALUES = [
  ["forms", "#", "workflow", "stages", "#", "editable", "#"],
  ["forms", "#", "workflow", "transitions", "#", "required", "#"],
];
const TRANSITION_VALUES = [
  ["forms", "#", "workflow", "stages", "#", "escalate", "transition"],
  ["forms", "#", "reminders", "#", "transition"],
];
const ROLE_VALUES = [["forms", "#", "workflow", "transitions", "#", "roles", "#"]];

export function nameOptions(schemas, path, kind, context = {}) {
  const doc = context.doc;
  const docs = context.docs || (doc ? [doc] : []);
  const form = path[0] === "forms" && typeof path[1] === "number" && doc && Array.isArray(doc.forms) ? doc.forms[path[1]] : null;
  const workflow = form && form.workflow;
  const last = path[path.length - 1];
  if (kind === "key") {
    if (form && matchPath(path, ["forms", "#", "permissions"])) { return allRoles(docs); }
    if (form && (matchPath(path, ["forms", "#", "workflow", "transitions", "#", "set"])
      || matchPath(path, ["forms", "#", "workflow", "stages", "#", "approval", "steps", "#", "set"]))) {
      return fieldNames(form, false);
    }
    return [];
  }
  const refs = new Set(schemas.map((s) => s.$ref).filter(Boolean));
  if (form && (refs.has("#/$defs/field_name") || refs.has("#/$defs/field_path"))) {
    const names = fieldNames(form, refs.has("#/$defs/field_path"));
    if (refs.has("#/$defs/field_name")) { names.push(...SYSTEM_ATTRIBUTES.map((name) => ({ name, info: "" }))); }
    return names;
  }
  if (form && FIELD_VALUES.some((p) => matchPath(path, p))) { return fieldNames(form, false); }
  if (workflow && STAGE_VALUES.some((p) => matchPath(path, p))) { return named(workflow.stages); }
  if (workflow && TRANSITION_VALUES.some((p) => matchPath(path, p))) { return named(workflow.transitions); }
  if (ROLE_VALUES.some((p) => matchPath(path, p)) || (last === "role" && path.length > 2)) { return allRoles(docs); }
  if (last === "form" && path.length >= 5 && path[2] === "fields") { return allForms(docs); }
  return [];
}

// What the editor offers at the cursor: options replace text[from, to) with `apply`; `commaAt`
// (when set) is where a missing comma goes before a new key.
export function complete(root, text, offset, { explicit = false, context = {} } = {}) {
  if (!root) { return null; }
  const at = pathAt(text, offset);
  if (!at || !at.kind) { return null; }
  if (!explicit && !at.quoted && !at.prefix) { return null; }
  // inside quotes the editor completes the text after the opening quote
  const from = at.quoted ? at.from + 1 : at.from;
  if (at.kind === "key") {
    const options = keyOptions(root, at.path, at.objects, at.keys);
    for (const n of nameOptions(schemasAt(root, at.path, at.objects), at.path, "key", context)) {
      if (!at.keys.has(n.name) && !options.some((o) => o.label === n.name)) {
        options.push({ label: n.name, detail: "", info: n.info, required: false, name: true });
      }
    }
    if (!options.length) { return null; }
    const tail = at.colonAfter ? "" : ": ";
    return {
      from, to: at.to, prefix: at.prefix, commaAt: at.commaAt,
      options: options.map((o) => ({
        label: o.label, type: o.name ? "variable" : "property", detail: o.detail, info: o.info, key: true,
        apply: (at.quoted ? "" : '"') + JSON.stringify(o.label).slice(1) + tail,
      })),
    };
  }
  const options = valueOptions(root, at.path, at.objects).filter((o) => !at.quoted || typeof o.value === "string");
  for (const n of nameOptions(schemasAt(root, at.path, at.objects), at.path, "value", context)) {
    if (!options.some((o) => o.value === n.name)) { options.push({ label: n.name, value: n.name, info: n.info, name: true }); }
  }
  if (!options.length) { return null; }
  return {
    from, to: at.to, prefix: at.prefix, commaAt: null,
    options: options.map((o) => ({
      label: o.label, type: o.name ? "variable" : typeof o.value === "string" ? "enum" : "constant", info: o.info,
      apply: at.quoted ? JSON.stringify(o.value).slice(1) : JSON.stringify(o.value),
    })),
  };
}
