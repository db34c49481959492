// node --test tests/ui/js: the dashboard's drill-down target of a click (engine/ui/static/js/charts.js).
import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { drillHref } = require("../../../engine/ui/static/js/charts.js");

test("a group's click opens that group's list", () => {
  const chart = { hrefs: ["/f/deal?chart=0&stage=new", null, "/f/deal?chart=0&stage=won"] };
  assert.equal(drillHref(chart, 0), "/f/deal?chart=0&stage=new");
  assert.equal(drillHref(chart, 2), "/f/deal?chart=0&stage=won");
});

test("the empty group and clicks outside the groups open nothing", () => {
  const chart = { hrefs: ["/f/deal?chart=0&stage=new", null] };
  assert.equal(drillHref(chart, 1), null);
  assert.equal(drillHref(chart, 5), null);
  assert.equal(drillHref(chart, undefined), null);
  assert.equal(drillHref(chart, -1), null);
});

test("a figure opens its list; a chart without links opens nothing", () => {
  assert.equal(drillHref({ href: "/f/deal?chart=1" }), "/f/deal?chart=1");
  assert.equal(drillHref({ labels: ["a"] }, 0), null);
  assert.equal(drillHref(null, 0), null);
});
