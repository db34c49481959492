// The form designer's edits, as small mutations of a module document (no DOM). Pointers name
// a form ("/forms/2"), a field ("/forms/2/fields/5") or a table column ("/forms/2/fields/5/fields/1");
// a container is a fields array ("/forms/2/fields", "/forms/2/fields/5/fields").
//
//   NAME_RE, RESERVED                      field names: ^[a-z][a-z0-9_]{0,62}$, not a system attribute
//   nameProblem(name, siblings, self)      null or a text key ("form.name_invalid", ...)
//   newFieldName(form, container)          "field_N", N the smallest unused in the form (tables too)
//   newField(type, meta, {name, label})    {name, type, label, ...required options with starting values}
//   addField(doc, container, index, field) inserts; returns the new field's pointer
//   moveField(doc, from, container, index) moves a field (also into/out of a table); returns its new pointer
//   removeField(doc, pointer)              removes; returns the field
//   setKey(obj, key, value)                sets a key: an existing key keeps its place, a new one goes last;
//                                          undefined removes it
//   renameField(doc, formPointer, fieldPointer, newName)  renames and follows the name in the form's
//                                          list settings, title/owner field and charts
//   changeType(field, type, meta, {options})  another type: the old type's own keys go, the new one's
//                                          required keys come, the rest stays
//   allFields(form)                        [{pointer (relative to the form), field, table}] incl. table columns
//   newFormName(docs), newForm(name, title, fieldLabel)
import { get, parse, pointerOf } from "./pointers.js";

export const NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;
export const RESERVED = ["id", "stage", "version", "created_by", "created_at", "updated_at"];

export function nameProblem(name, siblings, self) {
  if (!NAME_RE.test(name || "")) { return "form.name_invalid"; }
  if (RESERVED.includes(name)) { return "form.name_reserved"; }
  if ((siblings || []).some((f) => f !== self && f && f.name === name)) { return "form.name_taken"; }
  return null;
}

export function allFields(form) {
  const out = [];
  (form.fields || []).forEach((field, i) => {
    out.push({ pointer: pointerOf(["fields", i]), field, table: null });
    if (Array.isArray(field && field.fields)) {
      field.fields.forEach((sub, j) => out.push({ pointer: pointerOf(["fields", i, "fields", j]), field: sub, table: field }));
    }
  });
  return out;
}

export function newFieldName(form) {
  const taken = new Set(allFields(form).map((f) => f.field && f.field.name));
  let n = 1;
  while (taken.has("field_" + n)) { n += 1; }
  return "field_" + n;
}

function startValue(key, schema, type) {
  if (key === "options") { return null; }  // filled by the caller with translated words
  if (schema && schema.default !== undefined) { return schema.default; }
  if (schema && Array.isArray(schema.enum)) { return schema.enum[0]; }
  if (key === "fields") { return []; }
  if (key === "pattern" && type === "serial") { return "NO-{seq:4}"; }
  if (schema && schema.type === "integer") { return schema.minimum || 1; }
  return "";
}

export function newField(type, meta, { name, label, options } = {}) {
  const kind = (meta.types || []).find((t) => t.name === type);
  const field = { name, type, label };
  if (!kind) { return field; }
  for (const key of kind.required_options || []) {
    if (key === "options") { field.options = options || ["1", "2"]; continue; }
    if (key === "value" && kind.rolls_up) { field.value = "count()"; continue; }  // valid from the start
    field[key] = startValue(key, kind.options_schema[key], type);
  }
  return field;
}

function container(doc, pointer) {
  const array = get(doc, pointer);
  if (!Array.isArray(array)) { throw new Error("not a fields array: " + pointer); }
  return array;
}

export function addField(doc, containerPointer, index, field) {
  const array = container(doc, containerPointer);
  const at = Math.max(0, Math.min(index === undefined || index === null ? array.length : index, array.length));
  array.splice(at, 0, field);
  if (field && typeof field.name === "string") { dropStaleRenames(array, field.name, field); }
  return containerPointer + "/" + at;
}

// A field named `name` again: a sibling's `renamed_from: name` is a rename already done (it would now
// name a field of its own, which the check refuses), so it goes.
export function dropStaleRenames(fields, name, except) {
  for (const item of fields || []) {
    if (item && item !== except && item.renamed_from === name) { delete item.renamed_from; }
  }
}

// After renaming `field` from `old` to `name`: its `renamed_from` says the name its values are stored
// under in the live set (`liveNames`: the live form's field names at this level, or null for a form new in
// the draft): set to that live name, removed when renamed back to it; a leftover that names no live field
// stays as it is (it may name a column kept in the database).
export function trackRename(field, old, name, liveNames) {
  const live = new Set(liveNames || []);
  const origin = typeof field.renamed_from === "string" && live.has(field.renamed_from) ? field.renamed_from
    : (live.has(old) ? old : null);
  if (origin === null) { if (field.renamed_from === name) { delete field.renamed_from; } return; }
  if (origin === name) { delete field.renamed_from; } else { field.renamed_from = origin; }
}

