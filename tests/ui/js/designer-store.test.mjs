// node --test: engine/ui/static/js/designer/store.js — edits, undo/redo, the debounced draft save
// (with a fake API and fake timers), problems at pointers, selection.
import test from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../../engine/ui/static/js/designer/store.js";
import { Api, ApiError } from "../../../engine/ui/static/js/designer/api.js";

function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { seq += 1; pending.set(seq, { fn, at: now + ms }); return seq; },
    clearTimeout(id) { pending.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, job] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (job.at <= now) { pending.delete(id); job.fn(); }
      }
    },
    get size() { return pending.size; },
  };
}

function fakeApi(answers = []) {
  const calls = [];
  return {
    calls,
    async saveDraft(base, sources, seen) {
      calls.push({ base, sources: JSON.parse(JSON.stringify(sources)), seen });
      const next = answers.shift();
      if (next instanceof Error) { throw next; }
      return next || { problems: [], updated_at: "2026-12-04T10:00:00Z" };
    },
    async check(sources) { calls.push({ check: sources }); return { problems: [{ file: "a.json", pointer: "", message: "m" }] }; },
  };
}

const docs = () => ({
  "a.json": { module: "a", forms: [{ name: "one", title: "One", fields: [{ name: "x", type: "text" }] }] },
  "b.json": { module: "b", forms: [{ name: "two", fields: [] }, { name: "three", fields: [] }] },
});
const flush = () => new Promise((resolve) => setImmediate(resolve));

test("forms() lists every form of every file with its pointer; findForm by name", () => {
  const store = new Store({ sources: docs() });
  assert.deepEqual(store.forms().map((f) => [f.file, f.index, f.pointer, f.form.name]),
    [["a.json", 0, "/forms/0", "one"], ["b.json", 0, "/forms/0", "two"], ["b.json", 1, "/forms/1", "three"]]);
  assert.equal(store.findForm("three").pointer, "/forms/1");
  assert.deepEqual(store.files(), ["a.json", "b.json"]);
});

test("change mutates in place, emits change, and undo/redo restore whole states", () => {
  const store = new Store({ sources: docs() });
  const seen = [];
  store.on("change", (d) => seen.push(d));
  store.change((s) => { s["a.json"].forms[0].title = "Eins"; }, "title");
  store.change((s) => { s["a.json"].forms[0].fields.push({ name: "y", type: "text" }); }, "add y");
  assert.equal(store.undoLabel(), "add y");
  assert.ok(store.undo());
  assert.equal(store.sources["a.json"].forms[0].fields.length, 1);
  assert.equal(store.redoLabel(), "add y");
  assert.ok(store.undo());
  assert.equal(store.sources["a.json"].forms[0].title, "One");
  assert.ok(!store.undo());
  assert.ok(store.redo());
  assert.equal(store.sources["a.json"].forms[0].title, "Eins");
  store.change((s) => { s["b.json"].module = "bb"; }, "rename");
  assert.ok(!store.canRedo(), "a new edit drops the redo stack");
  assert.deepEqual(seen.map((d) => [d.label, Boolean(d.undo), Boolean(d.redo)]),
    [["title", false, false], ["add y", false, false], ["add y", true, false], ["title", true, false],
      ["title", false, true], ["rename", false, false]]);
});

test("an edit that changes nothing is not recorded and not saved", () => {
  const timers = fakeTimers();
  const api = fakeApi();
  const store = new Store({ sources: docs(), api, timers });
  let changes = 0;
  store.on("change", () => { changes += 1; });
  store.change((s) => { s["a.json"].forms[0].title = "One"; }, "same");
  assert.equal(changes, 0);
  assert.ok(!store.canUndo());
  assert.equal(timers.size, 0);
});

