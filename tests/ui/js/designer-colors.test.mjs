// node --test: form-colors.js — the palette comes from the module schema the page embeds; setting and
// clearing an option's colour writes only `color` of that option (other keys, key order and the other
// options kept), turns plain string options into {"value"} objects (a colour needs the object form), and
// a change through the Store is one undoable edit whose document stays valid for the server's schema.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { colorOf, paletteOf, setOptionColor } from "../../../engine/ui/static/js/designer/form-colors.js";
import { Store } from "../../../engine/ui/static/js/designer/store.js";
import { get } from "../../../engine/ui/static/js/designer/pointers.js";
import { ROOT } from "./designer-shell-fixtures.mjs";

const PYTHON = ROOT + "/.venv/bin/python";
let schema = null;
function moduleSchema() {
  if (!schema) {
    schema = JSON.parse(execFileSync(PYTHON, ["-c", "import json, sys; from engine.definitions.schema import module_schema;"
      + " sys.stdout.write(json.dumps(module_schema()))"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
  }
  return schema;
}

// the server's own check of one module document: its problems as "pointer: message" lines
function problems(doc) {
  const out = execFileSync(PYTHON, ["-c", "import json, sys; from engine.definitions import load_sources;"
    + " from engine.errors import DefinitionError\ntry:\n    load_sources({'m.json': sys.stdin.read()})\n"
    + "except DefinitionError as e:\n    print('\\n'.join(str(p) for p in e.problems))"],
  { cwd: ROOT, encoding: "utf8", input: JSON.stringify(doc, null, 2) });
  return out.trim() ? out.trim().split("\n") : [];
}

test("the palette is the schema's list of colours, in its order", () => {
  const palette = paletteOf({ schema: moduleSchema() });
  assert.deepEqual(palette, ["blue", "green", "teal", "orange", "red", "purple", "grey"]);
  assert.deepEqual(paletteOf({}), []);
  assert.deepEqual(paletteOf(null), []);
});

test("setting a colour writes `color` into that option only, keeping its other keys and their order", () => {
  const options = [{ value: "A", label: "A类", "x-note": 1 }, { value: "B", color: "blue", label: "B类" }];
  const next = setOptionColor(options, 0, "red");
  assert.deepEqual(next, [{ value: "A", label: "A类", "x-note": 1, color: "red" }, { value: "B", color: "blue", label: "B类" }]);
  assert.deepEqual(Object.keys(next[0]), ["value", "label", "x-note", "color"]);
  assert.deepEqual(options[0], { value: "A", label: "A类", "x-note": 1 }, "the input is not changed");
  const changed = setOptionColor(next, 1, "green");
  assert.deepEqual(Object.keys(changed[1]), ["value", "color", "label"], "a colour changed in place keeps its key's place");
  assert.equal(colorOf(changed[1]), "green");
  assert.equal(colorOf("plain"), "");
});

test("clearing removes the key; nothing else changes", () => {
  const options = [{ value: "A", color: "red", label: "A" }, { value: "B" }];
  assert.deepEqual(setOptionColor(options, 0, null), [{ value: "A", label: "A" }, { value: "B" }]);
  assert.deepEqual(setOptionColor(options, 1, ""), options);
  assert.deepEqual(setOptionColor(["x", "y"], 0, ""), ["x", "y"], "plain strings stay strings when nothing is set");
  assert.deepEqual(setOptionColor(options, 5, "red"), options, "an index out of range changes nothing");
});

test("plain string options become objects when one gets a colour (labels stay their values)", () => {
  assert.deepEqual(setOptionColor(["低", "中", "高"], 2, "red"), [{ value: "低" }, { value: "中" }, { value: "高", color: "red" }]);
});

test("through the Store: one undoable edit, and the server accepts the document it leaves", async () => {
  const doc = {
    module: "m", title: "M",
    forms: [{ name: "t", title: "T", fields: [
      { name: "name", type: "text" },
      { name: "severity", type: "select", label: "严重程度", options: ["低", "中", "高"] }] }],
  };
  const store = new Store({ sources: { "m.json": doc }, meta: { schema: moduleSchema(), types: [] }, texts: {}, api: null });
  const at = "/forms/0/fields/1";
  store.change((sources) => { const f = get(sources["m.json"], at); f.options = setOptionColor(f.options, 2, "red"); }, "colour");
  const edited = store.doc("m.json");
  assert.deepEqual(get(edited, at).options, [{ value: "低" }, { value: "中" }, { value: "高", color: "red" }]);
  assert.deepEqual(problems(edited), []);
  const wrong = JSON.parse(JSON.stringify(edited));
  get(wrong, at).options = setOptionColor(get(wrong, at).options, 0, "pink");
  assert.deepEqual(problems(wrong), ['m.json: /forms/0/fields/1/options/0/color: "pink" is not one of: '
    + "blue, green, teal, orange, red, purple, grey"]);
  store.undo();
  assert.deepEqual(get(store.doc("m.json"), at).options, ["低", "中", "高"]);
});
