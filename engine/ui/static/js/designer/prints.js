// prints.js: the designer's 打印 (Print layouts) tab — per form, its print layouts (`prints`): title,
// name, paper, who may print, the head (company name, logo, heading), the blocks top to bottom (fields in a
// grid, a line-item table with its columns and totals, the amount in capital figures, a text, signature
// lines; records linking here are listed and edited in the JSON tab) and the footer. Add, move and remove
// layouts and blocks; every edit is a small mutation through store.change (prints-model.js).
import { h, clear, problemList, useStylesheet } from "./ui.js";
import { rerender, t, whenIdle } from "./perms-dom.js";
import { allRoles } from "./perms-model.js";
import { formAt } from "./reminders-model.js";
import { orderedPicker } from "./form-settings.js";
import { locInput } from "./loc-input.js";
import { txt } from "./loc.js";
import {
  BLOCK_KINDS, PAPERS, addBlock, addLayout, blockKind, fieldChoices, moveBlock, moveLayout, newBlock, newLayout,
  printsOf, relatedChoices, removeBlock, removeLayout, setBlockKey, setHeaderKey, setLayoutKey,
} from "./prints-model.js";

export function mount(element, store) {
  useStylesheet("designer-perms.css");
  const state = { form: "", open: 0 };
  const root = h("div", { class: "dz-prints", "data-testid": "prints" });
  clear(element).append(root);
  const draw = () => rerender(root, () => render(root, store, state, draw));
  store.on("change", draw);
  store.on("problems", () => whenIdle(root, draw));
  store.on("select", ({ file, pointer, tab }) => {
    if (tab !== "prints") return;
    const m = /^\/forms\/(\d+)\/prints(?:\/(\d+))?/.exec(pointer || "");
    const entry = m && store.forms().find((f) => f.file === file && f.index === Number(m[1]));
    if (!entry) return;
    state.form = entry.form.name;
    state.open = m[2] !== undefined ? Number(m[2]) : state.open;
    draw();
  });
  draw();
}

// The JSON tab, its cursor on the element (store.select would come back to this tab).
function openJson(store, file, pointer) {
  store.selected = { file, pointer, tab: "json" };
  store.emit("select", store.selected);
}

// one control row: label, control, problems at the pointer
function row(store, file, pointer, label, control, help = "") {
  return h("div", { class: "mb-2" }, h("div", { class: "form-label small fw-semibold mb-1" }, label), control,
    help ? h("div", { class: "form-text mt-0" }, help) : null, problemList(store.problemsAt(file, pointer)));
}

function input(value, commit, attrs) {
  const el = h("input", { class: "form-control form-control-sm", value: value == null ? "" : String(value),
    onchange: (e) => commit(e.target.value.trim()), onkeydown: (e) => { if (e.key === "Enter") e.target.blur(); }, ...attrs });
  el.defaultValue = el.value;
  return el;
}

function loc(store, value, commit, key) {
  return locInput({ value, commit, text: (k) => t(store, k), testid: key,
    make: (initial, onCommit, o) => input(initial, onCommit, { "data-key": o.testid, "data-testid": o.testid }) });
}

