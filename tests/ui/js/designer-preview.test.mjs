// node --test: engine/ui/static/js/designer/preview.js
import test from "node:test";
import assert from "node:assert/strict";
import { previewRoles, previewUrl, previewViews } from "../../../engine/ui/static/js/designer/preview.js";

test("previewRoles lists every declared role once, in file order", () => {
  const sources = {
    "a.json": { roles: [{ name: "sales", title: "销售" }, { name: "finance" }] },
    "b.json": { roles: [{ name: "sales", title: "Sales again" }, { name: "gm", title: "总经理" }], forms: [] },
    "c.json": { forms: [] },
  };
  assert.deepEqual(previewRoles(sources), [
    { name: "sales", title: "销售" }, { name: "finance", title: "finance" }, { name: "gm", title: "总经理" }]);
  assert.deepEqual(previewRoles({ "x.json": { roles: "broken" } }), []);
});

test("previewUrl escapes the form and the role; an unknown view is the form", () => {
  assert.equal(previewUrl("customer", "sales", "form"), "/admin/designer/preview/customer?role=sales&view=form");
  assert.equal(previewUrl("customer", "sales", "list"), "/admin/designer/preview/customer?role=sales&view=list");
  assert.equal(previewUrl("a b", "x&y", "other"), "/admin/designer/preview/a%20b?role=x%26y&view=form");
});

test("previewUrl knows the record page and the board", () => {
  assert.equal(previewUrl("customer", "sales", "detail"), "/admin/designer/preview/customer?role=sales&view=detail");
  assert.equal(previewUrl("order", "gm", "board"), "/admin/designer/preview/order?role=gm&view=board");
  assert.equal(previewUrl("order", "", "Board"), "/admin/designer/preview/order?role=&view=form");
});

test("previewViews offers the board only to a form with a workflow", () => {
  assert.deepEqual(previewViews({ name: "note" }), ["form", "list", "detail"]);
  assert.deepEqual(previewViews({ name: "order", workflow: { stages: [] } }), ["form", "list", "detail", "board"]);
  assert.deepEqual(previewViews({ name: "odd", workflow: "broken" }), ["form", "list", "detail"]);
  assert.deepEqual(previewViews(null), ["form", "list", "detail"]);
});
