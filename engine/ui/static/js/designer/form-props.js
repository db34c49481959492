// The property panel of the selected field, generated from its type's options schema
// (meta.types[].options_schema) plus the keys every field has (the module schema's "field").
// Keys the panel does not know are listed and kept untouched. Every change is one store.change().
import { h, problemList } from "./ui.js";
import { get } from "./pointers.js";
import { conditionEditor } from "./conditions.js";
import { checkExpression } from "./expr-check.js";
import { sameLabel } from "./problem-words.js";
import { nameProblem, NAME_RE } from "./form-model.js";
import { optionLabel } from "./form-controls.js";
import { txt } from "./loc.js";
import { locInput } from "./loc-input.js";
import { linkOption } from "./form-link.js";
import { colorOf, colorPicker, paletteOf, setOptionColor } from "./form-colors.js";

// Keys of a field drawn by the panel's fixed part; options of the type come after them.
const COMMON = ["name", "type", "label", "help", "placeholder", "required", "unique", "readonly", "index",
  "warn_duplicates", "default", "visible_if", "renamed_from"];

// A link's keys in the order people set them: the form, which of its records, what they fill in.
const LINK_ORDER = ["form", "link", "filter", "where", "fill", "fill_mode"];

let uid = 0;
function fieldRow(label, control, { help = null, problems = null, inline = false } = {}) {
  uid += 1;
  const id = "dz-p" + uid;
  const target = control.matches && control.matches("input, select, textarea") ? control : control.querySelector && control.querySelector("input, select, textarea");
  if (target && !target.id) { target.id = id; }
  if (inline) {
    return h("div", { class: "form-check mb-2" }, control, h("label", { class: "form-check-label", for: target ? target.id : id }, label),
      help ? h("div", { class: "form-text" }, help) : null, problemList(problems));
  }
  return h("div", { class: "mb-2" }, h("label", { class: "form-label small fw-semibold mb-1", for: target ? target.id : id }, label),
    control, help ? h("div", { class: "form-text" }, help) : null, problemList(problems));
}

function textInput(value, onCommit, attrs = {}) {
  return h("input", { class: "form-control form-control-sm", value: value === undefined || value === null ? "" : String(value),
    onchange: (e) => onCommit(e.target.value), onkeydown: (e) => { if (e.key === "Enter") { e.target.blur(); } }, ...attrs });
}

function checkbox(value, onCommit, attrs = {}) {
  return h("input", { class: "form-check-input", type: "checkbox", checked: Boolean(value),
    onchange: (e) => onCommit(e.target.checked), ...attrs });
}

function select(value, choices, onCommit, attrs = {}) {
  return h("select", { class: "form-select form-select-sm", onchange: (e) => onCommit(e.target.value), ...attrs },
    choices.map(([v, label]) => h("option", { value: v, selected: String(value === undefined || value === null ? "" : value) === v }, label)));
}

export function clientKind(field, kind) {
  if (!kind) { return "text"; }
  if (kind.computed && field.result) { return field.result; }
  return kind.client_kind || "text";
}

export function fieldInfo(field, meta) {
  const kind = (meta.types || []).find((k) => k.name === (field && field.type));
  const options = Array.isArray(field && field.options)
    ? field.options.map((o) => ({ value: typeof o === "object" ? o.value : String(o), label: optionLabel(o) })) : null;
  return { name: field.name, label: txt(field.label) || field.name, kind: clientKind(field, kind), options, type: kind };
}

