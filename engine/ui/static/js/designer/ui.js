// Small DOM helpers shared by the designer's tabs.
//   h("div", {class: "x", dataset: {a: 1}, onclick: fn, text: "..."}, child, "text", ...) -> element
//   clear(el)                          removes every child
//   problemBadge(problems, store)      a red badge "n" with the messages as its title (or null);
//                                      CSS class "dz-problem-badge"
//   problemList(problems)              a <ul class="dz-problem-list"> of the messages (or null)
//   markProblems(el, problems)         adds/removes the CSS class "dz-has-problem" on el
//   useStylesheet(name)                links css/<name> once (a tab's own styles); resolves when it is loaded
//
// A localized text ({"zh-CN", "en"}, loc.js) given as a child or an attribute value shows its text in the
// designer's language.
import { isLocalized, txt } from "./loc.js";

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (let [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) { continue; }
    if (isLocalized(value)) { value = txt(value); }
    if (key === "class") { el.className = value; }
    else if (key === "text") { el.textContent = value; }
    else if (key === "dataset") { Object.assign(el.dataset, value); }
    else if (key === "style" && typeof value === "object") { Object.assign(el.style, value); }
    else if (key.startsWith("on") && typeof value === "function") { el.addEventListener(key.slice(2), value); }
    else if (key === "value" || key === "checked" || key === "selected" || key === "disabled" || key === "hidden") { el[key] = value; }
    else { el.setAttribute(key, value === true ? "" : String(value)); }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) { continue; }
    if (isLocalized(child)) { el.append(document.createTextNode(txt(child))); continue; }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) { el.removeChild(el.firstChild); }
  return el;
}

export function problemBadge(problems) {
  if (!problems || !problems.length) { return null; }
  const messages = problems.map((p) => p.message).join("\n");
  return h("span", { class: "badge text-bg-danger dz-problem-badge", title: messages, "aria-label": messages,
    "data-testid": "problem-badge" }, String(problems.length));
}

export function problemList(problems) {
  if (!problems || !problems.length) { return null; }
  return h("ul", { class: "dz-problem-list", "data-testid": "problem-list" },
    problems.map((p) => h("li", { title: [p.where, p.pointer].filter(Boolean).join(" · ") }, p.message)));
}

export function markProblems(el, problems) {
  el.classList.toggle("dz-has-problem", Boolean(problems && problems.length));
  return el;
}

const sheets = new Map();  // href -> promise of its load

export function useStylesheet(name) {
  const href = new URL("../../css/" + name, import.meta.url).href;
  if (!sheets.has(href)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    sheets.set(href, new Promise((resolve) => {
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
    }));
    document.head.append(link);
  }
  return sheets.get(href);
}
