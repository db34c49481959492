// The flow diagram's layout (flow-layout.js over the vendored dagre) and the diagram's pure helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as M from "../../../engine/ui/static/js/designer/flow-model.js";
import { edgePath, labelWidth, layoutGraph, textUnits } from "../../../engine/ui/static/js/designer/flow-layout.js";
import { ellipsis, sameSelection } from "../../../engine/ui/static/js/designer/flow-diagram.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const load = (rel) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), "utf8"));

function overlap(a, b) {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
}

for (const [rel, name] of [["configs/order_followup.json", "sales_order"], ["configs/order_followup.json", "after_sales"],
  ["configs/crm.json", "opportunity"], ["tests/configs/flow/flow.json", "request"]]) {
  for (const direction of ["LR", "TB"]) {
    test(`layout ${name} ${direction}: every stage placed apart, every arrow routed`, () => {
      const form = load(rel).forms.find((f) => f.name === name);
      const graph = M.workflowGraph(form);
      const layout = layoutGraph(graph, { direction });
      const boxes = graph.nodes.map((n) => layout.nodes[n.id]);
      assert.ok(boxes.every(Boolean));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlap(boxes[i], boxes[j]), `${graph.nodes[i].id} / ${graph.nodes[j].id}`);
        assert.ok(boxes[i].x - boxes[i].width / 2 >= 0 && boxes[i].x + boxes[i].width / 2 <= layout.width + 0.5);
        assert.ok(boxes[i].y - boxes[i].height / 2 >= 0 && boxes[i].y + boxes[i].height / 2 <= layout.height + 0.5);
      }
      for (const edge of graph.edges) {
        const route = layout.edges[edge.id];
        assert.ok(route && route.points.length >= 2, edge.id);
        assert.ok(Number.isFinite(route.label.x) && Number.isFinite(route.label.y));
        assert.match(edgePath(route.points), /^M[-\d.]+,[-\d.]+[LC]/);
      }
      // the initial stage comes first in the direction of the flow
      const first = layout.nodes[form.workflow.initial];
      const key = direction === "LR" ? "x" : "y";
      assert.ok(boxes.every((b) => b[key] >= first[key] - 0.5));
    });
  }
}

test("edge paths: a line for two points, a smooth curve ending at the last point", () => {
  assert.equal(edgePath([]), "");
  assert.equal(edgePath([{ x: 0, y: 0 }, { x: 10, y: 5 }]), "M0,0L10,5");
  const d = edgePath([{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 0 }]);
  assert.match(d, /^M0,0L1\.7,1\.7C.* 20,0$/);
});

test("label widths count CJK characters double and stay within bounds", () => {
  assert.ok(textUnits("审批") > textUnits("ab"));
  assert.ok(labelWidth("取消订单") > labelWidth("ok"));
  assert.equal(labelWidth("x".repeat(200)), 180);
  assert.equal(ellipsis("订单评审流程很长的名字", 8), "订单评审…");
  assert.equal(ellipsis("short", 8), "short");
});

test("selections compare by kind and identity", () => {
  assert.ok(sameSelection({ kind: "stage", name: "a" }, { kind: "stage", name: "a" }));
  assert.ok(!sameSelection({ kind: "stage", name: "a" }, { kind: "transition", index: 0 }));
  assert.ok(sameSelection({ kind: "transition", index: 2 }, { kind: "transition", index: 2 }));
  assert.ok(!sameSelection({ kind: "outcome", name: "r", which: "approved" }, { kind: "outcome", name: "r", which: "rejected" }));
  assert.ok(!sameSelection(null, { kind: "stage", name: "a" }));
});

test("every workflow of every shipped and test config (bad ones too) is drawn without an error", () => {
  const files = (dir) => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".json") ? [path.join(dir, e.name)] : []);
  let drawn = 0;
  for (const rel of [...files("configs"), ...files("tests/configs")]) {
    let doc;
    try { doc = load(rel); } catch { continue; }
    for (const form of doc && Array.isArray(doc.forms) ? doc.forms : []) {
      if (!form || !form.workflow) continue;
      const graph = M.workflowGraph(form);
      for (const direction of ["LR", "TB"]) {
        const layout = layoutGraph(graph, { direction });
        assert.ok(graph.nodes.every((n) => layout.nodes[n.id]), rel);
        assert.ok(graph.edges.every((e) => layout.edges[e.id] && layout.edges[e.id].points.length >= 2), rel);
      }
      drawn += 1;
    }
  }
  assert.ok(drawn >= 25);
});
