// The logic of the Publish & versions tab (pure: no DOM; tested with node against a fake api).
//
//   diffLines(unified)            -> [{kind: "file"|"hunk"|"add"|"del"|"context"|"note", text, old, new}]
//                                   (old/new: line numbers in the old and new text, where they apply)
//   diffHtml(diffs, text)         -> HTML (escaped) of {file: unified diff}: one block per file, added
//                                   lines green, removed red, with line numbers; text(key) for words
//   diffStats(unified)            -> {added, removed}
//   blockers(review)              -> what stops publishing: {problems, refusals, stale, nothing, ok}
//   publishDraft(api, store, note)            -> outcome
//   restoreVersion(api, publication, base, note) -> outcome
//       outcome: {kind: "published", result} | {kind: "stale", live, their, message}
//                | {kind: "invalid", problems, message} | {kind: "refused", refusals, message}
//                | {kind: "missing", message} | {kind: "error", message, status}
//   rebaseDraft(api, store)       -> {conflicts, state}: the draft re-based on the live set, store reset
//   reloadLive(api, store)        -> the state after a publish/restore/discard: the store starts again from
//                                   the caller's draft if one is left, else from the live set
//   formatWhen(iso, lang, zone)   -> a date and time in the engine's zone, in the page's language

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export function diffLines(unified) {
  const out = [];
  let oldLine = 0;
  let newLine = 0;
  for (const line of String(unified || "").replace(/\n$/, "").split("\n")) {
    if (line === "" && !out.length) { continue; }
    if (line.startsWith("--- ") || line.startsWith("+++ ")) {
      out.push({ kind: "file", text: line });
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      out.push({ kind: "hunk", text: line });
      continue;
    }
    if (line.startsWith("\\")) { out.push({ kind: "note", text: line }); continue; }
    if (line.startsWith("+")) { out.push({ kind: "add", text: line.slice(1), new: newLine++ }); continue; }
    if (line.startsWith("-")) { out.push({ kind: "del", text: line.slice(1), old: oldLine++ }); continue; }
    out.push({ kind: "context", text: line.startsWith(" ") ? line.slice(1) : line, old: oldLine++, new: newLine++ });
  }
  return out;
}

export function diffStats(unified) {
  const lines = diffLines(unified);
  return { added: lines.filter((l) => l.kind === "add").length, removed: lines.filter((l) => l.kind === "del").length };
}

const SIGN = { add: "+", del: "−", context: " " };

export function diffHtml(diffs, text = (k) => k) {
  const files = Object.keys(diffs || {}).filter((f) => diffs[f]);
  if (!files.length) {
    return `<p class="text-secondary small mb-0 dz-diff-empty">${escapeHtml(text("publish.diff_none"))}</p>`;
  }
  return files.map((file) => {
    const lines = diffLines(diffs[file]);
    const stats = diffStats(diffs[file]);
    const rows = lines.filter((l) => l.kind !== "file").map((l) => {
      if (l.kind === "hunk") {
        return `<tr class="dz-diff-hunk"><td class="dz-diff-num"></td><td class="dz-diff-num"></td>` +
          `<td class="dz-diff-text" colspan="2">${escapeHtml(l.text)}</td></tr>`;
      }
      if (l.kind === "note") {
        return `<tr class="dz-diff-note"><td class="dz-diff-num"></td><td class="dz-diff-num"></td>` +
          `<td class="dz-diff-text" colspan="2">${escapeHtml(l.text)}</td></tr>`;
      }
      return `<tr class="dz-diff-${l.kind}" data-kind="${l.kind}">` +
        `<td class="dz-diff-num">${l.old === undefined ? "" : l.old}</td>` +
        `<td class="dz-diff-num">${l.new === undefined ? "" : l.new}</td>` +
        `<td class="dz-diff-sign" aria-hidden="true">${SIGN[l.kind]}</td>` +
        `<td class="dz-diff-text">${escapeHtml(l.text)}</td></tr>`;
    }).join("");
    return `<div class="dz-diff-file" data-file="${escapeHtml(file)}">` +
      `<div class="dz-diff-head"><span class="font-monospace">${escapeHtml(file)}</span> ` +
      `<span class="dz-diff-count-add">+${stats.added}</span> <span class="dz-diff-count-del">−${stats.removed}</span></div>` +
      `<table class="dz-diff" aria-label="${escapeHtml(text("publish.diff_of", { file }))}"><tbody>${rows}</tbody></table></div>`;
  }).join("");
}