export function renderProps(ctx) {
  const { store, file, pointer, formPointer } = ctx;
  const t = (k, p) => store.text(k, p);
  const doc = store.doc(file);
  const field = get(doc, pointer);
  const form = get(doc, formPointer);
  if (!field || typeof field !== "object") { return h("div", { class: "text-secondary" }, t("form.select_hint")); }
  const kind = (store.meta.types || []).find((k) => k.name === field.type);
  const inTable = pointer.split("/").length > formPointer.split("/").length + 2;
  const siblings = get(doc, pointer.replace(/\/\d+$/, "")) || [];
  const at = (key) => store.problemsAt(file, pointer + "/" + key);
  const set = (key, value, label) => ctx.set(pointer, key, value, label || t("form.changed", { what: t("opt." + key) }));
  const panel = h("div", { class: "dz-props", "data-testid": "props", "data-pointer": pointer });
  const own = kind && kind.is_table ? store.problemsAt(file, pointer).filter((p) => !p.pointer.startsWith(pointer + "/fields/"))
    : store.problemsAt(file, pointer);

  const types = (store.meta.types || []).filter((k) => !inTable || (k.in_tables && !k.is_table));
  panel.append(h("div", { class: "d-flex align-items-center gap-2 mb-2" },
    h("h2", { class: "h6 mb-0 me-auto" }, txt(field.label) || field.name),
    h("select", { class: "form-select form-select-sm w-auto", "aria-label": t("form.type"), "data-testid": "prop-type",
      title: t("form.type_help"), onchange: (e) => ctx.changeType(pointer, e.target.value) },
    kind ? null : h("option", { value: field.type, selected: true }, String(field.type)),
    types.map((k) => h("option", { value: k.name, selected: k.name === field.type }, k.label))),
    h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "data-testid": "props-remove",
      onclick: () => ctx.remove(pointer) }, t("form.remove"))));
  const whole = own.filter((p) => !COMMON.concat(Object.keys((kind && kind.options_schema) || {})).some((k) => p.pointer.startsWith(pointer + "/" + k)));
  if (whole.length) { panel.append(h("div", { class: "alert alert-danger py-1 px-2 small", "data-testid": "props-problems" }, problemList(whole))); }

  // -- basics --------------------------------------------------------------------------------
  // a localized text: the Chinese text, and an English one beside it (loc-input.js)
  const loc = (key) => locInput({ value: field[key], commit: (v) => set(key, v), text: t, testid: "prop-" + key,
    make: (initial, onCommit, o) => textInput(initial, onCommit, { "data-testid": o.testid }) });
  const labelRow = fieldRow(t("opt.label"), loc("label"), { problems: at("label") });
  const twin = sameLabel(siblings, field);  // a warning, not a problem
  if (twin) {
    labelRow.append(h("div", { class: "small text-warning-emphasis", "data-testid": "prop-label-warning", role: "status" },
      t("form.dup_label", { label: txt(field.label), name: twin.name })));
  }
  panel.append(labelRow);
  const nameError = h("div", { class: "small text-danger", "data-testid": "prop-name-error" });
  const nameInput = textInput(field.name, (v) => {
    const problem = nameProblem(v, siblings, field);
    if (problem) { nameError.textContent = t(problem); return; }
    nameError.textContent = "";
    ctx.rename(pointer, v);
  }, { "data-testid": "prop-name", pattern: NAME_RE.source, spellcheck: "false", autocapitalize: "off",
    oninput: (e) => { const problem = nameProblem(e.target.value, siblings, field); nameError.textContent = problem ? t(problem) : ""; } });
  const nameRow = fieldRow(t("opt.name"), nameInput, { help: t("form.name_help"), problems: at("name") });
  nameRow.append(nameError);
  if (field.renamed_from) { nameRow.append(h("div", { class: "form-text" }, t("form.renamed_from", { name: field.renamed_from }))); }
  panel.append(nameRow);
  panel.append(fieldRow(t("opt.help"), loc("help"), { problems: at("help") }));
  if (kind && kind.input && !kind.computed && kind.layout === "control") {
    panel.append(fieldRow(t("opt.placeholder"), loc("placeholder"), { problems: at("placeholder") }));
  }

  // -- rules ---------------------------------------------------------------------------------
  const rules = h("fieldset", { class: "dz-props-group" }, h("legend", { class: "small fw-semibold" }, t("form.rules")));
  const flag = (key, shown = true) => {
    if (!shown) { return; }
    rules.append(fieldRow(t("opt." + key), checkbox(field[key], (v) => set(key, v ? true : (field[key] === false ? false : undefined)),
      { "data-testid": "prop-" + key }), { inline: true, problems: at(key), help: store.texts["opt." + key + ".help"] ? t("opt." + key + ".help") : null }));
  };
  const editable = kind ? !kind.computed : true;
  flag("required", editable);
  flag("unique", kind ? kind.can_be_unique && !inTable : true);
  flag("readonly", editable);
  flag("warn_duplicates", kind ? kind.can_be_unique && kind.searchable && !inTable : false);
  flag("index", kind ? kind.sortable && !kind.is_table && !inTable : false);
  panel.append(rules);

  // -- default -------------------------------------------------------------------------------
  if (kind && kind.default_schema && !kind.is_table && !kind.holds_file) { panel.append(defaultEditor(ctx, field, kind, set, at, t)); }

  // -- the type's own options ----------------------------------------------------------------
  const opts = Object.entries((kind && kind.options_schema) || {}).filter(([key]) => !(kind.is_table && key === "fields"));
  if (kind && kind.links) {
    const rank = (k) => (LINK_ORDER.includes(k) ? LINK_ORDER.indexOf(k) : LINK_ORDER.length);
    opts.sort(([a], [b]) => rank(a) - rank(b));
  }  // the form first, then what it offers
  if (opts.length) {
    const group = h("fieldset", { class: "dz-props-group", "data-testid": "type-options" }, h("legend", { class: "small fw-semibold" }, t("form.type_options", { type: kind.label })));
    for (const [key, schema] of opts) { group.append(optionEditor(ctx, field, kind, key, schema, set, at, t, form)); }
    panel.append(group);
  }

  // -- visible_if ----------------------------------------------------------------------------
  const scope = ctx.scope(pointer);
  const condFields = scope.fields.filter((f) => f.name !== field.name && f.kind !== "rows" && f.kind !== "none");
  panel.append(fieldRow(t("opt.visible_if"), conditionEditor({
    value: field.visible_if || "", fields: condFields, text: t, testid: "visible-if",
    check: (text) => { const r = checkExpression(text, scope, { condition: true }); return r ? t(r.key, r.params) : null; },
    onChange: (text) => set("visible_if", text ? text : undefined, t("form.changed", { what: t("opt.visible_if") })),
  }), { help: t("form.visible_if_help"), problems: at("visible_if") }));

  // -- keys the panel does not edit ---------------------------------------------------------
  const known = new Set(COMMON.concat(Object.keys((kind && kind.options_schema) || {})));
  const other = Object.keys(field).filter((k) => !known.has(k));
  if (other.length) {
    panel.append(h("div", { class: "small text-secondary mt-2", "data-testid": "props-other" }, t("form.other_keys"),
      h("ul", { class: "mb-0" }, other.map((k) => h("li", {}, h("code", {}, k + ": " + JSON.stringify(field[k])))))));
  }
  return panel;
}

