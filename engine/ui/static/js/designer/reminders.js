// reminders.js: the designer's 提醒 (Reminders) tab — per form, its date reminders and timed
// automations (docs/reference.md, Date reminders): name, date field, offset (number + unit +
// before/after, written as the offset syntax), recipients (role / user / field / manager of), a
// `when` condition, a message with {field} placeholders and a transition to fire (e.g. the 公海
// release). Add, edit, move and remove; every edit is a small mutation through store.change.

import { h, clear, useStylesheet } from "./ui.js";
import { conditionBox, ready as conditionsReady } from "./perms-rule.js";
import { rerender, t, whenIdle } from "./perms-dom.js";
import { allRoles } from "./perms-model.js";
import { enOf, txt, withEn, withZh, zhOf } from "./loc.js";
import {

  IDENTIFIER, RECIPIENT_KINDS, UNITS, addReminder, dateFieldOptions, draftReminder, formAt, insertPlaceholder,
  makeRecipient, moveReminder, parseOffset, placeholderOptions, printOffset, recipientOf, remindersOf,
  removeRecipient, removeReminder, setRecipient, transitionOptions, updateReminder, userFieldOptions,
} from "./reminders-model.js";

// "截止日期（due_date）": the label, then the name in the page language's brackets (as the system fields)
function labelAndName(store, label, name) {
  return store.text("label_name", { label, name });
}

export function mount(element, store) {
  useStylesheet("designer-perms.css");
  const state = { form: "", open: null, errors: {} };
  const root = h("div", { class: "dz-rem", "data-testid": "reminders" });
  clear(element).append(root);
  const draw = () => rerender(root, () => render(root, store, state, draw));
  store.on("change", draw);
  store.on("problems", () => whenIdle(root, draw));  // problems arrive while one may be typing
  store.on("select", ({ file, pointer, tab }) => {
    if (tab !== "reminders") return;
    const m = /^\/forms\/(\d+)\/reminders(?:\/(\d+))?/.exec(pointer || "");
    const entry = m && store.forms().find((f) => f.file === file && f.index === Number(m[1]));
    if (!entry) return;
    state.form = entry.form.name;
    state.open = m[2] !== undefined ? Number(m[2]) : null;
    draw();
    const card = root.querySelector(`[data-index="${state.open}"]`);
    if (card) card.scrollIntoView({ block: "nearest" });
  });
  conditionsReady.then(draw);
  draw();
}

function roleTitle(roles, name) {
  const role = roles.find((r) => r.name === name);
  return role && txt(role.title) ? txt(role.title) : name;
}

function offsetText(store, offset, dateLabel) {
  const o = parseOffset(offset);
  if (!o) return t(store, "reminders.offset_raw", { offset: String(offset), date: dateLabel });
  if (o.amount === 0) return t(store, "reminders.at_date", { date: dateLabel });
  const unit = t(store, o.amount === 1 ? `reminders.unit1.${o.unit}` : `reminders.unit.${o.unit}`);
  return t(store, o.before ? "reminders.before_date" : "reminders.after_date", { amount: o.amount, unit, date: dateLabel });
}

function recipientText(store, rule, roles, users) {
  const r = recipientOf(rule);
  const fieldLabel = (name) => (users.find((u) => u.name === name) || { label: name }).label;
  if (r.kind === "role") return t(store, "reminders.who.role_is", { name: roleTitle(roles, r.value) });
  if (r.kind === "user") return t(store, "reminders.who.user_is", { name: r.value });
  if (r.kind === "field") return fieldLabel(r.value);
  if (r.kind === "manager_of") return t(store, "reminders.who.manager_of_is", { name: fieldLabel(r.value) });
  return JSON.stringify(rule);
}

