// perms-rule.js: the condition box of the 权限 and 提醒 tabs — a row rule (`where`) or a reminder's
// `when`. The condition builder is the shell's conditions.js (shared by the whole designer: rows of
// field / operator / value, or an expression box when the condition is not simple); this box adds a
// few ready-made rules and the help. Without conditions.js it is an expression box alone.
//
//   conditionBox({store, form, value, onApply(text), presets: [{label, text}], key, label, testid})
//     -> element. onApply gets the trimmed expression ("" = none) whenever the condition changes.
//   conditionFields(form) (perms-dom.js) and kindOf(type) give the builder its field list.

import { h } from "./ui.js";
import { conditionFields, t } from "./perms-dom.js";
import { SYSTEM_ATTRIBUTES } from "./perms-model.js";
import { txt } from "./loc.js";

let conditions = null;  // the shell's conditions.js once loaded (null: not there, the box alone)
let checker = null;     // expr-check.js: a live check of the expression box
export const ready = Promise.all([
  import("./conditions.js").then((module) => { conditions = module; }).catch(() => { conditions = null; }),
  import("./expr-check.js").then((module) => { checker = module; }).catch(() => { checker = null; }),
]);

/** The client kind of a field type for the builder's value input (text when unsure). */
export function kindOf(type) {
  if (["integer", "rating", "serial"].includes(type)) return "integer";
  if (["decimal", "formula", "rollup"].includes(type)) return "decimal";
  if (["boolean", "date", "datetime", "user"].includes(type)) return type;
  if (type === "multiselect") return "list";
  if (type === "table") return "rows";
  if (type === "system") return "text";
  return "text";
}

const SYSTEM_KINDS = { id: "integer", version: "integer", created_at: "datetime", updated_at: "datetime" };

/** A select's options, or the workflow's stages for `stage`, as [{value, label}] (null: type a value). */
function optionsOf(form, f) {
  if (f.system && f.name === "stage") {
    const stages = form.workflow && Array.isArray(form.workflow.stages) ? form.workflow.stages : [];
    const list = stages.filter((s) => s && typeof s.name === "string").map((s) => ({ value: s.name, label: txt(s.title) || s.name }));
    return list.length ? list : null;
  }
  if (!Array.isArray(f.options)) return null;
  return f.options.map((o) => (o && typeof o === "object" ? { value: o.value, label: txt(o.label) || o.value } : { value: o, label: String(o) }))
    .filter((o) => typeof o.value === "string");
}

const SYSTEM_LABELS = { id: "perms.system.id", stage: "perms.system.stage", version: "perms.system.version",
  created_by: "reminders.system.created_by", created_at: "reminders.system.created_at", updated_at: "reminders.system.updated_at" };

function builderFields(store, form) {
  return conditionFields(form).filter((f) => form.workflow || f.name !== "stage").map((f) => ({
    name: f.name, label: f.system ? (SYSTEM_LABELS[f.name] ? t(store, SYSTEM_LABELS[f.name]) : f.name) : `${txt(f.label)} (${f.name})`,
    kind: f.system ? (SYSTEM_KINDS[f.name] || "text") : kindOf(f.type),
    options: optionsOf(form, f),
  }));
}

function scopeOf(form) {
  const fields = (Array.isArray(form.fields) ? form.fields : []).filter((f) => f && typeof f.name === "string").map((f) => ({
    name: f.name, kind: kindOf(f.type),
    columns: Array.isArray(f.fields) ? f.fields.filter((c) => c && c.name).map((c) => ({ name: c.name, kind: kindOf(c.type) })) : null,
    target: f.type === "link" ? [] : null,
  }));
  return { fields, system: [...SYSTEM_ATTRIBUTES] };
}

export function conditionBox({ store, form, value = "", onApply, presets = [], key, label, testid = "condition" }) {
  const box = h("div", { class: "dz-cond", "data-testid": testid });
  const apply = (text) => onApply(String(text || "").trim());
  const title = label || t(store, "perms.rule.expression");
  let area = null;
  if (conditions && typeof conditions.conditionEditor === "function") {
    const check = checker && typeof checker.checkExpression === "function" ? (text) => {
      try {
        const found = checker.checkExpression(text, scopeOf(form), { condition: true });
        return found ? store.text(found.key, found.params) : null;
      } catch { return null; }
    } : null;
    try {
      box.append(h("div", { class: "form-label small mb-1" }, title),
        conditions.conditionEditor({ value, fields: builderFields(store, form), text: (k, p) => store.text(k, p), onChange: apply, check, testid }));
    } catch (error) {
      console.error(error);
    }
  }
  if (box.childElementCount === 0) {  // no builder: the expression box alone
    const id = `dz-${key.replace(/[^a-z0-9]+/gi, "-")}`;
    area = h("textarea", {
      id, class: "form-control form-control-sm font-monospace dz-cond-expr", rows: 2, spellcheck: "false",
      "data-key": `${key}.expr`, "data-testid": `${testid}-text`, value,
      onchange: () => apply(area.value),
      onkeydown: (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); apply(area.value); }
      },
    });
    area.defaultValue = value;
    box.append(h("label", { class: "form-label small mb-1", for: id }, title), area);
  }
  box.append(h("div", { class: "form-text mt-1" }, t(store, "perms.rule.help")));
  if (presets.length) {
    box.append(h("div", { class: "d-flex flex-wrap gap-1 mt-1 align-items-center" },
      h("span", { class: "small text-secondary" }, t(store, "perms.rule.presets")),
      presets.map((preset) => h("button", { type: "button", class: "btn btn-sm btn-outline-secondary dz-cond-preset",
        "data-testid": `${testid}-preset`, title: preset.text, onclick: () => apply(preset.text) }, preset.label))));
  }
  return box;
}
