/* flow-widgets.js: the small editors the flow tab's panels are made of (DOM, Bootstrap classes).
 * Every widget calls back with a plain value; the panel turns it into a store.change.
 * Inputs carry data-fk (a focus key) so flow.js puts the focus back after a re-render.
 *
 *   field({label, input, help, id})                  label + control + help text
 *   textInput({fk, value, onCommit, ...})            commits on change (blur / Enter)
 *   select({fk, value, options: [{value, label}], onChange, ...})
 *   checkbox({fk, label, checked, onChange})
 *   checklist({fk, items: [{value, label}], chosen: [...], onChange(list), all: {label, checked, onChange}})
 *   durationInput({fk, value, onCommit, t})         number + unit (m h d w); other text kept as text
 *   recipientsEditor({fk, list, roles, userFields, t, onChange(list), testid})
 *   conditionBox({fk, value, fields, t, onCommit, testid})   simple builder (conditions.js) + expression
 *   mapEditor({fk, map, targets, t, onEdit(oldKey, key, expr), testid})   field -> expression rows
 */
import { h } from "./ui.js";
import { txt } from "./loc.js";
import { recipientKind, RECIPIENT_KINDS } from "./flow-model.js";

let conditions = null;  // the shell's conditions.js (the simple-condition builder), when it is there
export const ready = import("./conditions.js").then((m) => { conditions = m; }).catch(() => { conditions = null; });

let counter = 0;
const uid = (fk) => `dz-flow-${String(fk || "x").replace(/[^a-zA-Z0-9_-]+/g, "-")}-${++counter}`;

export function field({label, input, help = "", id = null, testid = null, className = "mb-2"}) {
  return h("div", {class: className, "data-testid": testid},
    label ? h("label", {class: "form-label small fw-semibold mb-1", for: id || (input && input.id) || null}, label) : null,
    input,
    help ? h("div", {class: "form-text mt-0"}, help) : null);
}

export function textInput({fk, value = "", onCommit, placeholder = "", pattern = null, testid = null, mono = false,
  area = false, ariaLabel = null}) {
  const el = h(area ? "textarea" : "input", {
    id: uid(fk), class: `form-control form-control-sm${mono ? " font-monospace" : ""}`, type: area ? null : "text",
    value: value == null ? "" : String(value), placeholder: placeholder || null, pattern,
    "data-fk": fk, "data-testid": testid, "aria-label": ariaLabel, spellcheck: mono ? "false" : null, rows: area ? 2 : null,
  });
  el.defaultValue = value == null ? "" : String(value);  // what the document holds (see flow.js render)
  el.addEventListener("change", () => onCommit(el.value.trim()));
  if (!area) {
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        onCommit(el.value.trim());
      }
    });
  }
  return el;
}

export function select({fk, value = "", options, onChange, testid = null, ariaLabel = null}) {
  const el = h("select", {id: uid(fk), class: "form-select form-select-sm", "data-fk": fk, "data-testid": testid,
    "aria-label": ariaLabel},
  options.map((o) => h("option", {value: o.value, selected: o.value === value}, o.label)));
  if (!options.some((o) => o.value === value) && value) {
    el.append(h("option", {value, selected: true}, value));
  }
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

export function checkbox({fk, label, checked, onChange, testid = null, help = ""}) {
  const id = uid(fk);
  const input = h("input", {id, class: "form-check-input", type: "checkbox", checked: !!checked, "data-fk": fk,
    "data-testid": testid});
  input.addEventListener("change", () => onChange(input.checked));
  return h("div", {class: "form-check dz-flow-check"}, input,
    h("label", {class: "form-check-label", for: id}, label),
    help ? h("div", {class: "form-text mt-0"}, help) : null);
}

export function checklist({fk, items, chosen, onChange, all = null, testid = null}) {
  const set = new Set(chosen);
  const box = h("div", {class: "dz-flow-checklist", "data-testid": testid, role: "group"});
  if (all) {
    box.append(checkbox({fk: `${fk}.*`, label: all.label, checked: all.checked, onChange: all.onChange,
      testid: testid ? `${testid}-all` : null}));
  }
  for (const item of items) {
    const cb = checkbox({
      fk: `${fk}.${item.value}`, label: item.label, checked: (all && all.checked) || set.has(item.value),
      testid: testid ? `${testid}-${item.value}` : null,
      onChange: (on) => {
        const next = items.map((i) => i.value).filter((v) => (v === item.value ? on : set.has(v)));
        for (const v of chosen) if (!next.includes(v) && v !== item.value && !items.some((i) => i.value === v)) next.push(v);
        onChange(next);
      },
    });
    if (all && all.checked) cb.querySelector("input").disabled = true;
    box.append(cb);
  }
  return box;
}

export const DURATION = /^(\d+)([mhdw])$/;

export function durationInput({fk, value = "", onCommit, t, testid = null, ariaLabel = null}) {
  const m = DURATION.exec(value || "");
  if (value && !m) {  // a text we do not split: edit it as it is
    return textInput({fk, value, onCommit, testid, mono: true, ariaLabel});
  }
  const number = h("input", {id: uid(fk), class: "form-control form-control-sm", type: "number", min: 1, step: 1,
    value: m ? m[1] : "", "data-fk": `${fk}.n`, "data-testid": testid ? `${testid}-number` : null,
    "aria-label": ariaLabel, inputmode: "numeric"});
  number.defaultValue = m ? m[1] : "";
  const unit = h("select", {class: "form-select form-select-sm", "data-fk": `${fk}.u`,
    "data-testid": testid ? `${testid}-unit` : null, "aria-label": t("flow.unit")},
  ["m", "h", "d", "w"].map((u) => h("option", {value: u, selected: (m ? m[2] : "h") === u}, t(`flow.unit_${u}`))));
  const commit = () => {
    const n = number.value.trim();
    onCommit(n && /^\d+$/.test(n) && Number(n) > 0 ? `${Number(n)}${unit.value}` : "");
  };
  number.addEventListener("change", commit);
  number.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); commit(); } });
  unit.addEventListener("change", () => { if (number.value.trim()) commit(); });
  return h("div", {class: "input-group input-group-sm dz-flow-duration", "data-testid": testid}, number, unit);
}