function defaultEditor(ctx, field, kind, set, at, t) {
  const schema = kind.default_schema;
  const types = [].concat(schema.type || []);
  const current = field.default;
  const commit = (v) => set("default", v === "" || v === null ? undefined : v, t("form.changed", { what: t("opt.default") }));
  let control;
  if (Array.isArray(field.options) && !kind.multiple) {
    control = select(current, [["", "—"]].concat(field.options.map((o) => [typeof o === "object" ? o.value : String(o), optionLabel(o)])), commit, { "data-testid": "prop-default" });
  } else if (types.includes("boolean")) {
    control = select(current === true ? "true" : current === false ? "false" : "", [["", "—"], ["true", t("cond.yes")], ["false", t("cond.no")]],
      (v) => commit(v === "" ? undefined : v === "true"), { "data-testid": "prop-default" });
  } else if (types.includes("array")) {
    control = textInput(Array.isArray(current) ? current.join(", ") : "", (v) => commit(v.split(/[,，]/).map((s) => s.trim()).filter(Boolean)), { "data-testid": "prop-default" });
  } else if (types.includes("integer") && !types.includes("string")) {
    control = textInput(current, (v) => commit(v === "" ? undefined : (/^-?\d+$/.test(v) ? Number(v) : v)), { "data-testid": "prop-default", inputmode: "numeric" });
  } else {
    const pattern = schema.pattern || "";
    const special = pattern.includes("$today") ? "$today" : pattern.includes("$now") ? "$now" : kind.holds_user ? "$user" : null;
    control = h("div", { class: "input-group input-group-sm" },
      textInput(typeof current === "object" ? JSON.stringify(current) : current, (v) => commit(v), { "data-testid": "prop-default" }),
      special ? h("button", { type: "button", class: "btn btn-outline-secondary", "data-testid": "prop-default-special",
        onclick: () => commit(special) }, t("form.default." + special.slice(1))) : null);
  }
  return fieldRow(t("opt.default"), control, { help: t("form.default_help"), problems: at("default") });
}