function render(root, store, state, draw) {
  const entries = store.forms().filter((e) => e.form && typeof e.form.name === "string");
  clear(root);
  if (!entries.length) {
    root.append(h("p", { class: "text-secondary" }, t(store, "perms.no_forms")));
    return;
  }
  if (!entries.some((e) => e.form.name === state.form)) {
    const first = entries.find((e) => remindersOf(e.form).length) || entries[0];
    state.form = first.form.name;
    state.open = null;
  }
  const entry = entries.find((e) => e.form.name === state.form);
  const { file, pointer } = entry;
  const form = entry.form;
  const meta = store.meta || {};
  const list = remindersOf(form);
  if (state.open !== null && state.open >= list.length) state.open = null;

  const files = store.files();
  const picker = h("select", { class: "form-select form-select-sm w-auto", id: "dz-rem-form", "data-testid": "reminders-form", "data-key": "rem.form",
    onchange: (event) => { state.form = event.target.value; state.open = null; state.errors = {}; draw(); } },
  files.map((f) => h("optgroup", { label: (store.sources[f] && txt(store.sources[f].title)) || f },
    entries.filter((e) => e.file === f).map((e) => h("option", { value: e.form.name, selected: e.form.name === state.form },
      remindersOf(e.form).length ? `${txt(e.form.title) || e.form.name} (${remindersOf(e.form).length})` : (txt(e.form.title) || e.form.name))))));
  const add = () => {
    const next = list.length;
    state.open = next;
    store.change((s) => { const fm = formAt(s, file, pointer); addReminder(fm, draftReminder(fm, meta)); },
      t(store, "reminders.label.add", { form: txt(form.title) || form.name }));
  };
  root.append(h("div", { class: "d-flex flex-wrap align-items-center gap-2 mb-2" },
    h("label", { class: "small text-secondary", for: "dz-rem-form" }, t(store, "reminders.form")), picker,
    h("button", { type: "button", class: "btn btn-sm btn-success", "data-testid": "reminder-add", "data-key": "rem.add", onclick: add },
      t(store, "reminders.add"))));
  root.append(h("p", { class: "small text-secondary" }, t(store, "reminders.help")));

  const formProblems = store.problemsAt(file, `${pointer}/reminders`).filter((p) => p.pointer === `${pointer}/reminders`);
  if (formProblems.length) root.append(h("ul", { class: "dz-problem-list" }, formProblems.map((p) => h("li", {}, p.message))));
  if (!list.length) {
    root.append(h("p", { class: "text-secondary", "data-testid": "reminders-empty" }, t(store, "reminders.none", { form: txt(form.title) || form.name })));
    return;
  }
  const roles = allRoles(store.sources);
  const dates = dateFieldOptions(form, meta);
  const users = userFieldOptions(form, meta);
  const transitions = transitionOptions(form);
  const ul = h("ol", { class: "list-unstyled mb-0", "data-testid": "reminder-list" });
  list.forEach((reminder, index) => {
    ul.append(h("li", { class: "mb-2" }, card(store, state, draw, { file, pointer, form, reminder, index, count: list.length, roles, dates, users, transitions })));
  });
  root.append(ul);
}