/* roles: [{name, title}], userFields: [{name, label}] (user fields and created_by). */
export function recipientsEditor({fk, list, roles, userFields, t, onChange, testid = "recipients"}) {
  const items = Array.isArray(list) ? list : [];
  const box = h("div", {class: "dz-flow-recipients", "data-testid": testid});
  const replace = (i, value) => onChange(items.map((r, j) => (j === i ? value : r)));
  items.forEach((r, i) => {
    const [kind, value] = recipientKind(r);
    const row = h("div", {class: "d-flex gap-1 mb-1 align-items-center dz-flow-recipient", "data-testid": `${testid}-row`});
    if (!kind) {
      row.append(h("code", {class: "small text-truncate flex-grow-1", title: t("flow.kept_as_is")}, JSON.stringify(r)),
        h("span", {class: "badge text-bg-light"}, t("flow.kept_as_is")));
    } else {
      row.append(h("div", {class: "dz-flow-recipient-kind"}, select({
        fk: `${fk}.${i}.kind`, value: kind, testid: `${testid}-kind`, ariaLabel: t("flow.recipient_kind"),
        options: RECIPIENT_KINDS.map((k) => ({value: k, label: t(`flow.recipient_${k}`)})),
        onChange: (k) => {
          const first = k === "role" ? (roles[0] && roles[0].name) : k === "user" ? "" : (userFields[0] && userFields[0].name);
          replace(i, {[k]: first || ""});
        },
      })));
      let input;
      if (kind === "role") {
        input = select({fk: `${fk}.${i}.value`, value, testid: `${testid}-value`, ariaLabel: t("flow.recipient_role"),
          options: roles.map((x) => ({value: x.name, label: txt(x.title) ? `${txt(x.title)} (${x.name})` : x.name})),
          onChange: (v) => replace(i, {role: v})});
      } else if (kind === "user") {
        input = textInput({fk: `${fk}.${i}.value`, value, testid: `${testid}-value`, ariaLabel: t("flow.recipient_user"),
          placeholder: t("flow.user_name"), onCommit: (v) => replace(i, {user: v})});
      } else {
        input = select({fk: `${fk}.${i}.value`, value, testid: `${testid}-value`, ariaLabel: t(`flow.recipient_${kind}`),
          options: userFields.map((x) => ({value: x.name, label: txt(x.label) ? `${txt(x.label)} (${x.name})` : x.name})),
          onChange: (v) => replace(i, {[kind]: v})});
      }
      row.append(h("div", {class: "flex-grow-1 dz-flow-recipient-value"}, input));
    }
    row.append(h("button", {type: "button", class: "btn btn-sm btn-outline-danger dz-flow-icon-btn",
      "data-fk": `${fk}.${i}.remove`, "data-testid": `${testid}-remove`, "aria-label": t("flow.remove_recipient"),
      title: t("flow.remove_recipient"), onclick: () => onChange(items.filter((_, j) => j !== i))}, "×"));
    box.append(row);
  });
  box.append(h("button", {type: "button", class: "btn btn-sm btn-outline-secondary", "data-fk": `${fk}.add`,
    "data-testid": `${testid}-add`,
    onclick: () => onChange([...items, roles.length ? {role: roles[0].name} : {field: "created_by"}])},
  `+ ${t("flow.add_recipient")}`));
  return box;
}

