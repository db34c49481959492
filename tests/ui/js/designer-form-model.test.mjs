// node --test: form-model.js — adding, moving and removing fields (also in line-item tables), setting
// keys (unknown keys and key order kept), renames followed in list settings and charts, and the round
// trip: every config under configs/ and tests/configs/ goes through no-op edits unchanged; the shipped
// files come back byte for byte as the server writes them (json.dumps(indent=2, ensure_ascii=False) + "\n").
import test from "node:test";
import assert from "node:assert/strict";
import * as M from "../../../engine/ui/static/js/designer/form-model.js";
import { Store } from "../../../engine/ui/static/js/designer/store.js";
import { get } from "../../../engine/ui/static/js/designer/pointers.js";
import { allConfigs, designerMeta } from "./designer-shell-fixtures.mjs";

const doc = () => ({
  module: "m",
  forms: [{
    name: "order", title: "Order", title_field: "code", "x-custom": { keep: true },
    fields: [
      { name: "code", type: "text", label: "Code", "x-note": 1 },
      { name: "items", type: "table", label: "Items", fields: [
        { name: "qty", type: "integer" }, { name: "price", type: "decimal" }] },
      { name: "total", type: "decimal" },
    ],
    list: { columns: ["code", "total"], order_by: "-total", search: ["code"] },
    charts: [{ title: "Sum", type: "bar", group_by: "code", value: "sum(total)" }],
  }],
});
const names = (array) => array.map((f) => f.name);

test("field names: pattern, reserved words, siblings; new names count up over the whole form", () => {
  const form = doc().forms[0];
  assert.equal(M.nameProblem("field_1", form.fields), null);
  assert.equal(M.nameProblem("Field", form.fields), "form.name_invalid");
  assert.equal(M.nameProblem("1a", form.fields), "form.name_invalid");
  assert.equal(M.nameProblem("a".repeat(64), form.fields), "form.name_invalid");
  assert.equal(M.nameProblem("a".repeat(63), form.fields), null);
  assert.equal(M.nameProblem("stage", form.fields), "form.name_reserved");
  assert.equal(M.nameProblem("code", form.fields), "form.name_taken");
  assert.equal(M.nameProblem("code", form.fields, form.fields[0]), null, "its own name is fine");
  assert.equal(M.newFieldName(form), "field_1");
  form.fields[1].fields.push({ name: "field_1", type: "text" });
  assert.equal(M.newFieldName(form), "field_2", "table columns count too");
});

test("newField gives every required option of the type a starting value, from the registered types", () => {
  const meta = designerMeta();
  for (const kind of meta.types) {
    const field = M.newField(kind.name, meta, { name: "f", label: "F", options: ["x", "y"] });
    assert.deepEqual(Object.keys(field).slice(0, 3), ["name", "type", "label"]);
    for (const key of kind.required_options) { assert.ok(key in field, `${kind.name}.${key}`); }
  }
  assert.deepEqual(M.newField("select", meta, { name: "s", label: "S", options: ["a", "b"] }),
    { name: "s", type: "select", label: "S", options: ["a", "b"] });
  assert.deepEqual(M.newField("text", meta, { name: "t", label: "T" }), { name: "t", type: "text", label: "T" });
});

