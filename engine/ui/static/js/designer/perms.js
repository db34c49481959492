// perms.js: the designer's 权限 (Permissions) tab — roles (rows) × forms (columns, grouped by
// module; one form or all) with a cell per create / read / update / delete / hidden fields.
// Every edit is one small mutation of the module docs through store.change (perms-model.js).
//
// Keyboard: the grid has one tab stop; arrow keys (and Home/End) move between cells, Space or Enter
// toggles create or opens the cell's editor below the grid, Escape returns from the editor to the
// cell. Mouse and touch: tap a cell. On narrow screens the grid scrolls sideways under a sticky
// role column.

import { h, clear, useStylesheet } from "./ui.js";
import { conditionBox, ready as conditionsReady } from "./perms-rule.js";
import { rolesPanel } from "./perms-roles.js";
import { txt } from "./loc.js";
import { rerender, t, whenIdle } from "./perms-dom.js";
import { cellAt, cellOf, cellPointer, hideOptions, matrix, setAccess, setCreate, setHidden } from "./perms-model.js";

const COLUMNS = ["create", "read", "update", "delete", "hide", "readonly"];

export function mount(element, store) {
  useStylesheet("designer-perms.css");
  const state = { form: "", cell: null, editing: false, roles: { renaming: null, error: null }, rolesOpen: false };
  const root = h("div", { class: "dz-perms", "data-testid": "perms" });
  clear(element).append(root);
  const draw = () => rerender(root, () => render(root, store, state, draw));
  store.on("change", draw);
  store.on("problems", () => whenIdle(root, draw));  // problems arrive while one may be typing
  store.on("select", ({ file, pointer, tab }) => {
    if (tab !== "perms") return;
    const hit = cellFromPointer(store, file, pointer);
    if (hit === "roles") { state.rolesOpen = true; draw(); return; }
    if (!hit) return;
    state.cell = hit;
    state.editing = hit.action !== "create";
    if (state.form && state.form !== hit.form) state.form = hit.form;
    draw();
    focusCell(root, state.cell);
  });
  conditionsReady.then(draw);
  draw();
}

/** {form, role, action} for a problem pointer in this tab, "roles" for /roles/..., or null. */
function cellFromPointer(store, file, pointer) {
  const hit = cellAt(pointer);
  if (hit === null || hit === "roles") return hit;
  const entry = store.forms().find((f) => f.file === file && f.index === hit.index);
  return entry ? { form: entry.form.name, role: hit.role, action: hit.action } : null;
}

const sameCell = (a, b) => a && b && a.form === b.form && a.role === b.role && a.action === b.action;
const cellKey = (c) => `cell.${c.form}.${c.role}.${c.action}`;

function focusCell(root, cell) {
  const button = root.querySelector(`[data-key="${CSS.escape(cellKey(cell))}"]`);
  if (button) { button.focus({ preventScroll: false }); button.scrollIntoView({ block: "nearest", inline: "nearest" }); }
}

function accessLabel(store, access) {
  return t(store, `perms.access.${access.kind}`);
}