/* A condition: the shared simple-condition builder (conditions.js: rows "field op value" and an
 * expression box) when it is there, else an expression box alone.
 * fields: [{name, label, kind, options}] the condition may use; check(text) -> null | message. */
export function conditionBox({fk, value = "", fields, t, onCommit, testid = "condition", label = null, check = null}) {
  const commit = (text) => onCommit(String(text || "").trim());
  if (conditions && typeof conditions.conditionEditor === "function") {
    try {
      const editor = conditions.conditionEditor({value, fields, text: t, onChange: commit, check, testid});
      editor.dataset.fk = fk;
      return h("div", {class: "dz-flow-cond"}, editor);
    } catch (error) {
      console.error(error);
    }
  }
  const box = h("div", {class: "dz-flow-cond", "data-testid": testid});
  const area = textInput({fk: `${fk}.expr`, value, onCommit: commit, testid: `${testid}-text`, mono: true, area: true,
    ariaLabel: label || t("flow.expression")});
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      commit(area.value);
    }
  });
  box.append(area, h("div", {class: "form-text mt-0"}, t("flow.expression_help")));
  return box;
}

/* map: {field: expression}; targets: [{name, label, columns}] fields that may be assigned. With tables
 * ([{value, label}]: the tables a line-item table may copy, create.set), a table target picks one of
 * them instead of an expression. */
export function mapEditor({fk, map, targets, t, onEdit, testid = "set", tables = null}) {
  const entries = map && typeof map === "object" ? Object.entries(map) : [];
  const box = h("div", {class: "dz-flow-map", "data-testid": testid});
  entries.forEach(([key, expr], i) => {
    const known = typeof expr === "string";
    const target = targets.find((f) => f.name === key);
    const copiesTable = Boolean(tables && target && Array.isArray(target.columns));
    box.append(h("div", {class: "d-flex gap-1 mb-1 align-items-center", "data-testid": `${testid}-row`},
      h("div", {class: "dz-flow-map-key"}, select({fk: `${fk}.${i}.key`, value: key, testid: `${testid}-field`,
        ariaLabel: t("flow.set_field"),
        options: targets.map((f) => ({value: f.name, label: txt(f.label) ? `${txt(f.label)} (${f.name})` : f.name})),
        onChange: (k) => onEdit(key, k, expr)})),
      h("span", {class: "text-secondary"}, copiesTable ? "←" : "="),
      h("div", {class: "flex-grow-1"}, copiesTable && known
        ? select({fk: `${fk}.${i}.table`, value: expr, testid: `${testid}-table`, ariaLabel: t("create.table_source"),
          options: [{value: "", label: t("create.table_none")}, ...tables], onChange: (v) => onEdit(key, key, v || null)})
        : known
        ? textInput({fk: `${fk}.${i}.expr`, value: expr, mono: true, testid: `${testid}-expr`,
          ariaLabel: t("flow.set_expression"), onCommit: (v) => onEdit(key, key, v || null)})
        : h("code", {class: "small"}, JSON.stringify(expr))),
      h("button", {type: "button", class: "btn btn-sm btn-outline-danger dz-flow-icon-btn", "data-fk": `${fk}.${i}.remove`,
        "data-testid": `${testid}-remove`, "aria-label": t("flow.remove"), title: t("flow.remove"),
        onclick: () => onEdit(key, key, null)}, "×")));
  });
  const free = targets.filter((f) => !entries.some(([k]) => k === f.name));
  if (free.length) {
    const pick = select({fk: `${fk}.new`, value: "", testid: `${testid}-new`, ariaLabel: t("flow.set_add"),
      options: [{value: "", label: `+ ${t("flow.set_add")}`}, ...free.map((f) => ({value: f.name,
        label: txt(f.label) ? `${txt(f.label)} (${f.name})` : f.name}))],
      onChange: (k) => {
        if (!k) return;
        const table = tables && Array.isArray((targets.find((f) => f.name === k) || {}).columns);
        // a table starts as a copy of the source's first table (same-named first), a field as null
        const source = table ? (tables.find((x) => x.value === k || x.value.endsWith(`.${k}`)) || tables[0]) : null;
        onEdit(null, k, source ? source.value : "null");
      }});
    box.append(pick);
  }
  return box;
}
