// The definition editor page (/admin/definitions/<file>/edit): its plain textarea becomes the designer's
// CodeMirror JSON editor (line numbers, highlighting, bracket matching, search, schema completion, JSON
// syntax lint, and the problems of the last save as diagnostics at their pointers). The form still posts
// the textarea as before: the editor writes its text into it on every change.
import { jsonEditorExtensions, revealPointer, CM } from "./json-cm.js";
import { useStylesheet } from "./ui.js";

function boot() {
  const data = document.getElementById("json-editor-data");
  const textarea = document.querySelector("textarea[data-json-editor]");
  if (!data || !textarea) { return; }
  const page = JSON.parse(data.textContent);
  const texts = page.text || {};
  const text = (key, params) => {
    let out = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
    for (const [name, value] of Object.entries(params || {})) { out = out.split("{" + name + "}").join(String(value)); }
    return out;
  };
  // the problems the server found in this text when it was posted (the page marks each one's file and pointer)
  const posted = textarea.value;
  const problems = [...document.querySelectorAll("[data-problem-file]")]
    .filter((el) => el.dataset.problemFile === page.file)
    .map((el) => ({ file: page.file, pointer: el.dataset.problemPointer || "", message: el.textContent.trim() }));

  let lastGood = null;
  try { lastGood = JSON.parse(textarea.value); } catch (e) { lastGood = null; }
  useStylesheet("designer-publish.css");
  const host = document.createElement("div");
  host.className = "dz-json-editor border rounded mb-2";
  host.dataset.testid = "json-editor";
  textarea.after(host);
  textarea.hidden = true;
  const view = new CM.EditorView({
    parent: host,
    state: CM.EditorState.create({
      doc: textarea.value,
      extensions: jsonEditorExtensions({
        schema: () => page.schema,
        problems: (current) => (current === posted ? problems : []),
        text,
        onDocChange: (v) => {
          textarea.value = v.state.doc.toString();
          try { lastGood = JSON.parse(textarea.value); } catch (e) { /* completion keeps the last good one */ }
        },
        names: () => ({ doc: lastGood, docs: [lastGood] }),
      }),
    }),
  });
  textarea.form.addEventListener("submit", () => { textarea.value = view.state.doc.toString(); });
  host.dzJsonEditor = { view };
  if (problems.length) { revealPointer(view, problems[0].pointer); }  // the first problem in view
}

if (typeof document !== "undefined") { boot(); }
