/* flow-model.js: the flow designer's pure logic over ONE form object of a module document.
 *
 * No DOM, no store: every function reads or mutates the form (`doc.forms[i]`) in place, so
 * keys the designer does not understand stay where they are, key order is kept, and a form
 * nobody edited serialises byte for byte as before. New keys are inserted at their place in
 * the reference's key order (ORDER below), so a designer change is a small, readable diff.
 *
 *   workflowGraph(form)           -> {nodes, edges} to draw (see the function)
 *   addWorkflow / addStage / renameStage / removeStage / setStageKey / setEditable
 *   connect / removeTransition / renameTransition / setTransitionKey / setFrom
 *   setMapEntry (set / create.set), setCreateForm
 *   setApproval / removeApproval / addStep / setStepKey / removeStep / moveStep
 *   setEscalateKey, setRecipients-style list helpers (recipientKind, recipientOf)
 */

import { parseExpression, printExpression } from "./expr-parse.js";
import { renameKey, setKey as putKey } from "./perms-keys.js";
// A stage named again drops another stage's stale `renamed_from` of that name, as a field does.
import { dropStaleRenames, NAME_RE } from "./form-model.js";
import { txt } from "./loc.js";

export const IDENT = NAME_RE;

/* The reference's key order for each object the flow designer writes into. */
export const ORDER = {
  form: ["name", "renamed_from", "title", "title_field", "owner_field", "fields", "permissions", "list",
    "workflow", "reminders", "charts"],
  workflow: ["initial", "stages", "transitions"],
  stage: ["name", "renamed_from", "title", "editable", "final", "due", "remind_before", "escalate",
    "approval", "color"],
  escalate: ["notify", "transition", "action"],
  transition: ["name", "title", "from", "to", "roles", "condition", "comment_required", "require", "set",
    "create", "confirm"],
  create: ["form", "set"],
  approval: ["steps", "approved", "rejected"],
  step: ["name", "title", "approvers", "mode", "when", "cc", "allow_self_approval", "skip_if_approved_before",
    "require"],
};

export const RECIPIENT_KINDS = ["role", "user", "field", "manager_of"];

// -- generic, order-keeping object edits ------------------------------------------------

function isEmpty(value) {
  return value === undefined || value === null || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
}

/* putKey(obj, key, value, order): sets obj[key] = value. An existing key keeps its place; a new key
 * goes right after the last existing key that `order` puts before it (else before the first one it
 * puts after it, else at the end), so keys the designer does not know stay where they were. */
export { putKey };

/* putKey, or delete the key when value is empty (undefined, null, "", [], {}). */
export function setOrDelete(obj, key, value, order = []) {
  if (isEmpty(value)) delete obj[key];
  else putKey(obj, key, value, order);
}

// -- reading ---------------------------------------------------------------------------

export function stagesOf(form) {
  return (form && form.workflow && Array.isArray(form.workflow.stages)) ? form.workflow.stages : [];
}

export function transitionsOf(form) {
  return (form && form.workflow && Array.isArray(form.workflow.transitions)) ? form.workflow.transitions : [];
}

export function stageIndex(form, name) {
  return stagesOf(form).findIndex((s) => s && s.name === name);
}

export function transitionIndex(form, name) {
  return transitionsOf(form).findIndex((t) => t && t.name === name);
}

/* A transition's sources as a list ("*" stays ["*"]). */
export function fromList(transition) {
  const from = transition ? transition.from : undefined;
  if (Array.isArray(from)) return from.filter((x) => typeof x === "string");
  if (typeof from === "string") return [from];
  return [];
}

export function fieldsOf(form) {
  return (form && Array.isArray(form.fields)) ? form.fields.filter((f) => f && typeof f.name === "string") : [];
}

/* What a stage is: flags the diagram draws. */
export function stageFlags(form, stage) {
  const wf = form.workflow || {};
  return {
    initial: !!stage && wf.initial === stage.name,
    final: !!stage && stage.final === true,
    approval: !!stage && !!stage.approval && typeof stage.approval === "object",
    due: !!stage && typeof stage.due === "string",
  };
}

