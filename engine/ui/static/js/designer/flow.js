/* flow.js: the designer's 流程 (Flow) tab. Pick a form, see its workflow as a diagram (stages as
 * nodes, transitions and approval outcomes as arrows, laid out by dagre), select a stage or an
 * arrow to edit it in the side panel, add stages and transitions (toolbar buttons, the "new
 * transition" form, or a drag from a stage's handle onto another stage).
 *
 * Every edit is a small store.change on the form inside its module document (flow-model.js), so
 * unknown keys and key order stay as they were. The tab re-renders on "change" and "problems",
 * and follows "select" events for pointers under /forms/i/workflow (the problems panel).
 */
import { h, clear, problemList, useStylesheet } from "./ui.js";
import * as M from "./flow-model.js";
import { txt } from "./loc.js";
import { SYSTEM_ATTRIBUTES } from "./perms-model.js";
import { labelWidth, layoutGraph } from "./flow-layout.js";
import { createDiagram } from "./flow-diagram.js";
import { newTransitionForm, stagePanel, transitionPanel } from "./flow-panels.js";
import { ready as widgetsReady } from "./flow-widgets.js";

let checker = null;  // expr-check.js (the live check of an expression), when it is there
const checkerReady = import("./expr-check.js").then((m) => { checker = m; }).catch(() => { checker = null; });

