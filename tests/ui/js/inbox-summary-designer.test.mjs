// node --test tests/ui/js: the form designer keeps a form's `summary` (issue #14) when a field is renamed
// (engine/ui/static/js/designer/form-model.js).
import test from "node:test";
import assert from "node:assert/strict";

import { renameField } from "../../../engine/ui/static/js/designer/form-model.js";

test("renaming a field renames it in the summary too", () => {
  const doc = { module: "m", forms: [{ name: "deal", title_field: "subject", summary: ["client", "amount", "created_by"],
    fields: [{ name: "subject", type: "text" }, { name: "client", type: "text" }, { name: "amount", type: "decimal" }] }] };
  renameField(doc, "/forms/0", "/forms/0/fields/2", "total");
  assert.deepEqual(doc.forms[0].summary, ["client", "total", "created_by"]);
  renameField(doc, "/forms/0", "/forms/0/fields/0", "title");
  assert.deepEqual(doc.forms[0].summary, ["client", "total", "created_by"]);
  assert.equal(doc.forms[0].title_field, "title");
});
