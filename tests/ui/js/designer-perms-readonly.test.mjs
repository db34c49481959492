// A role's read-only fields in the permissions matrix (perms-model.js): the same list editing as hidden
// fields under the key `readonly`, after `hide` in a new entry; the title field may be read-only.
import { test } from "node:test";
import assert from "node:assert/strict";

import { applyEdit, cellAt, cellOf, hideOptions, setHidden, setReadonly } from "../../../engine/ui/static/js/designer/perms-model.js";

function form() {
  return { name: "deal", title_field: "subject", fields: [{ name: "subject", label: "主题" }, { name: "price", label: "单价" },
    { name: "items", type: "table", label: "明细", fields: [{ name: "price", label: "单价" }] }],
  permissions: { sales: { read: "all", update: "own", custom: 1 } } };
}

test("readonly adds at the end, goes after hide in the entry; the last one removes the key; unknown keys stay", () => {
  const f = form();
  setHidden(f, "sales", "subject", true);
  setReadonly(f, "sales", "price", true);
  setReadonly(f, "sales", "items.price", true);
  setReadonly(f, "sales", "price", true);  // twice: once
  assert.deepEqual(f.permissions.sales.readonly, ["price", "items.price"]);
  assert.deepEqual(Object.keys(f.permissions.sales), ["read", "update", "hide", "readonly", "custom"]);  // in the documented order
  assert.deepEqual(cellOf(f, "sales").readonly, ["price", "items.price"]);
  assert.deepEqual(cellOf(f, "sales").hide, ["subject"]);
  setReadonly(f, "sales", "price", false);
  setReadonly(f, "sales", "items.price", false);
  assert.ok(!("readonly" in f.permissions.sales));
  assert.deepEqual(f.permissions.sales.hide, ["subject"]);
  // a new role entry: only readonly
  applyEdit({ "m.json": { forms: [f] } }, "m.json", "/forms/0", { role: "finance", readonly: "price", on: true });
  assert.deepEqual(f.permissions.finance, { readonly: ["price"] });
  setReadonly(f, "finance", "price", false);
  assert.ok(!("finance" in f.permissions));
  // admin is never written
  setReadonly(f, "admin", "price", true);
  assert.ok(!("admin" in f.permissions));
  assert.deepEqual(cellOf(f, "admin").readonly, []);
});

test("the title field may be read-only (never hidden); a problem under readonly belongs to its cell", () => {
  assert.ok(!hideOptions(form()).some((o) => o.path === "subject"));
  assert.deepEqual(hideOptions(form(), { titleToo: true }).map((o) => o.path), ["subject", "price", "items", "items.price"]);
  assert.deepEqual(cellAt("/forms/2/permissions/sales/readonly/0"), { index: 2, role: "sales", action: "readonly" });
});
