// node --test: the permissions matrix model (engine/ui/static/js/designer/perms-model.js).
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

import {
  accessOf, addRole, allRoles, applyEdit, cellAt, cellOf, cellPointer, hideOptions, liveRoleName, liveRoles, matrix,
  removeRole, renameRole, roleNameProblem, roleUses, setAccess, setCreate, setHidden, setHiddenList, setRoleTitle,
} from "../../../engine/ui/static/js/designer/perms-model.js";
import { setKey } from "../../../engine/ui/static/js/designer/perms-keys.js";
import { txt } from "../../../engine/ui/static/js/designer/loc.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const load = (rel) => JSON.parse(readFileSync(path.join(ROOT, rel), "utf8"));
const text = (doc) => JSON.stringify(doc, null, 2);
const crm = () => load("tests/ui/js/fixtures/crm.json");
const orders = () => load("tests/ui/js/fixtures/order_followup.json");
const form = (doc, name) => doc.forms.find((f) => f.name === name);

test("the matrix reads every role of every module, admin first, and each form's cells", () => {
  const sources = { "crm.json": crm(), "order_followup.json": orders() };
  const m = matrix(sources);
  assert.deepEqual(m.roles.map((r) => r.name),
    ["admin", "sales", "sales_manager", "finance", "general_manager", "warehouse", "production"]);
  assert.equal(m.roles[0].admin, true);
  assert.equal(m.roles[1].title, "销售");
  assert.deepEqual(m.roles[1].declared.map((d) => d.file), ["crm.json", "order_followup.json"]);
  assert.deepEqual(m.modules.map((x) => [x.file, x.title, x.forms.length]),
    [["crm.json", txt(sources["crm.json"].title), sources["crm.json"].forms.length],
      ["order_followup.json", txt(sources["order_followup.json"].title), sources["order_followup.json"].forms.length]]);
  const customer = m.modules[0].forms[0];
  assert.equal(customer.pointer, "/forms/0");
  assert.equal(customer.owner_field, "owner");
  assert.deepEqual(customer.cells.sales, {
    listed: true, admin: false, create: true, read: { kind: "rule", where: "owner == $user or in_pool == true" },
    update: { kind: "own" }, delete: { kind: "none" }, hide: [], readonly: [],
  });
  assert.deepEqual(customer.cells.finance.read, { kind: "all" });
  assert.equal(customer.cells.finance.create, false);
  assert.equal(customer.cells.admin.admin, true);
  const order = m.modules[1].forms[0];
  assert.deepEqual(order.cells.warehouse.hide.slice(0, 2), ["amount", "discount"]);
  assert.equal(order.cells.warehouse.read.kind, "rule");
  // a role with no entry: no access anywhere
  assert.deepEqual(m.modules[0].forms[2].cells.finance, {
    listed: false, admin: false, create: false, read: { kind: "none" }, update: { kind: "none" },
    delete: { kind: "none" }, hide: [], readonly: [],
  });
});

test("a role named only in permissions is listed too (it is a problem the server reports)", () => {
  const doc = { module: "m", title: "M", forms: [{ name: "f", title: "F", fields: [], permissions: { ghost: { read: "all" } } }] };
  assert.deepEqual(allRoles({ "m.json": doc }).map((r) => [r.name, r.declared.length]), [["admin", 0], ["ghost", 0]]);
});

test("accessOf knows none, own, all, a row rule and anything else", () => {
  assert.deepEqual(accessOf(undefined), { kind: "none" });
  assert.deepEqual(accessOf(false), { kind: "none" });
  assert.deepEqual(accessOf("own"), { kind: "own" });
  assert.deepEqual(accessOf("all"), { kind: "all" });
  assert.deepEqual(accessOf({ where: "a == 1" }), { kind: "rule", where: "a == 1" });
  assert.deepEqual(accessOf(true), { kind: "other" });
  assert.deepEqual(accessOf({ when: "x" }), { kind: "other" });
});

