// Colours of select / multiselect options (`"color"` of an option: a name of the palette the
// module schema allows, meta.schema.$defs.option.properties.color.enum). The swatches use the
// pages' own badge classes (app.css `option-color-<name>`), so the designer shows what lists show.
//   paletteOf(meta)                          the colour names, in the schema's order
//   setOptionColor(options, index, color)    a new options array with that option's colour set
//                                            (color null/"" clears it); plain string options become
//                                            {"value"} objects (a colour needs the object form);
//                                            other keys and the order are kept
//   colorOf(option)                          an option's colour name or ""
//   colorPicker({...})                       a row of radio swatches ("no colour" first)
import { h } from "./ui.js";

export function paletteOf(meta) {
  const option = meta && meta.schema && meta.schema.$defs && meta.schema.$defs.option;
  const color = option && option.properties && option.properties.color;
  return color && Array.isArray(color.enum) ? color.enum.slice() : [];
}

export function colorOf(option) {
  return option && typeof option === "object" && typeof option.color === "string" ? option.color : "";
}

export function setOptionColor(options, index, color) {
  const list = Array.isArray(options) ? options : [];
  if (index < 0 || index >= list.length) { return JSON.parse(JSON.stringify(list)); }
  const wanted = color ? String(color) : "";
  const already = list.some((o) => o && typeof o === "object");
  if (!wanted && !already) { return list.slice(); } // nothing to clear on plain strings
  const next = list.map((o) => (o && typeof o === "object" ? JSON.parse(JSON.stringify(o)) : { value: String(o) }));
  if (wanted) { next[index].color = wanted; } else { delete next[index].color; }
  return next;
}

let uid = 0;

// A radio group of swatches: Tab enters it at the chosen swatch, the arrow keys move and choose
// (native radios); each swatch has its colour's name as text for screen readers and as a tooltip.
export function colorPicker({ palette, value, onPick, text, label, testid }) {
  uid += 1;
  const name = "dz-color-" + uid;
  const group = h("div", { class: "dz-swatches", role: "radiogroup", "aria-label": label, "data-testid": testid });
  const choices = [["", text("form.no_color")]].concat(palette.map((c) => [c, text("color." + c)]));
  choices.forEach(([color, title], j) => {
    const id = name + "-" + j;
    group.append(
      h("input", { type: "radio", class: "btn-check", name, id, value: color, checked: (value || "") === color,
        "data-testid": testid + "-" + (color || "none"), onchange: (e) => { if (e.target.checked) { onPick(color); } } }),
      h("label", { class: "dz-swatch " + (color ? "option-color-" + color : "dz-swatch-none"), for: id, title },
        h("span", { class: "visually-hidden" }, title)));
  });
  return group;
}
