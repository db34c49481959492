// Schema completion of the JSON tab (json-schema-complete.js) in the shipped configs and typed fragments.
import test from "node:test";
import assert from "node:assert/strict";
import { pathAt, complete, keyOptions, valueOptions, schemasAt } from "../../../engine/ui/static/js/designer/json-schema-complete.js";
import { moduleSchema, config, cursor, offsetOf } from "./designer-fixtures.mjs";

const schema = moduleSchema();
const labels = (result) => (result ? result.options.map((o) => o.label) : []);

test("path at the cursor inside a real config: a field's key", () => {
  const text = config("crm.json");
  // the cursor inside the key "label" of the customer's second field (grade)
  const offset = offsetOf(text, '"label": "客户等级"', 3);
  const at = pathAt(text, offset);
  assert.equal(at.kind, "key");
  assert.deepEqual(at.path, ["forms", 0, "fields", 1]);
  assert.equal(at.prefix, "la");
  assert.equal(at.quoted, true);
  assert.equal(at.colonAfter, true);
  assert.ok(at.keys.has("options") && at.keys.has("type") && !at.keys.has("label"), [...at.keys].join());
  assert.equal(at.objects[4].type, "select", "the field's type is known, also from after the cursor");
});

test("a select field is offered its own keys, not those of other types, and not the keys it has", () => {
  const { text, offset } = cursor('{"forms": [{"name": "c", "title": "C", "fields": [\n' +
    '  {"name": "grade", "type": "select", "label": "等级", "options": ["A"], "|"}\n]}]}');
  const result = complete(schema, text, offset);
  const got = labels(result);
  for (const key of ["required", "unique", "help", "default", "visible_if", "colors"].filter((k) => k !== "colors")) {
    assert.ok(got.includes(key), key + " offered: " + got.join());
  }
  for (const key of ["name", "type", "label", "options"]) { assert.ok(!got.includes(key), key + " is already there"); }
  for (const key of ["scale", "max_length", "precision", "formula", "form"]) {
    assert.ok(!got.includes(key), key + " belongs to other types: " + got.join());
  }
  // the key is completed inside the quotes that are there, and the colon added
  assert.equal(result.from, offset);
  const option = result.options.find((o) => o.label === "required");
  assert.equal(option.apply, 'required": ');
});

test("a rating field gets `scale`, an integer field `min` and `max`", () => {
  const rating = cursor('{"forms": [{"fields": [{"type": "rating", "name": "stars", "sc|"}]}]}');
  assert.ok(labels(complete(schema, rating.text, rating.offset)).includes("scale"));
  const integer = cursor('{"forms": [{"fields": [{"name": "n", "type": "integer", |}]}]}');
  const got = labels(complete(schema, integer.text, integer.offset, { explicit: true }));
  assert.ok(got.includes("min") && got.includes("max"), got.join());
  assert.ok(!got.includes("options"));
});

test("without a type yet, a field is offered `type` first among the required keys", () => {
  const { text, offset } = cursor('{"forms": [{"fields": [{"name": "x", "|"}]}]}');
  const got = labels(complete(schema, text, offset));
  assert.equal(got[0], "type");
});

test("the value of `type` offers every registered field type", () => {
  const text = config("crm.json");
  const offset = offsetOf(text, '"type": "select"', 9);  // inside the quotes of "select"
  const result = complete(schema, text, offset);
  const got = labels(result);
  for (const type of ["text", "select", "integer", "decimal", "date", "user", "link", "table", "formula"]) {
    assert.ok(got.includes(type), type);
  }
  assert.deepEqual(got, schema.$defs.field_type.enum);
  assert.equal(result.from, offset - 0 - 0 - ("".length));  // after the opening quote
  assert.equal(result.options.find((o) => o.label === "date").apply, 'date"');
  assert.equal(result.to, offset + 'select"'.length, "replaces the rest of the string and its quote");
});

test("a column of a table field is offered the table column types (no table in a table)", () => {
  const { text, offset } = cursor('{"forms": [{"fields": [{"name": "items", "type": "table", "fields": [' +
    '{"name": "qty", "type": "|"}]}]}]}');
  const at = pathAt(text, offset);
  assert.deepEqual(at.path, ["forms", 0, "fields", 0, "fields", 0, "type"]);
  const got = labels(complete(schema, text, offset));
  assert.ok(got.includes("integer"));
  assert.ok(!got.includes("table"), got.join());
});

test("permissions: a role's keys, and the values of read (false, own, all)", () => {
  const text = config("crm.json");
  const start = offsetOf(text, '"permissions": {');
  const inRole = text.indexOf("{", text.indexOf('"sales"', start)) + 1;  // just inside the first role's object
  const keys = complete(schema, text, inRole, { explicit: true });
  const at = pathAt(text, inRole);
  assert.deepEqual(at.path, ["forms", 0, "permissions", "sales"]);
  assert.deepEqual(labels(keys).sort(), ["create", "delete", "hide", "read", "readonly", "update"]
    .filter((k) => !at.keys.has(k)).sort());
  assert.equal(keys.options[0].apply[0], '"', "outside quotes the key gets its quotes");

  const value = cursor('{"forms": [{"permissions": {"sales": {"read": |}}}]}');
  const values = complete(schema, value.text, value.offset, { explicit: true });
  assert.deepEqual(labels(values), ["false", "own", "all"]);
  assert.deepEqual(values.options.map((o) => o.apply), ["false", '"own"', '"all"']);
});

