// A link field's `filter` (linked form's field → field of this form) and `fill` (field of this form →
// linked form's field) as rows the property panel edits (no DOM). A map keeps its key order; an edit
// returns a new map, or undefined when it is left empty (the key goes).
//
//   pairsOf(map)                         [[key, value], ...] (strings only are shown as rows)
//   setPair(map, index, key, value)      row `index` (or a new row at the end) set to key → value
//   removePair(map, index)               without row `index`
//   ownChoices(form, tableField, self)   [{name, label, row}]: in a table the row's other columns first
//                                        (row: true), then the record's fields; a filter may also name `id`
//   linkedChoices(target)                [{name, label}]: the linked form's fields, then the system attributes
//   newFilterRow(map, target, own)       [key, value] a new filter row starts with (a same-named pair first)
//   newFillRow(map, target, own)         [key, value] a new fill row starts with
import { txt } from "./loc.js";
import { RESERVED } from "./form-model.js";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function pairsOf(map) {
  return isObject(map) ? Object.entries(map) : [];
}

export function setPair(map, index, key, value) {
  const pairs = pairsOf(map);
  if (index >= pairs.length) { pairs.push([key, value]); } else { pairs[index] = [key, value]; }
  const out = {};
  for (const [k, v] of pairs) { if (k && !(k in out)) { out[k] = v; } }  // a repeated key: the first row stays
  return Object.keys(out).length ? out : undefined;
}

export function removePair(map, index) {
  const pairs = pairsOf(map).filter((_, i) => i !== index);
  return pairs.length ? Object.fromEntries(pairs) : undefined;
}

const named = (list) => (Array.isArray(list) ? list.filter((f) => isObject(f) && typeof f.name === "string") : []);

export function ownChoices(form, tableField, self) {
  const out = [];
  if (tableField) {
    for (const c of named(tableField.fields)) {
      if (c !== self) { out.push({ name: c.name, label: txt(c.label) || c.name, row: true }); }
    }
  }
  for (const f of named(form && form.fields)) {
    if (f === self || Array.isArray(f.fields)) { continue; }
    if (!out.some((o) => o.name === f.name)) { out.push({ name: f.name, label: txt(f.label) || f.name, row: false }); }
  }
  return out;
}

export function linkedChoices(target) {
  const out = named(target && target.fields).filter((f) => !Array.isArray(f.fields))
    .map((f) => ({ name: f.name, label: txt(f.label) || f.name }));
  for (const name of RESERVED) { if (!out.some((o) => o.name === name)) { out.push({ name, label: name, system: true }); } }
  return out;
}

function firstFree(list, used) {
  return list.find((x) => !used.has(x.name)) || list[0];
}

export function newFilterRow(map, target, own) {
  const used = new Set(Object.keys(isObject(map) ? map : {}));
  const theirs = linkedChoices(target).filter((x) => !x.system);
  const same = theirs.find((x) => !used.has(x.name) && own.some((o) => o.name === x.name));
  const key = same || firstFree(theirs, used);
  if (!key) { return null; }
  const value = own.find((o) => o.name === key.name) || own[0];
  return [key.name, value ? value.name : "id"];
}

export function newFillRow(map, target, own) {
  const used = new Set(Object.keys(isObject(map) ? map : {}));
  const theirs = linkedChoices(target).filter((x) => !x.system);
  const same = own.find((o) => !used.has(o.name) && theirs.some((x) => x.name === o.name));
  const key = same || firstFree(own, used);
  if (!key) { return null; }
  const value = theirs.find((x) => x.name === key.name) || theirs[0];
  return value ? [key.name, value.name] : null;
}
