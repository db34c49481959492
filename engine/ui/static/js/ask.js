// The ask form in a <dialog> (engine/ui/ask.py): a button with
// `data-ask` (a transition with `require`d fields or a required comment, a task's approve or
// reject) opens the server's ask form (`?partial=1`: the record form's widgets) instead of failing;
// the dialog posts it back (header X-Ask: 1): JSON when done, the form again with the errors next to
// the fields (everything typed kept) when not. Without scripts the buttons post to the same URLs,
// which show the ask form as a page. Pure helpers exported for node --test (tests/ui/js/ask.test.mjs).

/** `url` with `params` added to its query string. */
export function withParams(url, params) {
  const extra = Object.keys(params).map((k) => encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
  if (!extra.length) { return url; }
  return url + (url.indexOf("?") >= 0 ? "&" : "?") + extra.join("&");
}

/** What an answer of the ask endpoint means: "nothing" (204: nothing to ask), "done" / "refused"
 *  (JSON: the action was done / refused with a message), "form" (HTML: the ask form, again). */
export function answerKind(status, contentType) {
  if (status === 204) { return "nothing"; }
  if ((contentType || "").indexOf("application/json") >= 0) { return status < 300 ? "done" : "refused"; }
  return "form";
}

/** Whether a click on an ask button opens the dialog first: not for a reject whose comment is
 *  typed already (`data-ask-unless-comment`), else yes (a probe asks the server first). */
export function opensDialog(dataset, comment) {
  if (!dataset || !dataset.ask) { return false; }
  if ("askUnlessComment" in dataset && (comment || "").trim()) { return false; }
  return true;
}

// the page's CSRF token, as app.js (loaded first on every page) reads it
function csrfToken() { return window.EngineUI.csrfToken(); }

function dialogNode() {
  let dialog = document.getElementById("ask-dialog");
  if (!dialog) {
    dialog = document.createElement("dialog");
    dialog.id = "ask-dialog";
    dialog.className = "ask-dialog";
    dialog.setAttribute("data-testid", "ask-dialog");
    document.body.appendChild(dialog);
  }
  return dialog;
}

function fill(dialog, html, options) {
  dialog.innerHTML = html;
  dialog.querySelectorAll("[data-ask-cancel]").forEach((el) => { el.hidden = false; });
  const form = dialog.querySelector("form[data-ask-form]");
  const comment = form && form.elements.comment;
  if (comment && !comment.value && options.comment) { comment.value = options.comment; }
  if (window.EngineUI && window.EngineUI.enhanceAll) { window.EngineUI.enhanceAll(dialog); }
  const invalid = dialog.querySelector(".is-invalid");
  const first = invalid || dialog.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
  if (first && first.focus) { first.focus(); }
}

/** Open the ask form at `url` in the dialog. `options`: `comment` (prefilled), `onDone(body)` (the
 *  action was done; default: go where the answer says), `onCancel()`, `onRefused(message)`. */
export async function openAsk(url, options = {}) {
  const dialog = dialogNode();
  const done = options.onDone || ((body) => { window.location.assign(body.redirect || window.location.href); });
  const refused = options.onRefused || ((message) => { window.alert(message); });
  const response = await fetch(withParams(url, {partial: "1"}), {credentials: "same-origin", headers: {"X-Ask": "1"}});
  const kind = answerKind(response.status, response.headers.get("Content-Type"));
  if (kind === "refused" || kind === "done") {
    const body = await response.json();
    if (kind === "refused") { refused(body.message); } else { done(body); }
    return;
  }
  if (kind === "nothing") { return; }
  fill(dialog, await response.text(), options);
  let settled = false;
  const cancel = () => { if (!settled) { settled = true; if (options.onCancel) { options.onCancel(); } } };
  dialog.onclick = (event) => {
    if (event.target.closest("[data-ask-cancel]")) { event.preventDefault(); dialog.close(); }
  };
  dialog.onclose = cancel;
  dialog.onsubmit = async (event) => {
    if (event.defaultPrevented) { return; }  // a `confirm` declined (app.js)
    event.preventDefault();
    const form = event.target;
    const button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    try {
      const answer = await fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                                               headers: {"X-Ask": "1", "X-CSRFToken": csrfToken()}});
      const kind = answerKind(answer.status, answer.headers.get("Content-Type"));
      if (kind === "form") { fill(dialog, await answer.text(), {}); return; }
      const body = await answer.json();
      settled = true;
      dialog.close();
      if (kind === "done") { done(body); } else { refused(body.message); }
    } finally {
      if (button && button.isConnected) { button.disabled = false; }
    }
  };
  if (!dialog.open) { dialog.showModal(); }
}

function wire() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("[data-ask]");
    if (!button || button.closest("dialog")) { return; }
    const form = button.form;
    const comment = form && form.elements.comment ? form.elements.comment.value : "";
    if (!opensDialog(button.dataset, comment)) { return; }
    event.preventDefault();
    if ("askProbe" in button.dataset) {
      const probe = await fetch(withParams(button.dataset.ask, {probe: "1", partial: "1"}),
                                {credentials: "same-origin", headers: {"X-Ask": "1"}});
      if (probe.status === 204 && form) { form.requestSubmit(button); return; }
    }
    openAsk(button.dataset.ask, {comment});
  });
}

if (typeof document !== "undefined" && !window.EngineAsk) {
  window.EngineAsk = {openAsk};
  wire();
}
