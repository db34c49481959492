// Print layouts as the 打印 tab edits them (prints-model.js): a new layout starts from the form's fields and
// its line-item table, keys go in the documented order, unknown keys stay, emptied keys and lists go.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  addBlock, addLayout, blockKind, fieldChoices, moveBlock, moveLayout, newBlock, newLayout, printsOf, relatedChoices, removeBlock,
  removeLayout, setBlockKey, setHeaderKey, setLayoutKey,
} from "../../../engine/ui/static/js/designer/prints-model.js";

const meta = { types: [
  { name: "text", client_kind: "text" }, { name: "decimal", client_kind: "decimal", numeric: true },
  { name: "integer", client_kind: "integer", numeric: true }, { name: "formula", computed: true },
  { name: "table", is_table: true }] };

function form() {
  return { name: "deal", title: "单据", fields: [
    { name: "no", type: "text", label: { "zh-CN": "编号", en: "No." } }, { name: "discount", type: "decimal", label: "折扣" },
    { name: "total", type: "formula", result: "decimal", formula: "1", label: "合计" },
    { name: "lines", type: "table", label: "明细", fields: [{ name: "item", type: "text", label: "品名" }, { name: "qty", type: "integer", label: "数量" }] }],
  charts: [] };
}

test("a new layout: a free name, the fields and the table; prints goes after the form's known keys", () => {
  const f = form();
  const layout = newLayout(f, meta, "单据");
  assert.deepEqual(layout, { name: "print_1", title: "单据", blocks: [
    { fields: ["no", "discount", "total"], columns: 2 }, { table: "lines", columns: ["item", "qty"] }] });
  assert.equal(addLayout(f, layout), 0);
  assert.deepEqual(Object.keys(f).slice(-2), ["charts", "prints"]);
  assert.equal(newLayout(f, meta, "x").name, "print_2");
  assert.deepEqual(newBlock("amount_in_words", f, meta), { amount_in_words: "total" });  // the computed decimal
  assert.deepEqual(newBlock("signatures", f, meta, { signatures: ["经办人"] }), { signatures: ["经办人"] });
  assert.equal(newBlock("related", f, meta), null);
  assert.equal(newBlock("table", { fields: [] }, meta), null);
  const choices = fieldChoices(f, meta);
  assert.deepEqual(choices.map((c) => [c.name, c.label, c.numeric]), [["no", "编号", false], ["discount", "折扣", true], ["total", "合计", true], ["lines", "明细", false]]);
  assert.deepEqual(choices[3].columns.map((c) => [c.name, c.numeric]), [["item", false], ["qty", true]]);
});

test("layout keys in the documented order; the header writes only what differs from the default", () => {
  const f = form();
  addLayout(f, { name: "a", title: "A", blocks: [{ fields: ["no"] }], custom: 1 });
  setLayoutKey(f, 0, "paper", "A5");
  setLayoutKey(f, 0, "roles", ["sales"]);
  setHeaderKey(f, 0, "logo", false);
  setHeaderKey(f, 0, "company", true);
  setLayoutKey(f, 0, "footer", { "zh-CN": "第 {no} 号", en: "No. {no}" });
  assert.deepEqual(Object.keys(f.prints[0]), ["name", "title", "roles", "paper", "header", "blocks", "footer", "custom"]);
  assert.deepEqual(f.prints[0].header, { logo: false });
  setHeaderKey(f, 0, "logo", true);
  assert.ok(!("header" in f.prints[0]));
  setLayoutKey(f, 0, "roles", []);
  assert.ok(!("roles" in f.prints[0]));
});

test("blocks: add, move, set (emptied keys go), remove; layouts move and the last removed removes prints", () => {
  const f = form();
  addLayout(f, newLayout(f, meta, "A"));
  addLayout(f, { name: "b", title: "B", blocks: [{ text: "x" }] });
  assert.equal(addBlock(f, 0, { text: "{no}" }), 2);
  assert.equal(moveBlock(f, 0, 2, -1), 1);
  assert.deepEqual(f.prints[0].blocks.map(blockKind), ["fields", "text", "table"]);
  setBlockKey(f, 0, 2, "totals", ["qty"]);
  assert.deepEqual(Object.keys(f.prints[0].blocks[2]), ["table", "columns", "totals"]);
  setBlockKey(f, 0, 2, "totals", []);
  assert.ok(!("totals" in f.prints[0].blocks[2]));
  setBlockKey(f, 0, 0, "title", "基本信息");
  assert.deepEqual(Object.keys(f.prints[0].blocks[0]), ["title", "fields", "columns"]);
  removeBlock(f, 0, 1);
  assert.deepEqual(f.prints[0].blocks.map(blockKind), ["fields", "table"]);
  assert.equal(blockKind({ text: "a", fields: ["b"] }), null);
  assert.equal(moveLayout(f, 1, -1), 0);
  assert.deepEqual(printsOf(f).map((p) => p.name), ["b", "print_1"]);
  removeLayout(f, 0);
  removeLayout(f, 0);
  assert.ok(!("prints" in f));
});

test("a related block lists the records of a form whose link points here, with their first fields", () => {
  const f = form();
  const payment = { name: "payment", title: { "zh-CN": "回款", en: "Payment" }, fields: [
    { name: "deal", type: "link", form: "deal", label: "单据" }, { name: "amount", type: "decimal", label: "金额" },
    { name: "paid_on", type: "text", label: "日期" }] };
  const forms = [{ form: f }, { form: payment }, { form: { name: "other", fields: [{ name: "x", type: "link", form: "elsewhere" }] } }];
  assert.deepEqual(relatedChoices(f, forms), [{ form: "payment", title: "回款", link: "deal", label: "单据" }]);
  assert.deepEqual(newBlock("related", f, meta, {}, forms), { related: { form: "payment", link: "deal", columns: ["amount", "paid_on"] } });
  assert.equal(newBlock("related", f, meta, {}, [{ form: f }]), null);
});