export function moveField(doc, from, toContainer, toIndex) {
  const path = parse(from);
  const fromIndex = Number(path[path.length - 1]);
  const fromContainer = pointerOf(path.slice(0, -1));
  const source = container(doc, fromContainer);
  const target = container(doc, toContainer);
  if (toContainer === from + "/fields" || toContainer.startsWith(from + "/")) { return from; }  // into itself
  const [field] = source.splice(fromIndex, 1);
  let at = toIndex === undefined || toIndex === null ? target.length : toIndex;
  if (source === target && at > fromIndex) { at -= 1; }
  at = Math.max(0, Math.min(at, target.length));
  target.splice(at, 0, field);
  // the target's own pointer may have shifted (a field moved from above a table into it)
  return pointerOfObject(doc, field, toContainer.split("/").slice(0, 3).join("/")) || toContainer + "/" + at;
}

// Where `target` (an object inside doc) is now, searched below `under` (a pointer), or null.
export function pointerOfObject(doc, target, under = "") {
  const start = get(doc, under);
  const stack = [[start, under]];
  while (stack.length) {
    const [node, at] = stack.pop();
    if (node === target) { return at; }
    if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (value && typeof value === "object") { stack.push([value, at + "/" + String(key).replace(/~/g, "~0").replace(/\//g, "~1")]); }
      }
    }
  }
  return null;
}

export function removeField(doc, pointer) {
  const path = parse(pointer);
  const array = container(doc, pointerOf(path.slice(0, -1)));
  return array.splice(Number(path[path.length - 1]), 1)[0];
}

export function setKey(obj, key, value) {
  if (value === undefined) { delete obj[key]; return obj; }
  obj[key] = value;  // JS objects keep insertion order: an existing key stays where it is
  return obj;
}

function renameIn(list, oldName, newName) {
  if (!Array.isArray(list)) { return; }
  list.forEach((item, i) => {
    if (item === oldName) { list[i] = newName; }
    else if (item === "-" + oldName) { list[i] = "-" + newName; }
  });
}

export function renameField(doc, formPointer, fieldPointer, newName) {
  const form = get(doc, formPointer);
  const field = get(doc, fieldPointer);
  const oldName = field.name;
  if (oldName === newName) { return; }
  field.name = newName;
  const path = parse(fieldPointer);
  const siblings = get(doc, pointerOf(path.slice(0, -1)));
  if (Array.isArray(siblings)) { dropStaleRenames(siblings, newName, field); }
  const topLevel = parse(fieldPointer).length === parse(formPointer).length + 2;
  if (!topLevel) { return; }
  if (form.title_field === oldName) { form.title_field = newName; }
  if (form.owner_field === oldName) { form.owner_field = newName; }
  renameIn(form.summary, oldName, newName);
  if (form.list) {
    renameIn(form.list.columns, oldName, newName);
    renameIn(form.list.filters, oldName, newName);
    renameIn(form.list.search, oldName, newName);
    if (form.list.order_by === oldName) { form.list.order_by = newName; }
    if (form.list.order_by === "-" + oldName) { form.list.order_by = "-" + newName; }
  }
  for (const chart of form.charts || []) {
    if (chart.group_by === oldName) { chart.group_by = newName; }
    if (typeof chart.value === "string") { chart.value = chart.value.replace(new RegExp("\\(" + oldName + "\\)$"), "(" + newName + ")"); }
  }
}

// A field becomes another type: the keys only the old type owns go, and its default (and unique where the
// new type cannot be), the new type's required keys come (with starting values); everything else (label,
// help, required, unknown keys...) stays where it is.
export function changeType(field, type, meta, { options } = {}) {
  const kinds = meta.types || [];
  const old = kinds.find((k) => k.name === field.type);
  const next = kinds.find((k) => k.name === type);
  if (!next || field.type === type) { return field; }
  field.type = type;
  delete field.default;  // a value of the old type
  if (!next.can_be_unique) { delete field.unique; delete field.warn_duplicates; }
  for (const key of Object.keys((old && old.options_schema) || {})) {
    if (!(key in next.options_schema)) { delete field[key]; }
  }
  const fresh = newField(type, meta, { name: field.name, label: field.label, options });
  for (const key of next.required_options || []) {
    if (!(key in field)) { field[key] = fresh[key]; }
  }
  return field;
}

export function newFormName(docs) {
  const taken = new Set();
  for (const doc of Object.values(docs)) { for (const f of (doc && doc.forms) || []) { taken.add(f && f.name); } }
  let n = 1;
  while (taken.has("form_" + n)) { n += 1; }
  return "form_" + n;
}

export function newForm(name, title, fieldLabel) {
  return { name, title, title_field: "title", fields: [{ name: "title", type: "text", label: fieldLabel, required: true }] };
}
