// The Publish & versions tab's logic (publish-model.js): the unified diff renderer, what blocks
// publishing, and the publish / 409 stale draft / rebase / restore paths against a fake designer API
// with the real Store.
process.env.TZ = "Asia/Shanghai";  // formatWhen is checked in a named zone
import test from "node:test";
import assert from "node:assert/strict";
import {
  blockers, diffHtml, diffLines, diffStats, discardDraft, formatWhen, publishDraft, rebaseDraft, reloadLive,
  restoreVersion,
} from "../../../engine/ui/static/js/designer/publish-model.js";
import { Store } from "../../../engine/ui/static/js/designer/store.js";
import { ApiError } from "../../../engine/ui/static/js/designer/api.js";

const UNIFIED = [
  "--- a/crm.json",
  "+++ b/crm.json",
  "@@ -10,4 +10,6 @@",
  '         "name": "phone",',
  '-        "type": "text"',
  '+        "type": "phone",',
  '+        "label": "电话 <主>"',
  "       },",
  "@@ -40,2 +42,1 @@",
  '-      "note": "a & b"',
  "     }",
  "\\ No newline at end of file",
  "",
].join("\n");

test("diffLines numbers the old and new lines of each hunk", () => {
  const lines = diffLines(UNIFIED);
  assert.deepEqual(lines.map((l) => l.kind),
    ["file", "file", "hunk", "context", "del", "add", "add", "context", "hunk", "del", "context", "note"]);
  const [ctx, del, add1, add2, ctx2] = lines.slice(3, 8);
  assert.deepEqual([ctx.old, ctx.new], [10, 10]);
  assert.equal(del.old, 11);
  assert.deepEqual([add1.new, add2.new], [11, 12]);
  assert.deepEqual([ctx2.old, ctx2.new], [12, 13]);
  assert.equal(lines[9].old, 40);
  assert.equal(add2.text, '        "label": "电话 <主>"');
  assert.deepEqual(diffStats(UNIFIED), { added: 2, removed: 2 });
});

test("diffHtml colours added and removed lines, escapes every text, and says so when nothing changed", () => {
  const html = diffHtml({ "crm.json": UNIFIED, "empty.json": "" }, (k, p) => (p ? k + ":" + p.file : k));
  assert.equal((html.match(/class="dz-diff-add"/g) || []).length, 2);
  assert.equal((html.match(/class="dz-diff-del"/g) || []).length, 2);
  assert.equal((html.match(/class="dz-diff-context"/g) || []).length, 3);
  assert.equal((html.match(/class="dz-diff-hunk"/g) || []).length, 2);
  assert.ok(html.includes("电话 &lt;主&gt;") && html.includes("a &amp; b"), "escaped");
  assert.ok(!html.includes("<主>"));
  assert.ok(html.includes('data-file="crm.json"') && !html.includes("empty.json"), "only files with changes");
  assert.ok(html.includes("+2") && html.includes("−2"), "counts in the file's head");
  assert.ok(html.includes('aria-label="publish.diff_of:crm.json"'));
  assert.match(diffHtml({}, (k) => k), /publish\.diff_none/);
  const hostile = diffHtml({ '"><script>x</script>': "+<img src=x onerror=alert(1)>\n" }, (k) => k);
  assert.ok(!hostile.includes("<script>") && !hostile.includes("<img"), hostile);
});

test("blockers: problems, refusals and a stale base block publishing; an empty draft has nothing to publish", () => {
  const ok = { problems: [], summary: ["表单 客户：新增字段 微信号（文本）"], diff: { "crm.json": UNIFIED },
               plan: { changes: ["adds column"], refusals: [] }, stale: false };
  assert.deepEqual(blockers(ok), { problems: 0, refusals: 0, stale: false, nothing: false, ok: true });
  assert.equal(blockers({ ...ok, problems: [{ file: "crm.json", pointer: "/forms/0", message: "m" }] }).ok, false);
  const refused = blockers({ ...ok, plan: { changes: [], refusals: ["a", "b"] } });
  assert.deepEqual([refused.ok, refused.refusals], [false, 2]);
  assert.equal(blockers({ ...ok, stale: true }).ok, false);
  const nothing = blockers({ problems: [], summary: [], diff: { "crm.json": "" }, plan: { changes: [], refusals: [] } });
  assert.deepEqual([nothing.ok, nothing.nothing], [false, true]);
});