export function mount(element, store) {
  let styled = false;
  const styling = useStylesheet("designer-flow.css").then(() => { styled = true; });
  const t = (key, params) => store.text(key, params);
  // the live (published) docs, copied: renamed_from is decided against them, never against the draft
  let live = {};
  const snapshotLive = () => {
    live = JSON.parse(JSON.stringify(store.liveFiles || {}));
  };
  snapshotLive();
  // direction null: whichever of left-to-right and top-to-bottom shows the flow larger
  const state = {form: null, file: null, selected: null, direction: null, shown: "LR", fitNext: true, focus: null,
    message: ""};
  let pending = null;  // a render scheduled by a store event (see later())
  let lastChanged = null;  // the control whose "change" made the last edit (to find the focus again)

  const formPicker = h("select", {class: "form-select form-select-sm", id: "dz-flow-form", "data-testid": "flow-form",
    "data-fk": "form", "aria-label": t("flow.form")});
  formPicker.addEventListener("change", () => {
    state.form = formPicker.value;
    state.selected = null;
    state.direction = null;
    state.fitNext = true;
    render();
  });
  const button = (key, testid, onclick, cls = "btn-outline-secondary", title = null) => h("button", {type: "button",
    class: `btn btn-sm ${cls}`, "data-testid": testid, "data-fk": `tool.${testid}`, title: title || null, onclick}, t(key));
  const addStageBtn = button("flow.add_stage", "flow-add-stage", () => addStage(), "btn-primary");
  const newTransitionBtn = button("flow.new_transition", "flow-new-transition-btn",
    () => { state.selected = {kind: "new", from: state.selected && state.selected.kind === "stage" ? state.selected.name : ""}; render(); },
    "btn-outline-primary");
  const zoomOut = button("flow.zoom_out", "flow-zoom-out", () => diagram.zoomBy(1 / 1.25), "btn-outline-secondary", t("flow.zoom_out_help"));
  const zoomIn = button("flow.zoom_in", "flow-zoom-in", () => diagram.zoomBy(1.25), "btn-outline-secondary", t("flow.zoom_in_help"));
  const fitBtn = button("flow.fit", "flow-fit", () => diagram.fit());
  const dirBtn = button("flow.direction", "flow-direction", () => {
    state.direction = state.shown === "LR" ? "TB" : "LR";
    state.fitNext = true;
    render();
  });
  const toolbar = h("div", {class: "dz-flow-toolbar d-flex flex-wrap align-items-center gap-2 mb-2", role: "toolbar",
    "aria-label": t("flow.toolbar")},
  h("label", {class: "small fw-semibold", for: "dz-flow-form"}, t("flow.form")),
  h("div", {class: "dz-flow-form-picker"}, formPicker), addStageBtn, newTransitionBtn,
  h("div", {class: "btn-group btn-group-sm ms-md-auto", role: "group", "aria-label": t("flow.view")}, zoomOut, zoomIn, fitBtn, dirBtn));
  const status = h("div", {class: "small text-secondary dz-flow-status", role: "status", "aria-live": "polite",
    "data-testid": "flow-status"});
  const workflowProblems = h("div", {"data-testid": "flow-workflow-problems"});
  const empty = h("div", {class: "dz-flow-empty", "data-testid": "flow-empty"});
  const diagramHost = h("div", {class: "dz-flow-canvas"});
  const legend = h("div", {class: "dz-flow-keys small text-secondary d-flex flex-wrap gap-3 mt-1"},
    h("span", {}, h("span", {class: "dz-flow-key dz-flow-key-initial"}), t("flow.legend_initial")),
    h("span", {}, h("span", {class: "dz-flow-key dz-flow-key-approval"}), t("flow.legend_approval")),
    h("span", {}, h("span", {class: "dz-flow-key dz-flow-key-final"}), t("flow.legend_final")),
    h("span", {}, h("span", {class: "dz-flow-key dz-flow-key-approved"}), t("flow.legend_approved")),
    h("span", {}, h("span", {class: "dz-flow-key dz-flow-key-rejected"}), t("flow.legend_rejected")),
    h("span", {}, t("flow.legend_help")));
  const diagramBox = h("div", {class: "col-12 col-xl-7 dz-flow-diagram-col"}, workflowProblems, diagramHost, legend);
  const panelHost = h("div", {class: "col-12 col-xl-5 dz-flow-panel-col", "data-testid": "flow-panel"});
  const body = h("div", {class: "row g-3"}, diagramBox, panelHost);
  clear(element).append(h("div", {class: "dz-flow", "data-testid": "flow-tab"}, toolbar, status, empty, body));
  element.addEventListener("change", (event) => {
    const target = event.target;
    const host = target.closest && target.closest("[data-fk]");
    lastChanged = {fk: target.dataset && target.dataset.fk, host: host ? host.dataset.fk : null,
      testid: target.dataset ? target.dataset.testid : null};
  }, true);

  const diagram = createDiagram(diagramHost, {
    text: t,
    onSelect: (sel) => {
      state.selected = sel;
      render();
      focusPanel();
      if (sel && sel.kind === "outcome") {  // an approval's arrow: its target setting
        const target = panelHost.querySelector(`[data-testid=flow-${sel.which}-to]`);
        if (target) target.scrollIntoView({block: "center"});
      }
    },
    onConnect: (from, to) => connect(from, to),
  });

  // -- helpers over the current form --------------------------------------------------------
  function current() {
    const entries = store.forms();
    let entry = entries.find((e) => e.form && e.form.name === state.form && (!state.file || e.file === state.file)) ||
      entries.find((e) => e.form && e.form.name === state.form);
    if (!entry) {
      entry = entries.find((e) => e.form && e.form.workflow) || entries[0];
      state.form = entry ? entry.form.name : null;
      state.fitNext = true;
    }
    state.file = entry ? entry.file : null;
    return entry || null;
  }

  function edit(label, mutate) {
    const name = state.form;
    const file = state.file;
    return store.change((sources) => {
      const doc = sources[file];
      const form = doc && Array.isArray(doc.forms) ? doc.forms.find((f) => f && f.name === name) : null;
      return form ? mutate(form) : undefined;
    }, label);
  }

  function say(message) {
    state.message = message;
    status.textContent = message;
  }

  function addStage() {
    const entry = current();
    if (!entry) return;
    const n = M.stagesOf(entry.form).length + 1;
    const name = edit(t("flow.did_add_stage"), (form) => M.addStage(form, {title: t("flow.new_stage_title", {n})}));
    if (name) {
      state.selected = {kind: "stage", name};
      state.focus = `stage.${M.stagesOf(current().form).length - 1}.title`;
      render();
      say(t("flow.added_stage", {name}));
    }
  }

  function connect(from, to) {
    const entry = current();
    if (!entry) return;
    const target = M.stagesOf(entry.form).find((s) => s && s.name === to);
    const title = t("flow.default_transition_title", {to: (target && txt(target.title)) || to});
    const index = edit(t("flow.did_connect"), (form) => M.connect(form, from, to, {title}));
    if (typeof index === "number") {
      state.selected = {kind: "transition", index};
      state.focus = `transition.${index}.title`;
      render();
      say(t("flow.connected", {from, to}));
    }
  }

  function focusPanel() {
    const heading = panelHost.querySelector("h2");
    if (heading && window.matchMedia && window.matchMedia("(max-width: 1199px)").matches) {
      heading.scrollIntoView({block: "nearest", behavior: "smooth"});
    }
  }

  function fieldsInfo(form) {
    const types = new Map(((store.meta && store.meta.types) || []).map((ty) => [ty.name, ty]));
    const kindOf = (f) => {
      const ty = types.get(f.type);
      if (!ty) return "text";
      if (ty.computed && typeof f.result === "string") return f.result;
      return ty.client_kind || "text";
    };
    const optionsOf = (f) => (Array.isArray(f.options)
      ? f.options.map((o) => (o && typeof o === "object" ? {value: String(o.value), label: txt(o.label) || String(o.value)}
        : {value: String(o), label: String(o)})) : null);
    const fields = M.fieldsOf(form).map((f) => {
      const ty = types.get(f.type) || {};
      return {name: f.name, label: txt(f.label), type: f.type, computed: !!ty.computed,
        holdsUser: !!ty.holds_user || f.type === "user", kind: kindOf(f), options: optionsOf(f),
        columns: Array.isArray(f.fields) ? f.fields.filter((c) => c && typeof c.name === "string")
          .map((c) => ({name: c.name, label: txt(c.label), kind: kindOf(c)})) : null};
    });
    const userFields = fields.filter((f) => f.holdsUser).map((f) => ({name: f.name, label: f.label}));
    userFields.push({name: "created_by", label: t("flow.created_by")});
    const conditionFields = [];
    for (const f of fields) {
      conditionFields.push({name: f.name, label: f.label || f.name, kind: f.kind, options: f.options});
    }
    conditionFields.push({name: "stage", label: t("flow.stage_attr"), kind: "text",
      options: M.stagesOf(form).filter((x) => x && typeof x.name === "string").map((x) => ({value: x.name, label: txt(x.title) || x.name}))});
    const scope = {fields: fields.map((f) => ({name: f.name, kind: f.kind, columns: f.columns, target: null})),
      system: [...SYSTEM_ATTRIBUTES]};
    const check = checker ? (text) => {
      try {
        const found = checker.checkExpression(text, scope, {condition: true});
        return found ? t(found.key, found.params) : null;
      } catch (error) {
        return null;
      }
    } : null;
    return {fields, userFields, conditionFields, check};
  }

  // -- rendering ------------------------------------------------------------------------------
  function renderPicker(entries) {
    clear(formPicker);
    const files = new Set(entries.map((e) => e.file));
    for (const e of entries) {
      const f = e.form || {};
      const label = `${txt(f.title) || f.name}${files.size > 1 ? ` · ${e.file}` : ""}${f.workflow ? "" : ` (${t("flow.no_workflow_short")})`}`;
      formPicker.append(h("option", {value: f.name, selected: f.name === state.form}, label));
    }
  }

  function render() {
    if (pending !== null) {  // this render does what a scheduled one would
      clearTimeout(pending);
      pending = null;
    }
    status.textContent = "";  // a message is about the last action only
    const active = document.activeElement;
    const keepFocus = state.focus || (active && element.contains(active) && active.dataset ? active.dataset.fk : null);
    // inside a widget of another module (the condition builder) the focus is found again by the
    // widget's focus key and the element's test id
    let inner = !keepFocus && active && element.contains(active) && active.dataset && active.dataset.testid &&
      active.closest("[data-fk]") ? {fk: active.closest("[data-fk]").dataset.fk, testid: active.dataset.testid} : null;
    // the element changed last, when the focus was lost meanwhile (a widget that re-draws itself)
    const lost = !active || active === document.body || !document.contains(active);
    let keepLost = null;
    if (!keepFocus && !inner && lost && lastChanged) {
      if (lastChanged.fk) keepLost = lastChanged.fk;
      else if (lastChanged.host && lastChanged.testid) inner = {fk: lastChanged.host, testid: lastChanged.testid};
    }
    lastChanged = null;
    // what is being typed and not yet committed survives a re-render (e.g. the draft's problems
    // arriving meanwhile), unless the document's own value changed under it (undo)
    const typing = !state.focus && active && element.contains(active) && active.dataset && active.dataset.fk &&
      (active.tagName === "INPUT" || active.tagName === "TEXTAREA") && active.value !== active.defaultValue
      ? {value: active.value, base: active.defaultValue, start: active.selectionStart, end: active.selectionEnd} : null;
    state.focus = null;
    const entries = store.forms().filter((e) => e.form && typeof e.form.name === "string");
    const entry = current();
    renderPicker(entries);
    const hasForm = !!entry;
    const form = hasForm ? entry.form : null;
    const hasWorkflow = !!(form && form.workflow && typeof form.workflow === "object");
    addStageBtn.disabled = !hasWorkflow;
    newTransitionBtn.disabled = !hasWorkflow || M.stagesOf(form).length === 0;
    for (const b of [zoomOut, zoomIn, fitBtn, dirBtn]) b.disabled = !hasWorkflow;
    body.hidden = !hasWorkflow;
    clear(empty);
    if (!hasForm) {
      empty.append(h("p", {class: "text-secondary"}, t("flow.no_forms")));
      return;
    }
    if (!hasWorkflow) {
      empty.append(h("div", {class: "card card-body"},
        h("p", {}, t("flow.no_workflow", {title: txt(form.title) || form.name})),
        h("div", {}, h("button", {type: "button", class: "btn btn-primary", "data-testid": "flow-add-workflow",
          "data-fk": "add-workflow",
          onclick: () => {
            edit(t("flow.did_add_workflow"), (f) => M.addWorkflow(f, {title: t("flow.first_stage_title"), name: "draft"}));
            state.selected = {kind: "stage", name: "draft"};
            state.fitNext = true;
            render();
          }}, t("flow.add_workflow")))));
      return;
    }
    const formPointer = entry.pointer;
    const file = entry.file;
    const problemsAt = (pointer) => store.problemsAt(file, formPointer + pointer);

    // the diagram
    const graph = M.workflowGraph(form);
    const stages = M.stagesOf(form);
    for (const node of graph.nodes) {
      if (node.index >= 0 && stages[node.index]) node.dueText = typeof stages[node.index].due === "string" ? stages[node.index].due : "";
    }
    for (const edge of graph.edges) {
      edge.label = edge.kind === "transition" ? (txt(edge.title) || edge.name || "") : t(`flow.outcome_${edge.kind}`);
      edge.labelWidth = labelWidth(edge.label);
    }
    let layout = layoutGraph(graph, {direction: state.direction || "LR"});
    state.shown = state.direction || "LR";
    if (!state.direction && styled && diagram.visible()) {  // chosen once per form, when it can be measured
      state.direction = "LR";
      const tb = layoutGraph(graph, {direction: "TB"});
      if (diagram.fitScale(tb) > diagram.fitScale(layout) * 1.15) {
        layout = tb;
        state.direction = state.shown = "TB";
      }
    }
    const problems = {node: {}, edge: {}};
    for (const node of graph.nodes) if (node.index >= 0) problems.node[node.id] = problemsAt(node.pointer);
    for (const edge of graph.edges) problems.edge[edge.id] = problemsAt(edge.pointer);
    // a selection that no longer exists is dropped
    const sel = state.selected;
    if (sel && sel.kind === "stage" && M.stageIndex(form, sel.name) < 0) state.selected = null;
    if (sel && sel.kind === "transition" && !M.transitionsOf(form)[sel.index]) state.selected = null;
    if (sel && sel.kind === "outcome" && M.stageIndex(form, sel.name) < 0) state.selected = null;
    diagram.update({graph, layout, selected: state.selected, problems, direction: state.shown, fit: state.fitNext});
    state.fitNext = false;

    // problems of the workflow itself (initial, the stage list ...), not of one stage or transition
    clear(workflowProblems);
    // (and those of a stage or transition the diagram could not draw, e.g. a second stage of a name)
    const drawn = [...graph.nodes.filter((n) => n.index >= 0).map((n) => n.pointer),
      ...graph.edges.filter((e) => e.kind === "transition").map((e) => e.pointer)];
    const own = store.problemsAt(file, formPointer + "/workflow").filter((p) => {
      const rest = p.pointer.slice((formPointer + "/workflow").length);
      const m = /^\/(stages|transitions)\/\d+/.exec(rest);
      return !m || !drawn.includes(`/workflow${m[0]}`);
    });
    if (own.length) {
      workflowProblems.append(h("div", {class: "alert alert-danger py-1 px-2 small mb-2"}, problemList(own)));
    }

    // the panel
    const {fields, userFields, conditionFields, check} = fieldsInfo(form);
    const ctx = {
      t, form, edit, say, fields, userFields, conditionFields, check,
      select: (s) => { state.selected = s; render(); },
      keep: (s) => { state.selected = s; },
      focus: (fk) => { state.focus = fk; },
      problems: (pointer) => problemsAt(pointer),
      liveStages: M.liveStagesOf(live, file, form),
      roles: M.allRoles(store.sources),
      forms: store.forms().filter((e) => e.form && typeof e.form.name === "string").map((e) => ({
        name: e.form.name, title: txt(e.form.title), fields: fieldsInfo(e.form).fields})),
      newTransition: (from) => { state.selected = {kind: "new", from}; render(); },
    };
    clear(panelHost);
    const s = state.selected;
    let panel = null;
    if (s && s.kind === "stage") panel = stagePanel(ctx, M.stageIndex(form, s.name));
    else if (s && s.kind === "outcome") panel = stagePanel(ctx, M.stageIndex(form, s.name));
    else if (s && s.kind === "transition") panel = transitionPanel(ctx, s.index);
    else if (s && s.kind === "new") panel = newTransitionForm(ctx, s);  // s keeps the choices
    if (!panel) {
      panel = h("div", {class: "dz-flow-panel text-secondary", "data-testid": "flow-panel-empty"},
        h("h2", {class: "h6"}, t("flow.panel_empty_title")),
        h("p", {class: "small mb-1"}, t("flow.panel_empty")),
        stageList(form, t));
    }
    panelHost.append(panel);
    if (inner) {
      const again = element.querySelector(`[data-fk="${CSS.escape(inner.fk)}"] [data-testid="${CSS.escape(inner.testid)}"]`);
      if (again && again !== document.activeElement) again.focus({preventScroll: true});
    }
    if (keepLost) {
      const again = element.querySelector(`[data-fk="${CSS.escape(keepLost)}"]`);
      if (again) again.focus({preventScroll: true});
    }
    if (keepFocus) {
      const again = element.querySelector(`[data-fk="${CSS.escape(keepFocus)}"]`);
      if (again && again !== document.activeElement) again.focus({preventScroll: true});
      if (again && typing && again.defaultValue === typing.base) {
        again.value = typing.value;
        try { again.setSelectionRange(typing.start, typing.end); } catch { /* number inputs have no selection */ }
      }
    }
  }

  /* The stages and transitions as plain buttons: a second way to reach everything. */
  function stageList(form, t) {
    const list = h("ul", {class: "list-unstyled small mb-0 dz-flow-outline", "data-testid": "flow-outline"});
    M.stagesOf(form).forEach((stage) => {
      if (!stage || typeof stage.name !== "string") return;
      list.append(h("li", {}, h("button", {type: "button", class: "btn btn-link btn-sm p-0",
        onclick: () => { state.selected = {kind: "stage", name: stage.name}; render(); }}, txt(stage.title) || stage.name)));
    });
    M.transitionsOf(form).forEach((tr, index) => {
      if (!tr) return;
      list.append(h("li", {}, "→ ", h("button", {type: "button", class: "btn btn-link btn-sm p-0",
        onclick: () => { state.selected = {kind: "transition", index}; render(); }},
      `${txt(tr.title) || tr.name} (${M.fromList(tr).join(", ")} → ${tr.to})`)));
    });
    return list;
  }

  // -- events ---------------------------------------------------------------------------------
  // An edit is usually committed by a "change" event, which fires while the focus moves on (Tab):
  // re-rendering at once would drop the element the focus is moving to. So the tab re-renders
  // just after, and render() puts the focus back on the new copy of wherever it went.
  const later = () => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      pending = null;
      render();
    }, 0);
  };
  store.on("change", (detail) => {
    if (detail && detail.reset) snapshotLive();
    later();
  });
  store.on("problems", later);
  store.on("select", (detail) => {
    if (!detail || detail.tab !== "flow") return;
    const m = /^\/forms\/(\d+)\/workflow(?:\/(stages|transitions)\/(\d+)(?:\/approval\/(approved|rejected))?)?/.exec(detail.pointer || "");
    if (!m) return;
    const doc = store.sources[detail.file];
    const form = doc && Array.isArray(doc.forms) ? doc.forms[Number(m[1])] : null;
    if (!form) return;
    if (state.form !== form.name) {
      state.fitNext = true;
      state.direction = null;
    }
    state.form = form.name;
    state.file = detail.file;
    if (m[2] === "stages") {
      const stage = M.stagesOf(form)[Number(m[3])];
      state.selected = stage ? {kind: "stage", name: stage.name} : null;
    } else if (m[2] === "transitions") state.selected = {kind: "transition", index: Number(m[3])};
    render();
    const target = !state.selected ? null : state.selected.kind === "stage"
      ? diagramHost.querySelector(`[data-node="${CSS.escape(state.selected.name)}"]`)
      : diagramHost.querySelector(`[data-edge^="t${Number(m[3])}:"]`);
    if (target) target.focus();
    // a problem inside an approval step: show that step
    const step = /\/approval\/steps\/(\d+)/.exec(detail.pointer || "");
    const card = step ? panelHost.querySelectorAll("[data-testid=flow-step]")[Number(step[1])] : null;
    if (card) {
      card.scrollIntoView({block: "center"});
      const title = card.querySelector("[data-testid=flow-step-title]");
      if (title) title.focus({preventScroll: true});
    }
  });
  store.on("tab", (name) => {
    if (name === "flow" && !state.direction) requestAnimationFrame(() => { state.fitNext = true; render(); });
  });
  render();
  Promise.all([widgetsReady, checkerReady]).then(() => render());
  styling.then(() => { state.fitNext = true; render(); });
}
