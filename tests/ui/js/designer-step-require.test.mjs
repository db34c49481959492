// node --test: the flow designer sets an approval step's `require` (fields the approver fills to
// approve, issue #14) in the key order of the schema and removes it when emptied.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as M from "../../../engine/ui/static/js/designer/flow-model.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function orderForm() {
  const doc = JSON.parse(fs.readFileSync(path.join(ROOT, "configs/order_followup.json"), "utf8"));
  return doc.forms.find((f) => f.name === "sales_order");
}

test("a step's required fields come last among its keys and go when emptied", () => {
  const form = orderForm();
  const index = M.stagesOf(form).findIndex((s) => s.approval);
  M.setStepKey(form, index, 0, "require", ["payment_terms"]);
  M.setStepKey(form, index, 0, "allow_self_approval", true);
  const step = M.stagesOf(form)[index].approval.steps[0];
  assert.deepEqual(step.require, ["payment_terms"]);
  const keys = Object.keys(step);
  assert.ok(keys.indexOf("allow_self_approval") < keys.indexOf("require"), keys.join(","));
  M.setStepKey(form, index, 0, "require", []);
  assert.equal("require" in M.stagesOf(form)[index].approval.steps[0], false);
});