function optionEditor(ctx, field, kind, key, schema, set, at, t, form) {
  const label = ctx.store.texts["opt." + key] ? t("opt." + key) : key;
  const help = ctx.store.texts["opt." + key] ? null : schema.description || null;
  const required = (kind.required_options || []).includes(key);
  const problems = at(key);
  const labelText = label + (required ? " *" : "");
  const value = field[key];
  const def = (kind.defaults || {})[key];
  if (key === "options") { return fieldRow(labelText, optionsEditor(ctx, field, t), { problems }); }
  if (kind.links && ["filter", "where", "fill"].includes(key)) {  // form-link.js: rows and the condition builder
    return linkOption(ctx, { key, field, form, pointer: ctx.pointer, set, t, label: labelText, problems, row: fieldRow }) || h("span");
  }
  if (schema.$ref === "#/$defs/expression") {
    return fieldRow(labelText, expressionEditor(ctx, field, key, set, t), { problems, help: t("form.formula_help") });
  }
  if (key === "form" && schema.$ref === "#/$defs/identifier") {
    const choices = [["", "—"]].concat(ctx.store.forms().map((f) => [f.form.name, (txt(f.form.title) || f.form.name) + " (" + f.form.name + ")"]));
    const row = fieldRow(labelText, select(value, choices, (v) => set(key, v || undefined), { "data-testid": "prop-" + key }), { problems });
    if (kind.links && value) {
      const target = ctx.store.findForm(value);
      const title = target && target.form.title_field;
      const shown = target && title ? (txt(((target.form.fields || []).find((f) => f.name === title) || {}).label) || title) : "id";
      row.append(h("div", { class: "form-text", "data-testid": "link-display" }, t("form.link_display", { field: shown, form: target ? txt(target.form.title) : value })));
      if (target) {
        // what a link shows is the target form's title field: chosen here for convenience
        const types = ctx.store.meta.types || [];
        const titled = (target.form.fields || []).filter((f) => f && f.name && (types.find((k) => k.name === f.type) || {}).can_title !== false
          && !(types.find((k) => k.name === f.type) || {}).is_table);
        row.append(fieldRow(t("form.link_shows"), select(title || "", [["", t("sys.id")]].concat(titled.map((f) => [f.name, txt(f.label) || f.name])),
          (v) => ctx.store.change((sources) => {
            const other = get(sources[target.file], target.pointer);
            if (v) { other.title_field = v; } else { delete other.title_field; }
          }, t("form.changed", { what: t("form.link_shows") })), { "data-testid": "prop-link-shows" }),
        { help: t("form.link_shows_help", { form: txt(target.form.title) || target.form.name }) }));
      }
    }
    return row;
  }
  if (key === "link" && schema.$ref === "#/$defs/identifier" && field.form) {
    const target = ctx.store.findForm(field.form);
    const links = target ? (target.form.fields || []).filter((f) => f.form === form.name && (ctx.store.meta.types.find((k) => k.name === f.type) || {}).links) : [];
    const choices = [["", "—"]].concat(links.map((f) => [f.name, txt(f.label) || f.name]));
    if (value && !links.some((f) => f.name === value)) { choices.push([value, value]); }
    return fieldRow(labelText, select(value, choices, (v) => set(key, v || undefined), { "data-testid": "prop-" + key }), { problems });
  }
  if (key === "role" && schema.$ref === "#/$defs/identifier") {
    const roles = [];
    for (const file of ctx.store.files()) { for (const r of ctx.store.doc(file).roles || []) { roles.push([r.name, (txt(r.title) || r.name) + " (" + r.name + ")"]); } }
    return fieldRow(labelText, select(value, [["", t("form.any_role")]].concat(roles), (v) => set(key, v || undefined), { "data-testid": "prop-" + key }), { problems });
  }
  if (key === "value" && typeof schema.pattern === "string" && schema.pattern.includes("count")) {
    return fieldRow(labelText, aggregateEditor(ctx, field, key, set, t), { problems });
  }
  if (Array.isArray(schema.enum)) {
    const choices = (required || def !== undefined ? [] : [["", "—"]]).concat(schema.enum.map((v) => [String(v), ctx.store.texts["enum." + v] ? t("enum." + v) : String(v)]));
    return fieldRow(labelText, select(value === undefined ? def : value, choices, (v) => set(key, v === "" ? undefined : v), { "data-testid": "prop-" + key }), { problems, help });
  }
  const types = [].concat(schema.type || []);
  if (types.length === 1 && types[0] === "boolean") {
    return fieldRow(labelText, checkbox(value, (v) => set(key, v || undefined), { "data-testid": "prop-" + key }), { problems, help, inline: true });
  }
  if (types.length === 1 && types[0] === "integer") {
    return fieldRow(labelText, textInput(value, (v) => set(key, v === "" ? undefined : (/^-?\d+$/.test(v.trim()) ? Number(v) : v)),
      { "data-testid": "prop-" + key, inputmode: "numeric", placeholder: def !== undefined ? String(def) : "" }), { problems, help });
  }
  if (types.includes("number") && types.includes("string")) {
    return fieldRow(labelText, textInput(value, (v) => set(key, v === "" ? undefined : (/^-?\d+$/.test(v.trim()) ? Number(v) : v.trim())),
      { "data-testid": "prop-" + key, inputmode: "decimal" }), { problems, help });
  }
  if (types.length === 1 && types[0] === "array" && schema.items && [].concat(schema.items.type || []).includes("string")) {
    return fieldRow(labelText, textInput(Array.isArray(value) ? value.join(", ") : "", (v) => {
      const list = v.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean);
      set(key, list.length ? list : undefined);
    }, { "data-testid": "prop-" + key, placeholder: def && def.length ? def.join(", ") : "" }), { problems, help: help || t("form.list_help") });
  }
  if (types.length === 1 && types[0] === "string") {
    return fieldRow(labelText, textInput(value, (v) => set(key, v === "" ? undefined : v), { "data-testid": "prop-" + key, spellcheck: "false" }), { problems, help });
  }
  // anything else: edited as JSON
  return fieldRow(labelText, h("textarea", { class: "form-control form-control-sm font-monospace", rows: "2", "data-testid": "prop-" + key,
    value: value === undefined ? "" : JSON.stringify(value), onchange: (e) => {
      const text = e.target.value.trim();
      if (!text) { set(key, undefined); return; }
      try { set(key, JSON.parse(text)); e.target.classList.remove("is-invalid"); } catch (err) { e.target.classList.add("is-invalid"); }
    } }), { problems, help });
}