function render(root, store, state, draw) {
  const entries = store.forms().filter((e) => e.form && typeof e.form.name === "string");
  clear(root);
  if (!entries.length) { root.append(h("p", { class: "text-secondary" }, t(store, "perms.no_forms"))); return; }
  if (!entries.some((e) => e.form.name === state.form)) {
    state.form = (entries.find((e) => printsOf(e.form).length) || entries[0]).form.name;
    state.open = 0;
  }
  const entry = entries.find((e) => e.form.name === state.form);
  const { file, pointer, form } = entry;
  const layouts = printsOf(form);
  const change = (mutate, what) => store.change((s) => mutate(formAt(s, file, pointer)), t(store, what, { form: txt(form.title) || form.name }));
  const picker = h("select", { class: "form-select form-select-sm w-auto", "data-testid": "prints-form", "data-key": "prints.form",
    "aria-label": t(store, "prints.form"), onchange: (e) => { state.form = e.target.value; state.open = 0; draw(); } },
  store.files().map((f) => h("optgroup", { label: (store.sources[f] && txt(store.sources[f].title)) || f },
    entries.filter((e) => e.file === f).map((e) => h("option", { value: e.form.name, selected: e.form.name === state.form },
      (txt(e.form.title) || e.form.name) + (printsOf(e.form).length ? ` (${printsOf(e.form).length})` : ""))))));
  const add = () => {
    state.open = layouts.length;
    change((fm) => addLayout(fm, newLayout(fm, store.meta, t(store, "prints.new_title", { form: txt(fm.title) || fm.name }))), "prints.did_add");
  };
  root.append(h("div", { class: "d-flex flex-wrap align-items-center gap-2 mb-2" },
    h("span", { class: "small text-secondary" }, t(store, "prints.form")), picker,
    h("button", { type: "button", class: "btn btn-sm btn-success", "data-testid": "print-add", "data-key": "prints.add", onclick: add },
      t(store, "prints.add"))));
  root.append(h("p", { class: "small text-secondary" }, t(store, "prints.help")));
  const own = store.problemsAt(file, `${pointer}/prints`).filter((p) => p.pointer === `${pointer}/prints`);
  if (own.length) root.append(h("div", {}, problemList(own)));
  if (!layouts.length) {
    root.append(h("p", { class: "text-secondary", "data-testid": "prints-empty" }, t(store, "prints.none", { form: txt(form.title) || form.name })));
    return;
  }
  layouts.forEach((layout, i) => root.append(layoutCard(store, state, draw, { file, pointer, form, layout, i, count: layouts.length, change })));
}