function render(root, store, state, draw) {
  const m = matrix(store.sources);
  const allForms = m.modules.flatMap((mod) => mod.forms.map((f) => ({ ...f, moduleTitle: mod.title })));
  if (state.form && !allForms.some((f) => f.name === state.form)) state.form = "";
  const modules = m.modules.map((mod) => ({ ...mod, forms: mod.forms.filter((f) => !state.form || f.name === state.form) }))
    .filter((mod) => mod.forms.length);
  const forms = modules.flatMap((mod) => mod.forms);
  const roles = m.roles;
  if (state.cell && (!forms.some((f) => f.name === state.cell.form) || !roles.some((r) => r.name === state.cell.role))) {
    state.cell = null;
    state.editing = false;
  }
  clear(root);

  // toolbar: which form(s), the roles panel
  const picker = h("select", { class: "form-select form-select-sm w-auto", id: "dz-perms-form", "data-testid": "perms-form",
    "data-key": "perms.form",
    onchange: (event) => { state.form = event.target.value; state.editing = false; draw(); } },
  h("option", { value: "" }, t(store, "perms.all_forms")),
  m.modules.map((mod) => h("optgroup", { label: mod.title },
    mod.forms.map((f) => h("option", { value: f.name, selected: f.name === state.form }, f.title)))));
  root.append(h("div", { class: "d-flex flex-wrap align-items-center gap-2 mb-2" },
    h("label", { class: "small text-secondary", for: "dz-perms-form" }, t(store, "perms.show")), picker,
    h("button", { type: "button", class: `btn btn-sm ${state.rolesOpen ? "btn-secondary" : "btn-outline-secondary"}`,
      "aria-expanded": state.rolesOpen ? "true" : "false", "data-testid": "perms-roles-toggle", "data-key": "perms.roles",
      onclick: () => { state.rolesOpen = !state.rolesOpen; draw(); } }, t(store, "perms.roles.button", { count: roles.length - 1 })),
    h("span", { class: "small text-secondary ms-auto d-none d-md-inline" }, t(store, "perms.keys_help"))));
  if (state.rolesOpen) root.append(rolesPanel(store, state.roles, draw));

  if (!forms.length) {
    root.append(h("p", { class: "text-secondary" }, t(store, "perms.no_forms")));
    return;
  }

  // the grid
  const showModules = !state.form && modules.length > 0;
  const head = h("thead", {});
  if (showModules) {
    head.append(h("tr", {}, h("th", { class: "dz-perms-sticky", rowspan: 3, scope: "col" }, t(store, "perms.role")),
      modules.map((mod) => h("th", { colspan: mod.forms.length * COLUMNS.length, scope: "colgroup", class: "dz-perms-module" }, mod.title))));
  }
  head.append(h("tr", {},
    showModules ? null : h("th", { class: "dz-perms-sticky", rowspan: 2, scope: "col" }, t(store, "perms.role")),
    forms.map((f) => {
      const problems = store.problemsAt(f.file, `${f.pointer}/permissions`).filter((p) => p.pointer === `${f.pointer}/permissions`);
      return h("th", { colspan: COLUMNS.length, scope: "colgroup", class: "dz-perms-form" }, f.title,
        problems.length ? h("span", { class: "badge text-bg-danger ms-1", title: problems.map((p) => p.message).join("\n") }, String(problems.length)) : null);
    })));
  head.append(h("tr", { class: "dz-perms-actions" }, forms.map(() => COLUMNS.map((c) => h("th", { scope: "col", class: `dz-col-${c}` }, t(store, `perms.col.${c}`))))));

  const body = h("tbody", {});
  roles.forEach((role, r) => {
    const rowProblems = forms.flatMap((f) => store.problemsAt(f.file, cellPointer(f.pointer, role.name))
      .filter((p) => p.pointer === cellPointer(f.pointer, role.name)));
    const tr = h("tr", { "data-role": role.name, class: role.admin ? "dz-perms-admin" : "" },
      h("th", { scope: "row", class: "dz-perms-sticky dz-perms-rolecell" },
        h("span", { class: "dz-perms-roletitle" }, role.admin ? t(store, "perms.admin") : (role.title || role.name)),
        h("small", { class: "d-block text-secondary font-monospace" }, role.name),
        role.admin || role.declared.length ? null : h("span", { class: "badge text-bg-warning", title: t(store, "perms.roles.undeclared_help") }, t(store, "perms.roles.undeclared")),
        rowProblems.length ? h("span", { class: "badge text-bg-danger ms-1", "data-testid": "problem-badge", title: rowProblems.map((p) => p.message).join("\n") }, String(rowProblems.length)) : null));
    forms.forEach((f, fi) => {
      const form = store.sources[f.file].forms[f.index];
      const cell = f.cells[role.name];
      COLUMNS.forEach((action, ci) => {
        tr.append(h("td", { role: "gridcell", class: `dz-col-${action}${ci === 0 ? " dz-form-start" : ""}` },
          cellButton(store, state, draw, { f, form, role, cell, action, r, c: fi * COLUMNS.length + ci })));
      });
    });
    body.append(tr);
  });
  const table = h("table", { class: "table table-sm table-bordered align-middle mb-0 dz-perms-grid", role: "grid",
    "aria-label": t(store, "perms.grid_label"), "data-testid": "perms-grid", "aria-rowcount": roles.length + 1 }, head, body);
  table.addEventListener("keydown", (event) => gridKeys(event, table, roles.length, forms.length * COLUMNS.length));
  root.append(h("div", { class: "dz-perms-scroll", "data-testid": "perms-scroll" }, table));

  // roving tab stop: the selected cell, else the first editable one
  const buttons = [...table.querySelectorAll(".dz-cell")];
  const current = buttons.find((b) => state.cell && b.dataset.key === cellKey(state.cell)) || buttons.find((b) => b.dataset.role !== "admin") || buttons[0];
  if (current) current.tabIndex = 0;

  if (state.cell && state.editing) root.append(cellEditor(store, state, draw, forms, roles));
  else root.append(h("p", { class: "small text-secondary mt-2" }, t(store, "perms.pick_cell")));
}