/* The diagram of a form's workflow.
 * nodes: [{id, title, index, pointer, initial, final, approval, due, steps, color, any?, missing?}]
 *   one per stage (pointer "/workflow/stages/i", relative to the form), plus "*" (from: "*")
 *   and placeholders (missing: true) for stage names used but not declared.
 * edges: [{id, kind: "transition"|"approved"|"rejected", from, to, index, name, title, pointer}]
 *   one per (transition, source stage), one per approval outcome. */
export function workflowGraph(form) {
  const nodes = [];
  const edges = [];
  const known = new Map();
  const stages = stagesOf(form);
  stages.forEach((stage, index) => {
    if (!stage || typeof stage.name !== "string" || known.has(stage.name)) return;
    const flags = stageFlags(form, stage);
    const node = {
      id: stage.name, title: txt(stage.title) || stage.name, index, pointer: `/workflow/stages/${index}`, ...flags,
      steps: flags.approval && Array.isArray(stage.approval.steps) ? stage.approval.steps.length : 0,
      color: typeof stage.color === "string" && /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$/.test(stage.color) ? stage.color : "",
    };
    known.set(stage.name, node);
    nodes.push(node);
  });
  const placeholder = (name) => {
    if (known.has(name)) return;
    const node = name === "*"
      ? {id: "*", title: "*", index: -1, pointer: "/workflow/transitions", any: true}
      : {id: name, title: name, index: -1, pointer: "/workflow/stages", missing: true};
    known.set(name, node);
    nodes.push(node);
  };
  transitionsOf(form).forEach((t, index) => {
    if (!t || typeof t.to !== "string") return;
    for (const from of new Set(fromList(t))) {
      placeholder(from);
      placeholder(t.to);
      edges.push({
        id: `t${index}:${from}`, kind: "transition", from, to: t.to, index, name: t.name,
        title: txt(t.title) || t.name || "", pointer: `/workflow/transitions/${index}`,
      });
    }
  });
  stages.forEach((stage, index) => {
    if (!stage || !stage.approval || typeof stage.approval !== "object") return;
    for (const kind of ["approved", "rejected"]) {
      const to = stage.approval[kind];
      if (typeof to !== "string") continue;
      placeholder(to);
      edges.push({
        id: `a${index}:${kind}`, kind, from: stage.name, to, index, name: kind, title: kind,
        pointer: `/workflow/stages/${index}/approval/${kind}`,
      });
    }
  });
  return {nodes, edges};
}

// -- names -----------------------------------------------------------------------------

