// The tables a transition's create may copy into a line-item table (create-model.js): the source's own
// tables first, then the tables of the records its links point at ("link.table"), with their labels.
import { test } from "node:test";
import assert from "node:assert/strict";

import { tableSources } from "../../../engine/ui/static/js/designer/create-model.js";
import { setLang } from "../../../engine/ui/static/js/designer/loc.js";

test("own tables, then a linked record's tables; other links and fields are not offered", () => {
  setLang("zh_CN");
  const source = { name: "deal", fields: [
    { name: "title", type: "text", label: "标题" },
    { name: "lines", type: "table", label: { "zh-CN": "明细", en: "Lines" }, fields: [] },
    { name: "offer", type: "link", label: "报价", form: "offer" },
    { name: "account", type: "link", label: "客户", form: "account" },
    { name: "total", type: "rollup", form: "offer", link: "deal", value: "count()" }] };
  const forms = [
    { name: "offer", title: "报价", fields: [{ name: "items", label: "报价明细", columns: [{ name: "qty" }] }, { name: "no", label: "编号", columns: null }] },
    { name: "account", title: "客户", fields: [{ name: "name", label: "名称", columns: null }] }];
  assert.deepEqual(tableSources(source, forms), [
    { value: "lines", label: "明细 (lines)" },
    { value: "offer.items", label: "报价 › 报价明细 (offer.items)" }]);
  assert.deepEqual(tableSources({ fields: [] }, forms), []);
});
