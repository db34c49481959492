// reminders-model.js: a form's date reminders and timed automations (docs/reference.md, Date
// reminders) read from, and written into, the module documents. Pure functions, no DOM.
//
// A reminder fires at `date_field` + `offset`, notifies `notify` and/or fires `transition`, for the
// records where `when` holds. Edits change only the keys they are about: other keys keep their value
// and place; an emptied optional key is removed (absent says the same as empty).

import { FORM_ORDER, REMINDER_ORDER, removeKey, setKey } from "./perms-keys.js";
import { IDENTIFIER, SYSTEM_ATTRIBUTES } from "./perms-model.js";
import { RECIPIENT_KINDS } from "./flow-model.js";
import { txt } from "./loc.js";

export { IDENTIFIER, RECIPIENT_KINDS };

export const UNITS = ["m", "h", "d", "w"];
/** System attributes a reminder may be relative to (engine/definitions/checks.py). */
export const SYSTEM_DATES = ["created_at", "updated_at", "due_at"];
const OFFSET = /^([+-]?)([0-9]+)(m|h|d|w)$/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// -- offsets -----------------------------------------------------------------------------------------

/** "-1d" -> {before: true, amount: 1, unit: "d"}; "+2h" and "2h" -> {before: false, amount: 2,
 *  unit: "h"}; absent -> 0 days; anything else -> null. */
export function parseOffset(text) {
  if (text === undefined || text === null || text === "") return { before: false, amount: 0, unit: "d" };
  const m = OFFSET.exec(String(text));
  if (!m) return null;
  const amount = Number(m[2]);
  return { before: m[1] === "-" && amount !== 0, amount, unit: m[3] };
}

/** {before, amount, unit} -> the offset text the reference documents ("-1d", "30d", "0d"). */
export function printOffset({ before = false, amount = 0, unit = "d" } = {}) {
  const n = Math.max(0, Math.floor(Number(amount) || 0));
  if (!UNITS.includes(unit)) throw new Error(`unknown unit ${unit}`);
  return `${before && n > 0 ? "-" : ""}${n}${unit}`;
}

/** Whether two offset texts mean the same ("+1d" == "1d", "-0d" == "0d" == absent). */
export function sameOffset(a, b) {
  const x = parseOffset(a);
  const y = parseOffset(b);
  if (!x || !y) return a === b;
  const minutes = (o) => (o.before ? -1 : 1) * o.amount * { m: 1, h: 60, d: 1440, w: 10080 }[o.unit];
  return x.unit === y.unit ? minutes(x) === minutes(y) : false;
}

// -- what a form offers ------------------------------------------------------------------------------

function typeOf(meta, name) {
  return (meta && Array.isArray(meta.types) ? meta.types : []).find((t) => t.name === name) || null;
}

/** Is a field's type a date or datetime (from the types' `temporal` flag; date/datetime otherwise)? */
export function isTemporal(field, meta) {
  const kind = typeOf(meta, field.type);
  return kind && typeof kind.temporal === "boolean" ? kind.temporal : field.type === "date" || field.type === "datetime";
}

/** Does a field hold a user (the types' `holds_user` flag; the `user` type otherwise)? */
export function holdsUser(field, meta) {
  const kind = typeOf(meta, field.type);
  return kind && typeof kind.holds_user === "boolean" ? kind.holds_user : field.type === "user";
}

const fieldsOf = (form) => (Array.isArray(form.fields) ? form.fields.filter((f) => isObject(f) && typeof f.name === "string") : []);

/** Date fields a reminder may use: [{name, label, system}] — the form's date/datetime fields, then
 *  created_at and updated_at (and due_at when the form has a workflow). */
export function dateFieldOptions(form, meta) {
  const out = fieldsOf(form).filter((f) => isTemporal(f, meta)).map((f) => ({ name: f.name, label: txt(f.label) || f.name, system: false }));
  for (const name of SYSTEM_DATES) {
    if (name === "due_at" && !isObject(form.workflow)) continue;
    out.push({ name, label: name, system: true });
  }
  return out;
}

/** User fields a recipient rule may name (`field`, `manager_of`): the form's user fields and created_by. */
export function userFieldOptions(form, meta) {
  return [...fieldsOf(form).filter((f) => holdsUser(f, meta)).map((f) => ({ name: f.name, label: txt(f.label) || f.name, system: false })),
    { name: "created_by", label: "created_by", system: true }];
}

/** Fields a message may name as `{field}`: every field, then the system attributes. */
export function placeholderOptions(form) {
  return [...fieldsOf(form).map((f) => ({ name: f.name, label: txt(f.label) || f.name, system: false })),
    ...SYSTEM_ATTRIBUTES.map((name) => ({ name, label: name, system: true }))];
}

/** The transitions of the form's workflow: [{name, title, from, to}]. */
export function transitionOptions(form) {
  const wf = isObject(form.workflow) ? form.workflow : null;
  const list = wf && Array.isArray(wf.transitions) ? wf.transitions : [];
  return list.filter((t) => isObject(t) && typeof t.name === "string")
    .map((t) => ({ name: t.name, title: txt(t.title) || t.name, from: t.from, to: t.to }));
}

// -- recipients --------------------------------------------------------------------------------------

