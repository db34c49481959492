// What the Publish & versions tab shows when a publish or a restore did not go through: someone else
// published first (who, when, their changes; never overwritten), the schema change was refused (with
// counts), or the definitions have problems (each one selects its element when clicked).
import { h } from "./ui.js";
import { diffHtml, formatWhen } from "./publish-model.js";
import { decorate } from "./problem-words.js";

export function problemItems(store, problems) {
  // where in words (module › form › field ...; problem-words.js), the file and pointer as the tooltip
  const said = problems.map((p) => decorate(p, store.sources || {}, store.meta || {}, (k, x) => store.text(k, x)));
  return h("ul", { class: "list-unstyled mb-0 dz-review-problems" }, said.map((p) =>
    h("li", {}, h("button", { type: "button", class: "btn btn-link btn-sm text-danger text-start p-0 text-decoration-none",
      "data-testid": "review-problem", "data-file": p.file, "data-pointer": p.pointer || "",
      title: p.file + " " + (p.pointer || ""), onclick: () => store.select(p.file, p.pointer || "") },
    h("span", { class: "text-secondary me-2", "data-testid": "review-problem-where" }, p.where), p.message))));
}

export function diffView(store, diff) {
  const box = h("div", { class: "dz-diff-host" });
  box.innerHTML = diffHtml(diff || {}, (k, p) => store.text(k, p));  // every text is escaped by diffHtml
  return box;
}

export function theirChanges(store, their) {
  const summary = (their && their.summary) || [];
  return h("div", { "data-testid": "their-changes" },
    h("h3", { class: "h6 mt-2" }, store.text("publish.their_changes")),
    summary.length ? h("ul", {}, summary.map((line) => h("li", {}, line)))
      : h("p", { class: "small text-secondary" }, store.text("publish.summary_none")),
    h("details", {}, h("summary", {}, store.text("publish.diff")), diffView(store, their && their.diff)));
}

// answer: an outcome of publishDraft / restoreVersion (publish-model.js) that is not "published"
export function outcomeView(store, answer, { onRebase = null } = {}) {
  if (answer.kind === "stale") {
    const live = answer.live || {};
    return h("div", { class: "alert alert-warning", "data-testid": "publish-stale" },
      h("strong", {}, store.text("publish.someone_published", {
        who: live.published_by || store.text("publish.by_files"),
        when: formatWhen(live.published_at, store.meta && store.meta.lang, store.meta && store.meta.timezone),
        publication: live.publication })),
      live.note ? h("p", { class: "mb-1 small" }, store.text("publish.their_note", { note: live.note })) : null,
      h("p", { class: "mb-2 small" }, store.text(onRebase ? "publish.not_overwritten" : "versions.not_overwritten")),
      theirChanges(store, answer.their),
      onRebase ? h("button", { type: "button", class: "btn btn-warning mt-2", "data-testid": "rebase-button", onclick: onRebase },
        store.text("publish.rebase")) : null);
  }
  if (answer.kind === "refused") {
    return h("div", { class: "alert alert-danger", "data-testid": "publish-refused" },
      h("strong", {}, store.text("publish.refusals", { count: answer.refusals.length })),
      h("p", { class: "mb-1 small" }, answer.message),
      h("ul", { class: "mb-0" }, answer.refusals.map((line) => h("li", { "data-testid": "plan-refusal" }, line))));
  }
  if (answer.kind === "invalid") {
    return h("div", { class: "alert alert-danger", "data-testid": "publish-invalid" },
      h("strong", {}, store.text("publish.problems", { count: answer.problems.length })),
      h("p", { class: "mb-1 small" }, answer.message),
      problemItems(store, answer.problems));
  }
  return h("div", { class: "alert alert-danger", "data-testid": "publish-error" },
    answer.kind === "missing" ? store.text("publish.no_draft") : answer.message);
}
