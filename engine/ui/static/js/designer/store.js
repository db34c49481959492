// The designer's state: the module documents being edited (file -> parsed JSON doc), undo and
// redo, the debounced draft save and the problems the server found in the draft.
//
// Every edit is a small mutation of the documents themselves (store.change), so keys the
// designer does not understand stay untouched and key order is kept.
//
//   const store = new Store({sources, meta, texts, api, baseSignature, problems, delay})
//   store.sources                     file -> doc (mutate only inside change())
//   store.files()                     file names in order
//   store.doc(file)                   one document
//   store.forms()                     [{file, index, pointer: "/forms/i", form}] over all files
//   store.findForm(name)              one of those by form name, or undefined
//   store.change(mutator, label)      mutator(sources) mutates; undo snapshot, "change", save later
//   store.undo() / redo()             false when there is nothing to undo/redo
//   store.canUndo() / canRedo(), undoLabel() / redoLabel()
//   store.reset({sources, baseSignature, problems})   new base (after load, rebase, publish; sources are copied):
//                                     clears undo history, emits "change" {reset: true}
//   store.save()                      saves now (returns a promise); pending saves are merged
//   store.check(sources?)             problems of the given (default: current) sources, unsaved
//   store.problems                    [{file, pointer, message, where}] (where: problem-words.js)
//   store.problemsAt(file, pointer)   problems at or below pointer ("" = the whole file)
//   store.select(file, pointer)       (or select({file, pointer})) asks the tab that owns pointer to show it: emits
//                                     "select" {file, pointer, tab}
//   store.tabOf(pointer)              "form" | "flow" | "perms" | "reminders" | "prints" | "json"
//   store.text(key, params)           a UI text with {name} (or %(name)s) filled in (the key if unknown)
//   store.on(event, cb) -> off()      events: "change" {label, undo, redo, reset},
//                                     "problems" [P], "saving", "saved" {updated_at},
//                                     "error" {error, during}, "select" {...}, "status" state
//   store.status                      "clean" | "pending" | "saving" | "saved" | "error" | "offline" | "login" |
//                                     "conflict" ("login": the session ended (401); the edits wait in this page;
//                                     "conflict": the draft was changed in another window, reload to continue)
//   store.draftUpdatedAt              updated_at of the draft this page holds (null: none; undefined: unchecked)
//   store.retry()                     after logging in again: takes the session's new CSRF token and saves
//   store.hasUnsavedEdits()           true while edits are not in the saved draft (pending, saving, failed)
import { within, parse } from "./pointers.js";
import { decorate } from "./problem-words.js";

const HISTORY = 100;

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

