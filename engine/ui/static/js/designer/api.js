// The designer API (docs/designer contract): fetch wrappers that send the session's CSRF token
// and turn error answers into ApiError {status, code, message, body}.
//
//   const api = new Api()              // base "/api/admin/designer"
//   api.state()                        GET  ""            {live, draft, files}
//   api.saveDraft(baseSignature, src)  PUT  /draft        {problems, updated_at}
//   api.discardDraft()                 DELETE /draft
//   api.check(sources)                 POST /check        {problems}
//   api.review()                       GET  /review
//   api.publish(baseSignature, note)   POST /publish
//   api.rebase()                       POST /rebase
//   api.versions({before, limit})      GET  /versions
//   api.version(publication)           GET  /versions/ID
//   api.diff(from, to)                 GET  /diff?from=&to=
//   api.restore(publication, {note, base_signature})  POST /versions/ID/restore

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message || ("HTTP " + status));
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

function csrfToken() {
  if (typeof document === "undefined") { return ""; }
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

export class Api {
  constructor({ base = "/api/admin/designer", fetchImpl = null, csrf = null } = {}) {
    this.base = base;
    this.fetch = fetchImpl || ((...args) => fetch(...args));
    this.csrf = csrf;
  }

  async request(method, path, body) {
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
      throw new ApiError(response.status, err.code || null, err.message || response.statusText, data);
    }
    return data;
  }

  state() { return this.request("GET", ""); }
  saveDraft(baseSignature, sources) {
    return this.request("PUT", "/draft", { base_signature: baseSignature, sources });
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
