// Entry of the vendored CodeMirror 6 bundle (engine/ui/static/vendor/codemirror/codemirror.js).
// Only what the designer's JSON tab and the definition editor page use; built by codemirror.sh.
export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightSpecialChars, placeholder } from "@codemirror/view";
export { EditorState, Compartment, StateEffect, StateField, Annotation, Transaction } from "@codemirror/state";
export { basicSetup, minimalSetup } from "codemirror";
export { json, jsonParseLinter, jsonLanguage } from "@codemirror/lang-json";
export { linter, lintGutter, setDiagnostics, forceLinting, diagnosticCount, openLintPanel, lintKeymap } from "@codemirror/lint";
export { autocompletion, completionKeymap, startCompletion, closeBrackets, closeBracketsKeymap,
  acceptCompletion, currentCompletions } from "@codemirror/autocomplete";
export { syntaxTree, bracketMatching, foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle,
  foldKeymap, indentUnit } from "@codemirror/language";
export { defaultKeymap, history, historyKeymap, indentWithTab, undo, redo } from "@codemirror/commands";
export { search, searchKeymap, openSearchPanel, highlightSelectionMatches, gotoLine } from "@codemirror/search";