test("create on writes true in the documented place; off removes the key and an emptied entry", () => {
  const doc = crm();
  const customer = form(doc, "customer");
  setCreate(customer, "finance", true);
  assert.deepEqual(Object.keys(customer.permissions.finance), ["create", "read"]);
  assert.equal(customer.permissions.finance.create, true);
  setCreate(customer, "finance", false);
  assert.deepEqual(customer.permissions.finance, { read: "all" });
  assert.equal(text(doc), text(crm()));
  // a role with nothing else: the entry goes, the other roles keep their order
  const opp = form(doc, "opportunity");
  setCreate(opp, "finance", true);
  assert.deepEqual(Object.keys(opp.permissions), ["sales", "sales_manager", "general_manager", "finance"]);
  assert.deepEqual(opp.permissions.finance, { create: true });
  setCreate(opp, "finance", false);
  assert.equal(text(doc), text(crm()));
});

test("an explicit false in the file stays when the cell is set to what it already says", () => {
  const doc = crm();
  const customer = form(doc, "customer");
  setAccess(customer, "sales", "delete", "none");
  assert.equal(customer.permissions.sales.delete, false);
  assert.equal(text(doc), text(crm()));
  // but changing it writes the new value in the same place, and none afterwards removes the key
  setAccess(customer, "sales", "delete", "own");
  assert.deepEqual(Object.keys(customer.permissions.sales), ["create", "read", "update", "delete"]);
  assert.equal(customer.permissions.sales.delete, "own");
  setAccess(customer, "sales", "delete", "none");
  assert.deepEqual(Object.keys(customer.permissions.sales), ["create", "read", "update"]);
});

test("read own / all / row rule / none keep the other keys and their order", () => {
  const doc = orders();
  const order = form(doc, "sales_order");
  const before = Object.keys(order.permissions.warehouse);
  setAccess(order, "warehouse", "read", "all");
  assert.deepEqual(Object.keys(order.permissions.warehouse), before);
  assert.equal(order.permissions.warehouse.read, "all");
  setAccess(order, "warehouse", "read", "own");
  assert.equal(order.permissions.warehouse.read, "own");
  setAccess(order, "warehouse", "read", { where: "salesperson == $user or salesperson == null" });
  assert.deepEqual(order.permissions.warehouse.read, { where: "salesperson == $user or salesperson == null" });
  assert.deepEqual(Object.keys(order.permissions.warehouse), before);
  setAccess(order, "warehouse", "read", "none");
  assert.deepEqual(Object.keys(order.permissions.warehouse), ["update", "hide"]);
  // a new read goes back before update (the documented order), not at the end
  setAccess(order, "warehouse", "read", "all");
  assert.deepEqual(Object.keys(order.permissions.warehouse), ["read", "update", "hide"]);
  // general_manager has only read: a new delete goes after it
  setAccess(order, "general_manager", "delete", "all");
  assert.deepEqual(order.permissions.general_manager, { read: "all", delete: "all" });
  setAccess(order, "general_manager", "update", "own");
  assert.deepEqual(Object.keys(order.permissions.general_manager), ["read", "update", "delete"]);
});

test("editing a row rule changes only its where, keeping unknown keys of the rule object", () => {
  const f = { name: "f", fields: [], permissions: { r: { read: { where: "a == 1", note: "kept" }, zzz: 1 } } };
  setAccess(f, "r", "read", { where: "a == 2" });
  assert.deepEqual(f.permissions.r, { read: { where: "a == 2", note: "kept" }, zzz: 1 });
  assert.deepEqual(Object.keys(f.permissions.r.read), ["where", "note"]);
  // an unknown key keeps the entry alive when its last known key goes
  setAccess(f, "r", "read", "none");
  assert.deepEqual(f.permissions.r, { zzz: 1 });
});

