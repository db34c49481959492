// The JSON tab's texts kept in step with the draft (json-sync.js) with the real Store: a text that parses
// replaces its document (one undo step), a syntax error keeps the last good document, changes made in
// other tabs rewrite the text unless the admin's text has an error.
import test from "node:test";
import assert from "node:assert/strict";
import { textState, canonicalText, parseErrorPosition, lineColumn } from "../../../engine/ui/static/js/designer/json-sync.js";
import { Store } from "../../../engine/ui/static/js/designer/store.js";
import { config } from "./designer-fixtures.mjs";

function makeStore() {
  const saved = [];
  const api = { async saveDraft(base, sources) { saved.push(JSON.parse(JSON.stringify(sources))); return { problems: [] }; } };
  const timers = { setTimeout: () => 0, clearTimeout: () => null };
  const store = new Store({ sources: { "crm.json": JSON.parse(config("crm.json")), "order_followup.json": JSON.parse(config("order_followup.json")) },
    api, timers, baseSignature: "s1" });
  return { store, saved };
}

test("the text of an untouched file is the server's format of its document (the shipped file itself)", () => {
  const { store } = makeStore();
  const sync = textState(store);
  assert.equal(sync.text("crm.json"), config("crm.json"));
  assert.equal(sync.text("order_followup.json"), config("order_followup.json"));
  assert.equal(canonicalText({ a: [], b: {}, c: "中" }), '{\n  "a": [],\n  "b": {},\n  "c": "中"\n}\n');
});

test("an edit that parses replaces the document in the draft, as one undo step, and is saved", async () => {
  const { store, saved } = makeStore();
  const sync = textState(store);
  let changes = 0;
  store.on("change", () => { changes += 1; sync.refresh(); });
  const text = sync.text("crm.json").replace('"title": "客户管理"', '"title": "客户管理系统"');
  assert.deepEqual(sync.edit("crm.json", text, "JSON"), { changed: true });
  assert.equal(store.doc("crm.json").title, "客户管理系统");
  assert.equal(changes, 1);
  assert.equal(sync.text("crm.json"), text, "the admin's text is kept as typed");
  await store.save();
  assert.equal(saved[0]["crm.json"].title, "客户管理系统");
  // the same document again (only spacing changed): nothing new in the draft
  assert.deepEqual(sync.edit("crm.json", text.replace('"module": "crm"', '"module":   "crm"'), "JSON"), { changed: false });
  assert.equal(changes, 1);
  assert.ok(store.undo());
  assert.equal(store.doc("crm.json").title, "客户管理");
  assert.equal(sync.text("crm.json"), config("crm.json"), "undo brings the text back");
});

test("a syntax error is reported with its line and the draft keeps the last good document", () => {
  const { store } = makeStore();
  const sync = textState(store);
  const broken = sync.text("crm.json").replace('"title": "客户管理",', '"title": "客户管理"');  // comma missing
  const answer = sync.edit("crm.json", broken, "JSON");
  assert.ok(answer.error);
  assert.equal(answer.error.line, 4, JSON.stringify(answer.error));
  assert.equal(store.doc("crm.json").title, "客户管理");
  assert.equal(store.canUndo(), false);
  assert.ok(sync.error("crm.json"));
  assert.equal(sync.matches("crm.json", broken), false, "problems are not mapped onto a text that does not parse");
  assert.equal(sync.matches("crm.json", config("crm.json")), true);
});

test("a change from another tab rewrites the text, but never a text with a syntax error", () => {
  const { store } = makeStore();
  const sync = textState(store);
  const edited = sync.text("order_followup.json");
  sync.text("crm.json");
  const broken = sync.text("crm.json").slice(0, 100);
  sync.edit("crm.json", broken, "JSON");
  store.change((s) => { s["crm.json"].title = "from the form tab"; s["order_followup.json"].title = "also"; }, "form");
  const replaced = sync.refresh();
  assert.deepEqual(replaced, ["order_followup.json"]);
  assert.notEqual(sync.text("order_followup.json"), edited);
  assert.match(sync.text("order_followup.json"), /"title": "also"/);
  assert.equal(sync.text("crm.json"), broken, "the admin's broken text is kept");
  assert.equal(sync.conflict("crm.json"), true);
  sync.takeDraft("crm.json");
  assert.match(sync.text("crm.json"), /"title": "from the form tab"/);
  assert.deepEqual([sync.error("crm.json"), sync.conflict("crm.json")], [null, false]);
});

test("parse error positions from both message styles", () => {
  const text = '{\n  "a": 1\n  "b": 2\n}';
  assert.equal(parseErrorPosition("Unexpected string in JSON at position 12", text), 12);
  assert.equal(parseErrorPosition("Expected ',' or '}' after property value in JSON at line 3 column 3", text), 13);
  assert.deepEqual(lineColumn(text, 13), { line: 3, column: 3 });
});

test("JSON.parse's messages are said in the tab's own words, and placed even without a position", () => {
  const cases = {
    '{"a": 1 "b": 2}': "json.err_comma_object",
    '{"a": 1,}': "json.err_key",
    '{"a" 1}': "json.err_colon",
    "[1 2]": "json.err_comma_array",
    '{"a": "x': "json.err_string_end",
    '{"a": "x\n"}': "json.err_control",
    '{"a": "\\q"}': "json.err_escape",
    '{"a": 1} x': "json.err_after",
    "  ": "json.err_end",
    '{"a": -}': "json.err_number",
    '{"a": tru}': "json.err_token",
  };
  const { store } = makeStore();
  const sync = textState(store);
  for (const [text, key] of Object.entries(cases)) {
    const answer = sync.edit("crm.json", text, "JSON");
    assert.equal(answer.error.key, key, text + " → " + answer.error.message);
  }
  const unplaced = sync.edit("crm.json", '{\n  "a": tru\n}', "JSON");
  assert.equal(unplaced.error.line, 2, "the word that is not JSON");
  assert.equal(parseErrorPosition("Unexpected token 'x', \"x\" is not valid JSON", '{"a": [x]}'), 7);
});
