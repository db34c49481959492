// The JSON tab's texts and the draft's documents kept in step (pure: no editor, no DOM; tested with node).
//
//   const sync = textState(store)
//   sync.text(file)              the text shown for a file (the draft's document, formatted as the server
//                                writes it, until the admin edits it)
//   sync.edit(file, text, label) the admin's text: if it parses and differs from the draft's document, the
//                                document is replaced in the store (store.change, one undo step) ->
//                                {changed: true}; if it does not parse -> {error: {line, column, message}}
//                                and the draft keeps the last good document
//   sync.refresh()               after a store "change": files whose document changed elsewhere get the
//                                new text (returned); a file whose text has a syntax error keeps it and is
//                                flagged as a conflict instead (nothing typed is lost)
//   sync.takeDraft(file)         drop the admin's text for the draft's document
//   sync.error(file), sync.conflict(file), sync.matches(file, text) (text stands for the draft's document)
//   canonicalText(doc), parseErrorPosition(message, text), lineColumn(text, offset)
//   parseErrorKey(message)       the UI text key that says a JSON.parse error in the reader's words (or null)
import { tokens } from "./json-scan.js";

export function canonicalText(doc) {
  return JSON.stringify(doc, null, 2) + "\n";
}

// JSON.parse's messages (English, from the browser) -> the keys of the tab's own words
const PARSE_ERRORS = [
  [/after property value/, "json.err_comma_object"],
  [/after array element/, "json.err_comma_array"],
  [/':' after property name/, "json.err_colon"],
  [/double-quoted property name|property name or '\}'/, "json.err_key"],
  [/Unterminated string/, "json.err_string_end"],
  [/Bad control character/, "json.err_control"],
  [/Bad (escaped character|Unicode escape)/, "json.err_escape"],
  [/non-whitespace character after JSON/, "json.err_after"],
  [/end of JSON input/, "json.err_end"],
  [/number|minus sign|Exponent/i, "json.err_number"],
  [/Unexpected (token|identifier|string)/, "json.err_token"],
];

export function parseErrorKey(message) {
  const found = PARSE_ERRORS.find(([pattern]) => pattern.test(String(message)));
  return found ? found[1] : null;
}

// The first word that is not JSON (for messages without a position: "Unexpected token 'x', ...").
function firstBadWord(text) {
  const bad = tokens(text).find((t) => t.type === "word" && !["true", "false", "null"].includes(t.value));
  return bad ? bad.from : text.length;
}

// Where a JSON.parse error is, from its message ("... at position 12" or "line 3 column 5").
export function parseErrorPosition(message, text) {
  let m = /position (\d+)/.exec(message);
  if (m) { return Math.min(Number(m[1]), text.length); }
  m = /line (\d+) column (\d+)/.exec(message);
  if (m) {
    const lines = text.split("\n");
    let pos = 0;
    for (let i = 0; i < Number(m[1]) - 1 && i < lines.length; i++) { pos += lines[i].length + 1; }
    return Math.min(pos + Number(m[2]) - 1, text.length);
  }
  return firstBadWord(text);
}

export function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function parse(text) {
  try {
    return { doc: JSON.parse(text) };
  } catch (exc) {
    const message = String(exc && exc.message || exc);
    const pos = parseErrorPosition(message, text);
    return { error: { ...lineColumn(text, pos), offset: pos, message, key: parseErrorKey(message) } };
  }
}

export function textState(store) {
  const entries = new Map();  // file -> {text, json, error, conflict}

  function draftJSON(file) {
    return JSON.stringify(store.doc(file));
  }

  function entry(file) {
    if (!entries.has(file)) {
      const doc = store.doc(file);
      entries.set(file, { text: doc === undefined ? "" : canonicalText(doc), json: draftJSON(file),
                          error: null, conflict: false });
    }
    return entries.get(file);
  }

  return {
    text(file) { return entry(file).text; },
    error(file) { return entries.has(file) ? entries.get(file).error : null; },
    conflict(file) { return entries.has(file) ? entries.get(file).conflict : false; },

    matches(file, text) {
      const parsed = parse(text);
      return !parsed.error && JSON.stringify(parsed.doc) === draftJSON(file);
    },

    edit(file, text, label) {
      const e = entry(file);
      e.text = text;
      const parsed = parse(text);
      if (parsed.error) {
        e.error = parsed.error;
        return { error: parsed.error };
      }
      e.error = null;
      e.conflict = false;
      const json = JSON.stringify(parsed.doc);
      if (json === draftJSON(file)) { e.json = json; return { changed: false }; }
      e.json = json;  // before the change: the store's "change" event must not rewrite this text
      store.change((sources) => { sources[file] = parsed.doc; }, label);
      return { changed: true };
    },

    refresh() {
      const replaced = [];
      const files = new Set(store.files());
      for (const file of [...entries.keys()]) {
        if (!files.has(file)) { entries.delete(file); continue; }
        const e = entries.get(file);
        const json = draftJSON(file);
        if (e.json === json) { continue; }
        if (e.error) { e.conflict = true; continue; }
        e.text = canonicalText(store.doc(file));
        e.json = json;
        replaced.push(file);
      }
      return replaced;
    },

    takeDraft(file) {
      const doc = store.doc(file);
      entries.set(file, { text: doc === undefined ? "" : canonicalText(doc), json: draftJSON(file),
                          error: null, conflict: false });
    },
  };
}
