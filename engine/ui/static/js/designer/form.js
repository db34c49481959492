// The form designer tab: form picker, palette, canvas and property panel (or the form settings).
import { h, clear, problemBadge } from "./ui.js";
import { get, parse, pointerOf } from "./pointers.js";
import { Dragger } from "./form-dnd.js";
import { renderPalette } from "./form-palette.js";
import { renderCanvas } from "./form-canvas.js";
import { renderProps, fieldInfo } from "./form-props.js";
import { renderSettings } from "./form-settings.js";
import { txt } from "./loc.js";
import { previewRoles, previewUrl, previewViews } from "./preview.js";
import {
  addField, moveField, removeField, newField, newFieldName, renameField, setKey, newForm, newFormName, changeType,
  trackRename,
} from "./form-model.js";

export function mount(element, store) {
  const t = (k, p) => store.text(k, p);
  const state = { file: null, formPointer: null, selected: null };
  const kindOf = (type) => (store.meta.types || []).find((k) => k.name === type);

  const pickForm = (file, formPointer) => { state.file = file; state.formPointer = formPointer; state.selected = null; };
  const ensureForm = () => {
    const entries = store.forms();
    const current = entries.find((e) => e.file === state.file && e.pointer === state.formPointer);
    if (!current && entries.length) { pickForm(entries[0].file, entries[0].pointer); }
    if (state.selected && get(store.doc(state.file), state.selected) === undefined) { state.selected = null; }
  };

  const liveForm = (name) => {
    for (const doc of Object.values(store.liveFiles || {})) {
      const form = ((doc && doc.forms) || []).find((f) => f && f.name === name);
      if (form) { return form; }
    }
    return null;
  };
  // The live names of the fields beside the one at `pointer` (its form's, or its table's columns), or
  // null when the form (or the table) is new in the draft.
  const liveNamesAt = (doc, pointer) => {
    const form = get(doc, state.formPointer);
    const lived = liveForm(form.name) || (form.renamed_from ? liveForm(form.renamed_from) : null);
    if (!lived) { return null; }
    const rest = parse(pointer).slice(parse(state.formPointer).length);
    const named = (list) => (Array.isArray(list) ? list : []).filter((f) => f && typeof f.name === "string");
    if (rest.length === 2) { return named(lived.fields).map((f) => f.name); }
    const table = get(doc, pointerOf(parse(pointer).slice(0, -2)));
    const liveTable = named(lived.fields).find((f) => f.name === table.name || f.name === table.renamed_from);
    return liveTable ? named(liveTable.fields).map((f) => f.name) : null;
  };

  const ctx = {
    store,
    get file() { return state.file; },
    get formPointer() { return state.formPointer; },
    get form() { return get(store.doc(state.file), state.formPointer); },
    get selected() { return state.selected; },
    get pointer() { return state.selected; },
    isLive: (name) => Boolean(liveForm(name)),
    text: t,
    formTitle: (name) => { const f = store.findForm(name); return f ? txt(f.form.title) : null; },
    select(pointer) { state.selected = pointer; render({ focus: pointer }); },
    set(pointer, key, value, label) {
      store.change((sources) => { setKey(get(sources[state.file], pointer), key, value); }, label);
    },
    rename(pointer, name) {
      const field = get(store.doc(state.file), pointer);
      const old = field.name;
      store.change((sources) => {
        const doc = sources[state.file];
        const target = get(doc, pointer);
        renameField(doc, state.formPointer, pointer, name);
        trackRename(target, old, name, liveNamesAt(doc, pointer));
      }, t("form.renamed", { old, name }));
    },
    changeType(pointer, type) {
      const kind = kindOf(type);
      const options = [1, 2].map((n) => t("form.option_n", { n }));
      store.change((sources) => {
        const field = get(sources[state.file], pointer);
        changeType(field, type, store.meta, { options });
        if (kind && kind.is_table && (!Array.isArray(field.fields) || !field.fields.length)) {
          field.fields = [newField("text", store.meta, { name: "item", label: t("form.column_n", { n: 1 }) })];
        }
      }, t("form.type_changed", { label: labelAt(pointer), type: kind ? kind.label : type }));
    },
    move(pointer, step) {
      const path = parse(pointer);
      const index = Number(path[path.length - 1]);
      const container = pointerOf(path.slice(0, -1));
      const length = get(store.doc(state.file), container).length;
      const to = index + step;
      if (to < 0 || to >= length) { return; }
      let moved = pointer;
      store.change((sources) => { moved = moveField(sources[state.file], pointer, container, step > 0 ? to + 1 : to); },
        t("form.moved", { label: labelAt(pointer) }));
      state.selected = moved;
      render({ focus: moved });
    },
    remove(pointer) {
      const label = labelAt(pointer);
      if (!window.confirm(t("form.remove_confirm", { label }))) { return; }
      store.change((sources) => { removeField(sources[state.file], pointer); }, t("form.removed", { label }));
      state.selected = null;
      render();
    },
    add(type, container, index) {
      const form = ctx.form;
      let target = container;
      let at = index;
      if (!target) {
        const sel = state.selected ? parse(state.selected) : null;
        const base = parse(state.formPointer).length;
        const kind = kindOf(type);
        if (sel && sel.length === base + 4 && kind && kind.in_tables && !kind.is_table) {
          target = pointerOf(sel.slice(0, -1));
          at = Number(sel[sel.length - 1]) + 1;
        } else if (sel && sel.length >= base + 2) {
          target = state.formPointer + "/fields";
          at = Number(sel[base + 1]) + 1;
        } else {
          target = state.formPointer + "/fields";
          at = (form.fields || []).length;
        }
      }
      const kind = kindOf(type);
      const options = [1, 2].map((n) => t("form.option_n", { n }));
      const field = newField(type, store.meta, { name: newFieldName(form), label: kind ? kind.label : type, options });
      if (kind && kind.is_table) { field.fields = [newField("text", store.meta, { name: "item", label: t("form.column_n", { n: 1 }) })]; }
      let made = null;
      store.change((sources) => { made = addField(sources[state.file], target, at, field); }, t("form.added", { label: txt(field.label) }));
      state.selected = made;
      render({ focus: made });
    },
    scope(pointer) {
      const form = ctx.form;
      const path = parse(pointer);
      const base = parse(state.formPointer).length;
      const inTable = path.length >= base + 4;
      const list = inTable ? (get(store.doc(state.file), pointerOf(path.slice(0, base + 2))).fields || []) : (form.fields || []);
      const fields = list.filter((f) => f && typeof f === "object" && f.name).map((f) => {
        const info = fieldInfo(f, store.meta);
        if (Array.isArray(f.fields) && info.type && info.type.is_table) {
          info.columns = f.fields.filter((c) => c && c.name).map((c) => fieldInfo(c, store.meta));
        }
        if (info.type && info.type.links && f.form) {
          const target = store.findForm(f.form);
          info.target = target ? (target.form.fields || []).filter((c) => c && c.name).map((c) => fieldInfo(c, store.meta)) : [];
        }
        return info;
      });
      return { fields };
    },
  };

  function labelAt(pointer) {
    const field = get(store.doc(state.file), pointer);
    return field ? (txt(field.label) || field.name) : "";
  }

  const dragger = new Dragger({
    canDrop(payload, container) {
      const path = parse(container);
      const inTable = path.length > parse(state.formPointer).length + 1;
      const type = payload.type;
      const kind = kindOf(type);
      if (!inTable) { return true; }
      if (payload.kind === "move" && (container === payload.pointer + "/fields" || container.startsWith(payload.pointer + "/"))) { return false; }
      return Boolean(kind && kind.in_tables && !kind.is_table);
    },
    onDrop(payload, target) {
      if (payload.kind === "new") { ctx.add(payload.type, target.container, target.index); return; }
      let moved = payload.pointer;
      store.change((sources) => { moved = moveField(sources[state.file], payload.pointer, target.container, target.index); },
        t("form.moved", { label: payload.label }));
      state.selected = moved;
      render({ focus: moved });
    },
  });
  ctx.dragger = dragger;

  const top = h("div", { class: "dz-form-top d-flex flex-wrap align-items-center gap-2 mb-2" });
  const layout = h("div", { class: "dz-form-layout" });
  const palettePane = h("aside", { class: "dz-col-palette" });
  const canvasPane = h("div", { class: "dz-col-canvas" });
  const propsPane = h("aside", { class: "dz-col-props card card-body p-2", "aria-live": "polite", "data-testid": "props-pane" });
  layout.append(palettePane, canvasPane, propsPane);
  clear(element).append(top, layout);

  function renderTop() {
    clear(top);
    const picker = h("select", { class: "form-select form-select-sm w-auto", "aria-label": t("form.pick_form"), "data-testid": "form-picker",
      onchange: (e) => { const [file, pointer] = e.target.value.split("#"); pickForm(file, pointer); render(); } });
    for (const file of store.files()) {
      const doc = store.doc(file);
      const group = h("optgroup", { label: (doc && txt(doc.title)) ? txt(doc.title) + " · " + file : file });
      store.forms().filter((f) => f.file === file).forEach((entry) => {
        const count = store.problemsAt(file, entry.pointer).length;
        group.append(h("option", { value: file + "#" + entry.pointer, selected: file === state.file && entry.pointer === state.formPointer,
          "data-form": entry.form.name }, (txt(entry.form.title) || entry.form.name) + (count ? ` (${t("form.n_problems", { count })})` : "")));
      });
      picker.append(group);
    }
    top.append(h("label", { class: "small text-secondary" }, t("form.form")), picker,
      h("button", { type: "button", class: "btn btn-sm btn-outline-primary", "data-testid": "form-add", onclick: addForm }, t("form.add_form")),
      h("button", { type: "button", class: "btn btn-sm " + (state.selected ? "btn-outline-secondary" : "btn-secondary"),
        "data-testid": "form-settings-button", "aria-pressed": state.selected ? "false" : "true",
        onclick: () => { state.selected = null; render(); } }, t("form.settings")));
    const badge = problemBadge(store.problemsAt(state.file, state.formPointer));
    if (badge) { top.append(badge); }
    const form = ctx.form;
    if (form && form.name) { top.append(previewControls(form)); }
  }

  // Preview the draft as a role: the draft is saved first, then the preview page opens in a new tab.
  function previewControls(form) {
    const roles = previewRoles(store.sources);
    if (!roles.some((r) => r.name === state.previewRole)) { state.previewRole = roles.length ? roles[0].name : ""; }
    const role = h("select", { class: "form-select form-select-sm w-auto", "aria-label": t("preview.as"),
      "data-testid": "preview-role", onchange: (e) => { state.previewRole = e.target.value; } },
      ...roles.map((r) => h("option", { value: r.name, selected: r.name === state.previewRole }, r.title)));
    const open = (view) => async () => {
      const tab = window.open("", "_blank");
      try { await store.save(); } catch (e) { /* the preview shows the last saved draft and its problems */ }
      const url = previewUrl(form.name, state.previewRole, view);
      if (tab) { tab.location.href = url; } else { window.location.href = url; }
    };
    return h("div", { class: "d-flex align-items-center gap-1 ms-auto", title: t("preview.hint") },
      h("label", { class: "small text-secondary" }, t("preview.as")), role,
      ...previewViews(form).map((view) => h("button", { type: "button", class: "btn btn-sm btn-outline-secondary",
        "data-testid": "preview-" + view, onclick: open(view) }, t("preview." + view))));
  }

  function addForm() {
    const title = window.prompt(t("form.new_form_title"), t("form.new_form_default"));
    if (!title) { return; }
    const name = newFormName(store.sources);
    const file = state.file || store.files()[0];
    let pointer = null;
    store.change((sources) => {
      const doc = sources[file];
      if (!Array.isArray(doc.forms)) { doc.forms = []; }
      doc.forms.push(newForm(name, title, t("form.new_form_field")));
      pointer = "/forms/" + (doc.forms.length - 1);
    }, t("form.form_added", { title }));
    pickForm(file, pointer);
    render();
  }

  // -- rendering, keeping focus and what is being typed ---------------------------------------
  function focusKey() {
    const active = document.activeElement;
    if (!active || !element.contains(active)) { return null; }
    const testid = active.getAttribute("data-testid");
    const pointer = active.getAttribute("data-pointer");
    if (pointer && active.hasAttribute("data-field-card")) { return { pointer }; }
    if (!testid) { return null; }
    const same = [...element.querySelectorAll(`[data-testid="${testid}"]`)];
    const typing = /^(INPUT|TEXTAREA)$/.test(active.tagName) && active.type !== "checkbox";
    return { testid, index: same.indexOf(active), value: typing ? active.value : null,
      start: typing ? active.selectionStart : null, end: typing ? active.selectionEnd : null };
  }

  function restore(key, focusPointer) {
    if (focusPointer) {
      const card = element.querySelector(`[data-field-card][data-pointer="${focusPointer}"]`);
      if (card) { card.focus({ preventScroll: true }); card.scrollIntoView({ block: "nearest" }); return; }
    }
    if (!key) { return; }
    if (key.pointer) {
      const card = element.querySelector(`[data-field-card][data-pointer="${key.pointer}"]`);
      if (card) { card.focus({ preventScroll: true }); }
      return;
    }
    const el = [...element.querySelectorAll(`[data-testid="${key.testid}"]`)][key.index];
    if (!el) { return; }
    el.focus({ preventScroll: true });
    if (key.value !== null && el.value !== key.value) { el.value = key.value; }
    if (key.start !== null && el.setSelectionRange) { try { el.setSelectionRange(key.start, key.end); } catch (e) { /* not a text input */ } }
  }

  function render({ focus = null } = {}) {
    if (!store.files().length) { return; }
    const key = focusKey();
    ensureForm();
    renderTop();
    const form = ctx.form;
    clear(palettePane).append(renderPalette(ctx));
    clear(canvasPane).append(form ? renderCanvas(ctx) : h("div", { class: "text-secondary" }, t("form.no_forms")));
    const keepScroll = propsPane.dataset.showing === String(state.selected) ? propsPane.scrollTop : 0;
    clear(propsPane);
    if (form) { propsPane.append(state.selected ? renderProps(ctx) : renderSettings(ctx)); }
    propsPane.dataset.showing = String(state.selected);
    propsPane.scrollTop = keepScroll;
    element.dataset.form = form ? form.name : "";
    element.dataset.selected = state.selected || "";
    restore(key, focus);
  }

  // Renders wait for the end of a drag (the dragged card must stay in the page) and happen once per
  // turn of the event loop; problems that did not change do not render again.
  // Nor while a button is pressed: leaving a text box commits it on mousedown, and a render then would
  // replace the button under the pointer, so the click that follows would be lost.
  let queued = false;
  let pressing = false;
  element.addEventListener("pointerdown", () => { pressing = true; }, true);
  document.addEventListener("pointerup", () => { pressing = false; }, true);
  document.addEventListener("pointercancel", () => { pressing = false; }, true);
  let shownProblems = JSON.stringify(store.problems);
  const later = () => {
    if (queued) { return; }
    queued = true;
    setTimeout(function attempt() {
      if (dragger.busy() || pressing) { setTimeout(attempt, 50); return; }
      queued = false;
      render();
    }, 0);
  };
  store.on("change", later);
  store.on("problems", (problems) => {
    const now = JSON.stringify(problems);
    if (now === shownProblems) { return; }
    shownProblems = now;
    later();
  });
  store.on("select", ({ file, pointer, tab }) => {
    if (tab !== "form") { return; }
    const path = parse(pointer || "");
    if (path[0] !== "forms" || path.length < 2) { return; }
    pickForm(file, pointerOf(path.slice(0, 2)));
    if (path[2] === "fields" && path.length >= 4) {
      state.selected = pointerOf(path.slice(0, path[4] === "fields" && path.length >= 6 ? 6 : 4));
    }
    render({ focus: state.selected });
  });
  render();
}
