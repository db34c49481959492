// The editor of a localized text (loc.js): the Chinese text in the tab's own input, and below it a smaller
// "English" input. A plain string stays a string until an English text is typed; clearing the English
// text turns it back into the plain string; an object keeps its form.
//
//   locInput({value, commit, make, testid, text})  -> element
//     value          the text as the document holds it (string, {"zh-CN", "en"} or undefined)
//     commit(next)   called with the whole new value (undefined: both texts emptied, the key goes)
//     make(initial, onCommit, {testid, english})  builds one input in the tab's style (onCommit(string))
//     testid         the Chinese input's data-testid; the English one gets testid + "-en"
//     text(key)      the designer's UI texts ("loc.en", "loc.en_placeholder")
import { h } from "./ui.js";
import { enOf, withEn, withZh, zhOf } from "./loc.js";

export function locInput({ value, commit, make, testid, text }) {
  const zh = make(zhOf(value), (v) => commit(withZh(value, v)), { testid, english: false });
  const en = make(enOf(value), (v) => commit(withEn(value, v)), { testid: testid + "-en", english: true });
  const input = en.matches && en.matches("input, textarea") ? en : en.querySelector && en.querySelector("input, textarea");
  if (input) {
    input.setAttribute("lang", "en");
    input.setAttribute("placeholder", text("loc.en_placeholder"));
    input.setAttribute("aria-label", text("loc.en_placeholder"));
  }
  return h("div", { class: "dz-loc", "data-testid": testid + "-loc" }, zh,
    h("div", { class: "input-group input-group-sm mt-1 dz-loc-en" },
      h("span", { class: "input-group-text small text-secondary", title: text("loc.en_help") }, text("loc.en")), en));
}
