// node --test: problem-words.js — where a problem is in people's words (module › form › field ...) and
// the "choose ..." message for a setting a new field still needs; expr-check's messages as text keys.
import test from "node:test";
import assert from "node:assert/strict";
import { problemPlace, friendlyProblem, decorate } from "../../../engine/ui/static/js/designer/problem-words.js";
import { exprMessage, checkExpression } from "../../../engine/ui/static/js/designer/expr-check.js";
import { Store } from "../../../engine/ui/static/js/designer/store.js";

const TEXTS = {
  "where.whole_file": "整个文件", "where.stage": "阶段 {title}", "where.transition": "操作 {title}",
  "where.step": "审批步骤 {title}", "where.reminder": "提醒 {n}", "where.list": "列表页", "where.chart": "图表 {title}",
  "where.role": "角色 {title}", "where.permissions": "权限", "where.workflow": "流程",
  "choose.form_link": "请选择此字段关联的表单。", "choose.form_rollup": "请选择要汇总其记录的表单。",
  "choose.link_rollup": "请选择关联字段。", "choose.formula": "请填写公式。",
  "exprmsg.unexpected_end": "表达式没有写完（结尾缺少内容）", "expr.syntax": "{message}（第 {at} 个字符处）",
};
const store = new Store({ texts: TEXTS });
const t = (k, p) => store.text(k, p);
const meta = { types: [{ name: "text" }, { name: "link", links: true }, { name: "rollup", rolls_up: true }, { name: "formula" },
  { name: "table", is_table: true }] };
const sources = { "crm.json": { module: "crm", title: "客户管理", roles: [{ name: "sales", title: "销售" }], forms: [
  { name: "customer", title: "客户", fields: [
    { name: "grade", type: "text", label: "客户等级" },
    { name: "field_2", type: "link", label: "关联记录", form: "" },
    { name: "items", type: "table", label: "明细", fields: [{ name: "qty", type: "integer", label: "数量" }] },
    { name: "field_4", type: "rollup", label: "汇总", form: "", link: "", value: "count()" },
    { name: "field_5", type: "formula", label: "公式", formula: "" }],
    list: { columns: ["grade"] }, charts: [{ title: "按等级" }], reminders: [{ name: "reminder", message: "x" }],
    workflow: { stages: [{ name: "new", title: "新建", approval: { steps: [{ name: "boss", title: "总经理审批" }] } }],
      transitions: [{ name: "go", title: "提交" }] } }] } };

test("a pointer reads as module › form › field, with stages, actions, steps, columns and the list in words", () => {
  const place = (pointer) => problemPlace(sources, "crm.json", pointer, t);
  assert.equal(place(""), "客户管理 › 整个文件");
  assert.equal(place("/forms/0"), "客户管理 › 客户");
  assert.equal(place("/forms/0/fields/0/visible_if"), "客户管理 › 客户 › 客户等级");
  assert.equal(place("/forms/0/fields/2/fields/0/min"), "客户管理 › 客户 › 明细 › 数量");
  assert.equal(place("/forms/0/list/columns/0"), "客户管理 › 客户 › 列表页 › 客户等级");
  assert.equal(place("/forms/0/charts/0/value"), "客户管理 › 客户 › 图表 按等级");
  assert.equal(place("/forms/0/reminders/0/when"), "客户管理 › 客户 › 提醒 1");
  assert.equal(place("/forms/0/workflow/stages/0/approval/steps/0/approvers"),
    "客户管理 › 客户 › 流程 › 阶段 新建 › 审批步骤 总经理审批");
  assert.equal(place("/forms/0/workflow/transitions/0/to"), "客户管理 › 客户 › 流程 › 操作 提交");
  assert.equal(place("/roles/0/title"), "客户管理 › 角色 销售");
  assert.equal(place("/forms/7/fields/0"), "客户管理");  // gone since: the module at least
  assert.equal(problemPlace(sources, "other.json", "/forms/0", t), "other.json");
});

test("a new field's empty settings say what to choose; other problems keep the server's words", () => {
  const friendly = (pointer, message = "\"\" is not valid here: A name used by the engine ...") =>
    friendlyProblem({ file: "crm.json", pointer, message }, sources, meta, t);
  assert.equal(friendly("/forms/0/fields/1/form"), "请选择此字段关联的表单。");
  assert.equal(friendly("/forms/0/fields/3/form"), "请选择要汇总其记录的表单。");
  assert.equal(friendly("/forms/0/fields/3/link"), "请选择关联字段。");
  assert.equal(friendly("/forms/0/fields/3/value"), null);  // count() is set: a real problem keeps its words
  assert.equal(friendly("/forms/0/fields/4/formula"), "请填写公式。");
  assert.equal(friendly("/forms/0/fields/0/name"), null);
  const p = decorate({ file: "crm.json", pointer: "/forms/0/fields/1/form", message: "raw" }, sources, meta, t);
  assert.deepEqual(p, { file: "crm.json", pointer: "/forms/0/fields/1/form", message: "请选择此字段关联的表单。",
    original: "raw", where: "客户管理 › 客户 › 关联记录" });
});

test("the store decorates the problems it is given", () => {
  const s = new Store({ sources, meta, texts: TEXTS });
  s.setProblems([{ file: "crm.json", pointer: "/forms/0/fields/1/form", message: "raw" }]);
  assert.equal(s.problems[0].where, "客户管理 › 客户 › 关联记录");
  assert.equal(s.problems[0].message, "请选择此字段关联的表单。");
});

test("the live check's syntax messages are text keys, rendered in the page's language", () => {
  assert.deepEqual(exprMessage("unbalanced ')'"), { key: "exprmsg.unbalanced", params: { bracket: "')'" }, text: "unbalanced ')'" });
  assert.deepEqual(exprMessage("something new").key, null);
  const found = checkExpression("grade * 2 +", { fields: [{ name: "grade", kind: "integer" }] });
  assert.equal(found.key, "expr.syntax");
  assert.equal(store.text(found.key, found.params), "表达式没有写完（结尾缺少内容）（第 12 个字符处）");
  // a message the page has no text for shows its English
  assert.equal(store.text("expr.syntax", { message: { key: "exprmsg.nope", params: {}, text: "odd" }, at: 1 }), "odd（第 1 个字符处）");
  assert.equal(checkExpression("(grade", { fields: [{ name: "grade", kind: "integer" }] }).params.message.key, "exprmsg.unclosed");
  assert.equal(checkExpression("名称 == 1", { fields: [] }).params.message.key, "exprmsg.character_text");
});

test("sameLabel finds another field with the same label (case and spaces aside), not the field itself", async () => {
  const { sameLabel } = await import("../../../engine/ui/static/js/designer/problem-words.js");
  const fields = [{ name: "source", label: "客户来源" }, { name: "grade", label: "Grade" }, { name: "field_1", label: " 客户来源 " },
    { name: "field_2", label: "grade" }, { name: "x" }, { name: "y", label: "" }];
  assert.equal(sameLabel(fields, fields[2]).name, "source");
  assert.equal(sameLabel(fields, fields[0]).name, "field_1");
  assert.equal(sameLabel(fields, fields[3]).name, "grade");
  assert.equal(sameLabel(fields, fields[4]), null);
  assert.equal(sameLabel(fields, fields[5]), null);
  assert.equal(sameLabel([fields[0]], fields[0]), null);
});