function card(store, state, draw, ctx) {
  const { file, pointer, form, reminder, index, count, roles, dates, users, transitions } = ctx;
  const rptr = `${pointer}/reminders/${index}`;
  const problems = store.problemsAt(file, rptr);
  const open = state.open === index;
  const ok = reminder !== null && typeof reminder === "object" && !Array.isArray(reminder);
  const rem = ok ? reminder : {};
  const dateLabel = (dates.find((d) => d.name === rem.date_field) || { label: rem.date_field || "?" }).label;
  const who = Array.isArray(rem.notify) ? rem.notify.map((r) => recipientText(store, r, roles, users)).join("、") : "";
  const transition = transitions.find((tr) => tr.name === rem.transition);
  const summary = [offsetText(store, rem.offset, dateLabel), who ? t(store, "reminders.notify_who", { who }) : null,
    rem.transition ? t(store, "reminders.fires", { name: transition ? transition.title : rem.transition }) : null].filter(Boolean).join(" · ");
  const change = (mutate, label) => store.change((s) => mutate(formAt(s, file, pointer)), t(store, label, { name: rem.name || "" }));
  const head = h("div", { class: "card-header d-flex flex-wrap align-items-center gap-2 py-1" },
    h("button", { type: "button", class: "btn btn-link text-start text-decoration-none p-0 me-auto dz-rem-summary",
      "aria-expanded": open ? "true" : "false", "data-testid": "reminder-toggle", "data-key": `rem.${index}.toggle`,
      onclick: () => { state.open = open ? null : index; draw(); } },
    h("strong", { class: "d-block" }, txt(rem.message) || rem.name || "?"),
    h("span", { class: "text-secondary" }, summary)),
    problems.length ? h("span", { class: "badge text-bg-danger", "data-testid": "problem-badge", title: problems.map((p) => p.message).join("\n") }, String(problems.length)) : null,
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: index === 0, "aria-label": t(store, "reminders.up"),
      title: t(store, "reminders.up"), "data-key": `rem.${index}.up`,
      onclick: () => { state.open = open ? index - 1 : state.open; change((fm) => moveReminder(fm, index, -1), "reminders.label.move"); } }, "↑"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", disabled: index === count - 1, "aria-label": t(store, "reminders.down"),
      title: t(store, "reminders.down"), "data-key": `rem.${index}.down`,
      onclick: () => { state.open = open ? index + 1 : state.open; change((fm) => moveReminder(fm, index, 1), "reminders.label.move"); } }, "↓"),
    h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "data-testid": "reminder-remove", "data-key": `rem.${index}.remove`,
      onclick: () => {
        if (!window.confirm(t(store, "reminders.remove_confirm", { name: txt(rem.message) || rem.name || "" }))) return;
        state.open = null;
        change((fm) => removeReminder(fm, index), "reminders.label.remove");
      } }, t(store, "reminders.remove")));
  const el = h("div", { class: `card dz-rem-card${open ? " dz-open" : ""}`, "data-index": index, "data-testid": "reminder", "data-name": rem.name || "" }, head);
  if (open && ok) el.append(editor(store, state, draw, { ...ctx, rptr, rem, change }));
  else if (open) el.append(h("div", { class: "card-body small" }, t(store, "reminders.not_object")));
  return el;
}

function field(store, file, ptr, id, labelKey, control, help) {
  const problems = store.problemsAt(file, ptr);
  if (problems.length) control.classList.add("is-invalid");
  return h("div", { class: "mb-2" },
    h("label", { class: "form-label small mb-1", for: id }, t(store, labelKey)),
    control,
    problems.length ? h("div", { class: "invalid-feedback d-block", "data-testid": "field-problem" }, problems.map((p) => p.message).join("；")) : null,
    help ? h("div", { class: "form-text" }, help) : null);
}

