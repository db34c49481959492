// perms-dom.js: DOM helpers shared by the 权限 (perms.js) and 提醒 (reminders.js) tabs.
//   rerender(element, render)   re-renders keeping the focused control (by its data-key), its caret and
//                               any text typed into it that was not committed yet
//   whenIdle(element, draw)     draw now, or (while a text box without data-key, e.g. the condition
//                               builder's, has the focus) when it is left, so typing is never wiped
//   conditionFields(form)       the names a condition may use: fields, table columns, system attributes
//   t(store, key, params)       store.text with the key itself as the last resort

import { SYSTEM_ATTRIBUTES } from "./perms-model.js";
import { txt } from "./loc.js";

export function t(store, key, params) {
  return store.text(key, params);
}

/** Run render() (which rebuilds element's content) and put the focus back where it was. */
export function rerender(element, render) {
  const active = document.activeElement;
  let saved = null;
  if (active && element.contains(active) && active.dataset && active.dataset.key) {
    saved = { key: active.dataset.key, tag: active.tagName };
    if ("value" in active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA")) {
      saved.value = active.value;
      saved.dirty = active.value !== active.defaultValue;
      try { saved.start = active.selectionStart; saved.end = active.selectionEnd; } catch { /* not a text input */ }
    }
  }
  render();
  if (!saved) return;
  const again = element.querySelector(`[data-key="${CSS.escape(saved.key)}"]`);
  if (!again) return;
  if (saved.dirty) again.value = saved.value;
  again.focus({ preventScroll: true });
  if (saved.start !== undefined && saved.start !== null) {
    try { again.setSelectionRange(saved.start, saved.end); } catch { /* not a text input */ }
  }
}

/** Draw now unless the user is typing in a box rerender cannot keep (no data-key): then on leaving it. */
export function whenIdle(element, draw) {
  const active = document.activeElement;
  if (active && element.contains(active) && /^(INPUT|TEXTAREA)$/.test(active.tagName) && !(active.dataset && active.dataset.key)) {
    active.addEventListener("blur", () => setTimeout(draw, 0), { once: true });
    return;
  }
  draw();
}

/** [{name, label, type}] a condition over the form may name. */
export function conditionFields(form) {
  const out = [];
  for (const field of Array.isArray(form.fields) ? form.fields : []) {
    if (!field || typeof field.name !== "string") continue;
    out.push({ name: field.name, label: txt(field.label) || field.name, type: field.type, options: field.options });
    if (Array.isArray(field.fields)) {
      for (const column of field.fields) {
        if (column && typeof column.name === "string") {
          out.push({ name: `${field.name}.${column.name}`, label: `${txt(field.label) || field.name} · ${txt(column.label) || column.name}`, type: column.type, column: true });
        }
      }
    }
  }
  for (const name of SYSTEM_ATTRIBUTES) out.push({ name, label: name, type: "system", system: true });
  return out;
}