// -- a fake designer API with the real store --------------------------------------------------

function fakeApi(overrides = {}) {
  const calls = [];
  const api = {
    calls,
    drafts: 0,
    async saveDraft(base, sources) { calls.push(["saveDraft", base, JSON.stringify(sources)]); api.drafts += 1; return { problems: [], updated_at: "2026-12-04T10:00:00Z" }; },
    async publish(base, note) { calls.push(["publish", base, note]); return { publication: 7, version: 5, signature: "s7" }; },
    async restore(pub, body) { calls.push(["restore", pub, body]); return { publication: 8, version: 3, signature: "s3" }; },
    async state() { calls.push(["state"]); return { live: { publication: 7, signature: "s7" }, draft: null, files: { "crm.json": { module: "crm", title: "new" } } }; },
    async rebase() { calls.push(["rebase"]); return { live: { publication: 9, signature: "s9" }, files: {}, conflicts: [{ file: "crm.json", pointer: "/title", message: "both" }], draft: { base_signature: "s9", sources: { "crm.json": { module: "crm", title: "mine" } }, problems: [] } }; },
    async discardDraft() { calls.push(["discardDraft"]); return { discarded: true }; },
    ...overrides,
  };
  return api;
}

function storeWith(api) {
  const timers = { setTimeout: () => 0, clearTimeout: () => null };  // saves only when asked
  const store = new Store({ sources: { "crm.json": { module: "crm", title: "old" } }, api, baseSignature: "s6",
    timers, texts: { "publish.not_saved": "not saved" } });
  store.hasDraft = true;
  return store;
}

test("publish saves the newest edits first, then publishes them on the draft's base with the note", async () => {
  const api = fakeApi();
  const store = storeWith(api);
  store.change((s) => { s["crm.json"].title = "edited"; }, "title");
  const outcome = await publishDraft(api, store, "加了微信号");
  assert.equal(outcome.kind, "published");
  assert.equal(outcome.result.publication, 7);
  assert.deepEqual(api.calls.map((c) => c[0]), ["saveDraft", "publish"]);
  assert.match(api.calls[0][2], /edited/);
  assert.deepEqual(api.calls[1], ["publish", "s6", "加了微信号"]);
  // the page then starts again from the new live set: no draft, base = the new live signature
  await reloadLive(api, store);
  assert.equal(store.baseSignature, "s7");
  assert.equal(store.hasDraft, false);
  assert.equal(store.sources["crm.json"].title, "new");
  assert.equal(store.canUndo(), false);
});

test("409 stale_draft: the outcome carries who published and their changes; nothing is overwritten", async () => {
  const body = {
    error: { code: "stale_draft", message: "the live definitions changed since your draft was started" },
    live: { publication: 9, published_by: "admin_a", published_at: "2026-12-04T10:05:00Z", note: "A's change", signature: "s9" },
    their_changes: { summary: ["表单 客户：新增字段 微信号（文本）"], diff: { "crm.json": UNIFIED } },
  };
  const api = fakeApi({
    async publish(base, note) { api.calls.push(["publish", base, note]); throw new ApiError(409, "stale_draft", body.error.message, body); },
  });
  const store = storeWith(api);
  const outcome = await publishDraft(api, store, "mine");
  assert.equal(outcome.kind, "stale");
  assert.equal(outcome.live.published_by, "admin_a");
  assert.deepEqual(outcome.their.summary, ["表单 客户：新增字段 微信号（文本）"]);
  assert.ok(outcome.their.diff["crm.json"].includes("phone"));
  assert.equal(api.calls.filter((c) => c[0] === "publish").length, 1, "published once, not retried");
  assert.equal(store.sources["crm.json"].title, "old", "the admin's draft is untouched");

  // rebasing keeps the admin's draft on the new base and reports the conflicts
  const { conflicts } = await rebaseDraft(api, store);
  assert.deepEqual(conflicts.map((c) => c.pointer), ["/title"]);
  assert.equal(store.baseSignature, "s9");
  assert.equal(store.sources["crm.json"].title, "mine");
  assert.equal(store.live.publication, 9);
});

