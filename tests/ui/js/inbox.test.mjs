// node --test tests/ui/js: the inbox's batch checks (engine/ui/static/js/inbox.js; the selection is
// selection.js's, tested in selection.test.mjs).
import test from "node:test";
import assert from "node:assert/strict";

import { batchProblem } from "../../../engine/ui/static/js/inbox.js";

test("a batch needs a selection, and a reject needs a comment", () => {
  assert.equal(batchProblem("approve", 0, ""), "none");
  assert.equal(batchProblem("approve", 2, ""), null);
  assert.equal(batchProblem("reject", 2, "  "), "comment");
  assert.equal(batchProblem("reject", 2, "price too low"), null);
  assert.equal(batchProblem("reject", 0, "x"), "none");
});