test("edits are saved once, 800 ms after the last one, with the base signature; problems arrive", async () => {
  const timers = fakeTimers();
  const problems = [{ file: "a.json", pointer: "/forms/0/fields/0/name", message: "bad" }];
  const api = fakeApi([{ problems, updated_at: "t1" }]);
  const store = new Store({ sources: docs(), api, timers, baseSignature: "sig1" });
  const events = [];
  for (const e of ["saving", "saved", "problems", "status"]) { store.on(e, (d) => events.push([e, e === "status" ? d : null])); }
  store.change((s) => { s["a.json"].forms[0].title = "A"; }, "1");
  timers.advance(500);
  store.change((s) => { s["a.json"].forms[0].title = "B"; }, "2");
  timers.advance(700);
  assert.equal(api.calls.length, 0, "debounced");
  assert.equal(store.status, "pending");
  timers.advance(100);
  await flush();
  assert.equal(api.calls.length, 1);
  assert.equal(api.calls[0].base, "sig1");
  assert.equal(api.calls[0].sources["a.json"].forms[0].title, "B");
  assert.deepEqual(store.problems, problems.map((p) => ({ ...p, where: "a › B › x" })));  // where: problem-words.js
  assert.equal(store.status, "saved");
  assert.equal(store.updatedAt, "t1");
  assert.deepEqual(events.map((e) => e[1] || e[0]), ["pending", "pending", "saving", "saving", "problems", "saved", "saved"]);
});

test("a change during a save is saved by the next save; an error keeps the edit for the next try", async () => {
  const timers = fakeTimers();
  const api = fakeApi([{ problems: [] }, new ApiError(500, null, "boom", null), { problems: [] }]);
  const store = new Store({ sources: docs(), api, timers });
  const errors = [];
  store.on("error", (e) => errors.push(e));
  store.change((s) => { s["a.json"].forms[0].title = "A"; }, "1");
  const first = store.save();
  store.change((s) => { s["a.json"].forms[0].title = "B"; }, "2");
  await first;
  const second = store.save();
  await second;
  assert.equal(api.calls.length, 2);
  assert.equal(api.calls[1].sources["a.json"].forms[0].title, "B");
  assert.equal(store.status, "error");
  assert.equal(errors[0].error.message, "boom");
  await store.save();
  assert.equal(api.calls.length, 3);
  assert.equal(store.status, "saved");
});

test("a server without the draft API (404) puts the store offline", async () => {
  const api = fakeApi([new ApiError(404, null, "not found", null)]);
  const store = new Store({ sources: docs(), api, timers: fakeTimers() });
  store.change((s) => { s["a.json"].forms[0].title = "A"; }, "1");
  await store.save();
  assert.equal(store.status, "offline");
});

test("problemsAt matches whole pointer segments, per file; check() does not save", async () => {
  const api = fakeApi();
  const store = new Store({ sources: docs(), api, timers: fakeTimers() });
  store.setProblems([
    { file: "a.json", pointer: "/forms/0/fields/1/options", message: "1" },
    { file: "a.json", pointer: "/forms/0/fields/10", message: "2" },
    { file: "a.json", pointer: "", message: "3" },
    { file: "b.json", pointer: "/forms/0/fields/1", message: "4" },
  ]);
  assert.deepEqual(store.problemsAt("a.json", "/forms/0/fields/1").map((p) => p.message), ["1"]);
  assert.deepEqual(store.problemsAt("a.json", "/forms/0").map((p) => p.message), ["1", "2"]);
  assert.deepEqual(store.problemsAt("a.json", "").map((p) => p.message), ["1", "2", "3"]);
  assert.deepEqual(store.problemsAt("b.json").map((p) => p.message), ["4"]);
  assert.equal((await store.check()).length, 1);
  assert.ok(api.calls[0].check);
});