function optionsEditor(ctx, field, t) {
  const options = Array.isArray(field.options) ? field.options : [];
  const objects = options.some((o) => o && typeof o === "object");
  const box = h("div", { class: "dz-options", "data-testid": "options-editor" });
  const write = (next, label) => ctx.set(ctx.pointer, "options", next, label || t("form.changed", { what: t("opt.options") }));
  const copy = () => JSON.parse(JSON.stringify(options));
  const palette = paletteOf(ctx.store.meta);
  options.forEach((option, i) => {
    const isObject = option && typeof option === "object";
    const value = isObject ? option.value : option;
    const row = h("div", { class: "d-flex gap-1 mb-1 dz-option-row", "data-testid": "option-row" },
      h("input", { class: "form-control form-control-sm", value: value || "", "aria-label": t("form.option_value", { n: i + 1 }),
        "data-testid": "option-value-" + i, onchange: (e) => {
          const next = copy();
          if (isObject) { next[i].value = e.target.value; } else { next[i] = e.target.value; }
          write(next);
        } }),
      objects ? h("div", { class: "flex-grow-1" }, locInput({ value: isObject ? option.label : undefined, text: t, testid: "option-label-" + i,
        make: (initial, onCommit, o) => h("input", { class: "form-control form-control-sm", value: initial,
          "aria-label": t("form.option_label", { n: i + 1 }), placeholder: t("form.option_label_ph"), "data-testid": o.testid,
          onchange: (e) => onCommit(e.target.value) }),
        commit: (label) => {
          const next = copy();
          if (!isObject) { next[i] = { value: next[i] }; }
          if (label !== undefined) { next[i].label = label; } else { delete next[i].label; }
          write(next);
        } })) : null,
      h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: i === 0, "aria-label": t("form.move_up"),
        "data-testid": "option-up-" + i, onclick: () => { const next = copy(); next.splice(i - 1, 0, next.splice(i, 1)[0]); write(next); } }, "↑"),
      h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t("form.remove"),
        "data-testid": "option-remove-" + i, disabled: options.length <= 1,
        onclick: () => { const next = copy(); next.splice(i, 1); write(next); } }, "×"));
    box.append(row);
    if (palette.length) {
      box.append(h("div", { class: "dz-option-color mb-2" }, colorPicker({
        palette, value: colorOf(option), text: t, label: t("form.option_color", { n: i + 1 }), testid: "option-color-" + i,
        onPick: (color) => write(setOptionColor(options, i, color), t("form.option_color_set")) })));
    }
  });
  box.append(h("div", { class: "d-flex flex-wrap gap-1" },
    h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": "option-add", onclick: () => {
      const next = copy();
      const taken = new Set(next.map((o) => (o && typeof o === "object" ? o.value : o)));
      let n = next.length + 1;
      while (taken.has(t("form.option_n", { n }))) { n += 1; }
      const text = t("form.option_n", { n });
      next.push(objects ? { value: text, label: text } : text);
      write(next, t("form.option_added"));
    } }, t("form.option_add")),
    objects ? null : h("button", { type: "button", class: "btn btn-sm btn-link", "data-testid": "option-split", onclick: () => {
      write(options.map((o) => ({ value: String(o), label: String(o) })), t("form.option_split"));
    } }, t("form.option_split"))));
  return box;
}