export function blockers(review) {
  const problems = (review && review.problems) || [];
  const refusals = (review && review.plan && review.plan.refusals) || [];
  const stale = Boolean(review && review.stale);
  const diff = (review && review.diff) || {};
  const nothing = !Object.values(diff).some(Boolean) && !((review && review.summary) || []).length;
  return { problems: problems.length, refusals: refusals.length, stale, nothing,
           ok: !problems.length && !refusals.length && !stale && !nothing };
}

function outcomeOf(error) {
  const body = (error && error.body) || {};
  const err = body.error || {};
  const message = err.message || (error && error.message) || String(error);
  const code = err.code || (error && error.code);
  const status = error && error.status;
  if (status === 409 && code === "stale_draft") {
    return { kind: "stale", live: body.live || {}, their: body.their_changes || { summary: [], diff: {} }, message };
  }
  if (status === 409 && code === "schema_change_refused") {
    return { kind: "refused", refusals: err.refusals || body.refusals || [], message };
  }
  if (status === 422) {
    return { kind: "invalid", problems: err.problems || body.problems || [], message };
  }
  if (status === 404) { return { kind: "missing", message }; }
  return { kind: "error", message, status };
}

export async function publishDraft(api, store, note) {
  try {
    await store.save();  // the newest edits go with it
    if (store.status === "error" || store.status === "offline") {
      return { kind: "error", message: store.text("publish.not_saved") };
    }
    const result = await api.publish(store.baseSignature, note || "");
    return { kind: "published", result };
  } catch (error) {
    return outcomeOf(error);
  }
}

export async function restoreVersion(api, publication, baseSignature, note) {
  try {
    const result = await api.restore(publication, { note: note || "", base_signature: baseSignature });
    return { kind: "published", result };
  } catch (error) {
    return outcomeOf(error);
  }
}

/** Take a designer state (GET /api/admin/designer, or a rebase's answer) into the store: the live set,
 * and the draft when there is one (else, with `orLive`, the live documents as the starting point). */
function adopt(store, state, orLive) {
  store.live = state.live;
  store.liveFiles = state.files;
  store.hasDraft = Boolean(state.draft);
  store.draftUpdatedAt = state.draft ? state.draft.updated_at : null;
  if (state.draft) {
    store.reset({ sources: state.draft.sources, baseSignature: state.draft.base_signature,
                  problems: state.draft.problems || [] });
  } else if (orLive) {
    store.reset({ sources: state.files, baseSignature: state.live && state.live.signature, problems: [] });
  }
}

export async function reloadLive(api, store) {
  const state = await api.state();
  adopt(store, state, true);
  store.emit("published", state.live);
  return state;
}

export async function rebaseDraft(api, store) {
  if (store.status === "pending" || store.status === "saving") { await store.save(); }
  const state = await api.rebase();
  adopt(store, state, false);
  return { conflicts: state.conflicts || [], state };
}

export async function discardDraft(api, store) {
  await api.discardDraft();
  return reloadLive(api, store);
}

export function formatWhen(iso, lang, timeZone) {
  if (!iso) { return ""; }
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) { return String(iso); }
  const locale = lang === "en" ? "en-GB" : "zh-CN";
  const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" };
  try {
    return when.toLocaleString(locale, timeZone ? { ...options, timeZone } : options);
  } catch (e) {  // a zone this browser does not know: its own zone rather than nothing
    return when.toLocaleString(locale, options);
  }
}
