// perms-model.js: the permissions matrix read from, and written into, the module documents.
//
// Pure functions over parsed module docs (no DOM): the 权限 tab (perms.js) and the node tests use them.
// A form's `permissions` maps a role to {create, read, update, delete, hide} (docs/reference.md,
// Permissions); absent keys mean no access. Every mutation changes only the key it is about: other keys
// (also ones this code does not know) keep their value and place, a key is removed rather than written
// as `false` when absence says the same, and an explicit `false` already in the file is left alone.

import { NAME_RE, RESERVED } from "./form-model.js";
import { txt } from "./loc.js";
import { MODULE_ORDER, PERMISSION_ORDER, ROLE_ORDER, FORM_ORDER, removeKey, renameKey, setKey, token } from "./perms-keys.js";

export const ADMIN = "admin";
export const ACTIONS = ["read", "update", "delete"];
/** The identifier pattern (form-model.js NAME_RE). */
export const IDENTIFIER = NAME_RE;
/** System attributes every record has (docs/reference.md, Kinds of value): form-model.js RESERVED. */
export const SYSTEM_ATTRIBUTES = RESERVED;

const own = (obj, key) => obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// -- roles -------------------------------------------------------------------------------------------

/** Every role of every module, in file order then declaration order: [{name, title, description,
 *  declared: [{file, index, pointer}], admin}]. `admin` comes first (it always exists and may do
 *  everything); roles named in a form's permissions but declared nowhere follow, with declared: []. */
export function allRoles(sources) {
  const byName = new Map();
  byName.set(ADMIN, { name: ADMIN, title: "", description: "", declared: [], admin: true });
  const files = Object.keys(sources || {});
  for (const file of files) {
    const doc = sources[file];
    const roles = isObject(doc) && Array.isArray(doc.roles) ? doc.roles : [];
    roles.forEach((role, index) => {
      if (!isObject(role) || typeof role.name !== "string") return;
      let entry = byName.get(role.name);
      if (!entry) {
        entry = { name: role.name, title: "", description: "", declared: [], admin: role.name === ADMIN };
        byName.set(role.name, entry);
      }
      if (!entry.title && txt(role.title)) { entry.title = txt(role.title); entry.titleValue = role.title; }
      if (!entry.description && typeof role.description === "string") entry.description = role.description;
      entry.declared.push({ file, index, pointer: `/roles/${index}` });
    });
  }
  for (const file of files) {
    for (const form of formsOf(sources[file])) {
      if (!isObject(form.permissions)) continue;
      for (const name of Object.keys(form.permissions)) {
        if (!byName.has(name)) byName.set(name, { name, title: "", description: "", declared: [], admin: false });
      }
    }
  }
  return [...byName.values()];
}

function formsOf(doc) {
  return isObject(doc) && Array.isArray(doc.forms) ? doc.forms.filter(isObject) : [];
}

/** Where a role is used: [{file, pointer, kind}] with kind "permission" (a form's permissions entry),
 *  "role" (a `"role": name` anywhere: recipients, a user field's role), "roles" (an item of a
 *  `"roles": [...]` list, e.g. who may fire a transition). Declarations in a module's `roles` are not uses. */
export function roleUses(sources, name) {
  const uses = [];
  for (const file of Object.keys(sources || {})) {
    const doc = sources[file];
    if (!isObject(doc)) continue;
    const walk = (value, pointer, top) => {
      if (Array.isArray(value)) {
        value.forEach((item, i) => walk(item, `${pointer}/${i}`, false));
        return;
      }
      if (!isObject(value)) return;
      for (const key of Object.keys(value)) {
        const child = value[key];
        const at = `${pointer}/${token(key)}`;
        if (top && key === "roles") continue;  // the module's declarations
        if (key === "permissions" && isObject(child) && /^\/forms\/\d+$/.test(pointer)) {
          if (own(child, name)) uses.push({ file, pointer: `${at}/${token(name)}`, kind: "permission" });
          for (const role of Object.keys(child)) walk(child[role], `${at}/${token(role)}`, false);
          continue;
        }
        if (key === "role" && child === name) uses.push({ file, pointer: at, kind: "role" });
        if (key === "roles" && Array.isArray(child)) {
          child.forEach((item, i) => { if (item === name) uses.push({ file, pointer: `${at}/${i}`, kind: "roles" }); });
        }
        walk(child, at, false);
      }
    };
    walk(doc, "", true);
  }
  return uses;
}