/* An identifier from a title when it is plain ASCII words ("Ship order" -> ship_order). */
export function slug(text) {
  const s = String(text || "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return IDENT.test(s) ? s.slice(0, 63) : "";
}

/* A free name: the title's slug if it has one and is free, else prefix_1, prefix_2, ... */
export function freeName(taken, prefix, title) {
  const used = new Set(taken);
  const base = slug(title);
  if (base && !used.has(base)) return base;
  for (let i = 1; ; i++) {
    const name = `${base || prefix}_${i}`;
    if (!used.has(name)) return name;
  }
}

// -- workflow and stages ----------------------------------------------------------------

/* Gives a form without a workflow one stage (its initial stage). */
export function addWorkflow(form, {title = "", name = "draft"} = {}) {
  if (form.workflow) return form.workflow;
  const stage = {name};
  if (title) stage.title = title;
  stage.editable = ["*"];
  putKey(form, "workflow", {initial: name, stages: [stage], transitions: []}, ORDER.form);
  return form.workflow;
}

/* Appends a stage (giving the form a workflow first if it has none); returns its name. */
export function addStage(form, {title = "", name = ""} = {}) {
  if (!form.workflow) {
    const stageName = name && IDENT.test(name) ? name : freeName([], "stage", title);
    addWorkflow(form, {title, name: stageName});
    return stageName;
  }
  const wf = form.workflow;
  if (!Array.isArray(wf.stages)) putKey(wf, "stages", [], ORDER.workflow);
  const taken = wf.stages.map((s) => s && s.name);
  const stageName = name && IDENT.test(name) && !taken.includes(name) ? name : freeName(taken, "stage", title);
  const stage = {name: stageName};
  if (title) stage.title = title;
  wf.stages.push(stage);
  if (!wf.initial) putKey(wf, "initial", stageName, ORDER.workflow);
  dropStaleRenames(wf.stages, stageName, stage);
  return stageName;
}

/* The name a stage has in the live set (records are stored under it), or null for a stage new
 * in this draft. liveStages: the live form's stages (or []). */
export function liveNameOf(stage, liveStages) {
  const live = new Set((liveStages || []).map((s) => s && s.name));
  if (typeof stage.renamed_from === "string" && live.has(stage.renamed_from)) return stage.renamed_from;
  if (live.has(stage.name)) return stage.name;
  return null;
}

/* Renames stage #index to newName and every reference to it in the form (initial, transitions'
 * from/to, approval outcomes, and `stage == 'old'` in the form's conditions: transition
 * `condition`, step and reminder `when`, permission and chart `where`, `visible_if`). A stage that exists in the live set gets `renamed_from` = its
 * live name so its records keep their stage; renaming it back restores what the live set had.
 * Returns false (no change) if newName is not an identifier or is taken. */
export function renameStage(form, index, newName, liveStages = []) {
  const stages = stagesOf(form);
  const stage = stages[index];
  if (!stage || !IDENT.test(newName) || newName === stage.name) return false;
  if (stages.some((s, i) => i !== index && s && s.name === newName)) return false;
  const old = stage.name;
  const origin = liveNameOf(stage, liveStages);
  stage.name = newName;
  if (origin !== null) {
    if (newName === origin) {
      const liveStage = liveStages.find((s) => s && s.name === origin);
      if (liveStage && typeof liveStage.renamed_from === "string") putKey(stage, "renamed_from", liveStage.renamed_from, ORDER.stage);
      else delete stage.renamed_from;
    } else {
      putKey(stage, "renamed_from", origin, ORDER.stage);
    }
  }
  dropStaleRenames(stages, newName, stage);
  replaceStageRefs(form, old, newName);
  return true;
}

/* Keys whose string value is a condition over the record (where `stage == 'x'` may appear). */
const CONDITION_KEYS = new Set(["condition", "when", "where", "visible_if"]);

function renamesStage(node, old, name) {
  let hit = false;
  const visit = (n) => {
    if (!n || typeof n !== "object") return;
    if (n.t === "cmp" && n.left && n.left.t === "field" && n.left.path.length === 1 && n.left.path[0] === "stage") {
      const literals = n.right && n.right.t === "list" ? n.right.items : [n.right];
      for (const lit of literals) {
        if (lit && lit.t === "lit" && lit.v === old) {
          lit.v = name;
          hit = true;
        }
      }
    }
    for (const value of Object.values(n)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value);
    }
  };
  visit(node);
  return hit;
}

/* An expression with `stage == 'old'` (also != and in [...]) comparing the record's stage to the
 * old name, rewritten to the new one; anything else (or text that does not parse) as it was.
 * Written canonically when the text already was; otherwise only the quoted name is replaced. */
export function renameStageInExpression(text, old, name) {
  let ir;
  try {
    ir = parseExpression(text);
  } catch {
    return text;
  }
  const canonical = printExpression(ir.root) === text;
  if (!renamesStage(ir.root, old, name)) return text;
  if (canonical) return printExpression(ir.root);
  const quoted = new RegExp(`(['"])${old}\\1`, "g");
  return (text.match(quoted) || []).length === 1 ? text.replace(quoted, `$1${name}$1`) : text;
}

function renameInConditions(value, old, name) {
  if (Array.isArray(value)) {
    value.forEach((item) => renameInConditions(item, old, name));
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [key, inner] of Object.entries(value)) {
    if (CONDITION_KEYS.has(key) && typeof inner === "string") {
      const next = renameStageInExpression(inner, old, name);
      if (next !== inner) value[key] = next;
    } else if (inner && typeof inner === "object") {
      renameInConditions(inner, old, name);
    }
  }
}

