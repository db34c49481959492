// node --test tests/ui/js: the dashboard charts' layout on a phone and a desktop (engine/ui/static/js/charts.js).
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { option } = require("../../../engine/ui/static/js/charts.js");

const funnel = { type: "funnel", labels: ["线索", "商机", "报价", "成交"], values: [1394440, 50000, 1200, 30] };
const stages = { type: "bar", labels: ["新建", "待审批", "财务审核", "已发货", "已完成"], values: [3, 4, 5, 6, 7] };

test("a funnel on a phone puts name and figure inside the steps, which take the card's width", () => {
  const series = option(funnel, 300).series[0];
  assert.equal(series.label.position, "inside");
  assert.equal(series.width, "96%");
  assert.equal(series.label.formatter({ name: "线索", value: 1394440 }), "线索\n" + (1394440).toLocaleString());
  const wide = option(funnel, 700).series[0];
  assert.equal(wide.label.position, "right");
  assert.equal(wide.width, "58%");
});

test("axis labels on a phone are slanted, thinned where they would overlap and cut when long", () => {
  const axis = option(stages, 300).xAxis.axisLabel;
  assert.equal(axis.rotate, 45);
  assert.equal(axis.hideOverlap, true);
  assert.equal(axis.interval, "auto");
  assert.equal(axis.overflow, "truncate");
  const desk = option(stages, 700).xAxis.axisLabel;
  assert.equal(desk.rotate, 0);
  assert.equal(desk.interval, 0);
});

test("without a width the desktop layout is used", () => {
  assert.equal(option(funnel).series[0].label.position, "right");
});
