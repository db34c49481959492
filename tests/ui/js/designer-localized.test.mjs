// Localized texts in the designer (engine/ui/static/js/designer/loc.js): what is shown in each UI
// language, and how an edit writes the Chinese and English texts without losing either form; and the
// models every tab draws from, given a definition whose every text is {"zh-CN", "en"}.
import { test } from "node:test";
import assert from "node:assert/strict";

import { enOf, isLocalized, setLang, txt, withEn, withZh, zhOf } from "../../../engine/ui/static/js/designer/loc.js";
import { workflowGraph, allRoles as flowRoles } from "../../../engine/ui/static/js/designer/flow-model.js";
import { allRoles, hideOptions, matrix } from "../../../engine/ui/static/js/designer/perms-model.js";
import { dateFieldOptions, placeholderOptions, transitionOptions } from "../../../engine/ui/static/js/designer/reminders-model.js";
import { problemPlace, sameLabel } from "../../../engine/ui/static/js/designer/problem-words.js";
import { previewRoles } from "../../../engine/ui/static/js/designer/preview.js";
import { optionLabel } from "../../../engine/ui/static/js/designer/form-controls.js";

const L = (zh, en) => ({ "zh-CN": zh, en });

function localizedDoc() {
  return {
    module: "m", title: L("模块", "Module"),
    roles: [{ name: "sales", title: L("销售", "Sales") }],
    forms: [{
      name: "deal", title: L("商机", "Deal"), description: L("说明", "About"), title_field: "subject",
      fields: [
        { name: "subject", type: "text", label: L("主题", "Subject"), help: L("帮助", "Help"), placeholder: L("请输入", "Type") },
        { name: "kind", type: "select", label: L("类型", "Kind"), options: [{ value: "a", label: L("甲", "A") }, "b"] },
        { name: "due", type: "date", label: L("到期日", "Due") },
        { name: "items", type: "table", label: L("明细", "Lines"), fields: [{ name: "qty", type: "number", label: L("数量", "Qty") }] },
      ],
      charts: [{ title: L("图表", "Chart"), type: "bar", group_by: "kind" }],
      permissions: { sales: { read: "all", hide: ["items.qty"] } },
      reminders: [{ name: "r", date_field: "due", offset: "-1d", notify: [{ role: "sales" }], message: L("到期 {subject}", "Due {subject}") }],
      workflow: {
        initial: "open",
        stages: [{ name: "open", title: L("进行中", "Open"), editable: ["*"] },
          { name: "won", title: L("赢单", "Won"), final: true,
            approval: { steps: [{ name: "s1", title: L("经理审批", "Manager"), approvers: [{ role: "sales" }] }], approved: "won", rejected: "open" } }],
        transitions: [{ name: "win", title: L("赢单", "Win"), from: "open", to: "won", confirm: L("确定？", "Sure?") }],
      },
    }],
  };
}

test("txt shows the text of the designer's language; en falls back to zh-CN; a string is the same everywhere", () => {
  setLang("zh_CN");
  assert.equal(txt(L("客户", "Customer")), "客户");
  assert.equal(txt("客户"), "客户");
  setLang("en");
  assert.equal(txt(L("客户", "Customer")), "Customer");
  assert.equal(txt({ "zh-CN": "客户" }), "客户");
  assert.equal(txt("客户"), "客户");
  assert.equal(txt(undefined), "");
  assert.equal(txt(null), "");
  setLang("zh_CN");
  assert.equal(txt({ "zh-CN": "", en: "Customer" }), "Customer");
});

