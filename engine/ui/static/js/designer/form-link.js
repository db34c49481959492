// The property panel's editors of a link field's `filter` (只可选择: rows of linked form's field = this
// form's field or row column), `where` (the condition builder over the linked form) and `fill` (带出字段:
// rows of this form's field ← linked form's field). Rows come from link-model.js; every edit is one set().
//
//   linkOption(ctx, {key, field, form, pointer, set, t, label, problems, row})  -> element or null
//     key "filter" | "where" | "fill"; row(label, control, {help, problems}) is the panel's fieldRow
import { h } from "./ui.js";
import { txt } from "./loc.js";
import { get, parse, pointerOf } from "./pointers.js";
import { conditionEditor } from "./conditions.js";
import { checkExpression } from "./expr-check.js";
import { fieldInfo } from "./form-props.js";
import { linkedChoices, newFillRow, newFilterRow, ownChoices, pairsOf, removePair, setPair } from "./link-model.js";

function pick(value, choices, onChange, attrs) {
  const el = h("select", { class: "form-select form-select-sm", onchange: (e) => onChange(e.target.value), ...attrs },
    choices.map((c) => h("option", { value: c.name, selected: c.name === value, title: c.name }, c.label)));
  if (value && !choices.some((c) => c.name === value)) { el.append(h("option", { value, selected: true }, value)); }
  return el;
}

// The table field a column belongs to (null for a field of the record).
function tableOf(ctx, pointer) {
  const path = parse(pointer);
  return path.length >= 4 && path[path.length - 2] === "fields" && path[path.length - 4] === "fields"
    ? get(ctx.store.doc(ctx.file), pointerOf(path.slice(0, -2))) : null;
}

function rowsEditor({ map, name, t, left, right, sign, add, write }) {
  const testid = "link-" + name;
  const box = h("div", { class: "dz-link-rows", "data-testid": testid });
  pairsOf(map).forEach(([k, v], i) => {
    box.append(h("div", { class: "d-flex gap-1 align-items-center mb-1", "data-testid": `${testid}-row` },
      left(k, (next) => write(setPair(map, i, next, v)), { "data-testid": `${testid}-key-${i}`, "aria-label": t(`link.${name}.key`, { n: i + 1 }) }),
      h("span", { class: "text-secondary small px-1" }, sign),
      right(v, (next) => write(setPair(map, i, k, next)), { "data-testid": `${testid}-value-${i}`, "aria-label": t(`link.${name}.value`, { n: i + 1 }) }),
      h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t("form.remove"),
        "data-testid": `${testid}-remove-${i}`, onclick: () => write(removePair(map, i)) }, "×")));
  });
  box.append(h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": `${testid}-add`,
    onclick: () => { const row = add(); if (row) { write(setPair(map, pairsOf(map).length, row[0], row[1])); } } }, t(`link.${name}.add`)));
  return box;
}

export function linkOption(ctx, { key, field, form, pointer, set, t, label, problems, row }) {
  const target = field.form ? ctx.store.findForm(field.form) : null;
  if (!target) {
    return field[key] === undefined ? null
      : row(label, h("div", { class: "form-text" }, t("link.choose_form_first")), { problems });
  }
  const table = tableOf(ctx, pointer);
  const theirs = linkedChoices(target.form);
  const ownAll = ownChoices(form, table, field);
  const ownSelect = (list) => (value, onChange, attrs) => pick(value, list.concat(list.some((o) => o.name === "id") ? []
    : [{ name: "id", label: t("sys.id"), system: false }]), onChange, attrs);
  if (key === "filter") {
    return row(label, rowsEditor({ map: field.filter, name: "filter", t, sign: "=",
      left: (v, on, attrs) => pick(v, theirs, on, attrs), right: ownSelect(ownAll),
      add: () => newFilterRow(field.filter, target.form, ownAll),
      write: (next) => set("filter", next, t("form.changed", { what: label })) }),
    { problems, help: t(table ? "link.filter_help_row" : "link.filter_help", { form: txt(target.form.title) || target.form.name }) });
  }
  if (key === "fill") {
    const targets = table ? ownAll.filter((o) => o.row) : ownAll;
    return row(label, rowsEditor({ map: field.fill, name: "fill", t, sign: "←",
      left: (v, on, attrs) => pick(v, targets, on, attrs), right: (v, on, attrs) => pick(v, theirs, on, attrs),
      add: () => newFillRow(field.fill, target.form, targets),
      write: (next) => set("fill", next, t("form.changed", { what: label })) }),
    { problems, help: t(table ? "link.fill_help_row" : "link.fill_help") });
  }
  // where: a condition over the linked record, with the builder of visible_if
  const meta = ctx.store.meta;
  const fields = (target.form.fields || []).filter((f) => f && f.name && !Array.isArray(f.fields)).map((f) => fieldInfo(f, meta));
  const scope = { fields, system: [] };
  return row(label, conditionEditor({
    value: field.where || "", fields: fields.filter((f) => f.kind !== "rows" && f.kind !== "none"), text: t, testid: "link-where",
    check: (text) => { const r = checkExpression(text, scope, { condition: true }); return r ? t(r.key, r.params) : null; },
    onChange: (text) => set("where", text ? text : undefined, t("form.changed", { what: label })),
  }), { problems, help: t("link.where_help", { form: txt(target.form.title) || target.form.name }) });
}