test("a form without permissions gets them after its fields, in the files' order", () => {
  const f = { name: "f", title: "F", fields: [{ name: "a", type: "text" }], list: { columns: ["a"] } };
  setAccess(f, "clerk", "read", "own");
  assert.deepEqual(Object.keys(f), ["name", "title", "fields", "permissions", "list"]);
  assert.deepEqual(f.permissions, { clerk: { read: "own" } });
  setAccess(f, "clerk", "read", "none");
  assert.deepEqual(f.permissions, {});
});

test("admin cells are not editable: every edit of admin is ignored", () => {
  const doc = crm();
  const customer = form(doc, "customer");
  setCreate(customer, "admin", false);
  setAccess(customer, "admin", "read", "own");
  setHidden(customer, "admin", "phone", true);
  assert.equal(text(doc), text(crm()));
  assert.deepEqual(cellOf(customer, "admin").read, { kind: "all" });
});

test("hide adds at the end, removes in place, and the last one removes the key", () => {
  const doc = orders();
  const order = form(doc, "sales_order");
  setHidden(order, "warehouse", "remark", true);
  assert.equal(order.permissions.warehouse.hide.at(-1), "remark");
  setHidden(order, "warehouse", "remark", true);  // already hidden: no duplicate
  assert.equal(order.permissions.warehouse.hide.filter((h) => h === "remark").length, 1);
  setHidden(order, "warehouse", "remark", false);
  assert.equal(text(doc), text(orders()));
  const shipped = [...order.permissions.warehouse.hide];
  assert.ok(shipped.includes("items.price"));
  setHidden(order, "warehouse", "items.price", false);
  assert.deepEqual(order.permissions.warehouse.hide, shipped.filter((p) => p !== "items.price"));  // in place
  // sales has no hide: the key goes after delete, and goes away with its last path
  setHidden(order, "sales", "items.price", true);
  assert.deepEqual(Object.keys(order.permissions.sales), ["create", "read", "update", "delete", "hide"]);
  assert.deepEqual(order.permissions.sales.hide, ["items.price"]);
  setHidden(order, "sales", "items.price", false);
  assert.deepEqual(Object.keys(order.permissions.sales), ["create", "read", "update", "delete"]);
  // a role with no entry: hiding creates {hide: [...]}, showing removes the entry again
  setHidden(form(doc, "payment"), "warehouse", "amount", true);
  assert.deepEqual(form(doc, "payment").permissions.warehouse, { hide: ["amount"] });
  setHidden(form(doc, "payment"), "warehouse", "amount", false);
  assert.equal(form(doc, "payment").permissions.warehouse, undefined);
});

test("setHiddenList keeps the kept paths' order and appends the new ones", () => {
  const doc = orders();
  const order = form(doc, "sales_order");
  setHiddenList(order, "production", ["total", "amount", "remark"]);
  assert.deepEqual(order.permissions.production.hide, ["amount", "total", "remark"]);
  setHiddenList(order, "production", []);
  assert.equal(order.permissions.production.hide, undefined);
});

test("hide options: every field except the title field, and table columns as table.column", () => {
  const order = form(orders(), "sales_order");
  const options = hideOptions(order);
  const paths = options.map((o) => o.path);
  assert.ok(!paths.includes("order_no"), "the title field cannot be hidden");
  assert.ok(paths.includes("items"));
  assert.ok(paths.includes("items.price"));
  assert.ok(paths.includes("items.subtotal"));
  const price = options.find((o) => o.path === "items.price");
  assert.equal(price.column, true);
  assert.equal(price.table, "items");
  assert.match(price.label, /·/);
});