function replaceStageRefs(form, old, name) {
  renameInConditions(form, old, name);
  const wf = form.workflow;
  if (wf.initial === old) wf.initial = name;
  for (const t of transitionsOf(form)) {
    if (!t) continue;
    if (t.to === old) t.to = name;
    if (t.from === old) t.from = name;
    else if (Array.isArray(t.from)) t.from = t.from.map((f) => (f === old ? name : f));
  }
  for (const s of stagesOf(form)) {
    if (!s || !s.approval || typeof s.approval !== "object") continue;
    if (s.approval.approved === old) s.approval.approved = name;
    if (s.approval.rejected === old) s.approval.rejected = name;
  }
}

/* Removes stage #index and the transitions into it; it is dropped from multi-stage `from`
 * lists (a transition left without a source goes too). Approval outcomes and `initial` that
 * named it are left for the checks to report. Returns the names of removed transitions. */
export function removeStage(form, index) {
  const stages = stagesOf(form);
  const stage = stages[index];
  if (!stage) return [];
  stages.splice(index, 1);
  const removed = [];
  const transitions = transitionsOf(form);
  for (let i = transitions.length - 1; i >= 0; i--) {
    const t = transitions[i];
    if (!t) continue;
    const from = fromList(t);
    if (t.to === stage.name || (from.length && from.every((f) => f === stage.name))) {
      removed.push(t.name);
      transitions.splice(i, 1);
    } else if (Array.isArray(t.from) && t.from.includes(stage.name)) {
      t.from = t.from.filter((f) => f !== stage.name);
    }
  }
  return removed.reverse();
}

/* Sets (or with an empty value deletes) one key of stage #index. */
export function setStageKey(form, index, key, value) {
  const stage = stagesOf(form)[index];
  if (!stage) return;
  if (key === "final") value = value ? true : undefined;
  setOrDelete(stage, key, value, ORDER.stage);
}

/* The stage's editable fields: "*" for all, else a list of names. */
export function editableOf(stage) {
  const e = stage && stage.editable;
  if (Array.isArray(e) && e.includes("*")) return "*";
  return Array.isArray(e) ? e.filter((x) => typeof x === "string") : [];
}

/* Sets editable: "*" -> ["*"]; a list keeps the order it had, newly chosen fields follow in the
 * form's field order; [] is written when the stage had the key, else the key stays absent. */
export function setEditable(form, index, value, fieldOrder = fieldsOf(form).map((f) => f.name)) {
  const stage = stagesOf(form)[index];
  if (!stage) return;
  let list;
  if (value === "*") list = ["*"];
  else {
    const chosen = new Set(value);
    const had = Array.isArray(stage.editable) ? stage.editable.filter((n) => n !== "*") : [];
    list = had.filter((n) => chosen.has(n));
    for (const n of fieldOrder) if (chosen.has(n) && !list.includes(n)) list.push(n);
    for (const n of value) if (!list.includes(n)) list.push(n);
  }
  if (list.length === 0 && !Object.prototype.hasOwnProperty.call(stage, "editable")) return;
  putKey(stage, "editable", list, ORDER.stage);
}

/* Moves stage #index up (delta -1) or down (+1): the order of the board's columns. */
export function moveStage(form, index, delta) {
  moveItem(stagesOf(form), index, delta);
}

/* Moves transition #index up or down: the order of the record page's buttons. */
export function moveTransition(form, index, delta) {
  moveItem(transitionsOf(form), index, delta);
}

function moveItem(list, index, delta) {
  const to = index + delta;
  if (!list[index] || to < 0 || to >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item);
}

/* Makes `name` the initial stage. */
export function setInitial(form, name) {
  if (form.workflow) putKey(form.workflow, "initial", name, ORDER.workflow);
}

// -- escalation -------------------------------------------------------------------------

export function setEscalateKey(form, index, key, value) {
  const stage = stagesOf(form)[index];
  if (!stage) return;
  const esc = stage.escalate && typeof stage.escalate === "object" ? stage.escalate : {};
  setOrDelete(esc, key, value, ORDER.escalate);
  if (key === "transition" && !isEmpty(value)) delete esc.action;
  if (key === "action" && !isEmpty(value)) delete esc.transition;
  setOrDelete(stage, "escalate", esc, ORDER.stage);
}

// -- transitions ------------------------------------------------------------------------

