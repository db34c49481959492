// The form as staff will see it: one card per field in the edit page's grid (half width, or the
// whole width for wide types and tables), table columns side by side inside their table.
// Cards are drop targets (form-dnd.js), buttons move and remove, keys do the same:
// Enter/Space selects, Delete removes (after a confirmation), Alt+↑/↓ (Alt+←/→ in a table) moves,
// ↑/↓ move the focus.
import { h, problemBadge, markProblems } from "./ui.js";
import { controlPreview } from "./form-controls.js";
import { sameLabel } from "./problem-words.js";
import { txt } from "./loc.js";

export function renderCanvas(ctx) {
  const { form, formPointer, file, store, dragger } = ctx;
  const t = (k, p) => store.text(k, p);
  const kindOf = (type) => (store.meta.types || []).find((k) => k.name === type);
  const container = h("div", { class: "dz-canvas-fields", "data-drop": formPointer + "/fields", "data-drop-axis": "grid",
    "data-testid": "canvas-fields" });
  const fields = Array.isArray(form.fields) ? form.fields : [];
  fields.forEach((field, i) => container.append(fieldCard({ ...ctx, siblings: fields }, field, formPointer + "/fields/" + i, i, fields.length, kindOf, t)));
  if (!fields.length) {
    container.append(h("div", { class: "dz-empty text-secondary" }, t("form.drop_here")));
  }
  const canvas = h("div", { class: "dz-canvas card", "data-testid": "canvas" },
    h("div", { class: "card-header bg-white d-flex align-items-center gap-2" },
      h("span", { class: "fw-semibold", "data-testid": "canvas-title" }, txt(form.title) || form.name),
      problemBadge(store.problemsAt(file, formPointer).filter((p) => !/\/fields\/\d+/.test(p.pointer.slice(formPointer.length)))),
      h("span", { class: "small text-secondary ms-auto" }, t("form.canvas_hint"))),
    h("div", { class: "card-body" }, container));
  return canvas;
}

function tools(ctx, pointer, index, count, horizontal, t, label) {
  const prev = horizontal ? "←" : "↑";
  const next = horizontal ? "→" : "↓";
  return h("span", { class: "dz-field-tools btn-group btn-group-sm", "data-no-drag": "" },
    h("button", { type: "button", class: "btn btn-outline-secondary", disabled: index === 0,
      title: t(horizontal ? "form.move_left" : "form.move_up"), "aria-label": t(horizontal ? "form.move_left" : "form.move_up") + " " + label,
      "data-testid": "move-up", onclick: (e) => { e.stopPropagation(); ctx.move(pointer, -1); } }, prev),
    h("button", { type: "button", class: "btn btn-outline-secondary", disabled: index === count - 1,
      title: t(horizontal ? "form.move_right" : "form.move_down"), "aria-label": t(horizontal ? "form.move_right" : "form.move_down") + " " + label,
      "data-testid": "move-down", onclick: (e) => { e.stopPropagation(); ctx.move(pointer, 1); } }, next),
    h("button", { type: "button", class: "btn btn-outline-danger", title: t("form.remove"),
      "aria-label": t("form.remove") + " " + label, "data-testid": "remove-field",
      onclick: (e) => { e.stopPropagation(); ctx.remove(pointer); } }, "×"));
}

function keys(ctx, pointer, horizontal) {
  return (event) => {
    if (event.target !== event.currentTarget) { return; }
    const back = horizontal ? "ArrowLeft" : "ArrowUp";
    const forward = horizontal ? "ArrowRight" : "ArrowDown";
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); ctx.select(pointer); }
    else if (event.key === "Delete" || event.key === "Backspace") { event.preventDefault(); ctx.remove(pointer); }
    else if (event.altKey && (event.key === back || event.key === forward)) {
      event.preventDefault(); ctx.move(pointer, event.key === back ? -1 : 1);
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown" || event.key === "ArrowLeft" || event.key === "ArrowRight") {
      const cards = [...document.querySelectorAll("[data-field-card]")];
      const at = cards.indexOf(event.currentTarget);
      const step = event.key === "ArrowUp" || event.key === "ArrowLeft" ? -1 : 1;
      const target = cards[at + step];
      if (target) { event.preventDefault(); target.focus(); }
    }
  };
}

