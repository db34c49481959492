// The designer's JSON tab: the module files as text, for power users, in CodeMirror (line numbers,
// highlighting, bracket matching, folding, search, completion from the module schema). It edits the
// same draft as the other tabs: a text that parses replaces its document in the store (one undo step);
// a text that does not parse is marked and the draft keeps the last good document. The draft's problems
// are shown as diagnostics at their pointers.
import { h, clear, useStylesheet } from "./ui.js";
import { jsonEditorExtensions, refreshProblems, revealPointer, canonicalText, CM } from "./json-cm.js";
import { textState } from "./json-sync.js";

const PARSE_DELAY = 300;

export function mount(element, store) {
  const files = () => store.files();
  let current = files()[0] || null;
  const sync = textState(store);  // per file: the text, whether it parses, the doc it stands for
  const states = new Map();       // file -> CodeMirror EditorState (keeps undo history and cursor per file)
  let timer = null;

  useStylesheet("designer-publish.css");
  clear(element);
  const picker = h("select", { class: "form-select form-select-sm w-auto", "data-testid": "json-file",
    "aria-label": store.text("json.file"), onchange: () => show(picker.value) });
  const status = h("span", { class: "small dz-json-status", "data-testid": "json-status", role: "status",
    "aria-live": "polite" });
  const stale = h("div", { class: "alert alert-warning py-2 small d-none", "data-testid": "json-stale" });
  const host = h("div", { class: "dz-json-editor border rounded", "data-testid": "json-editor" });
  element.append(
    h("div", { class: "d-flex flex-wrap align-items-center gap-2 mb-2" },
      h("label", { class: "small text-secondary" }, store.text("json.file")), picker,
      h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "json-format",
        onclick: format }, store.text("json.format")),
      h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "json-search",
        onclick: () => { CM.openSearchPanel(view); } }, store.text("json.search")),
      status),
    h("p", { class: "small text-secondary mb-2" }, store.text("json.help")),
    stale, host);

  function fillPicker() {
    clear(picker);
    for (const file of files()) {
      picker.append(h("option", { value: file, selected: file === current }, file));
    }
  }

  function problemsFor(file) {
    return (text) => (sync.matches(file, text) ? store.problemsAt(file, "") : []);
  }

  function makeState(file) {
    return CM.EditorState.create({
      doc: sync.text(file),
      extensions: jsonEditorExtensions({
        schema: () => store.meta && store.meta.schema,
        problems: problemsFor(file),
        text: (key, params) => store.text(key, params),
        onDocChange: () => { schedule(); },
        names: () => ({ doc: store.doc(file), docs: store.files().map((f) => store.doc(f)) }),
      }),
    });
  }

  const view = new CM.EditorView({ state: current ? makeState(current) : CM.EditorState.create({ doc: "" }),
    parent: host });
  if (current) { states.set(current, view.state); }

  function show(file) {
    if (!file || file === current) { return; }
    flush();
    if (current) { states.set(current, view.state); }
    current = file;
    if (!states.has(file) || states.get(file).doc.toString() !== sync.text(file)) { states.set(file, makeState(file)); }
    view.setState(states.get(file));
    picker.value = file;
    render();
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(flush, PARSE_DELAY);
    status.textContent = "";
  }

  // the text is read: a document that parses goes into the draft
  function flush() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!current) { return; }
    sync.edit(current, view.state.doc.toString(), store.text("json.change", { file: current }));
    render();
  }

  function format() {
    flush();
    if (!current || sync.error(current)) { return; }
    const text = canonicalText(store.doc(current));
    if (text !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      flush();
    }
  }

  function replaceText(file) {
    const text = sync.text(file);
    if (file === current) {
      if (view.state.doc.toString() !== text) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text },
                        annotations: CM.Transaction.addToHistory.of(false) });
      }
      states.set(file, view.state);
    } else {
      states.delete(file);
    }
  }

  function render() {
    const error = current ? sync.error(current) : null;
    status.className = "small dz-json-status " + (error ? "text-danger" : "text-success");
    if (error) {
      status.textContent = store.text("json.parse_error", { line: error.line,
        message: error.key ? store.text(error.key) : error.message });
      status.title = error.message;
    } else if (current) {
      status.title = "";
      const count = store.problemsAt(current, "").length;
      status.textContent = count ? store.text("json.problems", { count }) : store.text("json.ok");
      if (count) { status.className = "small dz-json-status text-danger"; }
    }
    const conflict = current && sync.conflict(current);
    stale.classList.toggle("d-none", !conflict);
    clear(stale);
    if (conflict) {
      stale.append(store.text("json.changed_elsewhere"), " ",
        h("button", { type: "button", class: "btn btn-sm btn-warning ms-2", "data-testid": "json-take-draft",
          onclick: () => { sync.takeDraft(current); replaceText(current); render(); refreshProblems(view); } },
        store.text("json.take_draft")));
    }
  }

  // another tab changed the draft (or undo/redo, rebase, publish): texts that stand for an older
  // document are rewritten from the draft; a text with an unsaved syntax error is kept and flagged
  store.on("change", () => {
    const known = files();
    if (current && !known.includes(current)) { current = known[0] || null; states.clear(); }
    for (const file of sync.refresh()) { replaceText(file); }
    if (!current && known.length) { current = known[0]; view.setState(makeState(current)); }
    fillPicker();
    render();
    refreshProblems(view);
  });
  store.on("problems", () => { render(); refreshProblems(view); });
  store.on("select", ({ file, pointer, tab }) => {
    if (tab !== "json" || !file) { return; }
    show(file);
    revealPointer(view, pointer || "");
  });
  store.on("tab", (name) => { if (name === "json") { view.requestMeasure(); } });

  fillPicker();
  render();
  const handle = { view, show, flush, get current() { return current; } };
  element.dzJsonEditor = handle;  // for the browser tests and the console
  return handle;
}
