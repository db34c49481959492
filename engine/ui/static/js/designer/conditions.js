// Conditions as rows people can edit ("等级 = A 且 数量 ≥ 100") and as expression text.
// Used by visible_if (form tab), transition and approval-step conditions (flow) and row rules (perms).
//
//   parseSimple(text) -> {join: "and"|"or", rows: [{field, op, value}]} or null when the text is
//       not a simple condition (then show the expression box). `field` is "name" or "link.name",
//       `op` a key of OPERATORS, `value` an IR node: {t:"lit", v}, {t:"dec", v}, {t:"user"},
//       {t:"call", fn:"today"|"now", args:[]} or {t:"list", items:[...]}; null for empty/not_empty.
//   printSimple(model) -> expression text (canonical spacing, 'single quotes')
//   OPERATORS           -> op -> {symbol, list: bool (value is a list), none: bool (no value)}
//   valueNode(input, kind)   -> an IR value from what was typed, for a field of client kind `kind`
//                               ("integer", "decimal", "boolean", "text", "date", "user", ...)
//   valueText(node)          -> the text to show in an input for an IR value
//   conditionEditor({...})   -> a DOM widget (see below)
import { parseExpression, printExpression, quote, ExprSyntaxError } from "./expr-parse.js";
import { h, clear } from "./ui.js";

export const OPERATORS = {
  "==": { symbol: "=" },
  "!=": { symbol: "≠" },
  "<": { symbol: "<" },
  "<=": { symbol: "≤" },
  ">": { symbol: ">" },
  ">=": { symbol: "≥" },
  "in": { symbol: "∈", list: true },
  "not in": { symbol: "∉", list: true },
  "empty": { symbol: "∅", none: true },
  "not_empty": { symbol: "≠ ∅", none: true },
};

function isValue(node) {
  if (!node) { return false; }
  if (node.t === "lit" || node.t === "dec" || node.t === "user") { return true; }
  if (node.t === "call") { return (node.fn === "today" || node.fn === "now") && node.args.length === 0; }
  return false;
}

function rowOf(node) {
  if (node.t !== "cmp" || node.left.t !== "field") { return null; }
  const field = node.left.path.join(".");
  if (node.op === "in" || node.op === "not in") {
    if (node.right.t !== "list" || !node.right.items.every((i) => i.t === "lit" || i.t === "dec")) { return null; }
    return { field, op: node.op, value: node.right };
  }
  if (!isValue(node.right)) { return null; }
  if (node.right.t === "lit" && node.right.v === null && (node.op === "==" || node.op === "!=")) {
    return { field, op: node.op === "==" ? "empty" : "not_empty", value: null };
  }
  return { field, op: node.op, value: node.right };
}

export function parseSimple(text) {
  if (text === undefined || text === null || String(text).trim() === "") { return { join: "and", rows: [] }; }
  let root;
  try { root = parseExpression(text).root; } catch (e) { return null; }
  if (root.t === "and" || root.t === "or") {
    const rows = root.args.map(rowOf);
    return rows.every(Boolean) ? { join: root.t, rows } : null;
  }
  const row = rowOf(root);
  return row ? { join: "and", rows: [row] } : null;
}

export function rowNode(row) {
  const left = { t: "field", path: row.field.split(".") };
  if (row.op === "empty" || row.op === "not_empty") {
    return { t: "cmp", op: row.op === "empty" ? "==" : "!=", left, right: { t: "lit", v: null } };
  }
  return { t: "cmp", op: row.op, left, right: row.value || { t: "lit", v: null } };
}

export function printSimple(model) {
  const rows = (model && model.rows || []).filter((r) => r.field);
  if (!rows.length) { return ""; }
  if (rows.length === 1) { return printExpression(rowNode(rows[0])); }
  return printExpression({ t: model.join === "or" ? "or" : "and", args: rows.map(rowNode) });
}

export function valueNode(input, kind) {
  const text = String(input === undefined || input === null ? "" : input).trim();
  if (text === "$user") { return { t: "user" }; }
  if (text === "today()" || text === "now()") { return { t: "call", fn: text.slice(0, -2), args: [] }; }
  if (kind === "boolean") { return { t: "lit", v: /^(true|1|yes|是)$/i.test(text) }; }
  if (kind === "integer" && /^-?[0-9]+$/.test(text)) { return { t: "lit", v: Number(text) }; }
  if ((kind === "decimal" || kind === "integer" || kind === "rating") && /^-?[0-9]+(\.[0-9]+)?$/.test(text)) {
    return text.includes(".") ? { t: "dec", v: text } : { t: "lit", v: Number(text) };
  }
  return { t: "lit", v: text };
}

export function valueText(node) {
  if (!node) { return ""; }
  if (node.t === "lit") { return node.v === null ? "" : String(node.v); }
  if (node.t === "dec") { return node.v; }
  if (node.t === "list") { return node.items.map(valueText).join(", "); }
  return printExpression(node);
}

export function listNode(input, kind) {
  const parts = Array.isArray(input) ? input : String(input || "").split(/[,，]/);
  return { t: "list", items: parts.map((p) => String(p).trim()).filter(Boolean).map((p) => valueNode(p, kind)) };
}

export { quote, ExprSyntaxError };