function fieldCard(ctx, field, pointer, index, count, kindOf, t) {
  const { store, file, dragger, selected } = ctx;
  const kind = kindOf(field && field.type);
  const label = (field && (txt(field.label) || field.name)) || "?";
  const problems = store.problemsAt(file, pointer);
  const own = kind && kind.is_table ? problems.filter((p) => !p.pointer.startsWith(pointer + "/fields/")) : problems;
  const isSelected = selected === pointer;
  const card = h("div", {
    class: "dz-field" + (isSelected ? " dz-selected" : "") + (kind && kind.is_table ? " dz-field-table" : ""),
    "data-drop-item": "", "data-index": String(index), "data-pointer": pointer, "data-field-card": "",
    "data-name": field && field.name, "data-testid": "field-card", tabindex: "0", role: "button",
    "aria-pressed": isSelected ? "true" : "false", "aria-label": label + " · " + (kind ? kind.label : field.type),
    onclick: () => ctx.select(pointer), onkeydown: keys(ctx, pointer, false),
  });
  if (kind && (kind.wide || kind.is_table)) { card.setAttribute("data-wide", ""); }
  markProblems(card, own);
  card.append(h("div", { class: "dz-field-head" },
    h("span", { class: "dz-drag-handle", "aria-hidden": "true", title: t("form.drag") }, "⠿"),
    h("span", { class: "dz-field-label" }, label, field && field.required ? h("span", { class: "dz-required", title: t("form.required") }, " *") : null),
    h("span", { class: "badge text-bg-light border dz-type" }, kind ? kind.label : String(field && field.type)),
    field && field.visible_if ? h("span", { class: "badge text-bg-info dz-cond-mark", title: field.visible_if }, t("form.conditional")) : null,
    field && field.unique ? h("span", { class: "badge text-bg-light border" }, t("form.unique_mark")) : null,
    dupLabelMark(ctx.siblings, field, t),
    problemBadge(own),
    tools(ctx, pointer, index, count, false, t, label)));
  if (kind && kind.is_table) {
    card.append(tableBody(ctx, field, pointer, kindOf, t));
  } else if (kind && kind.layout !== "check") {
    card.append(h("div", { class: "dz-field-control" }, controlPreview(field, kind, ctx)));
  } else {
    card.append(h("div", { class: "dz-field-control" }, controlPreview(field, kind, ctx)));
  }
  if (field && txt(field.help)) { card.append(h("div", { class: "form-text mt-1" }, txt(field.help))); }
  if (dragger) {
    dragger.source(card, () => ({ kind: "move", pointer, label, type: field && field.type }), { touchHandle: ".dz-drag-handle" });
  }
  return card;
}

function dupLabelMark(siblings, field, t) {
  const other = sameLabel(siblings, field);
  if (!other) { return null; }
  const warning = t("form.dup_label", { label: txt(field.label), name: other.name });
  return h("span", { class: "badge text-bg-warning dz-dup-label", title: warning, "aria-label": warning,
    "data-testid": "dup-label" }, t("form.dup_label_mark"));
}

function tableBody(ctx, table, pointer, kindOf, t) {
  const { store, file, dragger, selected } = ctx;
  const columns = Array.isArray(table.fields) ? table.fields : [];
  const row = h("div", { class: "dz-table-columns", "data-drop": pointer + "/fields", "data-drop-axis": "x",
    "data-testid": "table-columns", "data-table": table.name });
  columns.forEach((column, j) => {
    const at = pointer + "/fields/" + j;
    const kind = kindOf(column && column.type);
    const label = (column && (txt(column.label) || column.name)) || "?";
    const problems = store.problemsAt(file, at);
    const isSelected = selected === at;
    const cell = h("div", {
      class: "dz-column" + (isSelected ? " dz-selected" : ""), "data-drop-item": "", "data-index": String(j),
      "data-pointer": at, "data-field-card": "", "data-name": column && column.name, "data-testid": "column-card",
      tabindex: "0", role: "button", "aria-pressed": isSelected ? "true" : "false",
      "aria-label": label + " · " + (kind ? kind.label : column.type),
      onclick: (e) => { e.stopPropagation(); ctx.select(at); }, onkeydown: (e) => { e.stopPropagation(); keys(ctx, at, true)(e); },
    });
    markProblems(cell, problems);
    cell.append(
      h("div", { class: "dz-column-head" }, h("span", { class: "dz-drag-handle", "aria-hidden": "true" }, "⠿"),
        h("span", { class: "dz-field-label" }, label, column && column.required ? h("span", { class: "dz-required" }, " *") : null),
        problemBadge(problems)),
      h("div", { class: "small text-secondary" }, kind ? kind.label : String(column && column.type)),
      h("div", { class: "dz-field-control" }, controlPreview(column || {}, kind, ctx)),
      tools(ctx, at, j, columns.length, true, t, label));
    if (dragger) {
      dragger.source(cell, () => ({ kind: "move", pointer: at, label, type: column && column.type }), { touchHandle: ".dz-drag-handle" });
    }
    row.append(cell);
  });
  if (!columns.length) { row.append(h("div", { class: "dz-empty text-secondary small" }, t("form.drop_columns"))); }
  return h("div", { class: "dz-table-wrap" }, row, h("div", { class: "small text-secondary mt-1" }, t("form.table_hint")));
}
