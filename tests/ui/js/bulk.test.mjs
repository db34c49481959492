// node --test tests/ui/js: the list page's bulk edit link (engine/ui/static/js/bulk.js).
import test from "node:test";
import assert from "node:assert/strict";

import { MAX_BULK, bulkHref } from "../../../engine/ui/static/js/bulk.js";

test("the ticked rows go to the bulk edit page", () => {
  assert.equal(bulkHref("/f/job/bulk", ["3", "5"]), "/f/job/bulk?ids=3,5");
});

test("nothing ticked, too many or odd values open nothing", () => {
  assert.equal(bulkHref("/f/job/bulk", []), null);
  assert.equal(bulkHref("/f/job/bulk", Array.from({ length: MAX_BULK + 1 }, (_, i) => String(i + 1))), null);
  assert.equal(bulkHref("/f/job/bulk", ["x&y"]), null);
});
