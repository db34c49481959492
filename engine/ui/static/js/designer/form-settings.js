// The form's own settings: title, description, title and owner field, the list page (columns,
// filters, search fields, default order, page size) and the dashboard charts.
import { h, problemList } from "./ui.js";
import { get } from "./pointers.js";
import { conditionEditor } from "./conditions.js";
import { checkExpression } from "./expr-check.js";
import { fieldInfo } from "./form-props.js";
import { NAME_RE } from "./form-model.js";
import { txt } from "./loc.js";
import { locInput } from "./loc-input.js";

const SYSTEM = ["id", "stage", "created_by", "created_at", "updated_at"];

export function renderSettings(ctx) {
  const { store, file, formPointer } = ctx;
  const t = (k, p) => store.text(k, p);
  const form = get(store.doc(file), formPointer);
  const types = store.meta.types || [];
  const kindOf = (f) => types.find((k) => k.name === f.type) || {};
  const fields = (form.fields || []).filter((f) => f && typeof f === "object");
  const at = (suffix) => store.problemsAt(file, formPointer + suffix);
  const change = (mutate, what) => store.change((sources) => mutate(get(sources[file], formPointer)), t("form.changed", { what }));
  const labelOf = (name) => {
    if (SYSTEM.includes(name)) { return t("sys." + name); }
    const f = fields.find((x) => x.name === name);
    return f ? (txt(f.label) || f.name) : name;
  };
  const panel = h("div", { class: "dz-settings", "data-testid": "form-settings" });
  panel.append(h("h2", { class: "h6" }, t("form.settings_title", { form: txt(form.title) || form.name })));
  const general = at("").filter((p) => {
    const rest = p.pointer.slice(formPointer.length);
    return rest === "" || /^\/(name|title|description|icon|title_field|owner_field|fields)$/.test(rest);
  });
  if (general.length) { panel.append(h("div", { class: "alert alert-danger py-1 px-2 small" }, problemList(general))); }

  const row = (label, control, problems, help) => h("div", { class: "mb-2" },
    h("label", { class: "form-label small fw-semibold mb-1" }, label), control, help ? h("div", { class: "form-text" }, help) : null,
    problemList(problems));
  const input = (value, commit, attrs = {}) => h("input", { class: "form-control form-control-sm", value: value == null ? "" : String(value),
    onchange: (e) => commit(e.target.value), onkeydown: (e) => { if (e.key === "Enter") { e.target.blur(); } }, ...attrs });
  const choose = (value, choices, commit, attrs = {}) => h("select", { class: "form-select form-select-sm", onchange: (e) => commit(e.target.value), ...attrs },
    choices.map(([v, l]) => h("option", { value: v, selected: String(value ?? "") === v }, l)));
  const setKey = (key, value) => change((f) => { if (value === undefined || value === "") { delete f[key]; } else { f[key] = value; } }, t("form.key." + key));

  // localized texts: the Chinese text and an English one (loc-input.js)
  const loc = (value, commit, testid, attrs = {}) => locInput({ value, commit, text: t, testid,
    make: (initial, onCommit, o) => input(initial, onCommit, { ...attrs, "data-testid": o.testid }) });
  panel.append(row(t("form.key.title"), loc(form.title, (v) => setKey("title", v), "settings-title"), at("/title")));
  const live = ctx.isLive(form.name);
  panel.append(row(t("form.key.name"), input(form.name, (v) => { if (NAME_RE.test(v)) { setKey("name", v); } },
    { "data-testid": "settings-name", readonly: live, spellcheck: "false" }), at("/name"), live ? t("form.name_live") : t("form.name_help")));
  panel.append(row(t("form.key.description"), loc(form.description, (v) => setKey("description", v), "settings-description"), at("/description")));
  panel.append(row(t("form.key.title_field"), choose(form.title_field, [["", t("sys.id")]].concat(
    fields.filter((f) => kindOf(f).can_title !== false && !kindOf(f).is_table).map((f) => [f.name, txt(f.label) || f.name])),
  (v) => setKey("title_field", v || undefined), { "data-testid": "settings-title_field" }), at("/title_field")));
  panel.append(row(t("form.key.owner_field"), choose(form.owner_field, [["", t("sys.created_by")]].concat(
    fields.filter((f) => kindOf(f).holds_user).map((f) => [f.name, txt(f.label) || f.name])),
  (v) => setKey("owner_field", v || undefined), { "data-testid": "settings-owner_field" }), at("/owner_field"), t("form.owner_help")));

  // -- list page -----------------------------------------------------------------------------
  const list = form.list || {};
  const setList = (key, value) => change((f) => {
    if (!f.list) { f.list = {}; }
    if (value === undefined || (Array.isArray(value) && !value.length)) { delete f.list[key]; } else { f.list[key] = value; }
    if (!Object.keys(f.list).length) { delete f.list; }
  }, t("form.list." + key));
  const listBox = h("fieldset", { class: "dz-props-group", "data-testid": "settings-list" }, h("legend", { class: "small fw-semibold" }, t("form.list_page")));
  const columnable = fields.filter((f) => !kindOf(f).is_table).map((f) => f.name).concat(SYSTEM);
  listBox.append(row(t("form.list.columns"), orderedPicker(list.columns || [], columnable, labelOf, (v) => setList("columns", v), t, "columns"),
    at("/list/columns"), t("form.columns_help")));
  const checklist = (key, names) => h("div", { class: "dz-checklist", "data-testid": "settings-" + key }, names.map((name) =>
    h("label", { class: "form-check form-check-inline" },
      h("input", { class: "form-check-input", type: "checkbox", checked: (list[key] || []).includes(name), "data-name": name,
        onchange: (e) => {
          const now = (list[key] || []).filter((n) => n !== name);
          if (e.target.checked) { now.push(name); }
          setList(key, now);
        } }), h("span", { class: "form-check-label" }, labelOf(name)))));
  const filterable = fields.filter((f) => kindOf(f).filterable && !kindOf(f).is_table).map((f) => f.name)
    .concat(form.workflow ? ["stage"] : [], ["created_by", "created_at"]);
  listBox.append(row(t("form.list.filters"), checklist("filters", filterable), at("/list/filters")));
  listBox.append(row(t("form.list.search"), checklist("search", fields.filter((f) => kindOf(f).searchable).map((f) => f.name)), at("/list/search")));
  const order = list.order_by || "";
  const desc = order.startsWith("-");
  const orderField = order.replace(/^-/, "");
  const sortable = fields.filter((f) => kindOf(f).sortable && !kindOf(f).is_table).map((f) => f.name).concat(SYSTEM);
  listBox.append(row(t("form.list.order_by"), h("div", { class: "d-flex gap-1" },
    choose(orderField, [["", t("form.order_default")]].concat(sortable.map((n) => [n, labelOf(n)])),
      (v) => setList("order_by", v ? (desc ? "-" : "") + v : undefined), { "data-testid": "settings-order-field" }),
    choose(desc ? "desc" : "asc", [["asc", t("form.ascending")], ["desc", t("form.descending")]],
      (v) => orderField && setList("order_by", (v === "desc" ? "-" : "") + orderField), { "data-testid": "settings-order-dir", disabled: !orderField })),
  at("/list/order_by")));
  listBox.append(row(t("form.list.page_size"), input(list.page_size, (v) => setList("page_size", v === "" ? undefined : (/^\d+$/.test(v) ? Number(v) : v)),
    { "data-testid": "settings-page_size", inputmode: "numeric", placeholder: "20" }), at("/list/page_size")));
  panel.append(listBox);

  // -- the record's summary (tasks, notifications): up to 6 fields beside its title --------------
  const summarizable = fields.filter((f) => !kindOf(f).is_table).map((f) => f.name).concat(SYSTEM);
  panel.append(row(t("form.key.summary"), orderedPicker(form.summary || [], summarizable, labelOf,
    (v) => change((f) => { if (v.length) { f.summary = v; } else { delete f.summary; } }, t("form.key.summary")),
    t, "summary", { add: "form.add_summary", none: "form.summary_default" }), at("/summary"), t("form.summary_help")));

  // -- charts --------------------------------------------------------------------------------
  panel.append(chartsEditor(ctx, form, fields, kindOf, labelOf, change, row, input, choose, at, t));
  return panel;
}