function editor(store, state, draw, ctx) {
  const { file, form, index, rptr, rem, change, roles, dates, users, transitions } = ctx;
  const body = h("div", { class: "card-body py-2", "data-testid": "reminder-editor" });
  const id = (k) => `dz-rem-${index}-${k}`;
  const set = (changes, label) => change((fm) => updateReminder(fm, index, changes), label);
  const errorKey = (k) => `${form.name}.${index}.${k}`;

  // message first: it is what people read
  // a localized text (loc.js): the Chinese message here, the English one below
  const message = h("textarea", { id: id("message"), class: "form-control form-control-sm", rows: 2, value: zhOf(rem.message),
    "data-key": `rem.${index}.message`, "data-testid": "reminder-message",
    onchange: (event) => set({ message: withZh(rem.message, event.target.value.trim()) }, "reminders.label.message") });
  message.defaultValue = zhOf(rem.message);
  const english = h("textarea", { class: "form-control form-control-sm", rows: 1, value: enOf(rem.message), lang: "en",
    "data-key": `rem.${index}.message_en`, "data-testid": "reminder-message-en", placeholder: t(store, "loc.en_placeholder"),
    "aria-label": t(store, "loc.en_placeholder"),
    onchange: (event) => set({ message: withEn(rem.message, event.target.value) }, "reminders.label.message") });
  english.defaultValue = enOf(rem.message);
  // where a field goes: the caret (or selection) the message had when it was last left
  const caretKey = `${form.name}.${index}`;
  const remember = () => { state.caret = { key: caretKey, start: message.selectionStart, end: message.selectionEnd }; };
  for (const type of ["keyup", "mouseup", "select", "blur", "input"]) message.addEventListener(type, remember);
  const placeholders = placeholderOptions(form);
  const picker = h("select", { class: "form-select form-select-sm w-auto", "aria-label": t(store, "reminders.insert_field"),
    "data-testid": "reminder-placeholder", "data-key": `rem.${index}.placeholder`,
    onchange: (event) => {
      const name = event.target.value;
      if (!name) return;
      const at = state.caret && state.caret.key === caretKey ? state.caret : { start: null, end: null };
      const { text, caret } = insertPlaceholder(message.value, name, at.start, at.end);
      state.caret = { key: caretKey, start: caret, end: caret };
      message.value = text;  // committed now: the redraw must not bring back what it replaces
      message.defaultValue = text;
      set({ message: withZh(rem.message, text) }, "reminders.label.message");
    } },
  h("option", { value: "" }, t(store, "reminders.insert_field")),
  placeholders.map((p) => h("option", { value: p.name }, p.system ? `{${p.name}}` : `${p.label} {${p.name}}`)));
  body.append(field(store, file, `${rptr}/message`, id("message"), "reminders.message", message),
    h("div", { class: "input-group input-group-sm mb-2 mt-n1 dz-loc-en" },
      h("span", { class: "input-group-text small text-secondary", title: t(store, "loc.en_help") }, t(store, "loc.en")), english),
    h("div", { class: "mb-2" }, picker));

  // when: date field, offset
  const dateSelect = h("select", { id: id("date"), class: "form-select form-select-sm", "data-key": `rem.${index}.date_field`,
    "data-testid": "reminder-date-field", onchange: (event) => set({ date_field: event.target.value }, "reminders.label.date") },
  dates.some((d) => d.name === rem.date_field) ? null : h("option", { value: rem.date_field || "", selected: true }, rem.date_field || ""),
  dates.map((d) => h("option", { value: d.name, selected: d.name === rem.date_field },
    d.system ? t(store, `reminders.system.${d.name}`) : labelAndName(store, d.label, d.name))));
  const parsed = parseOffset(rem.offset) || { before: false, amount: 0, unit: "d" };
  const amount = h("input", { type: "number", min: 0, step: 1, id: id("offset"), class: "form-control form-control-sm", value: String(parsed.amount),
    "data-key": `rem.${index}.amount`, "data-testid": "reminder-amount", inputmode: "numeric" });
  amount.defaultValue = String(parsed.amount);
  const unit = h("select", { class: "form-select form-select-sm", "data-key": `rem.${index}.unit`, "data-testid": "reminder-unit",
    "aria-label": t(store, "reminders.unit") },
  UNITS.map((u) => h("option", { value: u, selected: u === parsed.unit }, t(store, `reminders.unit.${u}`))));
  const side = h("select", { class: "form-select form-select-sm", "data-key": `rem.${index}.side`, "data-testid": "reminder-side",
    "aria-label": t(store, "reminders.side") },
  h("option", { value: "before", selected: parsed.before }, t(store, "reminders.before")),
  h("option", { value: "after", selected: !parsed.before }, t(store, "reminders.after")));
  const writeOffset = () => {
    const n = Number(amount.value);
    if (!Number.isInteger(n) || n < 0) { state.errors[errorKey("offset")] = t(store, "reminders.bad_amount"); draw(); return; }
    delete state.errors[errorKey("offset")];
    set({ offset: printOffset({ before: side.value === "before", amount: n, unit: unit.value }) }, "reminders.label.offset");
  };
  for (const control of [amount, unit, side]) control.addEventListener("change", writeOffset);
  const offsetError = state.errors[errorKey("offset")];
  body.append(h("div", { class: "row g-2" },
    h("div", { class: "col-md-5" }, field(store, file, `${rptr}/date_field`, id("date"), "reminders.date_field", dateSelect)),
    h("div", { class: "col-md-7" }, field(store, file, `${rptr}/offset`, id("offset"), "reminders.offset",
      h("div", { class: "dz-rem-offset" }, amount, unit, side),
      offsetError ? h("span", { class: "text-danger" }, offsetError) : t(store, "reminders.offset_help", { offset: rem.offset || "0d" })))));

  // who
  const notify = Array.isArray(rem.notify) ? rem.notify : [];
  const recipients = h("div", { "data-testid": "reminder-recipients" });
  notify.forEach((rule, at) => recipients.append(recipientRow(store, { rule, at, index, roles, users, change })));
  recipients.append(h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "recipient-add", "data-key": `rem.${index}.who.add`,
    onclick: () => change((fm) => setRecipient(fm, index, notify.length, makeRecipient("field", users[0].name)), "reminders.label.notify") },
  t(store, "reminders.who.add")));
  const whoProblems = store.problemsAt(file, `${rptr}/notify`);
  body.append(h("fieldset", { class: "mb-2" },
    h("legend", { class: "form-label small mb-1 fs-6" }, t(store, "reminders.notify")),
    recipients,
    whoProblems.length ? h("div", { class: "invalid-feedback d-block" }, whoProblems.map((p) => p.message).join("；")) : null));

  // transition
  const transitionSelect = h("select", { id: id("transition"), class: "form-select form-select-sm", "data-key": `rem.${index}.transition`,
    "data-testid": "reminder-transition", disabled: !transitions.length && !rem.transition,
    onchange: (event) => set({ transition: event.target.value }, "reminders.label.transition") },
  h("option", { value: "" }, t(store, transitions.length ? "reminders.transition_none" : "reminders.transition_no_workflow")),
  rem.transition && !transitions.some((tr) => tr.name === rem.transition) ? h("option", { value: rem.transition, selected: true }, rem.transition) : null,
  transitions.map((tr) => h("option", { value: tr.name, selected: tr.name === rem.transition }, `${tr.title} (${tr.name})`)));
  body.append(field(store, file, `${rptr}/transition`, id("transition"), "reminders.transition", transitionSelect, t(store, "reminders.transition_help")));

  // condition
  const stages = form.workflow && Array.isArray(form.workflow.stages) ? form.workflow.stages.filter((s) => s && s.name) : [];
  const presets = stages.slice(0, 6).map((s) => ({ label: t(store, "reminders.preset.stage", { stage: txt(s.title) || s.name }), text: `stage == '${s.name}'` }));
  const whenProblems = store.problemsAt(file, `${rptr}/when`);
  body.append(h("div", { class: "mb-2" },
    conditionBox({ store, form, value: rem.when || "", key: `rem.${form.name}.${index}.when`, label: t(store, "reminders.when"),
      testid: "reminder-when", presets, onApply: (text) => set({ when: text }, "reminders.label.when") }),
    whenProblems.length ? h("div", { class: "invalid-feedback d-block" }, whenProblems.map((p) => p.message).join("；")) : null,
    h("div", { class: "form-text" }, t(store, "reminders.when_help"))));

  // name (an identifier; rarely changed)
  const nameError = state.errors[errorKey("name")];
  const name = h("input", { type: "text", id: id("name"), class: `form-control form-control-sm font-monospace${nameError ? " is-invalid" : ""}`,
    value: rem.name || "", "data-key": `rem.${index}.name`, "data-testid": "reminder-name", spellcheck: "false",
    onchange: (event) => {
      const value = event.target.value.trim();
      const taken = remindersOf(form).some((r, i) => i !== index && r && r.name === value);
      if (!IDENTIFIER.test(value) || taken) {
        state.errors[errorKey("name")] = t(store, taken ? "reminders.name_taken" : "reminders.name_bad");
        draw();
        return;
      }
      delete state.errors[errorKey("name")];
      set({ name: value }, "reminders.label.name");
    } });
  name.defaultValue = rem.name || "";
  body.append(field(store, file, `${rptr}/name`, id("name"), "reminders.name", name, nameError || t(store, "reminders.name_help")));
  return body;
}