function layoutCard(store, state, draw, { file, pointer, form, layout, i, count, change }) {
  const lptr = `${pointer}/prints/${i}`;
  const open = state.open === i;
  const problems = store.problemsAt(file, lptr);
  const blocks = Array.isArray(layout.blocks) ? layout.blocks : [];
  const card = h("section", { class: `card mb-2${problems.length ? " dz-has-problem" : ""}`, "data-testid": "print-card", "data-name": layout.name });
  card.append(h("div", { class: "card-header py-1 d-flex flex-wrap align-items-center gap-2" },
    h("button", { type: "button", class: "btn btn-link p-0 me-auto text-start", "aria-expanded": open ? "true" : "false",
      "data-testid": "print-open", "data-key": `prints.${i}.open`, onclick: () => { state.open = open ? null : i; draw(); } },
    h("strong", {}, txt(layout.title) || layout.name || "?"), " ", h("code", { class: "small text-secondary" }, layout.name || ""),
    h("span", { class: "small text-secondary ms-2" }, t(store, "prints.summary", { blocks: blocks.length, paper: t(store, `prints.paper.${layout.paper || "A4"}`) })),
    problems.length ? h("span", { class: "badge text-bg-danger ms-2" }, String(problems.length)) : null),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: i === 0, "aria-label": t(store, "form.move_up"),
      onclick: () => { state.open = i - 1; change((fm) => moveLayout(fm, i, -1), "prints.did_move"); } }, "↑"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: i === count - 1, "aria-label": t(store, "form.move_down"),
      onclick: () => { state.open = i + 1; change((fm) => moveLayout(fm, i, 1), "prints.did_move"); } }, "↓"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "print-json",
      onclick: () => openJson(store, file, lptr), title: t(store, "prints.json_help") }, t(store, "prints.json")),
    h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "data-testid": "print-remove",
      onclick: () => { if (window.confirm(t(store, "prints.remove_confirm", { title: txt(layout.title) || layout.name }))) { state.open = null; change((fm) => removeLayout(fm, i), "prints.did_remove"); } } },
    t(store, "form.remove"))));
  if (!open) return card;
  const body = h("div", { class: "card-body py-2" });
  card.append(body);
  const set = (key, value) => change((fm) => setLayoutKey(fm, i, key, value), "prints.did_change");
  const header = layout.header && typeof layout.header === "object" ? layout.header : {};
  const roles = allRoles(store.sources).filter((r) => !r.admin);
  const chosen = Array.isArray(layout.roles) ? layout.roles : [];
  body.append(h("div", { class: "row g-2" },
    h("div", { class: "col-12 col-md-6" }, row(store, file, `${lptr}/title`, t(store, "prints.title"), loc(store, layout.title, (v) => set("title", v), `print-${i}-title`))),
    h("div", { class: "col-6 col-md-3" }, row(store, file, `${lptr}/name`, t(store, "prints.name"),
      input(layout.name, (v) => { if (/^[a-z][a-z0-9_]{0,62}$/.test(v)) set("name", v); }, { "data-key": `print-${i}-name`, "data-testid": "print-name", spellcheck: "false" }),
      t(store, "prints.name_help"))),
    h("div", { class: "col-6 col-md-3" }, row(store, file, `${lptr}/paper`, t(store, "prints.paper"),
      h("select", { class: "form-select form-select-sm", "data-testid": "print-paper", "data-key": `print-${i}-paper`,
        onchange: (e) => set("paper", e.target.value === "A4" && layout.paper === undefined ? undefined : e.target.value) },
      PAPERS.map((p) => h("option", { value: p, selected: (layout.paper || "A4") === p }, t(store, `prints.paper.${p}`))))))));
  body.append(row(store, file, `${lptr}/roles`, t(store, "prints.roles"), h("div", { class: "d-flex flex-wrap gap-3", "data-testid": "print-roles" },
    roles.map((r) => h("label", { class: "form-check small mb-0" },
      h("input", { class: "form-check-input", type: "checkbox", checked: chosen.includes(r.name), "data-testid": `print-role-${r.name}`,
        onchange: (e) => set("roles", e.target.checked ? chosen.concat([r.name]) : chosen.filter((x) => x !== r.name)) }),
      " ", r.title || r.name))), t(store, "prints.roles_help")));
  body.append(row(store, file, `${lptr}/header`, t(store, "prints.header"), h("div", {},
    h("div", { class: "d-flex flex-wrap gap-3 mb-1" }, ["company", "logo"].map((key) => h("label", { class: "form-check small mb-0" },
      h("input", { class: "form-check-input", type: "checkbox", checked: header[key] !== false, "data-testid": `print-header-${key}`,
        onchange: (e) => change((fm) => setHeaderKey(fm, i, key, e.target.checked), "prints.did_change") }), " ", t(store, `prints.header.${key}`)))),
    loc(store, header.title, (v) => change((fm) => setHeaderKey(fm, i, "title", v), "prints.did_change"), `print-${i}-heading`)),
  t(store, "prints.header_help")));
  const list = h("ol", { class: "list-unstyled mb-2", "data-testid": "print-blocks" });
  const fields = fieldChoices(form, store.meta);
  blocks.forEach((block, j) => list.append(h("li", { class: "mb-2" }, blockCard(store, { file, lptr, i, j, block, count: blocks.length, fields, form, change }))));
  body.append(h("div", { class: "form-label small fw-semibold mb-1" }, t(store, "prints.blocks")), list);
  const words = { text: t(store, "prints.new_text"), signatures: [t(store, "prints.new_signature_1"), t(store, "prints.new_signature_2")] };
  body.append(h("select", { class: "form-select form-select-sm w-auto mb-2", "data-testid": "print-block-add", "data-key": `print-${i}-add`,
    "aria-label": t(store, "prints.add_block"),
    onchange: (e) => {
      const kind = e.target.value;
      if (kind) change((fm) => addBlock(fm, i, newBlock(kind, fm, store.meta, words, store.forms())), "prints.did_change");
    } },
  h("option", { value: "" }, `+ ${t(store, "prints.add_block")}`),
  BLOCK_KINDS.filter((k) => newBlock(k, form, store.meta, words, store.forms())).map((k) => h("option", { value: k }, t(store, `prints.kind.${k}`)))));
  body.append(row(store, file, `${lptr}/footer`, t(store, "prints.footer"), loc(store, layout.footer, (v) => set("footer", v), `print-${i}-footer`),
    t(store, "prints.placeholders_help")));
  return card;
}