test("add, move and remove fields, also into, within and out of a table", () => {
  const d = doc();
  const form = d.forms[0];
  assert.equal(M.addField(d, "/forms/0/fields", 1, { name: "a", type: "text" }), "/forms/0/fields/1");
  assert.deepEqual(names(form.fields), ["code", "a", "items", "total"]);
  assert.equal(M.addField(d, "/forms/0/fields/2/fields", null, { name: "note", type: "text" }), "/forms/0/fields/2/fields/2");
  assert.deepEqual(names(form.fields[2].fields), ["qty", "price", "note"]);
  // down within the same list: the index is where it lands before the removal
  assert.equal(M.moveField(d, "/forms/0/fields/0", "/forms/0/fields", 3), "/forms/0/fields/2");
  assert.deepEqual(names(form.fields), ["a", "items", "code", "total"]);
  // within a table
  assert.equal(M.moveField(d, "/forms/0/fields/1/fields/2", "/forms/0/fields/1/fields", 0), "/forms/0/fields/1/fields/0");
  assert.deepEqual(names(form.fields[1].fields), ["note", "qty", "price"]);
  // into a table (from above it: the table moves up one) and out of it
  assert.equal(M.moveField(d, "/forms/0/fields/0", "/forms/0/fields/1/fields", 1), "/forms/0/fields/0/fields/1");
  assert.deepEqual(names(form.fields), ["items", "code", "total"]);
  assert.deepEqual(names(form.fields[0].fields), ["note", "a", "qty", "price"]);
  assert.equal(M.moveField(d, "/forms/0/fields/0/fields/3", "/forms/0/fields", 3), "/forms/0/fields/3");
  assert.deepEqual(names(form.fields), ["items", "code", "total", "price"]);
  // a table never goes into itself
  assert.equal(M.moveField(d, "/forms/0/fields/0", "/forms/0/fields/0/fields", 0), "/forms/0/fields/0");
  assert.equal(M.removeField(d, "/forms/0/fields/0/fields/0").name, "note");
  assert.equal(M.removeField(d, "/forms/0/fields/3").name, "price");
  assert.deepEqual(names(form.fields), ["items", "code", "total"]);
  assert.deepEqual(form.fields[1], { name: "code", type: "text", label: "Code", "x-note": 1 }, "unknown keys travel along");
});

test("setKey keeps unknown keys and the order of existing keys; new keys go last; undefined removes", () => {
  const field = doc().forms[0].fields[0];
  M.setKey(field, "type", "text");
  M.setKey(field, "label", "Nummer");
  M.setKey(field, "required", true);
  assert.deepEqual(Object.keys(field), ["name", "type", "label", "x-note", "required"]);
  M.setKey(field, "required", undefined);
  assert.deepEqual(field, { name: "code", type: "text", label: "Nummer", "x-note": 1 });
});

test("a rename follows the name in title field, list settings and charts; a column rename stays in its table", () => {
  const d = doc();
  M.renameField(d, "/forms/0", "/forms/0/fields/0", "number");
  M.renameField(d, "/forms/0", "/forms/0/fields/2", "sum_total");
  const form = d.forms[0];
  assert.equal(form.title_field, "number");
  assert.deepEqual(form.list, { columns: ["number", "sum_total"], order_by: "-sum_total", search: ["number"] });
  assert.deepEqual(form.charts[0], { title: "Sum", type: "bar", group_by: "number", value: "sum(sum_total)" });
  M.renameField(d, "/forms/0", "/forms/0/fields/1/fields/0", "number");
  assert.equal(form.title_field, "number");
  assert.equal(form.fields[1].fields[0].name, "number");
});

test("changeType drops what only the old type had and adds what the new one needs, keeping the rest", () => {
  const meta = designerMeta();
  const field = { name: "src", type: "select", label: "来源", options: ["a", "b"], default: "a", required: true, "x-k": 1 };
  M.changeType(field, "text", meta);
  assert.deepEqual(field, { name: "src", type: "text", label: "来源", required: true, "x-k": 1 });
  M.changeType(field, "multiselect", meta, { options: ["x"] });
  assert.deepEqual(field, { name: "src", type: "multiselect", label: "来源", required: true, "x-k": 1, options: ["x"] });
  const table = { name: "t", type: "table", label: "T", fields: [{ name: "a", type: "text" }], unique: true };
  M.changeType(table, "textarea", meta);
  assert.deepEqual(table, { name: "t", type: "textarea", label: "T", unique: true });
  M.changeType(table, "file", meta);
  assert.ok(!("unique" in table), "a file cannot be unique");
});

test("a new form has a title field and a name not yet taken", () => {
  const sources = { "a.json": doc(), "b.json": { forms: [{ name: "form_1", fields: [] }] } };
  assert.equal(M.newFormName(sources), "form_2");
  const form = M.newForm("form_2", "新表单", "标题");
  assert.equal(form.title_field, form.fields[0].name);
});

// -- the round trip ---------------------------------------------------------------------------------------
const serverText = (value) => JSON.stringify(value, null, 2) + "\n";