test("workflow: stage keys; a transition's `from` offers `*`; boolean keys offer true/false", () => {
  const text = config("crm.json");
  const stages = offsetOf(text, '"stages": [');
  const stage = text.indexOf("{", stages) + 1;
  const at = pathAt(text, stage);
  assert.equal(at.kind, "key");
  assert.equal(at.path.slice(-3).join("/"), "workflow/stages/0");
  const got = labels(complete(schema, text, stage, { explicit: true }));
  assert.ok(got.includes("due") || got.includes("editable") || got.includes("final"), got.join());

  const from = cursor('{"forms": [{"workflow": {"transitions": [{"name": "t", "from": "|"}]}}]}');
  assert.ok(labels(complete(schema, from.text, from.offset)).includes("*"));

  const bool = cursor('{"forms": [{"fields": [{"name": "a", "type": "text", "required": t|}]}]}');
  const result = complete(schema, bool.text, bool.offset);
  assert.deepEqual(labels(result), ["true", "false"]);
  assert.equal(result.from, bool.offset - 1);
});

test("a new key after a member without a comma gets the comma where it belongs", () => {
  const { text, offset } = cursor('{\n  "module": "m"\n  "ti|\n}');
  const result = complete(schema, text, offset);
  assert.ok(labels(result).includes("title"));
  assert.equal(result.commaAt, text.indexOf('"m"') + 3);
  assert.ok(!labels(result).includes("module"));
});

test("no completion where nothing is expected, and none while not asked outside a word", () => {
  assert.equal(complete(schema, '{"module": "m"}', 0), null);
  assert.equal(complete(schema, '{"module": "m", }', 16), null, "not explicit, nothing typed");
  assert.ok(complete(schema, '{"module": "m", }', 16, { explicit: true }));
  // a free-text value has nothing to offer
  const { text, offset } = cursor('{"title": "客|"}');
  assert.equal(complete(schema, text, offset), null);
});

test("schemasAt follows $ref, items and the field-type rules; keyOptions and valueOptions agree", () => {
  const objects = [{}, {}, {}, {}, { type: "select" }];
  const schemas = schemasAt(schema, ["forms", 0, "fields", 0], objects);
  assert.ok(schemas.some((s) => s.description === "One field of a form."));
  assert.ok(keyOptions(schema, ["forms", 0, "fields", 0], objects).some((o) => o.label === "options" && o.required));
  assert.deepEqual(valueOptions(schema, ["forms", 0, "workflow", "stages", 0, "final"]).map((o) => o.value), [true, false]);
});

test("names the definitions use: the form's fields, stages, transitions, roles and forms", () => {
  const text = config("crm.json");
  const doc = JSON.parse(text);
  const context = { doc, docs: [doc, JSON.parse(config("order_followup.json"))] };
  const customer = doc.forms[0];
  const fieldsOf = (form) => form.fields.map((f) => f.name);

  // a list column of the customer form: its fields and the system attributes
  const columns = offsetOf(text, '"columns": [') + '"columns": ['.length;
  const at = pathAt(text, columns);
  assert.deepEqual(at.path.slice(0, 4), ["forms", 0, "list", "columns"]);
  const offered = labels(complete(schema, text, columns, { explicit: true, context }));
  for (const name of [...fieldsOf(customer), "created_at", "stage"]) { assert.ok(offered.includes(name), name); }

  // title_field inside its quotes
  const title = offsetOf(text, '"title_field": "name"', '"title_field": "'.length);
  assert.ok(labels(complete(schema, text, title, { context })).includes("owner"));

  // a transition's `to` offers the stages of that form's workflow, `roles` the roles of every module
  const formIndex = doc.forms.findIndex((f) => f.workflow && (f.workflow.transitions || []).length);
  const form = doc.forms[formIndex];
  // (the fragment has as many forms before it as the document, so the names come from the same form)
  const fragment = doc.forms.slice(0, formIndex).map(() => "{}").concat('{"workflow": {"transitions": [{"name": "t", "to": "|"}]}}');
  const to = cursor('{"forms": [' + fragment.join(", ") + "]}");
  const stageNames = labels(complete(schema, to.text, to.offset, { context }));
  assert.deepEqual(stageNames.slice().sort(), form.workflow.stages.map((st) => st.name).sort());
  const roles = cursor('{"forms": [{"workflow": {"transitions": [{"roles": ["|"]}]}}]}');
  const roleNames = labels(complete(schema, roles.text, roles.offset, { context }));
  assert.deepEqual(roleNames, ["$owner", ...doc.roles.map((r) => r.name)], "the schema's $owner, then the roles");

  // a role not yet in a form's permissions is offered as a key; one that is there is not
  const perms = cursor('{"forms": [{"permissions": {"sales": {}, "|"}}]}');
  const permKeys = labels(complete(schema, perms.text, perms.offset, { context }));
  assert.ok(permKeys.includes("finance") && !permKeys.includes("sales"), permKeys.join());

  // a link field's target form: every form of the set
  const link = cursor('{"forms": [{"fields": [{"name": "c", "type": "link", "form": "|"}]}]}');
  const forms = labels(complete(schema, link.text, link.offset, { context }));
  assert.ok(forms.includes("customer") && forms.includes(context.docs[1].forms[0].name), forms.join());
});