function blockCard(store, { file, lptr, i, j, block, count, fields, form, change }) {
  const bptr = `${lptr}/blocks/${j}`;
  const kind = blockKind(block);
  const set = (key, value) => change((fm) => setBlockKey(fm, i, j, key, value), "prints.did_change");
  const labelOf = (list) => (name) => { const f = list.find((x) => x.name === name); return f ? `${f.label} (${f.name})` : name; };
  const box = h("div", { class: "border rounded p-2", "data-testid": "print-block", "data-kind": kind || "" });
  box.append(h("div", { class: "d-flex align-items-center gap-1 mb-1" },
    h("strong", { class: "small me-auto" }, kind ? t(store, `prints.kind.${kind}`) : t(store, "prints.kind.unknown")),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: j === 0, "aria-label": t(store, "form.move_up"),
      "data-testid": "print-block-up", onclick: () => change((fm) => moveBlock(fm, i, j, -1), "prints.did_change") }, "↑"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: j === count - 1, "aria-label": t(store, "form.move_down"),
      "data-testid": "print-block-down", onclick: () => change((fm) => moveBlock(fm, i, j, 1), "prints.did_change") }, "↓"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t(store, "form.remove"), disabled: count <= 1,
      "data-testid": "print-block-remove", onclick: () => change((fm) => removeBlock(fm, i, j), "prints.did_change") }, "×")));
  const plain = fields.filter((f) => !f.table);
  const picker = (chosen, all, key, testid) => orderedPicker(Array.isArray(chosen) ? chosen : [], all.map((f) => f.name), labelOf(all),
    (v) => set(key, v), (k) => t(store, k), testid, { prefix: "print-", add: "prints.add_field", none: null });
  if (kind === "fields") {
    box.append(picker(block.fields, plain, "fields", "fields"),
      h("label", { class: "small d-flex align-items-center gap-2 mt-1" }, t(store, "prints.per_line"),
        h("select", { class: "form-select form-select-sm w-auto", "data-testid": "print-per-line",
          onchange: (e) => set("columns", Number(e.target.value)) },
        [1, 2, 3, 4].map((n) => h("option", { value: n, selected: (block.columns || 2) === n }, String(n))))));
  } else if (kind === "table") {
    const tables = fields.filter((f) => f.table);
    const table = tables.find((f) => f.name === block.table);
    const columns = table ? table.columns : [];
    box.append(h("select", { class: "form-select form-select-sm mb-1", "data-testid": "print-table", "aria-label": t(store, "prints.kind.table"),
      onchange: (e) => change((fm) => { setBlockKey(fm, i, j, "table", e.target.value); setBlockKey(fm, i, j, "columns", undefined); setBlockKey(fm, i, j, "totals", undefined); }, "prints.did_change") },
    tables.map((f) => h("option", { value: f.name, selected: f.name === block.table }, `${f.label} (${f.name})`))),
    h("div", { class: "small text-secondary" }, t(store, "prints.columns")),
    // a column taken out of the print leaves the totals too; totals offer the printed number columns
    orderedPicker(Array.isArray(block.columns) ? block.columns : [], columns.map((f) => f.name), labelOf(columns),
      (v) => change((fm) => {
        setBlockKey(fm, i, j, "columns", v);
        if (Array.isArray(block.totals) && v.length) setBlockKey(fm, i, j, "totals", block.totals.filter((x) => v.includes(x)));
      }, "prints.did_change"), (k) => t(store, k), "columns", { prefix: "print-", add: "prints.add_field", none: null }),
    h("div", { class: "small text-secondary mt-1" }, t(store, "prints.totals")),
    picker(block.totals, columns.filter((c) => c.numeric && (!Array.isArray(block.columns) || !block.columns.length || block.columns.includes(c.name))), "totals", "totals"));
  } else if (kind === "amount_in_words") {
    box.append(h("select", { class: "form-select form-select-sm mb-1", "data-testid": "print-amount", "aria-label": t(store, "prints.kind.amount_in_words"),
      onchange: (e) => set("amount_in_words", e.target.value) },
    plain.filter((f) => f.numeric || f.name === block.amount_in_words).map((f) => h("option", { value: f.name, selected: f.name === block.amount_in_words }, `${f.label} (${f.name})`))),
    loc(store, block.label, (v) => set("label", v), `print-${i}-${j}-label`));
  } else if (kind === "text") {
    box.append(loc(store, block.text, (v) => set("text", v || undefined), `print-${i}-${j}-text`),
      h("div", { class: "form-text mt-0" }, t(store, "prints.placeholders_help")));
  } else if (kind === "signatures") {
    const names = Array.isArray(block.signatures) ? block.signatures : [];
    names.forEach((name, k) => box.append(h("div", { class: "d-flex gap-1 mb-1 align-items-start" },
      h("div", { class: "flex-grow-1" }, loc(store, name, (v) => set("signatures", names.map((x, n) => (n === k ? v : x)).filter((x) => x !== undefined)), `print-${i}-${j}-sign-${k}`)),
      h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t(store, "form.remove"), disabled: names.length <= 1,
        onclick: () => set("signatures", names.filter((_, n) => n !== k)) }, "×"))));
    box.append(h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": "print-sign-add",
      onclick: () => set("signatures", names.concat([t(store, "prints.new_signature_n", { n: names.length + 1 })])) }, t(store, "prints.add_signature")));
  } else if (kind === "related" && block.related && typeof block.related === "object") {
    box.append(relatedEditor(store, { i, j, block, form, change, picker, labelOf }), h("button", { type: "button",
      class: "btn btn-sm btn-link p-0", "data-testid": "print-block-json", onclick: () => openJson(store, file, bptr) }, t(store, "prints.json")));
  } else {
    // anything this tab does not know is edited in the JSON tab
    box.append(h("code", { class: "small d-block text-truncate" }, JSON.stringify(block)),
      h("button", { type: "button", class: "btn btn-sm btn-link p-0", "data-testid": "print-block-json",
        onclick: () => openJson(store, file, bptr) }, t(store, "prints.json")));
  }
  const problems = problemList(store.problemsAt(file, bptr));
  if (problems) box.append(problems);
  return box;
}

