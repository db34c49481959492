// The palette: every field type of meta.types (so a new type class appears by itself), grouped,
// with translated labels. Drag one onto the canvas, or click / press Enter to add it after the
// selected field (at the end when none is selected).
import { h } from "./ui.js";

const GROUP_ORDER = ["text", "number", "choice", "relations", "structure", "computed"];

export function renderPalette(ctx) {
  const { store, dragger } = ctx;
  const t = (k, p) => store.text(k, p);
  const groups = new Map();
  for (const kind of store.meta.types || []) {
    if (!groups.has(kind.group)) { groups.set(kind.group, []); }
    groups.get(kind.group).push(kind);
  }
  const names = [...groups.keys()].sort((a, b) => {
    const ia = GROUP_ORDER.indexOf(a);
    const ib = GROUP_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const palette = h("div", { class: "dz-palette", "data-testid": "palette", role: "list", "aria-label": t("form.palette") },
    h("div", { class: "small text-secondary mb-1" }, t("form.palette_hint")));
  for (const group of names) {
    const key = "form.group." + group;
    palette.append(h("div", { class: "dz-palette-group" }, h("div", { class: "dz-palette-title" }, store.texts[key] ? t(key) : group),
      h("div", { class: "dz-palette-items" }, groups.get(group).map((kind) => {
        const item = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary dz-palette-item", role: "listitem",
          "data-type": kind.name, "data-testid": "palette-" + kind.name, title: kind.summary || kind.label,
          "aria-label": t("form.add_type", { type: kind.label }), onclick: () => ctx.add(kind.name) }, kind.label);
        if (dragger) { dragger.source(item, () => ({ kind: "new", type: kind.name, label: kind.label })); }
        return item;
      }))));
  }
  return palette;
}
