// node --test: the 权限 and 提醒 tabs' model leaves every shipped and test config as it was: reading the
// matrix and the reminders and writing every cell back with its own value (a no-op edit) gives the file
// byte for byte, for every file that is in the canonical format (JSON.stringify(doc, null, 2) + "\n").
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

import { ACTIONS, cellOf, hideOptions, matrix, setAccess, setCreate, setHiddenList } from "../../../engine/ui/static/js/designer/perms-model.js";
import {
  dateFieldOptions, parseOffset, printOffset, recipientOf, remindersOf, updateReminder,
} from "../../../engine/ui/static/js/designer/reminders-model.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

function jsonFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...jsonFiles(full));
    else if (name.endsWith(".json")) out.push(full);
  }
  return out;
}

const FILES = [...jsonFiles(path.join(ROOT, "configs")), ...jsonFiles(path.join(ROOT, "tests", "configs"))];

function parsed(file) {
  try {
    const doc = JSON.parse(readFileSync(file, "utf8"));
    return doc !== null && typeof doc === "object" && !Array.isArray(doc) ? doc : null;
  } catch {
    return null;  // bad JSON on purpose (tests/configs/bad): nothing to load into the designer
  }
}

/** Write every cell and every reminder back with the value it shows. */
function noOpEdits(doc) {
  const sources = { file: doc };
  const m = matrix(sources);
  for (const f of m.modules[0].forms) {
    const form = doc.forms[f.index];
    for (const role of m.roles) {
      if (role.admin) continue;
      const cell = cellOf(form, role.name);
      setCreate(form, role.name, cell.create);
      for (const action of ACTIONS) {
        const access = cell[action];
        if (access.kind === "other") continue;  // shown as "other" and left alone
        setAccess(form, role.name, action, access.kind === "rule" ? { where: access.where } : access.kind);
      }
      setHiddenList(form, role.name, cell.hide);
      hideOptions(form);
    }
    remindersOf(form).forEach((reminder, i) => {
      if (reminder === null || typeof reminder !== "object") return;
      const offset = parseOffset(reminder.offset);
      const changes = {};
      for (const key of ["date_field", "when", "message", "transition"]) {
        if (typeof reminder[key] === "string") changes[key] = reminder[key];
      }
      if (offset) changes.offset = printOffset(offset);
      if (Array.isArray(reminder.notify)) {
        reminder.notify.forEach(recipientOf);
        changes.notify = reminder.notify;
      }
      updateReminder(form, i, changes);
    });
    dateFieldOptions(form, {});
  }
}

test("there are configs to check, most of them canonical", () => {
  assert.ok(FILES.length >= 60, `${FILES.length} files`);
  const canonical = FILES.filter((f) => {
    const raw = readFileSync(f, "utf8");
    const doc = parsed(f);
    return doc !== null && JSON.stringify(doc, null, 2) + "\n" === raw;
  });
  assert.ok(canonical.length >= 60, `${canonical.length} canonical files`);
  assert.ok(FILES.some((f) => f.endsWith(path.join("configs", "crm.json"))));
});

for (const file of FILES) {
  const rel = path.relative(ROOT, file);
  test(`no-op round trip: ${rel}`, () => {
    const raw = readFileSync(file, "utf8");
    const doc = parsed(file);
    if (doc === null) return;  // not a module document
    const before = JSON.stringify(doc, null, 2);
    noOpEdits(doc);
    assert.equal(JSON.stringify(doc, null, 2), before);
    if (raw === before + "\n") assert.equal(JSON.stringify(doc, null, 2) + "\n", raw, "canonical file byte-identical");
  });
}

test("the shipped configs are in the canonical format (so the check above is byte for byte for them)", () => {
  for (const rel of ["configs/crm.json", "configs/order_followup.json", "tests/configs/bad/hide_unknown_field.json",
    "tests/configs/bad/reminder_unknown_transition.json", "tests/configs/bad/permission_undeclared_role.json"]) {
    const raw = readFileSync(path.join(ROOT, rel), "utf8");
    assert.equal(JSON.stringify(JSON.parse(raw), null, 2) + "\n", raw, rel);
  }
});
