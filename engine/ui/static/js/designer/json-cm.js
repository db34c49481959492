// The CodeMirror set-up shared by the designer's JSON tab and the definition editor page: line numbers,
// JSON highlighting, bracket matching, folding, search, JSON syntax lint, the definition problems as
// diagnostics at their pointers, and completion from the module schema.
//
//   jsonEditorExtensions({schema, problems, text, onDocChange}) -> extensions for EditorState.create
//       schema(): the module JSON schema (or null)
//       problems(text): [{pointer, message}] for the text in the editor (mapped to ranges here)
//       text(key): a translated UI text (keys "json.cm_*" translate CodeMirror's own words)
//       onDocChange(view): called after every change of the text
//       names(): {doc, docs}: the file's last good document and all of the set's (for name completion)
//   refreshProblems(view)      re-runs the lint (when new problems arrived)
//   revealPointer(view, pointer)  puts the cursor on the value at pointer and scrolls it into view
//   canonicalText(doc)         the server's format: 2-space indentation, a final newline
import * as CM from "../../vendor/codemirror/codemirror.js";
import { complete } from "./json-schema-complete.js";
import { pointerRange, positions } from "./json-scan.js";
import { canonicalText, parseErrorKey, parseErrorPosition } from "./json-sync.js";

export { CM, canonicalText };

const refresh = CM.StateEffect.define();

// CodeMirror's own words that the user sees (search panel, lint panel, folding, completion)
const PHRASES = ["Find", "Replace", "next", "previous", "all", "match case", "regexp", "by word", "replace",
  "replace all", "close", "current match", "on line", "Go to line", "go", "Diagnostics", "No diagnostics",
  "Completions", "Folded lines", "Unfolded lines", "Fold line", "Unfold line", "folded code", "unfold"];

export function phraseKey(phrase) {
  return "json.cm_" + phrase.toLowerCase().replace(/[^a-z]+/g, "_");
}

export function phrases(text) {
  const out = {};
  for (const phrase of PHRASES) {
    const key = phraseKey(phrase);
    const translated = text(key);
    if (translated && translated !== key) { out[phrase] = translated; }
  }
  return out;
}

function syntaxDiagnostics(view, text) {
  const source = view.state.doc.toString();
  try {
    JSON.parse(source);
    return [];
  } catch (error) {
    const pos = parseErrorPosition(String(error.message), source);
    const key = parseErrorKey(error.message);
    return [{ from: pos, to: Math.min(pos + 1, source.length), severity: "error", source: "JSON",
              message: text("json.syntax_error", { message: key ? text(key) : String(error.message) }) }];
  }
}

function problemDiagnostics(view, problems) {
  const source = view.state.doc.toString();
  const list = problems(source) || [];
  if (!list.length) { return []; }
  const tree = positions(source);
  return list.map((p) => {
    const range = pointerRange(source, p.pointer || "", tree);
    return { from: range.from, to: Math.max(range.to, range.from), severity: p.severity || "error",
             message: p.message + (p.pointer ? "  (" + p.pointer + ")" : ""), source: p.file || "" };
  });
}

function completionSource(schema, text, names) {
  return (context) => {
    const result = complete(schema(), context.state.doc.toString(), context.pos,
      { explicit: context.explicit, context: names() });
    if (!result) { return null; }
    // the editor filters the options by the text between `from` and the cursor; what follows the cursor in
    // the same token (a closing quote, the rest of a word) is replaced too when an option is taken
    const extra = Math.max(0, result.to - context.pos);
    const comma = result.commaAt;
    return {
      from: result.from,
      validFor: /^[A-Za-z0-9_$*]*$/,
      options: result.options.map((o) => ({
        label: o.label,
        type: o.type,
        detail: o.detail ? text("json." + o.detail) : undefined,
        info: o.info || undefined,
        apply: (view, completion, from, to) => {
          const changes = [{ from, to: to + extra, insert: o.apply }];
          const withComma = comma != null && o.key && comma <= from;
          if (withComma) { changes.unshift({ from: comma, insert: "," }); }
          view.dispatch({
            changes,
            selection: { anchor: from + (withComma ? 1 : 0) + o.apply.length },
            userEvent: "input.complete",
            scrollIntoView: true,
          });
        },
      })),
    };
  };
}

export function jsonEditorExtensions({ schema = () => null, problems = () => [], text = (k) => k,
                                       onDocChange = null, names = () => ({}) } = {}) {
  const extensions = [
    CM.basicSetup,
    CM.json(),
    CM.EditorState.tabSize.of(2),
    CM.indentUnit.of("  "),
    CM.keymap.of([CM.indentWithTab]),
    CM.EditorState.phrases.of(phrases(text)),
    CM.lintGutter(),
    CM.linter((view) => [...syntaxDiagnostics(view, text), ...problemDiagnostics(view, problems)], {
      delay: 250,
      needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(refresh))),
    }),
    CM.autocompletion({ override: [completionSource(schema, text, names)], icons: true, activateOnTyping: true }),
    CM.EditorView.contentAttributes.of({ "aria-label": text("json.editor_label"), spellcheck: "false" }),
  ];
  if (onDocChange) {
    extensions.push(CM.EditorView.updateListener.of((update) => {
      if (update.docChanged) { onDocChange(update.view, update); }
    }));
  }
  return extensions;
}

export function refreshProblems(view) {
  view.dispatch({ effects: refresh.of(null) });
}

export function revealPointer(view, pointer) {
  const source = view.state.doc.toString();
  const range = pointerRange(source, pointer || "");
  view.dispatch({ selection: { anchor: range.from, head: range.to },
                  effects: CM.EditorView.scrollIntoView(range.from, { y: "center" }) });
  view.focus();
  return range;
}
