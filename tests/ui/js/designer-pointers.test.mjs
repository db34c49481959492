// node --test: engine/ui/static/js/designer/pointers.js (JSON pointers over module documents).
import test from "node:test";
import assert from "node:assert/strict";
import * as P from "../../../engine/ui/static/js/designer/pointers.js";

const doc = () => ({ forms: [{ name: "a", fields: [{ name: "x" }, { name: "y", "a/b": 1, "m~n": 2 }] }] });

test("pointerOf and parse are inverse, escaping ~ and /", () => {
  const path = ["forms", "0", "fields", "1", "a/b"];
  assert.equal(P.pointerOf(path), "/forms/0/fields/1/a~1b");
  assert.deepEqual(P.parse(P.pointerOf(path)), path);
  assert.equal(P.pointerOf(["m~n"]), "/m~0n");
  assert.deepEqual(P.parse("/m~0n"), ["m~n"]);
  assert.deepEqual(P.parse(""), []);
  assert.throws(() => P.parse("forms"));
});

test("get reads objects and arrays, undefined for what is not there", () => {
  const d = doc();
  assert.equal(P.get(d, "/forms/0/fields/1/name"), "y");
  assert.equal(P.get(d, "/forms/0/fields/1/a~1b"), 1);
  assert.equal(P.get(d, "/forms/0/fields/1/m~0n"), 2);
  assert.equal(P.get(d, ""), d);
  assert.equal(P.get(d, "/forms/5"), undefined);
  assert.equal(P.get(d, "/forms/01"), undefined);
  assert.equal(P.get(d, "/forms/0/name/x"), undefined);
  assert.equal(P.get(d, "/toString"), undefined);
});

test("set and remove change one place only", () => {
  const d = doc();
  P.set(d, "/forms/0/title", "T");
  P.set(d, "/forms/0/fields/-", { name: "z" });
  assert.deepEqual(Object.keys(d.forms[0]), ["name", "fields", "title"]);
  assert.equal(d.forms[0].fields[2].name, "z");
  assert.equal(P.remove(d, "/forms/0/fields/0").name, "x");
  assert.deepEqual(d.forms[0].fields.map((f) => f.name), ["y", "z"]);
  assert.equal(P.remove(d, "/forms/0/title"), "T");
  assert.ok(!("title" in d.forms[0]));
  assert.throws(() => P.set(d, "/nope/x", 1));
});

test("within compares whole segments; parent, last and join", () => {
  assert.ok(P.within("/forms/1/fields/2", "/forms/1"));
  assert.ok(P.within("/forms/1", "/forms/1"));
  assert.ok(!P.within("/forms/10", "/forms/1"));
  assert.ok(P.within("/anything", ""));
  assert.equal(P.parent("/forms/1/fields/2"), "/forms/1/fields");
  assert.equal(P.last("/forms/1/fields/2"), "2");
  assert.equal(P.join("/forms/1", "fields", 3), "/forms/1/fields/3");
});

test("findByName and indexByName", () => {
  const fields = doc().forms[0].fields;
  assert.equal(P.findByName(fields, "y"), fields[1]);
  assert.equal(P.indexByName(fields, "y"), 1);
  assert.equal(P.findByName(fields, "q"), undefined);
  assert.equal(P.indexByName(null, "q"), -1);
});
