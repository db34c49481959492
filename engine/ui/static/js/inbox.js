// The inbox (待办): select all and the selected count (selection.js, shared with the list's bulk
// edit), and the checks before a batch approve or reject (something selected; a comment to
// reject). The server checks again; this only saves a round trip. Pure helpers are exported for
// node --test (tests/ui/js/inbox.test.mjs).
import { selection, wireSelection } from "./selection.js";

/** Why a batch may not be sent ("none": nothing selected, "comment": rejecting without one), or null. */
export function batchProblem(action, checked, comment) {
  if (!checked) return "none";
  if (action === "reject" && !String(comment || "").trim()) return "comment";
  return null;
}

function init(doc) {
  doc.querySelectorAll("[data-autosubmit]").forEach((el) => { // the filters (every tab, with or without tasks)
    el.addEventListener("change", () => {
      if (el.name === "form") { const step = el.form.elements.step; if (step) step.value = ""; }
      el.form.submit();
    });
  });
  const form = doc.getElementById("batch");
  if (!form) return;
  const all = doc.getElementById("select-all");
  const count = form.querySelector("[data-testid=selected-count]");
  const problem = form.querySelector("[data-testid=batch-problem]");
  const boxes = () => Array.from(doc.querySelectorAll("input.task-pick"));
  wireSelection(all, boxes, (state) => {
    if (count) count.textContent = count.dataset.template.replace("{n}", String(state.checked));
  });
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    const action = (button && button.dataset.action) || "approve";
    const why = batchProblem(action, selection(boxes()).checked, form.elements.comment.value);
    if (why) {
      event.preventDefault();
      problem.textContent = why === "none" ? form.dataset.none : form.dataset.needComment;
      problem.classList.remove("d-none");
      return;
    }
    const question = action === "reject" ? form.dataset.confirmReject : form.dataset.confirmApprove;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  form.dataset.ready = "1"; // wired: what a browser test waits for before it ticks boxes
}

if (typeof document !== "undefined") init(document);
