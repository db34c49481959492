// What a transition's `create.set` may copy into a line-item table of the created record (no DOM): a table
// of the source record ("items") or a table of a record it links to ("link.items"); rows are copied,
// columns by equal name.
//
//   tableSources(form, forms)   [{value, label}] for the source form (raw definition) and every form of the
//                               set ([{name, title, fields: [{name, label, columns}]}], flow.js's ctx.forms)
import { txt } from "./loc.js";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

export function tableSources(form, forms) {
  const out = [];
  const fields = isObject(form) && Array.isArray(form.fields) ? form.fields.filter((f) => isObject(f) && typeof f.name === "string") : [];
  for (const f of fields) {
    if (Array.isArray(f.fields)) { out.push({ value: f.name, label: `${txt(f.label) || f.name} (${f.name})` }); }
  }
  for (const link of fields) {
    if (link.type !== "link" || typeof link.form !== "string") { continue; }
    const target = (forms || []).find((x) => x.name === link.form);
    for (const table of (target && target.fields) || []) {
      if (!Array.isArray(table.columns)) { continue; }
      out.push({ value: `${link.name}.${table.name}`,
        label: `${txt(link.label) || link.name} › ${txt(table.label) || table.name} (${link.name}.${table.name})` });
    }
  }
  return out;
}