test("applyEdit finds the form by pointer and applies one edit", () => {
  const sources = { "crm.json": crm() };
  applyEdit(sources, "crm.json", "/forms/1", { role: "finance", action: "update", access: { where: "owner == $user" } });
  assert.deepEqual(sources["crm.json"].forms[1].permissions.finance, { read: "all", update: { where: "owner == $user" } });
  applyEdit(sources, "crm.json", "/forms/1", { role: "finance", hide: "remark", on: true });
  applyEdit(sources, "crm.json", "/forms/1", { role: "finance", create: true });
  assert.deepEqual(Object.keys(sources["crm.json"].forms[1].permissions.finance), ["create", "read", "update", "hide"]);
  applyEdit(sources, "crm.json", "/forms/1", { role: "finance", hideList: [] });
  assert.equal(sources["crm.json"].forms[1].permissions.finance.hide, undefined);
  assert.equal(cellPointer("/forms/1", "finance", "read"), "/forms/1/permissions/finance/read");
  assert.equal(cellPointer("/forms/1", "finance"), "/forms/1/permissions/finance");
});

test("role uses: permissions, recipients, user-field roles and transition roles", () => {
  const sources = { "crm.json": crm(), "order_followup.json": orders() };
  const uses = roleUses(sources, "finance");
  const kinds = new Set(uses.map((u) => u.kind));
  assert.deepEqual([...kinds].sort(), ["permission", "role", "roles"]);
  assert.ok(uses.some((u) => u.file === "crm.json" && u.pointer === "/forms/0/permissions/finance"));
  assert.ok(uses.every((u) => !u.pointer.startsWith("/roles")), "declarations are not uses");
  assert.deepEqual(roleUses(sources, "nobody"), []);
});

test("renaming a role renames its declarations and every use, in place", () => {
  const sources = { "crm.json": crm(), "order_followup.json": orders() };
  const count = roleUses(sources, "finance").length;
  assert.equal(renameRole(sources, "finance", "accounting"), count);
  assert.deepEqual(roleUses(sources, "finance"), []);
  assert.equal(roleUses(sources, "accounting").length, count);
  assert.deepEqual(Object.keys(form(sources["crm.json"], "customer").permissions),
    ["sales", "sales_manager", "accounting", "general_manager", "warehouse", "production"]);
  assert.equal(sources["crm.json"].roles[2].name, "accounting");
  // and back: byte-identical
  renameRole(sources, "accounting", "finance");
  assert.equal(text(sources["crm.json"]), text(crm()));
  assert.equal(text(sources["order_followup.json"]), text(orders()));
});

test("renaming a role of the live set writes renamed_from, so publishing moves its users", () => {
  const live = { "crm.json": crm(), "order_followup.json": text(orders()) };  // a doc or its JSON text
  const sources = { "crm.json": crm(), "order_followup.json": orders() };
  assert.ok(liveRoles(live).has("finance") && liveRoles(live).has("production"));
  assert.equal(liveRoleName(sources, "finance", live), "finance");
  renameRole(sources, "finance", "accounting", live);
  assert.deepEqual(sources["crm.json"].roles[2], { name: "accounting", renamed_from: "finance", title: "财务" });
  assert.equal(liveRoleName(sources, "accounting", live), "finance");
  assert.deepEqual(Object.keys(sources["crm.json"].roles[2]), ["name", "renamed_from", "title"]);
  // renamed again: still from the live name (users hold "finance", not "accounting")
  renameRole(sources, "accounting", "bookkeeping", live);
  assert.equal(sources["crm.json"].roles[2].renamed_from, "finance");
  assert.equal(roleUses(sources, "bookkeeping").length, roleUses({ "crm.json": crm(), "order_followup.json": orders() }, "finance").length);
  // a role declared in two modules gets it on both declarations
  const sales = { "crm.json": crm(), "order_followup.json": orders() };
  renameRole(sales, "sales", "seller", live);
  assert.deepEqual([sales["crm.json"].roles[0].renamed_from, sales["order_followup.json"].roles[0].renamed_from],
    ["sales", "sales"]);
  // back to the live name: exactly the live documents again
  renameRole(sources, "bookkeeping", "finance", live);
  assert.equal(text(sources["crm.json"]), text(crm()));
  assert.equal(text(sources["order_followup.json"]), text(orders()));
});

