// Problems at JSON pointers mapped to places in the JSON text (json-scan.js pointerRange).
import test from "node:test";
import assert from "node:assert/strict";
import { pointerRange, positions, tokens } from "../../../engine/ui/static/js/designer/json-scan.js";
import { config, offsetOf } from "./designer-fixtures.mjs";

const slice = (text, r) => text.slice(r.from, r.to);

test("a scalar is marked with its key and value", () => {
  const text = config("crm.json");
  const r = pointerRange(text, "/forms/0/fields/1/label");
  assert.equal(r.found, true);
  assert.equal(slice(text, r), '"label": "客户等级"');
});

test("an object or array in an object is marked by its key; an array item by its opening bracket", () => {
  const text = config("crm.json");
  const options = pointerRange(text, "/forms/0/fields/1/options");
  assert.equal(slice(text, options), '"options"');
  assert.equal(options.from, offsetOf(text, '"options"'));
  const field = pointerRange(text, "/forms/0/fields/1");
  assert.equal(slice(text, field), "{");
  const afterField = text.slice(field.from, field.from + 60);
  assert.match(afterField, /"name": "grade"/);
  const option = pointerRange(text, "/forms/0/fields/1/options/2/value");
  assert.equal(slice(text, option), '"value": "C"');
});

test("array items by index, in the second module too", () => {
  const text = config("order_followup.json");
  const doc = JSON.parse(text);
  const stage = doc.forms[0].workflow.stages[1];
  const r = pointerRange(text, "/forms/0/workflow/stages/1/name");
  assert.equal(slice(text, r), `"name": ${JSON.stringify(stage.name)}`);
  // every pointer to a scalar in the document lands on exactly that key and value
  let checked = 0;
  (function walk(node, pointer) {
    if (node !== null && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        walk(v, pointer + "/" + String(k).replace(/~/g, "~0").replace(/\//g, "~1"));
      }
      return;
    }
    const got = pointerRange(text, pointer, tree);
    assert.equal(got.found, true, pointer);
    const marked = slice(text, got);
    assert.ok(marked.endsWith(JSON.stringify(node)), pointer + " → " + marked);
    checked += 1;
  })(doc, "");
  assert.ok(checked > 500, "checked " + checked);
});
const tree = positions(config("order_followup.json"));

test("a pointer that is not in the text marks the deepest part that is", () => {
  const text = config("crm.json");
  const missing = pointerRange(text, "/forms/0/fields/1/colors");
  assert.equal(missing.found, false);
  assert.equal(slice(text, missing), "{", "the field object");
  const outOfRange = pointerRange(text, "/forms/0/fields/999");
  assert.equal(slice(text, outOfRange), '"fields"');
  const whole = pointerRange(text, "");
  assert.deepEqual([whole.from, whole.to, whole.found], [0, 1, true]);
});

test("escaped pointer tokens (~1 for /, ~0 for ~) and escaped keys in the text", () => {
  const text = '{\n  "a/b": {"c~d": 1},\n  "e\\u0066": [true, {"x": null}]\n}\n';
  assert.equal(slice(text, pointerRange(text, "/a~1b/c~0d")), '"c~d": 1');
  assert.equal(slice(text, pointerRange(text, "/ef/1/x")), '"x": null');
  assert.equal(slice(text, pointerRange(text, "/ef/0")), "true");
});

test("a broken text still maps what can be read, and never throws", () => {
  const text = '{\n  "forms": [\n    {"name": "a", "fields": [\n      {"name": "x" "type": "text"},\n      {"name": "y",\n';
  assert.equal(slice(text, pointerRange(text, "/forms/0/fields/0/type")), '"type": "text"');
  assert.equal(slice(text, pointerRange(text, "/forms/0/fields/1/name")), '"name": "y"');
  for (const bad of ["", "{", "[", '"abc', "}", "{]", '{"a": }', "nul", '{"a": [1, 2,, ]}']) {
    assert.doesNotThrow(() => pointerRange(bad, "/a/0"));
  }
});

test("tokens: strings with escapes, numbers, words, and an unterminated string stops at the line end", () => {
  const list = tokens('{"a\\"b": -1.5e3, "c": tru\n"d');
  assert.deepEqual(list.map((t) => t.type), ["{", "string", ":", "number", ",", "string", ":", "word", "string"]);
  assert.equal(list[1].value, 'a"b');
  assert.equal(list[8].closed, false);
});
