// perms-keys.js: small in-place edits of parsed JSON objects that keep key order.
//
// The designer mutates the module documents themselves (see the designer contract), so an edit must
// touch only what it means to change: an existing key keeps its place, a new key goes where the
// reference lists it (after the last present key that comes before it in `order`), a removed key
// leaves the others as they were. Objects are rebuilt in place (same identity), never replaced.

/** Set obj[key] = value. An existing key keeps its place; a new one is placed by `order`
 *  (a list of key names in their documented order), else appended. Returns obj. */
export function setKey(obj, key, value, order = []) {
  if (Object.prototype.hasOwnProperty.call(obj, key)) {
    obj[key] = value;
    return obj;
  }
  const rank = order.indexOf(key);
  if (rank < 0) {
    obj[key] = value;
    return obj;
  }
  // after the last present key that the order puts before this one; before the first one after it
  const keys = Object.keys(obj);
  let at = keys.length;
  for (let i = keys.length - 1; i >= 0; i--) {
    const r = order.indexOf(keys[i]);
    if (r >= 0 && r < rank) { at = i + 1; break; }
    if (r > rank) at = i;
  }
  if (at >= keys.length) {
    obj[key] = value;
    return obj;
  }
  const entries = keys.map((k) => [k, obj[k]]);
  entries.splice(at, 0, [key, value]);
  for (const k of keys) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
  return obj;
}

/** Remove obj[key] if present (the others keep their order). Returns whether it was there. */
export function removeKey(obj, key) {
  if (!obj || !Object.prototype.hasOwnProperty.call(obj, key)) return false;
  delete obj[key];
  return true;
}

/** Rename a key in place (same position, same value). No-op when `from` is absent or equal. */
export function renameKey(obj, from, to) {
  if (from === to || !Object.prototype.hasOwnProperty.call(obj, from)) return false;
  const entries = Object.keys(obj).map((k) => [k === from ? to : k, obj[k]]);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
  return true;
}

/** Structural equality of JSON values (key order ignored). */
export function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
}

/** Escape one JSON-pointer token (RFC 6901). */
export function token(name) {
  return String(name).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Key order of a module, a form (as the shipped files write it), a role's permissions and a reminder. */
export const MODULE_ORDER = ["module", "title", "description", "roles", "forms"];
export const FORM_ORDER = ["name", "title", "description", "icon", "title_field", "owner_field", "renamed_from",
  "fields", "permissions", "list", "update_linked", "workflow", "reminders", "charts"];
export const PERMISSION_ORDER = ["create", "read", "update", "delete", "hide", "readonly"];
export const REMINDER_ORDER = ["name", "date_field", "offset", "notify", "when", "message", "transition"];
export const ROLE_ORDER = ["name", "renamed_from", "title", "description"];
