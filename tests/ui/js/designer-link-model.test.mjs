// A link field's filter and fill rows (engine/ui/static/js/designer/link-model.js): the maps keep their
// order, an emptied map is removed, a repeated key keeps the first row, and new rows start with a
// same-named pair; in a table the row's columns come first.
import { test } from "node:test";
import assert from "node:assert/strict";

import { linkedChoices, newFillRow, newFilterRow, ownChoices, pairsOf, removePair, setPair } from "../../../engine/ui/static/js/designer/link-model.js";

const contact = { name: "contact", fields: [{ name: "account", label: { "zh-CN": "客户", en: "Account" } }, { name: "name", label: "姓名" },
  { name: "mobile", label: "手机" }, { name: "lines", type: "table", fields: [] }] };
const visit = { name: "visit", fields: [{ name: "subject", label: "主题" }, { name: "account", label: "客户" },
  { name: "who", type: "link", form: "contact" }, { name: "items", type: "table", fields: [
    { name: "person", type: "link", form: "contact" }, { name: "mobile", label: "电话" }] }] };

test("rows of a map: set keeps the place, a new row goes last, removing the last row removes the map", () => {
  assert.deepEqual(pairsOf({ a: "x", b: "y" }), [["a", "x"], ["b", "y"]]);
  assert.deepEqual(pairsOf(undefined), []);
  assert.deepEqual(setPair(undefined, 0, "a", "x"), { a: "x" });
  assert.deepEqual(Object.keys(setPair({ a: "x", b: "y" }, 0, "c", "x")), ["c", "b"]);
  assert.deepEqual(setPair({ a: "x", b: "y" }, 2, "c", "z"), { a: "x", b: "y", c: "z" });
  assert.deepEqual(setPair({ a: "x", b: "y" }, 1, "a", "z"), { a: "x" });  // a repeated key: the first row stays
  assert.deepEqual(removePair({ a: "x", b: "y" }, 0), { b: "y" });
  assert.equal(removePair({ a: "x" }, 0), undefined);
});

test("choices: the linked form's fields (no tables) then system attributes; this form's fields, a row's columns first", () => {
  const theirs = linkedChoices(contact);
  assert.deepEqual(theirs.slice(0, 3).map((c) => [c.name, c.label]), [["account", "客户"], ["name", "姓名"], ["mobile", "手机"]]);
  assert.ok(theirs.some((c) => c.name === "id" && c.system));
  assert.ok(!theirs.some((c) => c.name === "lines"));
  const who = visit.fields[2];
  assert.deepEqual(ownChoices(visit, null, who).map((c) => c.name), ["subject", "account"]);
  const items = visit.fields[3];
  const own = ownChoices(visit, items, items.fields[0]);
  assert.deepEqual(own.map((c) => [c.name, c.row]), [["mobile", true], ["subject", false], ["account", false], ["who", false]]);
});

test("a new filter row pairs same-named fields; a new fill row fills a same-named field not yet filled", () => {
  const own = ownChoices(visit, null, visit.fields[2]);
  assert.deepEqual(newFilterRow(undefined, contact, own), ["account", "account"]);
  assert.deepEqual(newFilterRow({ account: "account" }, contact, own)[0], "name");
  const rowOwn = ownChoices(visit, visit.fields[3], visit.fields[3].fields[0]).filter((o) => o.row);
  assert.deepEqual(newFillRow(undefined, contact, rowOwn), ["mobile", "mobile"]);
  assert.deepEqual(newFillRow(undefined, contact, own), ["account", "account"]);
  assert.deepEqual(newFillRow({ account: "account" }, contact, own), ["subject", "account"]);
});