/** Why `name` cannot be a new role name, or "" when it can: "identifier" | "admin" | "exists". */
export function roleNameProblem(sources, name, except = null) {
  if (!IDENTIFIER.test(name || "")) return "identifier";
  if (name === ADMIN) return "admin";
  if (name !== except && allRoles(sources).some((r) => r.name === name)) return "exists";
  return "";
}

/** Declare a role in one module doc (appended to its `roles`, created after title/description if absent). */
export function addRole(doc, name, title) {
  const role = { name };
  if (title) role.title = title;
  if (!Array.isArray(doc.roles)) setKey(doc, "roles", [], MODULE_ORDER);
  doc.roles.push(role);
  return role;
}

/** Set (or, with an empty title, remove) the title of every declaration of a role. */
export function setRoleTitle(sources, name, title) {
  for (const file of Object.keys(sources)) {
    const doc = sources[file];
    if (!isObject(doc) || !Array.isArray(doc.roles)) continue;
    for (const role of doc.roles) {
      if (!isObject(role) || role.name !== name) continue;
      if (title) setKey(role, "title", title, ROLE_ORDER);
      else removeKey(role, "title");
    }
  }
}

/** The roles the live (published) set declares: Map name → its first declaration. liveFiles: file →
 *  doc (or its JSON text), e.g. store.liveFiles; null/absent: no live set (everything is new). */
export function liveRoles(liveFiles) {
  const live = new Map();
  for (const value of Object.values(liveFiles || {})) {
    let doc = value;
    if (typeof value === "string") {
      try { doc = JSON.parse(value); } catch { continue; }
    }
    for (const role of isObject(doc) && Array.isArray(doc.roles) ? doc.roles : []) {
      if (isObject(role) && typeof role.name === "string" && !live.has(role.name)) live.set(role.name, role);
    }
  }
  return live;
}

/** The name users hold a role under: its name in the live set (the draft's `renamed_from` when that is
 *  live, else its own name when live), or null for a role new in the draft (nobody holds it yet). */
export function liveRoleName(sources, name, liveFiles) {
  const live = liveRoles(liveFiles);
  for (const file of Object.keys(sources || {})) {
    const doc = sources[file];
    for (const role of isObject(doc) && Array.isArray(doc.roles) ? doc.roles : []) {
      if (isObject(role) && role.name === name && typeof role.renamed_from === "string" && live.has(role.renamed_from)) {
        return role.renamed_from;
      }
    }
  }
  return live.has(name) ? name : null;
}

/** Rename a role everywhere: its declarations and every use roleUses finds (permission entries keep
 *  their place). A role of the live set (liveFiles, see liveRoles) gets `"renamed_from": <live name>` on
 *  its declarations, so publishing moves the users who hold it (their roles are in the database);
 *  renaming it back to its live name restores what the live set had. Returns the number of uses. */
export function renameRole(sources, from, to, liveFiles = null) {
  const uses = roleUses(sources, from);
  const origin = liveRoleName(sources, from, liveFiles);
  const liveDecl = origin === null ? null : liveRoles(liveFiles).get(origin);
  for (const file of Object.keys(sources)) {
    const doc = sources[file];
    if (!isObject(doc)) continue;
    if (Array.isArray(doc.roles)) {
      for (const role of doc.roles) {
        if (!isObject(role) || role.name !== from) continue;
        role.name = to;
        if (origin === null) continue;
        if (to !== origin) setKey(role, "renamed_from", origin, ROLE_ORDER);
        else if (liveDecl && typeof liveDecl.renamed_from === "string") setKey(role, "renamed_from", liveDecl.renamed_from, ROLE_ORDER);
        else removeKey(role, "renamed_from");
      }
    }
  }
  for (const use of uses) {
    const parts = use.pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = parts.pop();
    let parent = sources[use.file];
    for (const p of parts) parent = parent[Array.isArray(parent) ? Number(p) : p];
    if (use.kind === "permission") renameKey(parent, last, to);
    else parent[Array.isArray(parent) ? Number(last) : last] = to;
  }
  return uses.length;
}

/** Remove a role's declarations (only meant for a role nothing uses). */
export function removeRole(sources, name) {
  for (const file of Object.keys(sources)) {
    const doc = sources[file];
    if (!isObject(doc) || !Array.isArray(doc.roles)) continue;
    for (let i = doc.roles.length - 1; i >= 0; i--) {
      if (isObject(doc.roles[i]) && doc.roles[i].name === name) doc.roles.splice(i, 1);
    }
  }
}

