// The designer API (docs/designer contract): fetch wrappers that send the session's CSRF token
// and turn error answers into ApiError {status, code, message, body}.
//
//   const api = new Api()              // base "/api/admin/designer"
//   api.state()                        GET  ""            {live, draft, files}
//   api.saveDraft(base, src, seen)     PUT  /draft        {problems, updated_at} (seen: the draft's updated_at)
//   api.discardDraft()                 DELETE /draft
//   api.check(sources)                 POST /check        {problems}
//   api.review()                       GET  /review
//   api.publish(baseSignature, note)   POST /publish
//   api.rebase()                       POST /rebase
//   api.versions({before, limit})      GET  /versions
//   api.version(publication)           GET  /versions/ID
//   api.diff(from, to)                 GET  /diff?from=&to=
//   api.restore(publication, {note, base_signature})  POST /versions/ID/restore
//   api.session()                      GET  /session      {user, csrf_token}: takes the session's new token
//
// A change (PUT/POST/DELETE) refused with 400 csrf_failed (the admin logged in again in another tab, so the
// session and its token are new) fetches the current token from /session once and is sent again. A 401
// (the session ended) is thrown as ApiError {status: 401}: the page asks the admin to log in again.

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message || ("HTTP " + status));
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

function csrfMeta() {
  if (typeof document === "undefined") { return null; }
  return document.querySelector('meta[name="csrf-token"]');
}

function csrfToken() {
  const meta = csrfMeta();
  return meta ? meta.getAttribute("content") : "";
}

export class Api {
  // loggedOut: the message of a 401 in the page's language (every tab shows it as the error's message)
  constructor({ base = "/api/admin/designer", fetchImpl = null, csrf = null, loggedOut = null } = {}) {
    this.base = base;
    this.fetch = fetchImpl || ((...args) => fetch(...args));
    this.csrf = csrf;
    this.loggedOut = loggedOut;
  }

  async request(method, path, body, { retried = false } = {}) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") { headers["X-CSRFToken"] = this.csrf != null ? this.csrf : csrfToken(); }
    const init = { method, headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await this.fetch(this.base + path, init);
    } catch (error) {
      throw new ApiError(0, "network", error && error.message ? error.message : String(error), null);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = null; }
    }
    if (!response.ok) {
      const err = (data && data.error) || {};
      if (response.status === 400 && err.code === "csrf_failed" && method !== "GET" && !retried) {
        await this.session();  // a new session (logged in again elsewhere): take its token, send again
        return this.request(method, path, body, { retried: true });
      }
      const message = response.status === 401 && this.loggedOut ? this.loggedOut : err.message || response.statusText;
      throw new ApiError(response.status, err.code || null, message, data);
    }
    return data;
  }

  // The session's user and current CSRF token; later changes send that token (and the page's
  // <meta name="csrf-token"> is updated, for the other scripts of the page).
  async session() {
    const answer = await this.request("GET", "/session");
    if (answer && answer.csrf_token) {
      this.csrf = answer.csrf_token;
      const meta = csrfMeta();
      if (meta) { meta.setAttribute("content", answer.csrf_token); }
    }
    return answer;
  }

  state() { return this.request("GET", ""); }
  saveDraft(baseSignature, sources, draftUpdatedAt) {
    const body = { base_signature: baseSignature, sources };
    // the draft this page holds (null: none): the server refuses to overwrite a newer save from another window
    if (draftUpdatedAt !== undefined) { body.draft_updated_at = draftUpdatedAt; }
    return this.request("PUT", "/draft", body);
  }
  discardDraft() { return this.request("DELETE", "/draft"); }
  check(sources) { return this.request("POST", "/check", { sources }); }
  review() { return this.request("GET", "/review"); }
  publish(baseSignature, note) { return this.request("POST", "/publish", { base_signature: baseSignature, note: note || "" }); }
  rebase() { return this.request("POST", "/rebase", {}); }
  versions({ before, limit } = {}) {
    const query = new URLSearchParams();
    if (before != null) { query.set("before", before); }
    if (limit != null) { query.set("limit", limit); }
    const q = query.toString();
    return this.request("GET", "/versions" + (q ? "?" + q : ""));
  }
  version(publication) { return this.request("GET", "/versions/" + encodeURIComponent(publication)); }
  diff(from, to) {
    return this.request("GET", "/diff?" + new URLSearchParams({ from: String(from), to: String(to) }).toString());
  }
  restore(publication, { note, base_signature } = {}) {
    return this.request("POST", "/versions/" + encodeURIComponent(publication) + "/restore",
      { note: note || "", base_signature });
  }
}