// -- the widget ----------------------------------------------------------------------------
// conditionEditor({value, fields, text, onChange, check, testid}) -> element
//   value:    the current expression text ("" = none)
//   fields:   [{name: "grade", label: "等级", kind: "text", options: [{value, label}] | null}]
//   text:     (key, params) -> UI text (store.text); keys "cond.*"
//   onChange: (newText) -> void, called with the new expression text ("" = remove)
//   check:    (text) -> null | message (optional live check of the expression box)
export function conditionEditor({ value = "", fields = [], text = (k) => k, onChange, check = null, testid = "condition" }) {
  const root = h("div", { class: "dz-condition", "data-testid": testid });
  let model = parseSimple(value);
  let mode = model ? "rows" : "text";
  if (!model) { model = { join: "and", rows: [] }; }
  let current = value || "";

  const emit = (next) => {
    if (next === current) { return; }
    current = next;
    onChange(next);
  };

  const fieldOf = (name) => fields.find((f) => f.name === name);

  const valueInput = (row, index) => {
    const op = OPERATORS[row.op] || {};
    if (op.none) { return null; }
    const field = fieldOf(row.field) || { kind: "text" };
    const update = (raw) => {
      row.value = op.list ? listNode(raw, field.kind) : valueNode(raw, field.kind);
      emit(printSimple(model));
    };
    if (field.options && field.options.length && !op.list) {
      const select = h("select", { class: "form-select form-select-sm", "aria-label": text("cond.value"),
        "data-testid": `${testid}-value-${index}`, onchange: (e) => update(e.target.value) },
        h("option", { value: "" }, "—"),
        field.options.map((o) => h("option", { value: o.value, selected: valueText(row.value) === o.value }, o.label)));
      return select;
    }
    if (field.kind === "boolean" && !op.list) {
      return h("select", { class: "form-select form-select-sm", "aria-label": text("cond.value"),
        "data-testid": `${testid}-value-${index}`, onchange: (e) => update(e.target.value) },
        h("option", { value: "true", selected: valueText(row.value) === "true" }, text("cond.yes")),
        h("option", { value: "false", selected: valueText(row.value) === "false" }, text("cond.no")));
    }
    return h("input", { class: "form-control form-control-sm", value: valueText(row.value),
      "aria-label": text("cond.value"), "data-testid": `${testid}-value-${index}`,
      placeholder: op.list ? text("cond.list_hint") : "", onchange: (e) => update(e.target.value) });
  };

  const render = () => {
    clear(root);
    const tabs = h("div", { class: "btn-group btn-group-sm mb-1", role: "group" },
      h("button", { type: "button", class: "btn " + (mode === "rows" ? "btn-secondary" : "btn-outline-secondary"),
        "data-testid": `${testid}-mode-rows`, onclick: () => {
          const parsed = parseSimple(current);
          if (!parsed) { problem.textContent = text("cond.not_simple"); return; }
          model = parsed; mode = "rows"; render();
        } }, text("cond.builder")),
      h("button", { type: "button", class: "btn " + (mode === "text" ? "btn-secondary" : "btn-outline-secondary"),
        "data-testid": `${testid}-mode-text`, onclick: () => { mode = "text"; render(); } }, text("cond.expression")));
    const problem = h("div", { class: "small text-danger dz-cond-problem", "data-testid": `${testid}-problem` });
    root.append(tabs);
    if (mode === "text") {
      const box = h("textarea", { class: "form-control form-control-sm font-monospace", rows: 2, value: current,
        spellcheck: "false", "aria-label": text("cond.expression"), "data-testid": `${testid}-text`,
        oninput: (e) => { problem.textContent = e.target.value.trim() && check ? (check(e.target.value) || "") : ""; },
        onchange: (e) => emit(e.target.value.trim()) });
      root.append(box, problem);
      if (current && check) { problem.textContent = check(current) || ""; }
      return;
    }
    if (model.rows.length > 1) {
      root.append(h("select", { class: "form-select form-select-sm w-auto mb-1", "aria-label": text("cond.join"),
        "data-testid": `${testid}-join`, onchange: (e) => { model.join = e.target.value; emit(printSimple(model)); } },
        h("option", { value: "and", selected: model.join === "and" }, text("cond.all")),
        h("option", { value: "or", selected: model.join === "or" }, text("cond.any"))));
    }
    model.rows.forEach((row, index) => {
      const line = h("div", { class: "d-flex gap-1 mb-1 dz-cond-row", "data-testid": `${testid}-row` },
        h("select", { class: "form-select form-select-sm", "aria-label": text("cond.field"),
          "data-testid": `${testid}-field-${index}`, onchange: (e) => { row.field = e.target.value; emit(printSimple(model)); render(); } },
          h("option", { value: "" }, "—"),
          fieldOf(row.field) || !row.field ? null : h("option", { value: row.field, selected: true }, row.field),
          fields.map((f) => h("option", { value: f.name, selected: f.name === row.field }, f.label || f.name))),
        h("select", { class: "form-select form-select-sm dz-cond-op", "aria-label": text("cond.operator"),
          "data-testid": `${testid}-op-${index}`, onchange: (e) => {
            const before = OPERATORS[row.op] || {};
            row.op = e.target.value;
            const after = OPERATORS[row.op];
            if (after.none) { row.value = null; }
            else if (Boolean(after.list) !== Boolean(before.list)) {
              const kind = (fieldOf(row.field) || {}).kind;
              row.value = after.list ? listNode(valueText(row.value), kind) : valueNode(valueText(row.value), kind);
            }
            emit(printSimple(model)); render();
          } },
          Object.keys(OPERATORS).map((op) => h("option", { value: op, selected: op === row.op }, text("cond.op." + op)))),
        valueInput(row, index),
        h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": text("cond.remove"),
          title: text("cond.remove"), "data-testid": `${testid}-remove-${index}`,
          onclick: () => { model.rows.splice(index, 1); emit(printSimple(model)); render(); } }, "×"));
      root.append(line);
    });
    root.append(h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": `${testid}-add`,
      onclick: () => { model.rows.push({ field: fields.length ? fields[0].name : "", op: "==", value: { t: "lit", v: "" } }); render(); } },
    text("cond.add")));
    root.append(problem);
  };
  render();
  return root;
}