// A list of names in order (↑ ↓ ×) and a picker adding one of the rest; also the print layouts' field lists
// (prints.js: its own test ids and words).
export function orderedPicker(chosen, all, labelOf, commit, t, testid, { prefix = "settings-", add = "form.add_column",
  none = "form.columns_default" } = {}) {
  const box = h("div", { class: "dz-ordered", "data-testid": prefix + testid });
  chosen.forEach((name, i) => box.append(h("div", { class: "d-flex align-items-center gap-1 mb-1", "data-name": name },
    h("span", { class: "flex-grow-1 small" }, labelOf(name)),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: i === 0, "aria-label": t("form.move_up") + " " + labelOf(name),
      onclick: () => { const next = chosen.slice(); next.splice(i - 1, 0, next.splice(i, 1)[0]); commit(next); } }, "↑"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: i === chosen.length - 1, "aria-label": t("form.move_down") + " " + labelOf(name),
      onclick: () => { const next = chosen.slice(); next.splice(i + 1, 0, next.splice(i, 1)[0]); commit(next); } }, "↓"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t("form.remove") + " " + labelOf(name),
      onclick: () => commit(chosen.filter((n) => n !== name)) }, "×"))));
  const rest = all.filter((n) => !chosen.includes(n));
  if (rest.length) {
    box.append(h("select", { class: "form-select form-select-sm", "aria-label": t(add), "data-testid": prefix + testid + "-add",
      onchange: (e) => { if (e.target.value) { commit(chosen.concat([e.target.value])); } } },
    h("option", { value: "" }, t(add)), rest.map((n) => h("option", { value: n }, labelOf(n)))));
  }
  if (!chosen.length && none) { box.prepend(h("div", { class: "form-text mt-0 mb-1" }, t(none))); }
  return box;
}