/** {role: R} -> {kind: "role", value: R}; anything else -> {kind: "other"}. */
export function recipientOf(rule) {
  if (!isObject(rule)) return { kind: "other" };
  const keys = Object.keys(rule);
  if (keys.length === 1 && RECIPIENT_KINDS.includes(keys[0]) && typeof rule[keys[0]] === "string") {
    return { kind: keys[0], value: rule[keys[0]] };
  }
  return { kind: "other" };
}

export function makeRecipient(kind, value) {
  if (!RECIPIENT_KINDS.includes(kind)) throw new Error(`unknown recipient kind ${kind}`);
  return { [kind]: value };
}

// -- placeholders --------------------------------------------------------------------------------------

/** The `{field}` names a message uses, in order. */
export function placeholdersIn(message) {
  return [...String(message || "").matchAll(/\{([a-z][a-z0-9_]*)\}/g)].map((m) => m[1]);
}

/** Put `{name}` into text at [start, end) (a selection, or the caret when equal); returns
 *  {text, caret} with the caret after the placeholder. */
export function insertPlaceholder(text, name, start = null, end = null) {
  const value = String(text || "");
  const from = start === null ? value.length : Math.max(0, Math.min(start, value.length));
  const to = end === null ? from : Math.max(from, Math.min(end, value.length));
  const inserted = `{${name}}`;
  return { text: value.slice(0, from) + inserted + value.slice(to), caret: from + inserted.length };
}

// -- editing -----------------------------------------------------------------------------------------

/** The form's reminders (an empty list when it has none). */
export function remindersOf(form) {
  return Array.isArray(form.reminders) ? form.reminders : [];
}

/** A reminder name not yet used in the form: base, base_2, base_3, ... */
export function freshName(form, base = "reminder") {
  const used = new Set(remindersOf(form).map((r) => isObject(r) && r.name));
  let stem = IDENTIFIER.test(base) ? base : "reminder";
  stem = stem.slice(0, 56);
  if (!used.has(stem)) return stem;
  for (let i = 2; ; i++) if (!used.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

/** A new reminder for the form: its first date field, a day before, notifying the owner field (or the
 *  record's creator). Not added yet: see addReminder. */
export function draftReminder(form, meta) {
  const dates = dateFieldOptions(form, meta);
  const owner = typeof form.owner_field === "string" ? form.owner_field : "created_by";
  return {
    name: freshName(form),
    date_field: dates.length ? dates[0].name : "created_at",
    offset: "-1d",
    notify: [{ field: owner }],
  };
}

/** Append a reminder (keys in the documented order); `reminders` is created where the files put it. */
export function addReminder(form, reminder) {
  const clean = {};
  for (const key of REMINDER_ORDER) if (reminder[key] !== undefined && reminder[key] !== "") clean[key] = reminder[key];
  for (const key of Object.keys(reminder)) if (!(key in clean) && reminder[key] !== undefined && reminder[key] !== "") clean[key] = reminder[key];
  if (!Array.isArray(form.reminders)) setKey(form, "reminders", [], FORM_ORDER);
  form.reminders.push(clean);
  return form.reminders.length - 1;
}

const EMPTY = (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** Set keys of reminder `index`: {key: value} — an empty value (undefined, null, "", []) removes the
 *  key; an offset that means the current one ("+1d" for "1d", "0d" for none) is left as written. */
export function updateReminder(form, index, changes) {
  const reminder = remindersOf(form)[index];
  if (!isObject(reminder)) throw new Error(`no reminder ${index}`);
  for (const key of Object.keys(changes)) {
    const value = changes[key];
    if (key === "offset" && !EMPTY(value) && sameOffset(reminder.offset, value)) continue;
    if (EMPTY(value)) removeKey(reminder, key);
    else setKey(reminder, key, value, REMINDER_ORDER);
  }
  return reminder;
}

/** Remove reminder `index`; the last one removes the `reminders` key. */
export function removeReminder(form, index) {
  const list = remindersOf(form);
  if (index < 0 || index >= list.length) return null;
  const [gone] = list.splice(index, 1);
  if (list.length === 0) removeKey(form, "reminders");
  return gone;
}

/** Move reminder `index` by delta (-1 up, +1 down); returns the new index. */
export function moveReminder(form, index, delta) {
  const list = remindersOf(form);
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return index;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item);
  return to;
}

/** Set one recipient (index = list length appends); removing the last removes `notify`. */
export function setRecipient(form, index, at, rule) {
  const reminder = remindersOf(form)[index];
  if (!Array.isArray(reminder.notify)) setKey(reminder, "notify", [], REMINDER_ORDER);
  if (at >= reminder.notify.length) reminder.notify.push(rule);
  else reminder.notify[at] = rule;
}

export function removeRecipient(form, index, at) {
  const reminder = remindersOf(form)[index];
  if (!Array.isArray(reminder.notify)) return;
  reminder.notify.splice(at, 1);
  if (reminder.notify.length === 0) removeKey(reminder, "notify");
}

/** The form object at `pointer` ("/forms/i") of `file`. */
export function formAt(sources, file, pointer) {
  return sources[file].forms[Number(pointer.split("/")[2])];
}
