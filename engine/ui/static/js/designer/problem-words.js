// Problems in people's words (pure functions, tested with node):
//
//   problemPlace(sources, file, pointer, text) -> "模块 › 表单 › 字段" (module title › form title ›
//       field label, stage, action, approval step, column, chart ... as the designer names them); the raw
//       JSON pointer stays for tooltips.
//   friendlyProblem(problem, sources, meta, text) -> a message saying what to do for a setting that is
//       still empty (a new link field's form: "Choose the form this field links to"), or null (keep the
//       server's message).
//   decorate(problem, sources, meta, text) -> the problem with `where` and, when there is one, the friendly
//       `message` (the server's stays in `original`).
//   text(key, params): the page's texts (store.text); keys "where.*" and "choose.*" (designer_texts/status.py).
import { parse, get, pointerOf } from "./pointers.js";
import { txt } from "./loc.js";

// an array of named things -> the word for one of them ({title} filled in); "" = just its title
const ITEMS = {
  forms: "", fields: "", stages: "where.stage", transitions: "where.transition", steps: "where.step",
  reminders: "where.reminder", charts: "where.chart", roles: "where.role", options: "where.option",
  prints: "where.print", blocks: "where.block",
};
// objects shown under a heading of their own
const KEYS = { list: "where.list", permissions: "where.permissions", workflow: "where.workflow" };

function titleOf(item, index) {
  if (item === null || item === undefined) { return String(index + 1); }
  if (typeof item !== "object") { return String(item); }
  for (const key of ["label", "title", "name", "value"]) {
    if (txt(item[key]).trim()) { return txt(item[key]); }
  }
  return String(index + 1);
}

export function problemPlace(sources, file, pointer, text) {
  const doc = sources && sources[file];
  const crumbs = [];
  const moduleTitle = doc && typeof doc === "object" ? (txt(doc.title) || doc.module || file) : file;
  crumbs.push(String(moduleTitle));
  let path;
  try { path = parse(pointer || ""); } catch (e) { return crumbs.join(" › "); }
  if (!path.length) { crumbs.push(text("where.whole_file")); return crumbs.join(" › "); }
  let node = doc;
  let form = null;
  for (let i = 0; i < path.length; i += 1) {
    const token = path[i];
    const next = node !== null && typeof node === "object" ? node[token] : undefined;
    if (next === undefined) { break; }  // no longer there (an edit since): what is known so far
    if (Array.isArray(node) && /^\d+$/.test(token)) {
      const owner = path[i - 1];
      if (owner === "forms" && i === 1) { form = next; }
      if (typeof next === "string" && form && Array.isArray(form.fields)) {
        // a field named in a list (list columns, filters, search, editable ...): its label
        const field = form.fields.find((f) => f && f.name === next);
        crumbs.push(field && txt(field.label) ? txt(field.label) : next);
      } else if (owner in ITEMS) {
        const title = titleOf(next, Number(token));
        crumbs.push(ITEMS[owner] ? text(ITEMS[owner], { title, n: Number(token) + 1 }) : title);
      }
    } else if (token in KEYS && !Array.isArray(next)) {
      crumbs.push(text(KEYS[token]));
    }
    node = next;
  }
  return crumbs.join(" › ");
}

function isEmpty(value) {
  return value === undefined || value === null || (typeof value === "string" && !value.trim());
}

export function friendlyProblem(problem, sources, meta, text) {
  let path;
  try { path = parse(problem.pointer || ""); } catch (e) { return null; }
  if (path.length < 2) { return null; }
  const key = path[path.length - 1];
  const owner = get(sources[problem.file], pointerOf(path.slice(0, -1)));
  if (!owner || typeof owner !== "object" || Array.isArray(owner) || typeof owner.type !== "string") { return null; }
  if (!isEmpty(owner[key])) { return null; }
  const kind = ((meta && meta.types) || []).find((t) => t.name === owner.type) || {};
  if (key === "form") { return text(kind.rolls_up ? "choose.form_rollup" : "choose.form_link"); }
  if (key === "link" && kind.rolls_up) { return text("choose.link_rollup"); }
  if (key === "value" && kind.rolls_up) { return text("choose.value_rollup"); }
  if (key === "formula") { return text("choose.formula"); }
  if (key === "options") { return text("choose.options"); }
  return null;
}

export function decorate(problem, sources, meta, text) {
  const out = { ...problem, where: problemPlace(sources, problem.file, problem.pointer || "", text) };
  const friendly = friendlyProblem(problem, sources, meta, text);
  if (friendly) { out.original = problem.message; out.message = friendly; }
  return out;
}

// Another field of the same list (a form's fields, or a table's columns) with the same label as `field`
// (ignoring case and surrounding spaces), or null: staff, lists and imports (which match columns by label)
// cannot tell them apart. A warning, not a problem: the definitions stay valid.
export function sameLabel(siblings, field) {
  const label = field ? txt(field.label).trim().toLowerCase() : "";
  if (!label || !Array.isArray(siblings)) { return null; }
  return siblings.find((other) => other && other !== field && txt(other.label)
    && txt(other.label).trim().toLowerCase() === label) || null;
}