test("a role new in the draft is renamed without renamed_from; a live renamed_from comes back", () => {
  const live = { "crm.json": crm() };
  const sources = { "crm.json": crm() };
  addRole(sources["crm.json"], "service", "客服");
  assert.equal(liveRoleName(sources, "service", live), null);
  renameRole(sources, "service", "support", live);
  assert.deepEqual(sources["crm.json"].roles.at(-1), { name: "support", title: "客服" });
  // no live set at all (liveFiles absent): nothing to move
  const plain = { "crm.json": crm() };
  renameRole(plain, "finance", "accounting");
  assert.equal(plain["crm.json"].roles[2].renamed_from, undefined);
  // the live set itself has a rename: renaming away and back keeps its renamed_from
  const published = crm();
  published.roles[2] = { name: "accounting", renamed_from: "finance", title: "财务" };
  const draft = { "crm.json": JSON.parse(text(published)) };
  renameRole(draft, "accounting", "books", { "crm.json": published });
  assert.equal(draft["crm.json"].roles[2].renamed_from, "accounting");
  renameRole(draft, "books", "accounting", { "crm.json": published });
  assert.equal(text(draft["crm.json"]), text(published));
});

test("adding, titling and removing a role; names are checked", () => {
  const sources = { "crm.json": crm() };
  assert.equal(roleNameProblem(sources, "Bad-Name"), "identifier");
  assert.equal(roleNameProblem(sources, "admin"), "admin");
  assert.equal(roleNameProblem(sources, "sales"), "exists");
  assert.equal(roleNameProblem(sources, "sales", "sales"), "");
  assert.equal(roleNameProblem(sources, "service"), "");
  addRole(sources["crm.json"], "service", "客服");
  assert.deepEqual(sources["crm.json"].roles.at(-1), { name: "service", title: "客服" });
  setRoleTitle(sources, "service", "售后客服");
  assert.equal(sources["crm.json"].roles.at(-1).title, "售后客服");
  setRoleTitle(sources, "service", "");
  assert.deepEqual(sources["crm.json"].roles.at(-1), { name: "service" });
  removeRole(sources, "service");
  assert.equal(text(sources["crm.json"]), text(crm()));
  // a module without roles gets the key after its title
  const doc = { module: "m", title: "M", forms: [] };
  addRole(doc, "clerk", "");
  assert.deepEqual(Object.keys(doc), ["module", "title", "roles", "forms"]);
  assert.deepEqual(doc.roles, [{ name: "clerk" }]);
});

test("setKey places a new key by the documented order and keeps object identity", () => {
  const obj = { b: 1, d: 2 };
  const same = setKey(obj, "c", 3, ["a", "b", "c", "d"]);
  assert.equal(same, obj);
  assert.deepEqual(Object.keys(obj), ["b", "c", "d"]);
  setKey(obj, "a", 0, ["a", "b", "c", "d"]);
  assert.deepEqual(Object.keys(obj), ["a", "b", "c", "d"]);
  setKey(obj, "z", 9, ["a"]);
  assert.deepEqual(Object.keys(obj), ["a", "b", "c", "d", "z"]);
  setKey(obj, "b", 7, ["a", "b"]);
  assert.deepEqual(Object.entries(obj)[1], ["b", 7]);
});

test("a problem's pointer finds its cell", () => {
  assert.deepEqual(cellAt("/forms/2/permissions/sales/read/where"), { index: 2, role: "sales", action: "read" });
  assert.deepEqual(cellAt("/forms/0/permissions/warehouse/hide"), { index: 0, role: "warehouse", action: "hide" });
  assert.deepEqual(cellAt("/forms/0/permissions/ghost"), { index: 0, role: "ghost", action: "read" });
  assert.deepEqual(cellAt("/forms/1/permissions/a~1b/create"), { index: 1, role: "a/b", action: "create" });
  assert.equal(cellAt("/roles/3/name"), "roles");
  assert.equal(cellAt("/forms/0/permissions"), null);
  assert.equal(cellAt("/forms/0/fields/1"), null);
  assert.equal(cellAt(""), null);
});
