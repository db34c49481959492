// Row selection shared by the list page's bulk edit (bulk.js) and the inbox's batch actions: how
// many boxes are ticked, the select-all box (all / some), ticking every box. Pure helpers are
// exported for node --test (tests/ui/js/selection.test.mjs).

/** How many of the boxes are ticked, and whether the select-all box reads all / some. */
export function selection(boxes) {
  const checked = boxes.filter((b) => b.checked).length;
  return { checked, all: boxes.length > 0 && checked === boxes.length, some: checked > 0 && checked < boxes.length };
}

/** Tick (or untick) every box; the new selection. */
export function toggleAll(boxes, on) {
  boxes.forEach((b) => { b.checked = Boolean(on); });
  return selection(boxes);
}

/**
 * Wire a select-all box (may be null) and the row boxes (`boxes()` returns them): after every
 * change, and once now, the select-all box shows all / some and `onChange(state)` is called.
 */
export function wireSelection(all, boxes, onChange) {
  const show = (state) => {
    if (all) { all.checked = state.all; all.indeterminate = state.some; }
    onChange(state);
  };
  if (all) all.addEventListener("change", () => show(toggleAll(boxes(), all.checked)));
  boxes().forEach((box) => box.addEventListener("change", () => show(selection(boxes()))));
  show(selection(boxes()));
}