// Records of another form that link here: which form and link (link fields of other forms pointing at this
// form), their columns and totals; `where`, `order_by`, `limit`, `title` and two-step links (`a.b`) are kept
// and edited in the JSON tab.
function relatedEditor(store, { i, j, block, form, change, labelOf }) {
  const related = block.related;
  const choices = relatedChoices(form, store.forms());
  const current = `${related.form}:${related.link}`;
  const set = (key, value) => change((fm) => {
    const r = printsOf(fm)[i].blocks[j].related;
    if (value === undefined || (Array.isArray(value) && !value.length)) delete r[key]; else r[key] = value;
  }, "prints.did_change");
  const source = store.findForm(related.form);
  const columns = source ? fieldChoices(source.form, store.meta).filter((f) => !f.table) : [];
  const pick = (chosen, all, key, testid) => orderedPicker(Array.isArray(chosen) ? chosen : [], all.map((f) => f.name), labelOf(all),
    (v) => set(key, v), (k) => t(store, k), testid, { prefix: "print-related-", add: "prints.add_field", none: null });
  const select = h("select", { class: "form-select form-select-sm mb-1", "data-testid": "print-related-source", "aria-label": t(store, "prints.kind.related"),
    onchange: (e) => {
      const [name, link] = e.target.value.split(":");
      change((fm) => {  // another form: its own columns, the rest of the block kept
        const r = printsOf(fm)[i].blocks[j].related;
        r.form = name;
        r.link = link;
        if (name !== related.form) { r.columns = ["id"]; delete r.totals; }
      }, "prints.did_change");
    } },
  choices.map((c) => h("option", { value: `${c.form}:${c.link}`, selected: `${c.form}:${c.link}` === current },
    t(store, "prints.related_source", { form: c.title, link: c.label }))));
  if (!choices.some((c) => `${c.form}:${c.link}` === current)) select.append(h("option", { value: current, selected: true }, current));
  return h("div", {}, select,
    h("div", { class: "small text-secondary" }, t(store, "prints.columns_related")), pick(related.columns, columns, "columns", "columns"),
    h("div", { class: "small text-secondary mt-1" }, t(store, "prints.totals")),
    pick(related.totals, columns.filter((c) => c.numeric && (related.columns || []).includes(c.name)), "totals", "totals"));
}