function expressionEditor(ctx, field, key, set, t) {
  const scope = ctx.scope(ctx.pointer);
  const status = h("div", { class: "small mt-1", "data-testid": "formula-check", role: "status" });
  const area = h("textarea", { class: "form-control form-control-sm font-monospace", rows: "2", spellcheck: "false",
    value: field[key] || "", "data-testid": "prop-" + key });
  const checkNow = () => {
    const text = area.value.trim();
    if (!text) { status.textContent = ""; status.className = "small mt-1"; return; }
    const result = checkExpression(text, scope, { condition: false });
    status.textContent = result ? t(result.key, result.params) : t("expr.ok");
    status.className = "small mt-1 " + (result ? "text-danger" : "text-success");
  };
  area.addEventListener("input", checkNow);
  area.addEventListener("change", () => set(key, area.value.trim() || undefined));
  const insert = (text) => {
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? area.value.length;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + text.length;
    checkNow();
    set(key, area.value.trim() || undefined);
  };
  const choices = [];
  for (const f of scope.fields) {
    if (f.name === field.name) { continue; }
    if (f.columns) { for (const c of f.columns) { choices.push([`sum(${f.name}.${c.name})`, `${f.label} · ${c.label} (Σ)`]); } }
    else { choices.push([f.name, `${f.label} (${f.name})`]); }
  }
  const picker = h("select", { class: "form-select form-select-sm", "aria-label": t("form.insert_field"), "data-testid": "formula-field-picker",
    onchange: (e) => { if (e.target.value) { insert(e.target.value); e.target.value = ""; } } },
  h("option", { value: "" }, t("form.insert_field")), choices.map(([v, l]) => h("option", { value: v }, l)));
  const functions = h("select", { class: "form-select form-select-sm", "aria-label": t("form.insert_function"), "data-testid": "formula-function-picker",
    onchange: (e) => { if (e.target.value) { insert(e.target.value + "()"); e.target.value = ""; } } },
  h("option", { value: "" }, t("form.insert_function")), (ctx.store.meta.functions || []).map((fn) => h("option", { value: fn }, fn + "()")));
  const box = h("div", { class: "dz-expression" }, area, h("div", { class: "d-flex gap-1 mt-1" }, picker, functions), status);
  checkNow();
  return box;
}

function aggregateEditor(ctx, field, key, set, t) {
  const value = field[key] || "";
  const m = /^(count|sum|avg|min|max)\(([a-z0-9_]*)\)$/.exec(value);
  const fn = m ? m[1] : "count";
  const arg = m ? m[2] : "";
  const target = field.form ? ctx.store.findForm(field.form) : null;
  const numeric = target ? (target.form.fields || []).filter((f) => ((ctx.store.meta.types.find((k) => k.name === f.type) || {}).aggregates || []).length
    || ((ctx.store.meta.types.find((k) => k.name === f.type) || {}).numeric)) : [];
  const write = (f, a) => set(key, f === "count" ? "count()" : `${f}(${a || (numeric[0] && numeric[0].name) || ""})`);
  return h("div", { class: "d-flex gap-1" },
    select(fn, ["count", "sum", "avg", "min", "max"].map((f) => [f, t("agg." + f)]), (v) => write(v, arg), { "data-testid": "prop-value-fn" }),
    fn === "count" ? null : select(arg, [["", "—"]].concat(numeric.map((f) => [f.name, txt(f.label) || f.name])), (v) => write(fn, v), { "data-testid": "prop-value-field" }));
}