test("an English text turns a plain string into the object; clearing it turns it back; Chinese edits keep the form", () => {
  assert.equal(withEn("客户", ""), "客户");
  assert.deepEqual(withEn("客户", "Customer"), { "zh-CN": "客户", en: "Customer" });
  assert.equal(withEn(L("客户", "Customer"), ""), "客户");
  assert.equal(withEn(L("客户", "Customer"), "  "), "客户");
  assert.deepEqual(withEn(L("客户", "Customer"), "Client"), { "zh-CN": "客户", en: "Client" });
  assert.deepEqual(withEn(undefined, "Customer"), { "zh-CN": "", en: "Customer" });
  assert.equal(withZh("客户", "顾客"), "顾客");
  assert.equal(withZh("客户", ""), undefined);
  assert.deepEqual(withZh(L("客户", "Customer"), "顾客"), { "zh-CN": "顾客", en: "Customer" });
  assert.deepEqual(Object.keys(withZh({ en: "Customer", "zh-CN": "客户" }, "顾客")), ["zh-CN", "en"]);
  assert.deepEqual(withZh(L("客户", "Customer"), ""), { "zh-CN": "", en: "Customer" });  // the check says zh-CN is missing
  assert.equal(withZh({ "zh-CN": "客户" }, ""), undefined);
  assert.equal(zhOf(L("客户", "Customer")), "客户");
  assert.equal(enOf("客户"), "");
  assert.ok(isLocalized({ "zh-CN": "x" }));
  assert.ok(!isLocalized(["x"]));
  assert.ok(!isLocalized({ value: "x" }));
});

test("every model a tab draws from reads localized texts as text (Chinese UI, then English UI)", () => {
  for (const [lang, expect] of [["zh_CN", { stage: "进行中", role: "销售", field: "主题", form: "商机" }],
    ["en", { stage: "Open", role: "Sales", field: "Subject", form: "Deal" }]]) {
    setLang(lang);
    const doc = localizedDoc();
    const form = doc.forms[0];
    const graph = workflowGraph(form);
    assert.equal(graph.nodes.find((n) => n.id === "open").title, expect.stage);
    assert.ok(graph.edges.every((e) => typeof e.title === "string"));
    assert.equal(flowRoles({ "m.json": doc })[0].title, expect.role);
    assert.equal(allRoles({ "m.json": doc }).find((r) => r.name === "sales").title, expect.role);
    assert.deepEqual(allRoles({ "m.json": doc }).find((r) => r.name === "sales").titleValue, L("销售", "Sales"));
    assert.equal(previewRoles({ "m.json": doc })[0].title, expect.role);
    const m = matrix({ "m.json": doc });
    assert.equal(m.modules[0].title, lang === "en" ? "Module" : "模块");
    assert.equal(m.modules[0].forms[0].title, expect.form);
    for (const option of hideOptions(form)) { assert.equal(typeof option.label, "string"); }
    assert.ok(hideOptions(form).some((o) => o.label.includes(lang === "en" ? "Lines · Qty" : "明细 · 数量")));
    for (const list of [dateFieldOptions(form, { types: [{ name: "date", client_kind: "date" }] }), placeholderOptions(form)]) {
      for (const item of list) { assert.equal(typeof item.label, "string"); }
    }
    assert.equal(placeholderOptions(form)[0].label, expect.field);
    assert.equal(transitionOptions(form)[0].title, lang === "en" ? "Win" : "赢单");
    assert.equal(optionLabel(form.fields[1].options[0]), lang === "en" ? "A" : "甲");
    const place = problemPlace({ "m.json": doc }, "m.json", "/forms/0/fields/0/label", (k, p) => `${k}:${JSON.stringify(p || {})}`);
    assert.ok(!String(place).includes("[object Object]"), place);
    assert.ok(String(place).includes(expect.field), place);
  }
  setLang("zh_CN");
});

test("two fields with one localized label (or a string and an object of the same Chinese) are marked as the same label", () => {
  setLang("zh_CN");
  const a = { name: "a", label: L("客户", "Customer") };
  const b = { name: "b", label: "客户" };
  const c = { name: "c", label: L("联系人", "Contact") };
  assert.equal(sameLabel([a, b, c], a), b);
  assert.equal(sameLabel([a, b, c], c), null);
});