function noOpEdits(store, meta) {
  for (const { file, pointer, form } of store.forms()) {
    if (!form || typeof form !== "object" || !Array.isArray(form.fields)) { continue; }
    const fieldsAt = pointer + "/fields";
    store.change((s) => {
      const d = s[file];
      const f = get(d, pointer);
      for (const key of Object.keys(f)) { M.setKey(f, key, f[key]); }
      f.fields.forEach((field, i) => {
        if (!field || typeof field !== "object") { return; }
        for (const key of Object.keys(field)) { M.setKey(field, key, field[key]); }
        if (typeof field.name === "string" && M.NAME_RE.test(field.name)) {
          const old = field.name;
          M.renameField(d, pointer, `${fieldsAt}/${i}`, "zz_tmp");
          M.renameField(d, pointer, `${fieldsAt}/${i}`, old);
        }
      });
      if (f.fields.length > 1 && f.fields.every((x) => x && typeof x === "object")) {
        const last = f.fields.length - 1;
        M.moveField(d, `${fieldsAt}/0`, fieldsAt, last + 1);
        M.moveField(d, `${fieldsAt}/${last}`, fieldsAt, 0);
      }
      const at = M.addField(d, fieldsAt, 1, M.newField("select", meta, { name: M.newFieldName(f), label: "x", options: ["a"] }));
      M.removeField(d, at);
      f.fields.forEach((field, i) => {
        if (field && Array.isArray(field.fields) && field.fields.length > 1 && field.fields.every((c) => c && typeof c === "object")) {
          const cols = `${fieldsAt}/${i}/fields`;
          M.moveField(d, `${cols}/1`, cols, 0);
          M.moveField(d, `${cols}/0`, cols, 2);
          const added = M.addField(d, cols, 0, { name: "zz_col", type: "text" });
          M.removeField(d, added);
        }
      });
    }, "no-op");
  }
}

test("round trip: every config through no-op edits, undo and redo comes back unchanged", () => {
  const meta = designerMeta();
  const configs = allConfigs();
  assert.ok(configs.length >= 30, "configs found: " + configs.length);
  assert.ok(configs.filter((c) => c.shipped).length >= 2);
  for (const config of configs) {
    const original = JSON.parse(config.text);
    const store = new Store({ sources: { [config.path]: JSON.parse(config.text) }, meta });
    noOpEdits(store, meta);
    assert.equal(JSON.stringify(store.sources[config.path]), JSON.stringify(original), config.path);
    store.change((s) => { if (s[config.path] && typeof s[config.path] === "object") { s[config.path].zz_extra = 1; } }, "edit");
    store.undo();
    assert.equal(JSON.stringify(store.sources[config.path]), JSON.stringify(original), "undo: " + config.path);
    if (config.shipped) { assert.equal(serverText(store.sources[config.path]), config.text, "byte for byte: " + config.path); }
  }
});

test("a field added or renamed to a name another field was renamed from drops that stale renamed_from", () => {
  const d = doc();
  const form = d.forms[0];
  form.fields[2].renamed_from = "amount";  // published earlier: amount → total
  M.addField(d, "/forms/0/fields", undefined, { name: "amount", type: "decimal" });
  assert.equal("renamed_from" in form.fields[2], false);
  form.fields[0].renamed_from = "ref";  // published earlier: ref → code
  M.renameField(d, "/forms/0", "/forms/0/fields/3", "ref");
  assert.equal("renamed_from" in form.fields[0], false);
  assert.equal(form.fields[3].name, "ref");
  // in a table, only its columns
  form.fields[1].fields[0].renamed_from = "count";
  M.renameField(d, "/forms/0", "/forms/0/fields/1/fields/1", "count");
  assert.equal("renamed_from" in form.fields[1].fields[0], false);
});

test("trackRename: renamed_from says the live name; renamed back removes it; a leftover stays when not live", () => {
  const field = { name: "mobile" };
  M.trackRename(field, "phone", "mobile", ["phone", "code"]);
  assert.equal(field.renamed_from, "phone");
  field.name = "cell";
  M.trackRename(field, "mobile", "cell", ["phone", "code"]);
  assert.equal(field.renamed_from, "phone");
  M.trackRename(field, "cell", "phone", ["phone", "code"]);
  assert.equal("renamed_from" in field, false);
  // renamed in an earlier version (phone → mobile is live): a new rename says mobile, not phone
  const later = { name: "cell", renamed_from: "phone" };
  M.trackRename(later, "mobile", "cell", ["mobile", "code"]);
  assert.equal(later.renamed_from, "mobile");
  const fresh = { name: "x" };
  M.trackRename(fresh, "field_1", "x", null);
  assert.equal("renamed_from" in fresh, false);
});
