// The list page's selection for 批量修改 (bulk edit): the button opens the bulk edit page
// for the ticked rows, and is disabled while none is ticked (at most 500 at once). The select-all
// box and the count come from selection.js, shared with the inbox.
import { wireSelection } from "./selection.js";

export const MAX_BULK = 500;

export function bulkHref(base, ids) {
  const chosen = ids.filter((id) => /^[0-9]+$/.test(String(id)));
  if (chosen.length === 0 || chosen.length > MAX_BULK) return null;
  return base + "?ids=" + chosen.join(",");
}

function wire() {
  const button = document.querySelector("[data-bulk-edit]");
  if (!button) return;
  const boxes = () => Array.from(document.querySelectorAll("input[data-select-record]"));
  const count = button.querySelector("[data-bulk-count]");
  wireSelection(document.querySelector("input[data-select-all]"), boxes, () => {
    const ids = boxes().filter((b) => b.checked).map((b) => b.value);
    const href = bulkHref(button.dataset.base, ids);
    if (count) count.textContent = String(ids.length);
    button.classList.toggle("disabled", href === null);
    button.setAttribute("aria-disabled", href === null ? "true" : "false");
    if (href) button.setAttribute("href", href); else button.removeAttribute("href");
  });
}

if (typeof document !== "undefined") wire();