function cellButton(store, state, draw, { f, form, role, cell, action, r, c }) {
  const here = { form: f.name, role: role.name, action };
  const pointer = cellPointer(f.pointer, role.name, action);
  const problems = store.problemsAt(f.file, pointer);
  const selected = sameCell(state.cell, here);
  let text;
  let kind;
  let title;
  if (action === "create") {
    kind = cell.create ? "on" : "off";
    text = cell.create ? "✓" : "—";
    title = t(store, cell.create ? "perms.create.on" : "perms.create.off");
  } else if (action === "hide" || action === "readonly") {  // a list of fields: its length
    const list = cell[action];
    kind = list.length ? "some" : "none";
    text = list.length ? String(list.length) : "—";
    title = list.length ? t(store, `perms.${action}.some`, { fields: list.join(", ") }) : t(store, `perms.${action}.none`);
  } else {
    const access = cell[action];
    kind = access.kind;
    text = accessLabel(store, access);
    title = access.kind === "rule" ? access.where : t(store, `perms.access.${access.kind}_help`, { owner: ownerLabel(store, form) });
  }
  const label = `${role.admin ? t(store, "perms.admin") : (role.title || role.name)} · ${f.title} · ${t(store, `perms.col.${action}`)}: ${text === "—" ? t(store, "perms.none") : text}`;
  const button = h("button", {
    type: "button", class: `dz-cell dz-cell-${action} dz-k-${kind}${selected ? " dz-selected" : ""}${problems.length ? " dz-has-problem" : ""}`,
    tabindex: -1, title: problems.length ? `${title}\n${problems.map((p) => p.message).join("\n")}` : title,
    "aria-label": label, "data-key": cellKey(here), "data-row": r, "data-col": c, "data-role": role.name,
    "data-form": f.name, "data-action": action, "data-testid": `cell-${f.name}-${role.name}-${action}`,
    "aria-pressed": action === "create" ? (cell.create ? "true" : "false") : null,
    "aria-disabled": role.admin ? "true" : null,
    "aria-expanded": action !== "create" && !role.admin ? (selected && state.editing ? "true" : "false") : null,
    onclick: () => activate(store, state, draw, { f, role, action, cell, here, form }),
  }, h("span", { class: "dz-cell-text" }, text));
  if (problems.length) button.append(h("span", { class: "badge text-bg-danger dz-cell-badge", "data-testid": "problem-badge" }, String(problems.length)));
  return button;
}

function ownerLabel(store, form) {
  const name = typeof form.owner_field === "string" ? form.owner_field : "created_by";
  const field = (form.fields || []).find((x) => x && x.name === name);
  return field ? (txt(field.label) || name) : t(store, "perms.created_by");
}

function activate(store, state, draw, { f, role, action, cell, here }) {
  state.cell = here;
  if (role.admin) {
    state.editing = true;  // shows why admin cannot be changed
  } else if (action === "create") {
    state.editing = false;
    store.change((s) => setCreate(s[f.file].forms[f.index], role.name, !cell.create),
      t(store, cell.create ? "perms.label.create_off" : "perms.label.create_on", { role: role.title || role.name, form: f.title }));
  } else {
    state.editing = true;
  }
  draw();
}