/* Adds a transition from -> to (from: a stage name, a list or "*"); returns its index. */
export function connect(form, from, to, {title = "", name = ""} = {}) {
  const wf = form.workflow;
  if (!Array.isArray(wf.transitions)) putKey(wf, "transitions", [], ORDER.workflow);
  const taken = wf.transitions.map((t) => t && t.name);
  const tName = name && IDENT.test(name) && !taken.includes(name) ? name : freeName(taken, "transition", title);
  const t = {name: tName};
  if (title) t.title = title;
  t.from = Array.isArray(from) && from.length === 1 ? from[0] : from;
  t.to = to;
  wf.transitions.push(t);
  return wf.transitions.length - 1;
}

export function removeTransition(form, index) {
  const transitions = transitionsOf(form);
  if (transitions[index]) transitions.splice(index, 1);
}

/* Renames transition #index and the references to it (escalate.transition, reminders). */
export function renameTransition(form, index, newName) {
  const transitions = transitionsOf(form);
  const t = transitions[index];
  if (!t || !IDENT.test(newName) || newName === t.name) return false;
  if (transitions.some((x, i) => i !== index && x && x.name === newName)) return false;
  const old = t.name;
  t.name = newName;
  for (const s of stagesOf(form)) {
    if (s && s.escalate && s.escalate.transition === old) s.escalate.transition = newName;
  }
  for (const r of Array.isArray(form.reminders) ? form.reminders : []) {
    if (r && r.transition === old) r.transition = newName;
  }
  return true;
}

/* Sets (or with an empty value deletes) one key of transition #index. `from`, `to` and `name`
 * have their own functions; comment_required false is removed (its default). */
export function setTransitionKey(form, index, key, value) {
  const t = transitionsOf(form)[index];
  if (!t) return;
  if (key === "comment_required") value = value ? true : undefined;
  setOrDelete(t, key, value, ORDER.transition);
}

/* from: "*", or a list of stage names (one name is written as a string, unless `from` was
 * written as a list). */
export function setFrom(form, index, value) {
  const t = transitionsOf(form)[index];
  if (!t) return;
  let v = value;
  if (Array.isArray(v)) {
    if (v.includes("*")) v = "*";
    else if (v.length === 1 && !Array.isArray(t.from)) v = v[0];  // a list stays a list
  }
  if (JSON.stringify(v) === JSON.stringify(t.from)) return;
  if (isEmpty(v)) return;
  putKey(t, "from", v, ORDER.transition);
}

/* Edits one entry of a field -> expression map (`set`, or `create.set` with path ["create","set"]):
 * oldKey renames in place, an empty expression with no key removes it. The map is dropped
 * when it becomes empty. */
export function setMapEntry(form, index, path, oldKey, key, expr) {
  const t = transitionsOf(form)[index];
  if (!t) return;
  let owner = t;
  let order = ORDER.transition;
  for (const part of path.slice(0, -1)) {
    if (!owner[part] || typeof owner[part] !== "object") return;
    owner = owner[part];
    order = ORDER[part] || [];
  }
  const last = path[path.length - 1];
  const map = owner[last] && typeof owner[last] === "object" ? owner[last] : {};
  if (oldKey && oldKey !== key && Object.prototype.hasOwnProperty.call(map, oldKey)) {
    if (key && !Object.prototype.hasOwnProperty.call(map, key)) renameKey(map, oldKey, key);
    else delete map[oldKey];
  }
  if (key) {
    if (expr === null || expr === undefined) delete map[key];
    else map[key] = expr;
  }
  setOrDelete(owner, last, map, order);
}

/* Sets the form a transition creates (keeping create's other keys), or removes `create`. */
export function setCreateForm(form, index, target) {
  const t = transitionsOf(form)[index];
  if (!t) return;
  if (!target) {
    delete t.create;
    return;
  }
  const create = t.create && typeof t.create === "object" ? t.create : {};
  putKey(create, "form", target, ORDER.create);
  putKey(t, "create", create, ORDER.transition);
}

// -- approvals --------------------------------------------------------------------------

