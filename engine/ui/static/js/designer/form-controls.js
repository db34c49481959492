// How a field looks to staff, drawn from its type's attributes (layout, flags, options), so a new
// type gets a sensible look without code here. The controls are inert (tabindex -1, disabled).
import { h } from "./ui.js";
import { txt } from "./loc.js";

export function optionLabel(option) {
  return option && typeof option === "object" ? (txt(option.label) || option.value) : String(option);
}

export function controlPreview(field, kind, ctx) {
  const t = ctx.text;
  const inert = { tabindex: "-1", disabled: true, "aria-hidden": "true" };
  if (!kind) { return h("input", { class: "form-control form-control-sm", ...inert, value: field.type }); }
  if (kind.computed) {
    const what = field.formula ? "= " + field.formula : field.pattern ? field.pattern : field.value ? field.value : "";
    return h("div", { class: "form-control form-control-sm bg-body-secondary text-secondary dz-computed" },
      h("span", { class: "small" }, t("form.computed")), " ", h("code", {}, what));
  }
  if (kind.layout === "check") {
    return h("div", { class: "form-check" }, h("input", { class: "form-check-input", type: "checkbox", ...inert }),
      h("span", { class: "form-check-label" }, txt(field.label) || field.name));
  }
  if ("scale" in (kind.options_schema || {})) {
    const scale = Number(field.scale || kind.defaults.scale || 5);
    return h("div", { class: "dz-stars", "aria-hidden": "true" }, "☆".repeat(Math.min(scale, 10)));
  }
  const options = Array.isArray(field.options) ? field.options : null;
  if (options) {
    if (kind.multiple) {
      return h("div", { class: "d-flex flex-wrap gap-1" }, options.slice(0, 6).map((o) =>
        h("span", { class: o && typeof o === "object" && o.color ? "badge rounded-pill option-color-" + o.color
          : "badge rounded-pill text-bg-light border" }, optionLabel(o))),
      options.length > 6 ? h("span", { class: "small text-secondary" }, "…") : null);
    }
    return h("select", { class: "form-select form-select-sm", ...inert },
      h("option", {}, t("form.choose")), options.map((o) => h("option", {}, optionLabel(o))));
  }
  if (kind.holds_file) {
    return h("div", { class: "input-group input-group-sm" }, h("span", { class: "input-group-text" }, t("form.pick_file")),
      h("input", { class: "form-control", ...inert, value: (field.accept || []).join(" ") }));
  }
  if (kind.links) {
    const target = ctx.formTitle(field.form);
    return h("select", { class: "form-select form-select-sm", ...inert },
      h("option", {}, t("form.link_choose", { form: target || field.form || "?" })));
  }
  if (kind.holds_user) {
    return h("select", { class: "form-select form-select-sm", ...inert }, h("option", {}, t("form.user_choose")));
  }
  if (kind.wide) {
    return h("textarea", { class: "form-control form-control-sm", rows: String(Math.min(Number(field.rows) || 3, 6)),
      ...inert, placeholder: txt(field.placeholder) });
  }
  const attrs = { class: "form-control form-control-sm" + (kind.numeric ? " text-end" : ""), ...inert,
    placeholder: txt(field.placeholder) };
  if (kind.temporal) {
    const pattern = (kind.default_schema && kind.default_schema.pattern) || "";
    attrs.placeholder = pattern.includes("$now") ? "yyyy-mm-dd hh:mm" : "yyyy-mm-dd";
  }
  if (field.default !== undefined && field.default !== null && typeof field.default !== "object") {
    const special = /^\$(today|now|user)$/.exec(String(field.default));
    attrs.value = special ? t("form.default." + special[1]) : String(field.default);
  }
  return h("input", attrs);
}