function gridKeys(event, table, rows, cols) {
  const button = event.target.closest && event.target.closest(".dz-cell");
  if (!button) return;
  let r = Number(button.dataset.row);
  let c = Number(button.dataset.col);
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (moves[event.key]) {
    r = Math.max(0, Math.min(rows - 1, r + moves[event.key][0]));
    c = Math.max(0, Math.min(cols - 1, c + moves[event.key][1]));
  } else if (event.key === "Home") {
    c = 0;
    if (event.ctrlKey) r = 0;
  } else if (event.key === "End") {
    c = cols - 1;
    if (event.ctrlKey) r = rows - 1;
  } else if (event.key === " " || event.key === "Enter") {
    event.preventDefault();
    button.click();
    if (button.dataset.action !== "create") {  // into the editor that opened below the grid
      const editor = document.querySelector(".dz-perms-editor");
      const first = editor && (editor.querySelector("input:checked") || editor.querySelector("input, textarea, button"));
      if (first) first.focus();
    }
    return;
  } else {
    return;
  }
  event.preventDefault();
  const next = table.querySelector(`.dz-cell[data-row="${r}"][data-col="${c}"]`);
  if (!next) return;
  for (const b of table.querySelectorAll(".dz-cell")) b.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
  next.scrollIntoView({ block: "nearest", inline: "nearest" });
}

// -- the editor of one cell -----------------------------------------------------------------------