// -- reading cells -----------------------------------------------------------------------------------

/** A row permission as {kind: "none"|"own"|"all"|"rule"|"other", where?}. */
export function accessOf(value) {
  if (value === undefined || value === false) return { kind: "none" };
  if (value === "own" || value === "all") return { kind: value };
  if (isObject(value) && typeof value.where === "string") return { kind: "rule", where: value.where };
  return { kind: "other" };
}

/** What one role may do with one form: {listed, create, read, update, delete, hide, readonly, admin}. */
export function cellOf(form, role) {
  if (role === ADMIN) {
    const all = { kind: "all" };
    return { listed: true, admin: true, create: true, read: all, update: all, delete: all, hide: [], readonly: [] };
  }
  const perms = isObject(form.permissions) ? form.permissions : {};
  const entry = isObject(perms[role]) ? perms[role] : null;
  return {
    listed: entry !== null,
    admin: false,
    create: entry ? entry.create === true : false,
    read: accessOf(entry ? entry.read : undefined),
    update: accessOf(entry ? entry.update : undefined),
    delete: accessOf(entry ? entry.delete : undefined),
    hide: entry && Array.isArray(entry.hide) ? entry.hide.filter((h) => typeof h === "string") : [],
    readonly: entry && Array.isArray(entry.readonly) ? entry.readonly.filter((h) => typeof h === "string") : [],
  };
}

/** The matrix: {roles, modules: [{file, module, title, forms: [{file, index, pointer, name, title,
 *  owner_field, cells: {role: cell}}]}]}. */
export function matrix(sources) {
  const roles = allRoles(sources);
  const modules = Object.keys(sources || {}).map((file) => {
    const doc = sources[file];
    const forms = (isObject(doc) && Array.isArray(doc.forms) ? doc.forms : []).map((form, index) => {
      if (!isObject(form)) return null;
      const cells = {};
      for (const role of roles) cells[role.name] = cellOf(form, role.name);
      return { file, index, pointer: `/forms/${index}`, name: form.name, title: txt(form.title) || form.name,
        owner_field: form.owner_field || null, cells };
    }).filter(Boolean);
    return { file, module: isObject(doc) ? doc.module : file, title: isObject(doc) ? (txt(doc.title) || doc.module || file) : file, forms };
  });
  return { roles, modules };
}

/** The JSON pointer (within the form's file) of a cell: action "" is the role's entry. */
export function cellPointer(formPointer, role, action = "") {
  return `${formPointer}/permissions/${token(role)}${action ? `/${action}` : ""}`;
}

/** The cell a JSON pointer of a file is about: {index (of the form), role, action ("create" | "read" |
 *  "update" | "delete" | "hide" | "readonly"; "read" for the role's entry itself)}, "roles" for /roles/..., or null. */
export function cellAt(pointer) {
  if (/^\/roles(\/|$)/.test(pointer || "")) return "roles";
  const m = /^\/forms\/(\d+)\/permissions\/([^/]+)(?:\/([^/]+))?/.exec(pointer || "");
  if (!m) return null;
  const role = m[2].replace(/~1/g, "/").replace(/~0/g, "~");
  const action = ["create", "read", "update", "delete", "hide", "readonly"].includes(m[3]) ? m[3] : "read";
  return { index: Number(m[1]), role, action };
}

/** What a field path may be hidden: [{path, name, label, column?, table?}] — every field and every
 *  column of a table field (`table.column`), except the title field (which cannot be hidden; with
 *  `titleToo` it is listed: a role may see it read-only). */
export function hideOptions(form, { titleToo = false } = {}) {
  const out = [];
  for (const field of Array.isArray(form.fields) ? form.fields : []) {
    if (!isObject(field) || typeof field.name !== "string") continue;
    const label = txt(field.label) || field.name;
    if (titleToo || field.name !== form.title_field) out.push({ path: field.name, name: field.name, label });
    if (Array.isArray(field.fields)) {
      for (const column of field.fields) {
        if (!isObject(column) || typeof column.name !== "string") continue;
        out.push({ path: `${field.name}.${column.name}`, name: column.name, label: `${label} · ${txt(column.label) || column.name}`,
          column: true, table: field.name });
      }
    }
  }
  return out;
}

// -- writing cells -----------------------------------------------------------------------------------

