// node --test: the board's drag logic (engine/ui/static/js/board.js) and the ask dialog's helpers
// (engine/ui/static/js/ask.js).
import test from "node:test";
import assert from "node:assert/strict";

import { columnAt, columnCount, isDrag, movedCounts, planDrop } from "../../../engine/ui/static/js/board.js";
import { answerKind, opensDialog, withParams } from "../../../engine/ui/static/js/ask.js";

const columns = [
  { stage: "draft", left: 0, right: 100, top: 0, bottom: 500 },
  { stage: "packed", left: 116, right: 216, top: 0, bottom: 500 },
];

test("a press becomes a drag only past the threshold", () => {
  assert.equal(isDrag({ x: 10, y: 10 }, 14, 12), false);
  assert.equal(isDrag({ x: 10, y: 10 }, 17, 10), true);
  assert.equal(isDrag({ x: 10, y: 10 }, 10, 3), true);
});

test("the column under the pointer, none in the gap or outside", () => {
  assert.equal(columnAt(columns, 50, 20), "draft");
  assert.equal(columnAt(columns, 216, 499), "packed");
  assert.equal(columnAt(columns, 108, 20), null);
  assert.equal(columnAt(columns, 50, 501), null);
});

test("a drop on its own column or outside does nothing", () => {
  assert.deepEqual(planDrop("draft", "draft", { choices: [] }), { kind: "none" });
  assert.deepEqual(planDrop("draft", null, null), { kind: "none" });
});

test("a drop with no transition is refused with the server's reason", () => {
  assert.deepEqual(planDrop("draft", "shipped", { choices: [], refused: "No action moves a record" }),
    { kind: "refused", reason: "No action moves a record" });
  assert.deepEqual(planDrop("draft", "shipped", undefined), { kind: "refused", reason: "" });
});

test("one transition fires or asks; several are offered to choose", () => {
  const ship = { name: "ship", title: "Ship", ask: true, url: "/f/p/1/do/ship" };
  const pack = { name: "pack", title: "Pack", ask: false, url: "/f/p/1/do/pack" };
  assert.deepEqual(planDrop("packed", "check", { choices: [ship] }), { kind: "ask", choice: ship });
  assert.deepEqual(planDrop("draft", "packed", { choices: [pack] }), { kind: "fire", choice: pack });
  assert.deepEqual(planDrop("draft", "packed", { choices: [pack, ship] }), { kind: "choose", choices: [pack, ship] });
});

test("counts move with the card and never go below zero", () => {
  assert.deepEqual(movedCounts({ draft: 2, packed: 0 }, "draft", "packed"), { draft: 1, packed: 1 });
  assert.deepEqual(movedCounts({}, "draft", "packed"), { draft: 0, packed: 1 });
  const before = { draft: 1 };
  movedCounts(before, "draft", "packed");
  assert.deepEqual(before, { draft: 1 }, "the input is not changed");
});

test("a column counts its stage's records when the page says how many, else its cards", () => {
  assert.equal(columnCount("1234", 25), 1234);
  assert.equal(columnCount(null, 3), 3);
  assert.equal(columnCount(undefined, 0), 0);
  assert.equal(columnCount("", 25), null, "a bounded total (10,000+) is left as it is");
});

test("ask answers: nothing to ask, done, refused, the form again", () => {
  assert.equal(answerKind(204, null), "nothing");
  assert.equal(answerKind(200, "application/json"), "done");
  assert.equal(answerKind(409, "application/json; charset=utf-8"), "refused");
  assert.equal(answerKind(422, "text/html; charset=utf-8"), "form");
  assert.equal(answerKind(200, "text/html"), "form");
});

test("query parameters are added after any there are", () => {
  assert.equal(withParams("/tasks/3/do/approve", { partial: "1" }), "/tasks/3/do/approve?partial=1");
  assert.equal(withParams("/tasks/3/do/approve?next=%2Ftasks", { partial: "1", probe: "1" }),
    "/tasks/3/do/approve?next=%2Ftasks&partial=1&probe=1");
  assert.equal(withParams("/x", {}), "/x");
});

test("a reject with its comment typed goes straight on; other ask buttons open the dialog", () => {
  assert.equal(opensDialog({ ask: "/tasks/1/do/reject", askUnlessComment: "" }, "too dear"), false);
  assert.equal(opensDialog({ ask: "/tasks/1/do/reject", askUnlessComment: "" }, "  "), true);
  assert.equal(opensDialog({ ask: "/f/p/1/do/ship" }, "some comment"), true);
  assert.equal(opensDialog({}, ""), false);
});