function cellEditor(store, state, draw, forms, roles) {
  const { form: formName, role: roleName, action } = state.cell;
  const f = forms.find((x) => x.name === formName);
  const role = roles.find((x) => x.name === roleName);
  const form = store.sources[f.file].forms[f.index];
  const cell = cellOf(form, roleName);
  const pointer = cellPointer(f.pointer, roleName, action);
  const problems = store.problemsAt(f.file, pointer);
  const roleTitle = role.admin ? t(store, "perms.admin") : (role.title || role.name);
  const close = () => {
    state.editing = false;
    draw();
    const root = document.querySelector(".dz-perms");
    if (root) focusCell(root, state.cell);
  };
  const panel = h("section", { class: "card mt-3 dz-perms-editor", "data-testid": "cell-editor",
    "aria-label": t(store, "perms.editor_label", { role: roleTitle, form: f.title, what: t(store, `perms.col.${action}`) }),
    onkeydown: (event) => { if (event.key === "Escape") { event.preventDefault(); close(); } } },
  h("div", { class: "card-header py-1 d-flex align-items-center gap-2" },
    h("strong", { class: "me-auto" }, `${roleTitle} · ${f.title} · ${t(store, `perms.col.${action}`)}`),
    h("button", { type: "button", class: "btn-close", "aria-label": t(store, "perms.close"), "data-testid": "cell-editor-close", onclick: close })));
  const body = h("div", { class: "card-body py-2" });
  panel.append(body);
  if (problems.length) {
    body.append(h("ul", { class: "dz-problem-list", "data-testid": "cell-problems" }, problems.map((p) => h("li", {}, p.message))));
  }
  if (role.admin) {
    body.append(h("p", { class: "mb-0" }, t(store, "perms.admin_help")));
    return panel;
  }
  const label = (what) => t(store, what, { role: roleTitle, form: f.title });
  const change = (mutate, msg) => store.change((s) => mutate(s[f.file].forms[f.index]), label(msg));

  if (action === "create") {
    body.append(h("div", { class: "form-check form-switch" },
      h("input", { class: "form-check-input", type: "checkbox", role: "switch", id: "dz-perms-create", checked: cell.create,
        "data-key": "editor.create",
        onchange: (event) => change((fm) => setCreate(fm, roleName, event.target.checked), event.target.checked ? "perms.label.create_on" : "perms.label.create_off") }),
      h("label", { class: "form-check-label", for: "dz-perms-create" }, t(store, "perms.create.switch"))));
    return panel;
  }

  if (action === "hide" || action === "readonly") {  // hidden fields, read-only fields: a check box per field
    const key = action;
    const chosen = new Set(cell[key]);
    const options = hideOptions(form, { titleToo: key === "readonly" });
    const known = new Set(options.map((o) => o.path));
    const write = (path, on) => change((fm) => setHidden(fm, roleName, path, on, key), `perms.label.${key}_${on ? "on" : "off"}`);
    body.append(h("p", { class: "small text-secondary mb-2" }, t(store, `perms.${key}.help`)));
    const list = h("div", { class: "dz-perms-hide", role: "group", "aria-label": t(store, `perms.col.${key}`), "data-testid": `${key}-list` });
    for (const option of options) {
      const id = `dz-${key}-${option.path.replace(/\./g, "--")}`;
      list.append(h("div", { class: `form-check${option.column ? " ms-4" : ""}` },
        h("input", { class: "form-check-input", type: "checkbox", id, checked: chosen.has(option.path), "data-key": `${key}.${option.path}`,
          "data-testid": `${key}-${option.path}`, onchange: (event) => write(option.path, event.target.checked) }),
        h("label", { class: "form-check-label", for: id }, option.label, " ", h("code", { class: "small text-secondary" }, option.path))));
    }
    for (const path of cell[key].filter((p) => !known.has(p))) {  // in the file but not a field (a problem)
      list.append(h("div", { class: "form-check" },
        h("input", { class: "form-check-input", type: "checkbox", id: `dz-${key}-x-${path}`, checked: true, "data-key": `${key}.${path}`,
          onchange: () => write(path, false) }),
        h("label", { class: "form-check-label text-danger", for: `dz-${key}-x-${path}` }, h("code", {}, path), " ", t(store, "perms.hide.unknown"))));
    }
    body.append(list);
    return panel;
  }

  // read / update / delete
  const access = cell[action];
  const owner = ownerLabel(store, form);
  const choices = ["none", "own", "all", "rule"];
  const group = h("div", { class: "d-flex flex-wrap gap-2 mb-2", role: "radiogroup", "aria-label": t(store, `perms.col.${action}`), "data-testid": "access-choices" });
  const ruleWanted = state.ruleOpen && sameCell(state.ruleOpen, state.cell);
  const shown = access.kind === "other" ? "other" : (ruleWanted ? "rule" : access.kind);
  for (const choice of choices) {
    const id = `dz-access-${choice}`;
    group.append(h("div", { class: "form-check form-check-inline dz-choice" },
      h("input", { class: "form-check-input", type: "radio", name: "dz-access", id, value: choice, checked: shown === choice,
        "data-key": `access.${choice}`, "data-testid": `access-${choice}`,
        onchange: () => {
          if (choice === "rule") {
            state.ruleOpen = { ...state.cell };
            if (access.kind !== "rule") { draw(); return; }
            return;
          }
          state.ruleOpen = null;
          change((fm) => setAccess(fm, roleName, action, choice), `perms.label.access_${choice}`);
        } }),
      h("label", { class: "form-check-label", for: id }, t(store, `perms.access.${choice}`),
        h("small", { class: "d-block text-secondary" }, t(store, `perms.access.${choice}_help`, { owner })))));
  }
  body.append(group);
  if (access.kind === "other") {
    body.append(h("div", { class: "alert alert-secondary small py-1" }, t(store, "perms.access.other_help"), " ",
      h("code", {}, JSON.stringify(form.permissions[roleName][action]))));
  }
  if (shown === "rule") {
    const ownerName = typeof form.owner_field === "string" ? form.owner_field : "created_by";
    const presets = [
      { label: t(store, "perms.preset.mine_or_nobody", { owner }), text: `${ownerName} == $user or ${ownerName} == null` },
      { label: t(store, "perms.preset.mine", { owner }), text: `${ownerName} == $user` },
    ];
    body.append(conditionBox({
      store, form, value: access.kind === "rule" ? access.where : "", key: `rule.${formName}.${roleName}.${action}`,
      label: t(store, "perms.rule.label"), testid: "row-rule", presets,
      onApply: (text) => {
        if (!text) return;
        state.ruleOpen = null;
        change((fm) => setAccess(fm, roleName, action, { where: text }), "perms.label.access_rule");
      },
    }));
  }
  return panel;
}
