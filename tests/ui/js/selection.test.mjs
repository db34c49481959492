// node --test tests/ui/js: row selection shared by bulk edit and the inbox (engine/ui/static/js/selection.js).
import test from "node:test";
import assert from "node:assert/strict";

import { selection, toggleAll, wireSelection } from "../../../engine/ui/static/js/selection.js";

function box(checked = false) {
  const listeners = [];
  return {
    checked, indeterminate: false,
    addEventListener(type, fn) { if (type === "change") listeners.push(fn); },
    click() { this.checked = !this.checked; listeners.forEach((fn) => fn()); },
  };
}

test("counts ticked boxes and reads all / some / none", () => {
  assert.deepEqual(selection([box(true), box()]), { checked: 1, all: false, some: true });
  assert.deepEqual(selection([box(true), box(true)]), { checked: 2, all: true, some: false });
  assert.deepEqual(selection([]), { checked: 0, all: false, some: false });
});

test("select all ticks and unticks every box", () => {
  const rows = [box(), box(true), box()];
  assert.deepEqual(toggleAll(rows, true), { checked: 3, all: true, some: false });
  assert.deepEqual(toggleAll(rows, false).checked, 0);
});

test("wired boxes report every change and keep the select-all box in step", () => {
  const all = box();
  const rows = [box(), box()];
  const seen = [];
  wireSelection(all, () => rows, (state) => seen.push(state.checked));
  assert.deepEqual(seen, [0]);
  rows[0].click();
  assert.equal(all.indeterminate, true);
  assert.equal(all.checked, false);
  all.click();
  assert.deepEqual(rows.map((r) => r.checked), [true, true]);
  assert.equal(all.indeterminate, false);
  assert.deepEqual(seen, [0, 1, 2]);
  all.click();
  assert.deepEqual(seen, [0, 1, 2, 0]);
});