function chartsEditor(ctx, form, fields, kindOf, labelOf, change, row, input, choose, at, t) {
  const { store } = ctx;
  const schema = ((store.meta.schema || {}).$defs || {}).chart || { properties: {} };
  const chartTypes = ((schema.properties || {}).type || {}).enum || ["number", "bar", "pie", "funnel", "line"];
  const charts = Array.isArray(form.charts) ? form.charts : [];
  const box = h("fieldset", { class: "dz-props-group", "data-testid": "settings-charts" }, h("legend", { class: "small fw-semibold" }, t("form.charts")));
  const numeric = fields.filter((f) => (kindOf(f).aggregates || []).length || kindOf(f).numeric);
  const groupable = fields.filter((f) => kindOf(f).groupable && !kindOf(f).is_table).map((f) => f.name).concat(form.workflow ? ["stage"] : [], ["created_by", "created_at"]);
  const scope = { fields: fields.map((f) => fieldInfo(f, store.meta)) };
  charts.forEach((chart, i) => {
    const setChart = (key, value) => change((f) => {
      const c = f.charts[i];
      if (value === undefined || value === "") { delete c[key]; } else { c[key] = value; }
      if (key === "type" && value === "number") { delete c.group_by; delete c.interval; }
    }, t("form.chart_changed", { title: txt(chart.title) || i + 1 }));
    const m = /^(count|sum|avg|min|max)\(([a-z0-9_]*)\)$/.exec(chart.value || "count()");
    const fn = m ? m[1] : "count";
    const arg = m ? m[2] : "";
    const card = h("div", { class: "card card-body p-2 mb-2 dz-chart", "data-testid": "chart-card" },
      h("div", { class: "d-flex gap-1 mb-1" },
        h("div", { class: "flex-grow-1" }, locInput({ value: chart.title, commit: (v) => setChart("title", v), text: t, testid: "chart-title",
          make: (initial, onCommit, o) => input(initial, onCommit, { "aria-label": t("form.chart.title"), placeholder: t("form.chart.title"),
            "data-testid": o.testid }) })),
        h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t("form.remove"), "data-testid": "chart-remove",
          onclick: () => change((f) => { f.charts.splice(i, 1); if (!f.charts.length) { delete f.charts; } }, t("form.chart_removed")) }, "×")),
      problemList(at("/charts/" + i)));
    card.append(row(t("form.chart.type"), choose(chart.type, chartTypes.map((v) => [v, t("chart." + v)]), (v) => setChart("type", v), { "data-testid": "chart-type" })));
    if (chart.type !== "number") {
      card.append(row(t("form.chart.group_by"), choose(chart.group_by, [["", "—"]].concat(groupable.map((n) => [n, labelOf(n)])),
        (v) => setChart("group_by", v), { "data-testid": "chart-group_by" })));
    }
    const groupField = fields.find((f) => f.name === chart.group_by);
    if (chart.type !== "number" && (chart.interval || (groupField && kindOf(groupField).temporal) || ["created_at", "updated_at"].includes(chart.group_by))) {
      card.append(row(t("form.chart.interval"), choose(chart.interval || "day", ["day", "month", "year"].map((v) => [v, t("interval." + v)]),
        (v) => setChart("interval", v === "day" && !chart.interval ? undefined : v), { "data-testid": "chart-interval" })));
    }
    card.append(row(t("form.chart.value"), h("div", { class: "d-flex gap-1" },
      choose(fn, ["count", "sum", "avg", "min", "max"].map((f) => [f, t("agg." + f)]),
        (v) => setChart("value", v === "count" ? (chart.value ? "count()" : undefined) : `${v}(${arg || (numeric[0] && numeric[0].name) || ""})`), { "data-testid": "chart-fn" }),
      fn === "count" ? null : choose(arg, numeric.map((f) => [f.name, txt(f.label) || f.name]), (v) => setChart("value", `${fn}(${v})`), { "data-testid": "chart-field" }))));
    card.append(row(t("form.chart.where"), conditionEditor({ value: chart.where || "", fields: scope.fields.filter((f) => f.kind !== "rows"), text: t,
      testid: "chart-where-" + i, check: (text) => { const r = checkExpression(text, scope, { condition: true }); return r ? t(r.key, r.params) : null; },
      onChange: (text) => setChart("where", text || undefined) })));
    box.append(card);
  });
  box.append(h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": "chart-add",
    onclick: () => change((f) => {
      if (!f.charts) { f.charts = []; }
      const group = groupable[0];
      f.charts.push(group ? { title: t("form.chart_new"), type: "bar", group_by: group } : { title: t("form.chart_new"), type: "number" });
    }, t("form.chart_added")) }, t("form.chart_add")));
  return box;
}
