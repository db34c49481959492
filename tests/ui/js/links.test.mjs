// node --test tests/ui/js: link pickers' pure helpers (engine/ui/static/js/links.js).
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { EngineLinks: L } = require("../../../engine/ui/static/js/links.js");

test("a table row's control names its column's path and row", () => {
  assert.deepEqual(L.linkPath("items-3-part"), { path: "items.part", prefix: "items-3-", column: "part" });
  assert.deepEqual(L.linkPath("contact"), { path: "contact", prefix: "", column: null });
});

test("the choices URL carries the values, the search and the ids", () => {
  const url = L.choicesUrl("deal", "contact", { account: "4" }, "an", [7, 8]);
  assert.equal(url, "/api/forms/deal/fields/contact/choices?values=" +
    encodeURIComponent('{"account":"4"}') + "&limit=20&q=an&ids=7,8");
});

test("a filter depends on record fields and on its own row's columns only", () => {
  assert.ok(L.dependsOn("contact", ["account"], "account"));
  assert.ok(!L.dependsOn("contact", ["account"], "subject"));
  assert.ok(L.dependsOn("items-1-part", ["kind"], "kind"));
  assert.ok(L.dependsOn("items-1-part", ["kind"], "items-1-kind"));
  assert.ok(!L.dependsOn("items-1-part", ["kind"], "items-2-kind"));
  assert.ok(!L.dependsOn("contact", [], "account"));
});

test("fill goes to the record's fields or the row's columns", () => {
  assert.deepEqual(L.fillTargets("items-0-part", { unit: "pc", price: "2.50" }),
    [{ name: "items-0-unit", value: "pc" }, { name: "items-0-price", value: "2.50" }]);
  assert.deepEqual(L.fillTargets("account", { address: "x" }), [{ name: "address", value: "x" }]);
});

test("form values: record fields, the link's row, the record id; empties left out", () => {
  const pairs = [["subject", "A"], ["kind", ""], ["items-0-qty", "2"], ["items-1-qty", "5"], ["csrf_token", "t"]];
  assert.deepEqual(L.formValues(pairs, "items-1-part", "9"), { subject: "A", row: { qty: "5" }, id: 9 });
  assert.deepEqual(L.formValues(pairs, "contact", ""), { subject: "A" });
});

test("an emptied link empties its fill targets, in the record or the row", () => {
  assert.deepEqual(L.emptyFill(["receiver", "phone"]), { receiver: null, phone: null });
  assert.deepEqual(L.fillTargets("items-2-part", L.emptyFill(["unit"])), [{ name: "items-2-unit", value: null }]);
  assert.deepEqual(L.emptyFill(undefined), {});
});
