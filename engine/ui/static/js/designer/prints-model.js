// A form's print layouts (`prints`) as the 打印 tab edits them (no DOM): every edit mutates the form in
// place, keeps keys it does not know and their order, puts a new key in the documented order and removes
// a key (and `prints`) left empty.
//
//   BLOCK_KINDS                               fields, table, related, amount_in_words, text, signatures
//   PAPERS                                    A4, A5, A4-landscape, A5-landscape
//   printsOf(form)                            the layouts ([] when none)
//   blockKind(block)                          the block's kind (its one kind key), or null
//   fieldChoices(form, meta)                  [{name, label, numeric, decimal, computed, table, columns: [{name, label, numeric}]}]
//   newLayout(form, meta, title)              {name: "print_N", title, blocks: [the first fields, the first table]}
//   relatedChoices(form, forms)               [{form, title, link, label}]: link fields of other forms (entries of
//                                             store.forms()) pointing at this form — what a related block lists
//   newBlock(kind, form, meta, words, forms)  a block of that kind with starting values (null: none possible)
//   addLayout(form, layout) -> index;  removeLayout(form, i);  moveLayout(form, i, delta)
//   setLayoutKey(form, i, key, value);  setHeaderKey(form, i, key, value)
//   addBlock(form, i, block) -> index;  removeBlock(form, i, j);  moveBlock(form, i, j, delta)
//   setBlockKey(form, i, j, key, value)
import { txt } from "./loc.js";
import { FORM_ORDER, removeKey, setKey } from "./perms-keys.js";