test("select names the tab that owns a pointer", () => {
  const store = new Store({ sources: docs() });
  const seen = [];
  store.on("select", (s) => seen.push(s.tab));
  store.select("a.json", "/forms/0/fields/2/options");
  store.select("a.json", "/forms/0/workflow/stages/1");
  store.select({ file: "a.json", pointer: "/forms/0/permissions/sales" });
  store.select("a.json", "/roles/0");
  store.select("a.json", "/forms/0/reminders/0");
  store.select("a.json", "/forms/0/list/columns");
  store.select("a.json", "/forms/0/indexes/0/1");
  store.select("a.json", "/module");
  assert.deepEqual(seen, ["form", "flow", "perms", "perms", "reminders", "form", "json", "json"]);
  assert.deepEqual(store.selected, { file: "a.json", pointer: "/module", tab: "json" });
});

test("reset starts a new base without history; text fills {name} and %(name)s", () => {
  const store = new Store({ sources: docs(), texts: { a: "{n} of {m}", b: "%(n)s!" } });
  store.change((s) => { s["a.json"].module = "z"; }, "x");
  store.reset({ sources: docs(), baseSignature: "s2", problems: [{ file: "a.json", pointer: "", message: "p" }] });
  assert.ok(!store.canUndo());
  assert.equal(store.baseSignature, "s2");
  assert.equal(store.problems.length, 1);
  assert.equal(store.text("a", { n: 1, m: 2 }), "1 of 2");
  assert.equal(store.text("b", { n: 3 }), "3!");
  assert.equal(store.text("missing"), "missing");
});

test("Api sends JSON with the CSRF header and turns error answers into ApiError", async () => {
  const seen = [];
  const fetchImpl = async (url, init) => {
    seen.push([url, init]);
    if (url.endsWith("/publish")) {
      return { ok: false, status: 409, statusText: "Conflict",
        text: async () => JSON.stringify({ error: { code: "stale_draft", message: "moved" }, live: { signature: "s" } }) };
    }
    return { ok: true, status: 200, text: async () => JSON.stringify({ problems: [] }) };
  };
  const api = new Api({ fetchImpl, csrf: "tok" });
  await api.saveDraft("sig", { "a.json": {} });
  assert.equal(seen[0][0], "/api/admin/designer/draft");
  assert.equal(seen[0][1].method, "PUT");
  assert.equal(seen[0][1].headers["X-CSRFToken"], "tok");
  assert.deepEqual(JSON.parse(seen[0][1].body), { base_signature: "sig", sources: { "a.json": {} } });
  await api.versions({ before: 5, limit: 10 });
  assert.equal(seen[1][0], "/api/admin/designer/versions?before=5&limit=10");
  assert.equal(seen[1][1].headers["X-CSRFToken"], undefined, "no token on GET");
  await assert.rejects(api.publish("sig", "n"), (e) => e instanceof ApiError && e.status === 409
    && e.code === "stale_draft" && e.body.live.signature === "s");
});

test("a save names the draft the page holds, and a draft changed in another window stops saving", async () => {
  const changed = Object.assign(new Error("changed in another window"), { status: 409, code: "draft_changed" });
  const api = fakeApi([{ problems: [], updated_at: "2026-12-04T10:00:01Z" }, changed]);
  const store = new Store({ sources: docs(), api, baseSignature: "sig" });
  store.draftUpdatedAt = null;  // the page opened with no draft
  store.change((s) => { s["a.json"].module = "a1"; }, "edit");
  await store.save();
  assert.equal(api.calls[0].seen, null);
  assert.equal(store.draftUpdatedAt, "2026-12-04T10:00:01Z");
  store.change((s) => { s["a.json"].module = "a2"; }, "edit");
  await store.save();
  assert.equal(api.calls[1].seen, "2026-12-04T10:00:01Z");
  assert.equal(store.status, "conflict");
  assert.equal(store.hasUnsavedEdits(), true);
  // unknown (no state from the server): nothing is sent to check against
  const plain = fakeApi();
  const other = new Store({ sources: docs(), api: plain, baseSignature: "sig" });
  other.change((s) => { s["a.json"].module = "b"; }, "edit");
  await other.save();
  assert.equal(plain.calls[0].seen, undefined);
  assert.equal(other.draftUpdatedAt, undefined);
});