function entryFor(form, role) {
  if (!isObject(form.permissions)) setKey(form, "permissions", {}, FORM_ORDER);
  if (!isObject(form.permissions[role])) form.permissions[role] = {};
  return form.permissions[role];
}

function dropIfEmpty(form, role) {
  const entry = isObject(form.permissions) ? form.permissions[role] : null;
  if (isObject(entry) && Object.keys(entry).length === 0) delete form.permissions[role];
}

/** Turn `create` on (writes true) or off (removes the key; an explicit false stays). */
export function setCreate(form, role, on) {
  if (role === ADMIN) return;
  const entry = isObject(form.permissions) && isObject(form.permissions[role]) ? form.permissions[role] : null;
  if (on) {
    setKey(entryFor(form, role), "create", true, PERMISSION_ORDER);
  } else if (entry && entry.create !== false) {
    removeKey(entry, "create");
    dropIfEmpty(form, role);
  }
}

/** Set read/update/delete to "none" | "own" | "all" | {where: text}. "none" removes the key (an
 *  explicit false stays); a row rule edits the `where` of an existing rule object in place. */
export function setAccess(form, role, action, access) {
  if (role === ADMIN || !ACTIONS.includes(action)) return;
  const entry = isObject(form.permissions) && isObject(form.permissions[role]) ? form.permissions[role] : null;
  if (access === "none" || access === false || access === undefined) {
    if (entry && entry[action] !== false) {
      removeKey(entry, action);
      dropIfEmpty(form, role);
    }
    return;
  }
  const target = entryFor(form, role);
  if (access === "own" || access === "all") {
    setKey(target, action, access, PERMISSION_ORDER);
  } else if (isObject(access) && typeof access.where === "string") {
    if (isObject(target[action])) setKey(target[action], "where", access.where);
    else setKey(target, action, { where: access.where }, PERMISSION_ORDER);
  } else {
    throw new Error(`unknown access ${JSON.stringify(access)}`);
  }
}

/** Hide (on) or show (off) one field path from a role; with key "readonly": make it read-only for the
 *  role (on) or writable (off). A new path goes at the end of the list; the last one taken out removes
 *  the key (and a role entry left empty). */
export function setHidden(form, role, path, hidden, key = "hide") {
  if (role === ADMIN || !FIELD_LISTS.includes(key)) return;
  const entry = isObject(form.permissions) && isObject(form.permissions[role]) ? form.permissions[role] : null;
  if (hidden) {
    const target = entryFor(form, role);
    if (!Array.isArray(target[key])) setKey(target, key, [], PERMISSION_ORDER);
    if (!target[key].includes(path)) target[key].push(path);
    return;
  }
  if (!entry || !Array.isArray(entry[key])) return;
  const at = entry[key].indexOf(path);
  if (at < 0) return;
  entry[key].splice(at, 1);
  if (entry[key].length === 0) {
    removeKey(entry, key);
    dropIfEmpty(form, role);
  }
}

/** The field-list keys of a permission entry: hidden fields, read-only fields. */
export const FIELD_LISTS = ["hide", "readonly"];

/** setHidden(form, role, path, on, "readonly"). */
export function setReadonly(form, role, path, on) {
  setHidden(form, role, path, on, "readonly");
}

/** Make `hide` exactly `paths`: kept paths keep their order, new ones are appended. */
export function setHiddenList(form, role, paths) {
  const current = cellOf(form, role).hide;
  for (const path of current) if (!paths.includes(path)) setHidden(form, role, path, false);
  for (const path of paths) if (!current.includes(path)) setHidden(form, role, path, true);
}

/** Apply one cell edit to the form at `pointer` ("/forms/i") of `file` in `sources`: the mutator the
 *  tab hands to store.change. `edit` = {role, create: bool} | {role, action, access} | {role, hide: path, on}. */
export function applyEdit(sources, file, pointer, edit) {
  const index = Number(pointer.split("/")[2]);
  const form = sources[file].forms[index];
  if (own(edit, "create")) setCreate(form, edit.role, edit.create);
  else if (own(edit, "action")) setAccess(form, edit.role, edit.action, edit.access);
  else if (own(edit, "hide")) setHidden(form, edit.role, edit.hide, edit.on);
  else if (own(edit, "readonly")) setReadonly(form, edit.role, edit.readonly, edit.on);
  else if (own(edit, "hideList")) setHiddenList(form, edit.role, edit.hideList);
}