export const BLOCK_KINDS = ["fields", "table", "related", "amount_in_words", "text", "signatures"];
export const PAPERS = ["A4", "A5", "A4-landscape", "A5-landscape"];
const LAYOUT_ORDER = ["name", "title", "roles", "paper", "header", "blocks", "footer"];
const HEADER_ORDER = ["company", "logo", "title"];
const BLOCK_ORDER = ["title", ...BLOCK_KINDS, "columns", "totals", "label"];
const FORM_KEYS = [...FORM_ORDER, "prints"];

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const empty = (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

export function printsOf(form) {
  return isObject(form) && Array.isArray(form.prints) ? form.prints : [];
}

export function blockKind(block) {
  if (!isObject(block)) return null;
  const kinds = BLOCK_KINDS.filter((k) => k in block);
  return kinds.length === 1 ? kinds[0] : null;
}

function kindOf(field, meta) {
  return ((meta && meta.types) || []).find((k) => k.name === field.type) || {};
}

function isNumeric(field, meta) {
  const kind = kindOf(field, meta);
  if (kind.computed) return field.result === "integer" || field.result === "decimal" || (!field.result && kind.numeric === true);
  return kind.numeric === true;
}

// money is a decimal (or a formula giving one): the amount in capital figures starts with the first
function isDecimal(field, meta) {
  const kind = kindOf(field, meta);
  return kind.computed ? field.result === "decimal" : kind.client_kind === "decimal";
}

export function fieldChoices(form, meta) {
  const named = (list) => (Array.isArray(list) ? list.filter((f) => isObject(f) && typeof f.name === "string") : []);
  return named(form && form.fields).map((f) => ({
    name: f.name, label: txt(f.label) || f.name, numeric: isNumeric(f, meta), decimal: isDecimal(f, meta),
    computed: Boolean(kindOf(f, meta).computed), table: Array.isArray(f.fields),
    columns: Array.isArray(f.fields) ? named(f.fields).map((c) => ({ name: c.name, label: txt(c.label) || c.name, numeric: isNumeric(c, meta) })) : null,
  }));
}

function freeName(form) {
  const taken = new Set(printsOf(form).map((p) => p && p.name));
  let n = 1;
  while (taken.has(`print_${n}`)) n += 1;
  return `print_${n}`;
}

export function relatedChoices(form, forms) {
  const out = [];
  for (const entry of forms || []) {
    const other = entry && entry.form;
    if (!isObject(other) || !Array.isArray(other.fields)) continue;
    for (const f of other.fields) {
      if (isObject(f) && f.type === "link" && f.form === form.name && typeof f.name === "string") {
        out.push({ form: other.name, title: txt(other.title) || other.name, link: f.name, label: txt(f.label) || f.name });
      }
    }
  }
  return out;
}

export function newBlock(kind, form, meta, words = {}, forms = []) {
  const fields = fieldChoices(form, meta);
  const plain = fields.filter((f) => !f.table);
  const table = fields.find((f) => f.table && f.columns.length);
  const numeric = plain.filter((f) => f.numeric);
  switch (kind) {
    case "fields": return plain.length ? { fields: plain.slice(0, 6).map((f) => f.name), columns: 2 } : null;
    case "table": return table ? { table: table.name, columns: table.columns.map((c) => c.name) } : null;
    case "amount_in_words": {  // a computed decimal (a total) first, else the first decimal, else a number
      const pick = numeric.find((f) => f.decimal && f.computed) || numeric.find((f) => f.decimal) || numeric[0];
      return pick ? { amount_in_words: pick.name } : null;
    }
    case "text": return { text: words.text || "{" + ((plain[0] && plain[0].name) || "id") + "}" };
    case "signatures": return { signatures: words.signatures || ["1", "2"] };
    case "related": {  // the first form linking here, its first fields
      const first = relatedChoices(form, forms)[0];
      if (!first) return null;
      const other = forms.find((e) => e.form && e.form.name === first.form).form;
      const columns = fieldChoices(other, meta).filter((f) => !f.table && f.name !== first.link).slice(0, 4).map((f) => f.name);
      return { related: { form: first.form, link: first.link, columns: columns.length ? columns : ["id"] } };
    }
    default: return null;
  }
}

export function newLayout(form, meta, title) {
  const blocks = [newBlock("fields", form, meta), newBlock("table", form, meta)].filter(Boolean);
  return { name: freeName(form), title, blocks: blocks.length ? blocks : [{ fields: ["id"] }] };
}

export function addLayout(form, layout) {
  if (!Array.isArray(form.prints)) setKey(form, "prints", [], FORM_KEYS);
  form.prints.push(layout);
  return form.prints.length - 1;
}

export function removeLayout(form, i) {
  const list = printsOf(form);
  if (i < 0 || i >= list.length) return;
  list.splice(i, 1);
  if (!list.length) removeKey(form, "prints");
}

function move(list, i, delta) {
  const j = i + delta;
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return i;
  list.splice(j, 0, list.splice(i, 1)[0]);
  return j;
}

export function moveLayout(form, i, delta) {
  return move(printsOf(form), i, delta);
}

export function setLayoutKey(form, i, key, value) {
  const layout = printsOf(form)[i];
  if (!isObject(layout)) return;
  if (empty(value)) removeKey(layout, key);
  else setKey(layout, key, value, LAYOUT_ORDER);
}

export function setHeaderKey(form, i, key, value) {
  const layout = printsOf(form)[i];
  if (!isObject(layout)) return;
  if (!isObject(layout.header)) setKey(layout, "header", {}, LAYOUT_ORDER);
  // company and logo print by default: true is written only where the file says false
  if (empty(value) || ((key === "company" || key === "logo") && value === true)) removeKey(layout.header, key);
  else setKey(layout.header, key, value, HEADER_ORDER);
  if (!Object.keys(layout.header).length) removeKey(layout, "header");
}

function blocksOf(form, i) {
  const layout = printsOf(form)[i];
  return isObject(layout) && Array.isArray(layout.blocks) ? layout.blocks : null;
}

export function addBlock(form, i, block) {
  const layout = printsOf(form)[i];
  if (!isObject(layout) || !block) return -1;
  if (!Array.isArray(layout.blocks)) setKey(layout, "blocks", [], LAYOUT_ORDER);
  layout.blocks.push(block);
  return layout.blocks.length - 1;
}

export function removeBlock(form, i, j) {
  const blocks = blocksOf(form, i);
  if (blocks && j >= 0 && j < blocks.length) blocks.splice(j, 1);  // the last one too: the check asks for one
}

export function moveBlock(form, i, j, delta) {
  const blocks = blocksOf(form, i);
  return blocks ? move(blocks, j, delta) : j;
}

export function setBlockKey(form, i, j, key, value) {
  const blocks = blocksOf(form, i);
  const block = blocks && blocks[j];
  if (!isObject(block)) return;
  if (empty(value)) removeKey(block, key);
  else setKey(block, key, value, BLOCK_ORDER);
}
