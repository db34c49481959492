// The designer's "Publish & versions" tab: the review of the admin's draft before publishing (readable
// summary, the schema plan with its effects on data and its refusals, problems, the file diff), a note
// and the Publish button; what to do when someone else published first (their changes, rebase); discard
// the draft. The published versions are listed below it (versions.js).
import { h, clear, useStylesheet } from "./ui.js";
import { mount as mountVersions } from "./versions.js";
import { blockers, discardDraft, publishDraft, rebaseDraft, reloadLive } from "./publish-model.js";
import { diffView, outcomeView, problemItems } from "./publish-outcome.js";

const MAX_NOTE = 500;

export function mount(element, store, options = {}) {
  const api = options.api || store.api;
  const confirmFn = options.confirm || ((q) => window.confirm(q));
  let review = null;
  let generation = 0;
  let outcome = null;   // the last publish/rebase answer, shown until the next review
  let visible = store.activeTab === "publish";

  useStylesheet("designer-publish.css");
  clear(element);
  const reviewBox = h("div", { class: "dz-review", "data-testid": "review" });
  const resultBox = h("div", { class: "dz-publish-result", "data-testid": "publish-result", role: "status",
    "aria-live": "polite" });
  const note = h("textarea", { class: "form-control", rows: "2", maxlength: String(MAX_NOTE), id: "dz-publish-note",
    "data-testid": "publish-note", placeholder: store.text("publish.note_placeholder") });
  const publishButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "publish-button",
    onclick: publish }, store.text("publish.publish"));
  const discardButton = h("button", { type: "button", class: "btn btn-outline-danger", "data-testid": "discard-draft",
    onclick: discard }, store.text("publish.discard"));
  const refreshButton = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "review-refresh",
    onclick: () => load() }, store.text("publish.refresh"));
  const blockBox = h("div", { class: "small", "data-testid": "publish-blockers" });
  const versionsBox = h("div", { class: "dz-versions-host" });

  element.append(
    h("div", { class: "card mb-3" },
      h("div", { class: "card-header d-flex flex-wrap align-items-center gap-2" },
        h("h2", { class: "h6 mb-0 me-auto" }, store.text("publish.review_title")), refreshButton),
      h("div", { class: "card-body" },
        resultBox,
        reviewBox,
        h("div", { class: "dz-publish-form border-top pt-3 mt-3" },
          h("label", { class: "form-label small", for: "dz-publish-note" }, store.text("publish.note")),
          note,
          h("div", { class: "d-flex flex-wrap gap-2 align-items-center mt-2" },
            publishButton, discardButton, blockBox)))),
    versionsBox);

  const versions = mountVersions(versionsBox, store, { api, confirm: confirmFn,
    onPublished: async () => { clear(resultBox); await reloadAfter(); } });

  // -- review -------------------------------------------------------------------------------
  async function load() {
    const mine = ++generation;  // the newest call wins: an answer to an older one is dropped
    clear(reviewBox).append(h("p", { class: "text-secondary small" }, store.text("publish.loading")));
    let answer = null;
    let failure = null;
    try {
      if (store.status === "pending" || store.status === "saving") { await store.save(); }
      // no draft yet: nothing to review (the server would answer 404, which the browser logs as an error)
      if (!store.hasDraft && store.status === "clean") { throw Object.assign(new Error("no draft"), { status: 404 }); }
      answer = await api.review();
    } catch (error) {
      failure = error;
    }
    if (mine !== generation) { return; }
    review = answer;
    if (failure) {
      clear(reviewBox);
      if (failure.status === 404) {
        reviewBox.append(h("p", { class: "text-secondary mb-0", "data-testid": "review-empty" }, store.text("publish.no_draft")));
      } else {
        reviewBox.append(h("div", { class: "alert alert-danger" }, store.text("publish.review_failed",
          { message: failure.message ? failure.message : String(failure) })));
      }
      renderButtons();
      return;
    }
    renderReview();
  }

  function section(title, testid, ...children) {
    return h("section", { class: "mb-3", "data-testid": testid }, h("h3", { class: "h6" }, title), ...children);
  }

  function renderReview() {
    clear(reviewBox);
    if (!review) { renderButtons(); return; }
    const block = blockers(review);
    if (review.stale) {
      reviewBox.append(h("div", { class: "alert alert-warning", "data-testid": "review-stale" },
        h("p", { class: "mb-2" }, store.text("publish.stale_review")),
        h("button", { type: "button", class: "btn btn-sm btn-warning", "data-testid": "rebase-button", onclick: rebase },
          store.text("publish.rebase"))));
    }
    const summary = review.summary || [];
    reviewBox.append(section(store.text("publish.summary"), "review-summary",
      summary.length ? h("ul", { class: "mb-0" }, summary.map((line) => h("li", {}, line)))
        : h("p", { class: "text-secondary small mb-0" }, block.nothing ? store.text("publish.nothing") : store.text("publish.summary_none"))));
    const plan = review.plan || { changes: [], refusals: [] };
    const refusals = plan.refusals || [];
    reviewBox.append(section(store.text("publish.plan"), "review-plan",
      (plan.changes || []).length
        ? h("ul", { class: "mb-0" }, plan.changes.map((line) => h("li", { "data-testid": "plan-change" }, line)))
        : h("p", { class: "text-secondary small mb-0", "data-testid": "plan-none" },
          plan.unavailable || store.text("publish.plan_none")),
      refusals.length ? h("div", { class: "alert alert-danger mt-2 mb-0", "data-testid": "review-refusals" },
        h("strong", {}, store.text("publish.refusals", { count: refusals.length })),
        h("ul", { class: "mb-0 mt-1" }, refusals.map((line) => h("li", { "data-testid": "plan-refusal" }, line)))) : null));
    const problems = review.problems || [];
    if (problems.length) {
      reviewBox.append(h("div", { class: "alert alert-danger", "data-testid": "review-problems" },
        h("strong", {}, store.text("publish.problems", { count: problems.length })), problemItems(store, problems)));
    }
    const diff = diffView(store, review.diff);
    diff.dataset.testid = "review-diff";
    reviewBox.append(h("details", { class: "dz-review-diff", open: Object.keys(review.diff || {}).length <= 2 },
      h("summary", { class: "h6" }, store.text("publish.diff")), diff));
    renderButtons();
  }

  function renderButtons() {
    const block = review ? blockers(review) : { ok: false, nothing: true, problems: 0, refusals: 0, stale: false };
    publishButton.disabled = !block.ok;
    discardButton.disabled = !store.hasDraft && !review;
    clear(blockBox);
    const why = [];
    if (block.problems) { why.push(store.text("publish.blocked_problems", { count: block.problems })); }
    if (block.refusals) { why.push(store.text("publish.blocked_refusals", { count: block.refusals })); }
    if (block.stale) { why.push(store.text("publish.blocked_stale")); }
    if (!why.length && block.nothing && review) { why.push(store.text("publish.nothing")); }
    if (why.length) { blockBox.append(h("span", { class: "text-danger" }, why.join(" · "))); }
  }

  // -- publishing ---------------------------------------------------------------------------
  async function publish() {
    publishButton.disabled = true;
    clear(resultBox).append(h("p", { class: "text-secondary small" }, store.text("publish.publishing")));
    const answer = await publishDraft(api, store, note.value.trim());
    if (answer.kind === "published") {
      note.value = "";
      await afterPublish(answer);
    } else {
      showOutcome(answer);
      renderButtons();
    }
  }

  async function reloadAfter() {
    try { await reloadLive(api, store); } catch (error) { /* the message shown still says what happened */ }
    review = null;
    await load();
  }

  async function afterPublish(answer) {
    outcome = answer;
    clear(resultBox).append(h("div", { class: "alert alert-success", "data-testid": "publish-success" },
      store.text("publish.published", { publication: answer.result.publication })));
    await reloadAfter();
    versions.reload();
  }

  function showOutcome(answer) {
    outcome = answer;
    clear(resultBox).append(outcomeView(store, answer, { onRebase: rebase }));
  }

  async function rebase() {
    clear(resultBox).append(h("p", { class: "text-secondary small" }, store.text("publish.rebasing")));
    try {
      const { conflicts } = await rebaseDraft(api, store);
      clear(resultBox).append(h("div", { class: conflicts.length ? "alert alert-warning" : "alert alert-info",
        "data-testid": "rebase-result" },
      h("strong", {}, conflicts.length ? store.text("publish.rebased_conflicts", { count: conflicts.length })
        : store.text("publish.rebased")),
      conflicts.length ? problemItems(store, conflicts) : null));
    } catch (error) {
      clear(resultBox).append(h("div", { class: "alert alert-danger" }, error && error.message ? error.message : String(error)));
    }
    await load();
  }

  async function discard() {
    if (!confirmFn(store.text("publish.discard_confirm"))) { return; }
    try {
      await discardDraft(api, store);
      clear(resultBox).append(h("div", { class: "alert alert-info", "data-testid": "discard-result" }, store.text("publish.discarded")));
    } catch (error) {
      clear(resultBox).append(h("div", { class: "alert alert-danger" }, error && error.message ? error.message : String(error)));
    }
    await load();
  }

  // -- when to look again ---------------------------------------------------------------------
  store.on("tab", (name) => {
    visible = name === "publish";
    if (visible) { load(); versions.reload(); }
  });
  store.on("saved", () => { if (visible) { load(); } });
  store.on("change", ({ reset } = {}) => {
    if (!visible || reset || !review) { return; }
    clear(blockBox).append(h("span", { class: "text-secondary" }, store.text("publish.review_outdated")));
    publishButton.disabled = true;
  });
  renderButtons();
  if (visible) { load(); }
  return { load, publish, rebase, discard, versions, get review() { return review; }, get outcome() { return outcome; } };
}