function recipientRow(store, { rule, at, index, roles, users, change }) {
  const r = recipientOf(rule);
  const row = h("div", { class: "dz-rem-recipient", "data-testid": "recipient" });
  const write = (next) => change((fm) => setRecipient(fm, index, at, next), "reminders.label.notify");
  const firstValue = (kind) => (kind === "role" ? (roles.find((x) => !x.admin) || roles[0]).name : kind === "user" ? "" : users[0].name);
  if (r.kind === "other") {
    row.append(h("code", { class: "small" }, JSON.stringify(rule)), h("span", { class: "small text-secondary" }, t(store, "reminders.who.other")));
  } else {
    const kind = h("select", { class: "form-select form-select-sm", "aria-label": t(store, "reminders.who.kind"), "data-key": `rem.${index}.who.${at}.kind`,
      "data-testid": "recipient-kind", onchange: (event) => write(makeRecipient(event.target.value, firstValue(event.target.value))) },
    RECIPIENT_KINDS.map((k) => h("option", { value: k, selected: k === r.kind }, t(store, `reminders.who.${k}`))));
    let value;
    if (r.kind === "role") {
      value = h("select", { class: "form-select form-select-sm", "aria-label": t(store, "reminders.who.role"), "data-key": `rem.${index}.who.${at}.value`,
        "data-testid": "recipient-value", onchange: (event) => write(makeRecipient("role", event.target.value)) },
      roles.some((x) => x.name === r.value) ? null : h("option", { value: r.value, selected: true }, r.value),
      roles.map((x) => h("option", { value: x.name, selected: x.name === r.value }, x.admin ? t(store, "perms.admin") : `${txt(x.title) || x.name} (${x.name})`)));
    } else if (r.kind === "user") {
      value = h("input", { type: "text", class: "form-control form-control-sm", value: r.value, placeholder: t(store, "reminders.who.user_placeholder"),
        "aria-label": t(store, "reminders.who.user"), "data-key": `rem.${index}.who.${at}.value`, "data-testid": "recipient-value",
        onchange: (event) => write(makeRecipient("user", event.target.value.trim())) });
      value.defaultValue = r.value;
    } else {
      value = h("select", { class: "form-select form-select-sm", "aria-label": t(store, `reminders.who.${r.kind}`), "data-key": `rem.${index}.who.${at}.value`,
        "data-testid": "recipient-value", onchange: (event) => write(makeRecipient(r.kind, event.target.value)) },
      users.some((u) => u.name === r.value) ? null : h("option", { value: r.value, selected: true }, r.value),
      users.map((u) => h("option", { value: u.name, selected: u.name === r.value }, u.system ? t(store, "reminders.system.created_by") : labelAndName(store, u.label, u.name))));
    }
    row.append(kind, value);
  }
  row.append(h("button", { type: "button", class: "btn btn-sm btn-outline-danger", "aria-label": t(store, "reminders.who.remove"),
    title: t(store, "reminders.who.remove"), "data-key": `rem.${index}.who.${at}.remove`, "data-testid": "recipient-remove",
    onclick: () => change((fm) => removeRecipient(fm, index, at), "reminders.label.notify") }, "×"));
  return row;
}
