// node --test: the designer when the admin's session ends while editing (api.js + store.js, a fake fetch
// that plays the server): a 401 puts the store in "login" and keeps the edits; after logging in again
// (a new session with a new CSRF token) retry() takes the token from GET /session and the draft is saved;
// a 400 csrf_failed is retried once with the new token; hasUnsavedEdits() drives the leave-page warning.
import test from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../../engine/ui/static/js/designer/store.js";
import { Api } from "../../../engine/ui/static/js/designer/api.js";

// A server with one session: `loggedIn` and its `token`; PUT /draft needs both, GET /session tells the token.
function fakeServer() {
  const server = { loggedIn: true, token: "t1", drafts: [], calls: [] };
  const answer = (status, body) => ({ ok: status < 400, status, statusText: String(status),
    text: async () => JSON.stringify(body) });
  server.fetch = async (url, init) => {
    server.calls.push({ url, method: init.method, token: init.headers["X-CSRFToken"] });
    if (!server.loggedIn) {
      return answer(401, { error: { code: "unauthorized", message: "log in or send 'Authorization: Bearer TOKEN'" } });
    }
    if (url.endsWith("/session")) { return answer(200, { user: "admin", csrf_token: server.token }); }
    if (init.method !== "GET" && init.headers["X-CSRFToken"] !== server.token) {
      return answer(400, { error: { code: "csrf_failed", message: "The CSRF tokens do not match." } });
    }
    if (url.endsWith("/draft") && init.method === "PUT") {
      server.drafts.push(JSON.parse(init.body));
      return answer(200, { problems: [], updated_at: "2026-12-04T10:00:00Z" });
    }
    return answer(404, { error: { code: "not_found", message: "no" } });
  };
  return server;
}

const docs = () => ({ "a.json": { module: "a", forms: [{ name: "one", title: "One", fields: [] }] } });
const manual = { setTimeout: () => 1, clearTimeout: () => null };

test("a 401 keeps the edits in the page; after logging in again retry() saves them with the new token", async () => {
  const server = fakeServer();
  const store = new Store({ sources: docs(), api: new Api({ fetchImpl: server.fetch, csrf: "t1" }),
    baseSignature: "s", timers: manual });
  store.change((s) => { s["a.json"].forms[0].title = "Eins"; }, "title");
  await store.save();
  assert.equal(store.status, "saved");
  assert.equal(store.hasUnsavedEdits(), false);

  server.loggedIn = false;  // logged out in another tab
  store.change((s) => { s["a.json"].forms[0].title = "Zwei"; }, "title");
  assert.equal(store.hasUnsavedEdits(), true);
  await store.save();
  assert.equal(store.status, "login");
  assert.equal(store.hasUnsavedEdits(), true);
  assert.equal(store.doc("a.json").forms[0].title, "Zwei");

  await store.retry();  // still logged out: still "login"
  assert.equal(store.status, "login");

  server.loggedIn = true;  // logged in again: a new session, a new token
  server.token = "t2";
  await store.retry();
  assert.equal(store.status, "saved");
  assert.equal(store.hasUnsavedEdits(), false);
  assert.equal(server.drafts.at(-1).sources["a.json"].forms[0].title, "Zwei");
  assert.equal(server.calls.at(-1).token, "t2");
});

test("a change refused with csrf_failed fetches the session's token once and is sent again", async () => {
  const server = fakeServer();
  const api = new Api({ fetchImpl: server.fetch, csrf: "old" });
  server.token = "new";
  const answer = await api.saveDraft("s", docs());
  assert.deepEqual(answer.problems, []);
  assert.deepEqual(server.calls.map((c) => [c.method, c.url.split("/").at(-1), c.token ?? null]),
    [["PUT", "draft", "old"], ["GET", "session", null], ["PUT", "draft", "new"]]);
  assert.equal(api.csrf, "new");
  // a token that still does not match after the refresh is an error, not a loop
  server.token = "other";
  api.session = async () => ({});  // the refresh brings nothing new
  await assert.rejects(api.saveDraft("s", docs()), (e) => e.status === 400 && e.code === "csrf_failed");
});

test("a failed save (not the session) is 'error', retry() saves; edits waiting to be saved count as unsaved", async () => {
  const server = fakeServer();
  let fail = true;
  const fetchImpl = async (url, init) => (fail && init.method === "PUT"
    ? { ok: false, status: 500, statusText: "500", text: async () => "{}" } : server.fetch(url, init));
  const store = new Store({ sources: docs(), api: new Api({ fetchImpl, csrf: "t1" }), baseSignature: "s", timers: manual });
  store.change((s) => { s["a.json"].forms[0].title = "Drei"; }, "title");
  assert.equal(store.status, "pending");
  assert.equal(store.hasUnsavedEdits(), true);
  await store.save();
  assert.equal(store.status, "error");
  assert.equal(store.hasUnsavedEdits(), true);
  fail = false;
  await store.retry();
  assert.equal(store.status, "saved");
  assert.equal(store.hasUnsavedEdits(), false);
  assert.equal(new Store({ sources: docs() }).hasUnsavedEdits(), false);  // nothing to save to
});

test("a 401 carries the page's own words as its message, for the tabs that show an error's message", async () => {
  const server = fakeServer();
  server.loggedIn = false;
  const api = new Api({ fetchImpl: server.fetch, csrf: "t1", loggedOut: "登录已过期" });
  await assert.rejects(api.review(), (e) => e.status === 401 && e.message === "登录已过期" && e.code === "unauthorized");
  await assert.rejects(new Api({ fetchImpl: server.fetch }).review(), (e) => e.message.startsWith("log in"));
});
