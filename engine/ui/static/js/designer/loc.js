// Localized texts of the definitions: a display text (a label, title, help, message...) is either a plain
// string, the same in every language, or {"zh-CN": "名称", "en": "Name"} ("zh-CN" required, "en"
// optional). Everything the designer shows reads them through txt(); every editor writes them through
// withZh()/withEn(), so a plain string stays a string until an English text is typed, and clearing the
// English text turns the object back into the plain string (no DOM here).
//
//   setLang(lang)              the designer's UI language ("en" or "zh_CN"/"zh-CN"), from the page's meta
//   isLocalized(value)         true for the object form
//   txt(value, lang?)          the text to show: en (falling back to zh-CN) in English, else zh-CN; a string as
//                              it is; anything else ""
//   zhOf(value), enOf(value)   the Chinese (a plain string counts as Chinese) and the English part ("" if none)
//   withZh(value, zh)          value with its Chinese text replaced (undefined: remove the key, when both are empty)
//   withEn(value, en)          value with its English text set ("" removes it: back to the plain string)

let current = "zh-CN";

export function setLang(lang) {
  current = lang === "en" || (typeof lang === "string" && lang.toLowerCase().startsWith("en")) ? "en" : "zh-CN";
}

export function getLang() {
  return current;
}

export function isLocalized(value) {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value) && ("zh-CN" in value || "en" in value);
}

export function txt(value, lang = current) {
  if (typeof value === "string") { return value; }
  if (isLocalized(value)) {
    const zh = typeof value["zh-CN"] === "string" ? value["zh-CN"] : "";
    const en = typeof value.en === "string" ? value.en : "";
    return lang === "en" ? (en || zh) : (zh || en);
  }
  if (typeof value === "number") { return String(value); }
  return "";
}

export function zhOf(value) {
  if (typeof value === "string") { return value; }
  return isLocalized(value) && typeof value["zh-CN"] === "string" ? value["zh-CN"] : "";
}

export function enOf(value) {
  return isLocalized(value) && typeof value.en === "string" ? value.en : "";
}

export function withZh(value, zh) {
  const text = typeof zh === "string" ? zh : "";
  if (isLocalized(value)) {
    if (!text && !enOf(value)) { return undefined; }
    const out = {};
    out["zh-CN"] = text;  // zh-CN first, as written by hand; other keys (refused by the check) stay
    for (const [key, v] of Object.entries(value)) { if (key !== "zh-CN") { out[key] = v; } }
    return out;
  }
  return text || undefined;
}

export function withEn(value, en) {
  const text = typeof en === "string" ? en.trim() : "";
  if (!text) {
    if (!isLocalized(value)) { return value; }
    const rest = Object.keys(value).filter((k) => k !== "zh-CN" && k !== "en");
    if (rest.length) { const out = { ...value }; delete out.en; return out; }  // an unknown key: keep the object
    return zhOf(value) || undefined;
  }
  if (isLocalized(value)) { return { ...value, en: text }; }
  return { "zh-CN": typeof value === "string" ? value : "", en: text };
}
