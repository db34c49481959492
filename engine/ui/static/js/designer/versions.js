// The published versions (part of the "Publish & versions" tab): who, when, note and origin of each,
// the live one marked; compare any two; restore an old one: its Restore button shows what the restore
// changes (summary, effect on the stored data with counts, refusals, problems, file diff: GET
// /versions/ID/review) with a button that confirms it (it is published again as a new version, through the
// same checks, schema plan and "someone else published" rule as a publish; renames made since are reversed).
import { h, clear } from "./ui.js";
import { formatWhen, restoreVersion } from "./publish-model.js";
import { diffView, outcomeView, problemItems } from "./publish-outcome.js";

const PAGE = 20;

export function mount(element, store, options = {}) {
  const api = options.api || store.api;
  const onPublished = options.onPublished || (() => null);
  let items = [];
  let more = false;
  let from = null;
  let to = null;

  clear(element);
  const list = h("tbody", {});
  const status = h("div", { class: "small text-secondary", role: "status", "aria-live": "polite" });
  const moreButton = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary d-none",
    "data-testid": "versions-more", onclick: () => load(true) }, store.text("versions.more"));
  const compareButton = h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": "versions-compare",
    disabled: true, onclick: compare }, store.text("versions.compare"));
  const note = h("input", { type: "text", class: "form-control form-control-sm", maxlength: "500", id: "dz-restore-note",
    "data-testid": "restore-note", placeholder: store.text("versions.restore_note_placeholder") });
  const diffBox = h("div", { class: "dz-versions-diff mt-3", "data-testid": "versions-diff" });
  const result = h("div", { "data-testid": "restore-result", role: "status", "aria-live": "polite" });

  element.append(h("div", { class: "card", "data-testid": "versions" },
    h("div", { class: "card-header d-flex flex-wrap align-items-center gap-2" },
      h("h2", { class: "h6 mb-0 me-auto" }, store.text("versions.title")), compareButton),
    h("div", { class: "card-body" },
      h("p", { class: "small text-secondary" }, store.text("versions.help")),
      h("div", { class: "row g-2 align-items-center mb-2" },
        h("div", { class: "col-auto" }, h("label", { class: "col-form-label col-form-label-sm", for: "dz-restore-note" },
          store.text("versions.restore_note"))),
        h("div", { class: "col" }, note)),
      result,
      h("div", { class: "table-responsive" },
        h("table", { class: "table table-sm align-middle dz-versions-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, store.text("versions.from")),
            h("th", { scope: "col" }, store.text("versions.to")),
            h("th", { scope: "col" }, store.text("versions.number")),
            h("th", { scope: "col" }, store.text("versions.when")),
            h("th", { scope: "col" }, store.text("versions.who")),
            h("th", { scope: "col" }, store.text("versions.origin")),
            h("th", { scope: "col" }, store.text("versions.note")),
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, store.text("versions.actions"))))),
          list)),
      h("div", { class: "d-flex gap-2 align-items-center" }, moreButton, status),
      diffBox)));

  function lang() { return store.meta && store.meta.lang; }
  function zone() { return store.meta && store.meta.timezone; }

  function origin(item) {
    const key = "versions.origin_" + item.origin;
    const text = store.text(key);
    return text === key ? String(item.origin || "") : text;
  }

  function row(item) {
    const pick = (name, value, checked, onchange) => h("input", { type: "radio", class: "form-check-input", name,
      value: String(value), checked, "aria-label": store.text(name === "dz-from" ? "versions.pick_from" : "versions.pick_to",
        { publication: item.publication }), "data-testid": name === "dz-from" ? "version-from" : "version-to", onchange });
    return h("tr", { "data-testid": "version-row", "data-publication": String(item.publication),
      class: item.live ? "table-success" : "" },
    h("td", {}, pick("dz-from", item.publication, from === item.publication, () => { from = item.publication; update(); })),
    h("td", {}, pick("dz-to", item.publication, to === item.publication, () => { to = item.publication; update(); })),
    h("td", { class: "text-nowrap" }, "#" + item.publication,
      item.live ? h("span", { class: "badge text-bg-success ms-2", "data-testid": "version-live" }, store.text("versions.live")) : null),
    h("td", { class: "text-nowrap" }, formatWhen(item.published_at, lang(), zone())),
    h("td", {}, item.published_by || h("span", { class: "text-secondary" }, store.text("versions.by_files"))),
    h("td", {}, origin(item), item.restored_from ? h("span", { class: "text-secondary small ms-1" },
      store.text("versions.restored_from", { publication: item.restored_from })) : null),
    h("td", { class: "dz-version-note" }, item.note || ""),
    h("td", { class: "text-end" }, item.live ? null : h("button", { type: "button", class: "btn btn-sm btn-outline-warning",
      "data-testid": "version-restore", onclick: () => restore(item) }, store.text("versions.restore"))));
  }

  function render() {
    clear(list);
    for (const item of items) { list.append(row(item)); }
    moreButton.classList.toggle("d-none", !more);
    if (!items.length) { status.textContent = store.text("versions.none"); } else { status.textContent = ""; }
    update();
  }

  function update() {
    compareButton.disabled = !(from != null && to != null && from !== to);
  }

  async function load(next = false) {
    try {
      const before = next && items.length ? items[items.length - 1].publication : undefined;
      const page = await api.versions({ before, limit: PAGE });
      items = next ? items.concat(page) : page;
      more = page.length === PAGE;
      if (!next) {
        // by default: compare the live version with the one before it
        const live = items.find((i) => i.live);
        if (to == null || !items.some((i) => i.publication === to)) { to = live ? live.publication : (items[0] || {}).publication ?? null; }
        if (from == null || !items.some((i) => i.publication === from)) {
          const older = items.find((i) => i.publication < to);
          from = older ? older.publication : null;
        }
      }
      render();
    } catch (error) {
      status.textContent = store.text("versions.failed", { message: error && error.message ? error.message : String(error) });
    }
  }

  async function compare() {
    if (from == null || to == null) { return; }
    clear(diffBox).append(h("p", { class: "small text-secondary" }, store.text("publish.loading")));
    try {
      const answer = await api.diff(from, to);
      const html = diffView(store, answer.diff);
      clear(diffBox).append(
        h("h3", { class: "h6" }, store.text("versions.diff_title", { from, to })),
        (answer.summary || []).length ? h("ul", { "data-testid": "versions-summary" }, answer.summary.map((line) => h("li", {}, line)))
          : h("p", { class: "small text-secondary" }, store.text("publish.summary_none")),
        html);
    } catch (error) {
      clear(diffBox).append(h("div", { class: "alert alert-danger" }, error && error.message ? error.message : String(error)));
    }
  }

  // The restore step: what restoring `item` changes, and the button that does it.
  async function restore(item) {
    clear(result).append(h("p", { class: "small text-secondary" }, store.text("publish.loading")));
    let plan;
    try {
      plan = await api.request("GET", "/versions/" + encodeURIComponent(item.publication) + "/review");
    } catch (error) {
      clear(result).append(h("div", { class: "alert alert-danger" }, error && error.message ? error.message : String(error)));
      return null;
    }
    const changes = (plan.plan && plan.plan.changes) || [];
    const refusals = (plan.plan && plan.plan.refusals) || [];
    const problems = plan.problems || [];
    const summary = plan.summary || [];
    const blocked = refusals.length > 0 || problems.length > 0;
    const confirmButton = h("button", { type: "button", class: "btn btn-sm btn-warning", "data-testid": "restore-confirm",
      disabled: blocked, onclick: () => confirmRestore(item, plan.live_signature) },
    store.text("versions.restore_do", { publication: item.publication }));
    const cancel = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "restore-cancel",
      onclick: () => clear(result) }, store.text("versions.restore_cancel"));
    clear(result).append(h("div", { class: "card border-warning mb-3", "data-testid": "restore-plan" },
      h("div", { class: "card-body" },
        h("h3", { class: "h6" }, store.text("versions.restore_confirm", { publication: item.publication,
          when: formatWhen(item.published_at, lang(), zone()) })),
        h("h4", { class: "h6 mt-3" }, store.text("publish.summary")),
        summary.length ? h("ul", { "data-testid": "restore-summary" }, summary.map((line) => h("li", {}, line)))
          : h("p", { class: "small text-secondary" }, store.text("publish.summary_none")),
        h("h4", { class: "h6" }, store.text("publish.plan")),
        changes.length ? h("ul", {}, changes.map((line) => h("li", { "data-testid": "plan-change" }, line)))
          : h("p", { class: "small text-secondary" }, (plan.plan && plan.plan.unavailable) || store.text("publish.plan_none")),
        refusals.length ? h("div", { class: "alert alert-danger", "data-testid": "review-refusals" },
          h("strong", {}, store.text("publish.refusals", { count: refusals.length })),
          h("ul", { class: "mb-0 mt-1" }, refusals.map((line) => h("li", { "data-testid": "plan-refusal" }, line)))) : null,
        problems.length ? h("div", { class: "alert alert-danger" },
          h("strong", {}, store.text("versions.restore_problems", { count: problems.length })),
          problemItems(store, problems)) : null,
        h("details", { class: "mb-3" }, h("summary", {}, store.text("publish.diff")), diffView(store, plan.diff)),
        h("div", { class: "d-flex gap-2" }, confirmButton, cancel))));
    confirmButton.focus();
    return plan;
  }

  async function confirmRestore(item, base) {
    clear(result).append(h("p", { class: "small text-secondary" }, store.text("publish.publishing")));
    const answer = await restoreVersion(api, item.publication, base, note.value.trim());
    clear(result);
    if (answer.kind === "published") {
      note.value = "";
      result.append(h("div", { class: "alert alert-success", "data-testid": "restore-success" },
        store.text("versions.restored", { publication: item.publication, new: answer.result.publication })));
      await onPublished(answer);  // the draft and the review start again from the new live set
    } else {
      result.append(outcomeView(store, answer));
    }
    await load();
    return answer;
  }

  load();
  return { reload: () => load(), restore, confirmRestore, compare, get items() { return items; } };
}