export class Store {
  constructor({ sources = {}, meta = {}, texts = {}, api = null, baseSignature = null, problems = [],
                delay = 800, timers = null } = {}) {
    this.sources = sources;
    this.meta = meta;
    this.texts = texts;
    this.api = api;
    this.baseSignature = baseSignature;
    this.problems = problems || [];
    this.delay = delay;
    this.timers = timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t) };
    this.status = "clean";
    this.updatedAt = null;
    // the `updated_at` of the draft this page holds (null: none; undefined: unknown, so not checked): a
    // save never overwrites a draft that the same admin saved, published or discarded in another window
    this.draftUpdatedAt = undefined;
    this.selected = null;
    this._undo = [];
    this._redo = [];
    this._listeners = new Map();
    this._timer = null;
    this._saving = null;
    this._dirty = false;
    this._revision = 0;
  }

  // -- events --------------------------------------------------------------------------------
  on(event, cb) {
    if (!this._listeners.has(event)) { this._listeners.set(event, new Set()); }
    this._listeners.get(event).add(cb);
    return () => this._listeners.get(event).delete(cb);
  }

  emit(event, detail) {
    for (const cb of [...(this._listeners.get(event) || [])]) {
      try { cb(detail); } catch (e) { console.error(e); }  // one broken tab must not stop the others
    }
  }

  _setStatus(status) {
    this.status = status;
    this.emit("status", status);
  }

  // -- reading -------------------------------------------------------------------------------
  files() {
    return Object.keys(this.sources);
  }

  doc(file) {
    return this.sources[file];
  }

  forms() {
    const out = [];
    for (const file of this.files()) {
      const forms = this.sources[file] && this.sources[file].forms;
      if (!Array.isArray(forms)) { continue; }
      forms.forEach((form, index) => out.push({ file, index, pointer: "/forms/" + index, form }));
    }
    return out;
  }

  findForm(name) {
    return this.forms().find((entry) => entry.form && entry.form.name === name);
  }

  text(key, params) {
    let text = Object.prototype.hasOwnProperty.call(this.texts, key) ? this.texts[key] : key;
    if (params) {
      // a value may itself be a message {key, params, text} (expr-check.js): rendered too
      const value = (v) => (v && typeof v === "object" && "text" in v
        ? (v.key && Object.prototype.hasOwnProperty.call(this.texts, v.key) ? this.text(v.key, v.params) : v.text)
        : String(v));
      const fill = (all, name) => (name in params ? value(params[name]) : all);
      text = text.replace(/\{([A-Za-z_]+)\}/g, fill).replace(/%\(([A-Za-z_]+)\)s/g, fill);
    }
    return text;
  }

  // -- editing -------------------------------------------------------------------------------
  change(mutator, label = "") {
    const before = clone(this.sources);
    const result = mutator(this.sources);
    if (JSON.stringify(before) === JSON.stringify(this.sources)) { return result; }  // nothing changed
    this._undo.push({ sources: before, label });
    if (this._undo.length > HISTORY) { this._undo.shift(); }
    this._redo = [];
    this._changed({ label });
    return result;
  }

  _changed(detail) {
    this._revision += 1;
    this.emit("change", detail);
    this._schedule();
  }

  canUndo() { return this._undo.length > 0; }
  canRedo() { return this._redo.length > 0; }
  undoLabel() { return this._undo.length ? this._undo[this._undo.length - 1].label : ""; }
  redoLabel() { return this._redo.length ? this._redo[this._redo.length - 1].label : ""; }

  undo() {
    const entry = this._undo.pop();
    if (!entry) { return false; }
    this._redo.push({ sources: clone(this.sources), label: entry.label });
    this.sources = entry.sources;
    this._changed({ label: entry.label, undo: true });
    return true;
  }

  redo() {
    const entry = this._redo.pop();
    if (!entry) { return false; }
    this._undo.push({ sources: clone(this.sources), label: entry.label });
    this.sources = entry.sources;
    this._changed({ label: entry.label, redo: true });
    return true;
  }

  reset({ sources, baseSignature, problems } = {}) {
    if (this._timer !== null) { this.timers.clearTimeout(this._timer); this._timer = null; }
    this._dirty = false;
    if (sources !== undefined) { this.sources = clone(sources); }  // never shared with what the caller keeps
    if (baseSignature !== undefined) { this.baseSignature = baseSignature; }
    this._undo = [];
    this._redo = [];
    this._revision += 1;
    this.emit("change", { reset: true });
    this.setProblems(problems || []);
    this._setStatus("clean");
  }

  // -- saving --------------------------------------------------------------------------------
  _schedule() {
    this._dirty = true;
    if (!this.api) { return; }
    if (this.status !== "offline") { this._setStatus("pending"); }
    if (this._timer !== null) { this.timers.clearTimeout(this._timer); }
    this._timer = this.timers.setTimeout(() => { this._timer = null; this.save(); }, this.delay);
  }

  async save() {
    if (this._timer !== null) { this.timers.clearTimeout(this._timer); this._timer = null; }
    if (!this.api) { return null; }
    if (this._saving) {  // one save at a time; the newest sources go with the next one
      await this._saving.catch(() => null);
      if (!this._dirty) { return null; }
    }
    this._dirty = false;
    const revision = this._revision;
    this._setStatus("saving");
    this.emit("saving");
    this._saving = this.api.saveDraft(this.baseSignature, this.sources, this.draftUpdatedAt);
    try {
      const answer = await this._saving;
      this.updatedAt = answer && answer.updated_at;
      if (this.draftUpdatedAt !== undefined && answer) { this.draftUpdatedAt = answer.updated_at; }
      if (revision === this._revision) { this.setProblems((answer && answer.problems) || []); }
      this._setStatus(this._dirty ? "pending" : "saved");
      this.emit("saved", answer || {});
      return answer;
    } catch (error) {
      this._dirty = true;
      const status = error && error.status;
      const changedElsewhere = status === 409 && error.code === "draft_changed";
      this._setStatus(status === 404 ? "offline" : status === 401 ? "login" : changedElsewhere ? "conflict" : "error");
      this.emit("error", { error, during: "save" });
      return null;
    } finally {
      this._saving = null;
    }
  }

  async retry() {
    if (!this.api) { return null; }
    if (typeof this.api.session === "function") {
      try {
        await this.api.session();  // logged in again: the new session's CSRF token
      } catch (error) {
        this._setStatus(error && error.status === 401 ? "login" : "error");
        this.emit("error", { error, during: "save" });
        return null;
      }
    }
    this._dirty = true;
    return this.save();
  }

  hasUnsavedEdits() {
    return Boolean(this.api) && (this._dirty || this._saving !== null || this._timer !== null);
  }

  async check(sources) {
    if (!this.api) { return []; }
    const answer = await this.api.check(sources || this.sources);
    return (answer && answer.problems) || [];
  }

  // -- problems and selection ----------------------------------------------------------------
  setProblems(problems) {
    // each with `where` (module › form › field, in people's words) and, for a setting still empty, a
    // message saying what to choose (problem-words.js)
    this.problems = (problems || []).map((p) => decorate(p, this.sources, this.meta, (k, params) => this.text(k, params)));
    this.emit("problems", this.problems);
  }

  problemsAt(file, pointer = "") {
    return this.problems.filter((p) => (file == null || p.file === file) && within(p.pointer || "", pointer || ""));
  }

  tabOf(pointer) {
    const path = parse(pointer || "");
    if (path[0] === "roles") { return "perms"; }
    if (path[0] !== "forms" || path.length < 3) { return path[0] === "forms" ? "form" : "json"; }
    const key = path[2];
    if (key === "workflow") { return "flow"; }
    if (key === "permissions") { return "perms"; }
    if (key === "reminders") { return "reminders"; }
    if (key === "prints") { return "prints"; }
    if (["update_linked", "indexes"].includes(key)) { return "json"; }  // edited as JSON
    return "form";
  }

  select(file, pointer = "") {
    if (file && typeof file === "object") { ({ file, pointer = "" } = file); }  // select({file, pointer}) too
    this.selected = { file, pointer, tab: this.tabOf(pointer) };
    this.emit("select", this.selected);
    return this.selected;
  }
}