/* Makes stage #index an approval stage (or sets its outcomes). */
export function setApproval(form, index, {approved, rejected} = {}) {
  const stage = stagesOf(form)[index];
  if (!stage) return;
  const a = stage.approval && typeof stage.approval === "object" ? stage.approval : {steps: []};
  if (!Array.isArray(a.steps)) putKey(a, "steps", [], ORDER.approval);
  if (approved !== undefined) setOrDelete(a, "approved", approved, ORDER.approval);
  if (rejected !== undefined) setOrDelete(a, "rejected", rejected, ORDER.approval);
  putKey(stage, "approval", a, ORDER.stage);
}

export function removeApproval(form, index) {
  const stage = stagesOf(form)[index];
  if (stage) delete stage.approval;
}

export function stepsOf(form, index) {
  const stage = stagesOf(form)[index];
  return stage && stage.approval && Array.isArray(stage.approval.steps) ? stage.approval.steps : [];
}

/* Appends an approval step ({title, approvers, mode, when, cc}; the name is derived when not
 * given); returns its index. */
export function addStep(form, index, {name = "", title = "", approvers = [], mode = "", when = "", cc = []} = {}) {
  const stage = stagesOf(form)[index];
  if (!stage) return -1;
  if (!stage.approval) setApproval(form, index);
  const steps = stepsOf(form, index);
  const taken = steps.map((s) => s && s.name);
  const step = {name: name && IDENT.test(name) && !taken.includes(name) ? name : freeName(taken, "step", title)};
  if (title) step.title = title;
  step.approvers = approvers;
  if (mode) step.mode = mode;
  if (when) step.when = when;
  if (cc && cc.length) step.cc = cc;
  steps.push(step);
  return steps.length - 1;
}

export function setStepKey(form, index, stepIndex, key, value) {
  const step = stepsOf(form, index)[stepIndex];
  if (!step) return;
  if (key === "name") {
    if (!IDENT.test(value) || stepsOf(form, index).some((s, i) => i !== stepIndex && s && s.name === value)) return;
  }
  if (key === "approvers") {
    putKey(step, key, value || [], ORDER.step);
    return;
  }
  if (key === "allow_self_approval" || key === "skip_if_approved_before") value = value ? true : undefined;
  setOrDelete(step, key, value, ORDER.step);
}

export function removeStep(form, index, stepIndex) {
  const steps = stepsOf(form, index);
  if (steps[stepIndex]) steps.splice(stepIndex, 1);
}

export function moveStep(form, index, stepIndex, delta) {
  moveItem(stepsOf(form, index), stepIndex, delta);
}

// -- recipients -------------------------------------------------------------------------

/* {role: "x"} -> ["role", "x"]; an object the designer does not know -> [null, null]. */
export function recipientKind(r) {
  if (!r || typeof r !== "object") return [null, null];
  const keys = Object.keys(r);
  if (keys.length === 1 && RECIPIENT_KINDS.includes(keys[0])) return [keys[0], r[keys[0]]];
  return [null, null];
}

export function recipientOf(kind, value) {
  return {[kind]: value};
}

// -- the definition set around the form ---------------------------------------------------

/* The roles of the whole definition set (sources: file -> doc): [{name, title}], first
 * declaration wins. */
export function allRoles(sources) {
  const seen = new Map();
  for (const doc of Object.values(sources || {})) {
    for (const r of doc && Array.isArray(doc.roles) ? doc.roles : []) {
      if (r && typeof r.name === "string" && !seen.has(r.name)) seen.set(r.name, {name: r.name, title: txt(r.title)});
    }
  }
  return [...seen.values()];
}

/* The live (published) stages of a form: liveFiles is file -> doc (or its JSON text); the form is
 * found by its name or its renamed_from, in its own file first. [] for a form new in the draft. */
export function liveStagesOf(liveFiles, file, form) {
  const docs = liveFiles || {};
  const names = [form.name, form.renamed_from].filter((n) => typeof n === "string");
  for (const raw of [docs[file], ...Object.values(docs)]) {
    let doc = raw;
    if (typeof raw === "string") {
      try { doc = JSON.parse(raw); } catch { doc = null; }
    }
    const forms = doc && Array.isArray(doc.forms) ? doc.forms : [];
    const live = forms.find((f) => f && names.includes(f.name));
    if (live) return stagesOf(live);
  }
  return [];
}