test("a refused schema change and a draft with problems are outcomes of their own", async () => {
  const refusing = fakeApi({
    async publish() {
      throw new ApiError(409, "schema_change_refused", "the change would lose stored data",
        { error: { code: "schema_change_refused", message: "the change would lose stored data", refusals: ["removing stage x while 12 records are in it"] } });
    },
  });
  const refused = await publishDraft(refusing, storeWith(refusing), "");
  assert.deepEqual([refused.kind, refused.refusals.length], ["refused", 1]);
  const invalid = fakeApi({
    async publish() {
      throw new ApiError(422, "invalid_definition", "problems",
        { error: { code: "invalid_definition", message: "problems", problems: [{ file: "crm.json", pointer: "/forms/0", message: "bad" }] } });
    },
  });
  const bad = await publishDraft(invalid, storeWith(invalid), "");
  assert.deepEqual([bad.kind, bad.problems[0].pointer], ["invalid", "/forms/0"]);
  const failing = fakeApi({ async saveDraft() { throw new ApiError(500, null, "boom", null); } });
  const notSaved = await publishDraft(failing, storeWith(failing), "");
  assert.deepEqual([notSaved.kind, notSaved.message], ["error", "not saved"]);
  assert.ok(!failing.calls.some((c) => c[0] === "publish"), "nothing is published when the draft was not saved");
});

test("restore sends the live base it was shown and the note; a 409 there is a stale outcome too", async () => {
  const api = fakeApi();
  const done = await restoreVersion(api, 3, "s7", "回到上一版");
  assert.equal(done.kind, "published");
  assert.deepEqual(api.calls[0], ["restore", 3, { note: "回到上一版", base_signature: "s7" }]);
  const stale = fakeApi({
    async restore() { throw new ApiError(409, "stale_draft", "moved", { error: { code: "stale_draft", message: "moved" }, live: { publication: 10 }, their_changes: { summary: [], diff: {} } }); },
  });
  const outcome = await restoreVersion(stale, 3, "s7", "");
  assert.deepEqual([outcome.kind, outcome.live.publication], ["stale", 10]);
});

test("discarding the draft starts again from the live set", async () => {
  const api = fakeApi();
  const store = storeWith(api);
  store.change((s) => { s["crm.json"].title = "edited"; }, "title");
  await discardDraft(api, store);
  assert.deepEqual(api.calls.map((c) => c[0]), ["discardDraft", "state"]);
  assert.equal(store.sources["crm.json"].title, "new");
  assert.equal(store.hasDraft, false);
});

test("formatWhen shows a local date and time in the page's language", () => {
  assert.match(formatWhen("2026-12-04T10:05:00Z", "zh_CN"), /2026.12.04.*18:05/);
  assert.match(formatWhen("2026-12-04T10:05:00Z", "en"), /04\/12\/2026.*18:05/);
  assert.equal(formatWhen(null, "en"), "");
});

test("formatWhen shows the engine's zone, whatever the browser's zone", () => {
  // the process runs in Asia/Shanghai (above): the engine's zone wins
  assert.match(formatWhen("2026-12-04T10:05:00Z", "en", "America/New_York"), /04\/12\/2026.*05:05/);
  assert.match(formatWhen("2026-12-04T20:05:00Z", "zh_CN", "Pacific/Kiritimati"), /2026.12.05.*10:05/);
  assert.match(formatWhen("2026-12-04T10:05:00Z", "en", "Not/AZone"), /04\/12\/2026.*18:05/);
});
