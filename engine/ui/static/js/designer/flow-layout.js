/* flow-layout.js: places the flow graph (flow-model.js workflowGraph) with the vendored dagre
 * layout and turns the routed edges into SVG paths. No DOM.
 *
 *   layoutGraph(graph, {direction: "LR"|"TB", nodeWidth, nodeHeight, labelWidth})
 *     -> {nodes: {id: {x, y, width, height}}, edges: {id: {points, label: {x, y}}}, width, height}
 *        (x, y are centres; the drawing starts at 0,0 and is width x height)
 *   edgePath(points) -> SVG path text through the points (a smooth B-spline)
 *   labelWidth(text) -> a width for a label of that text (CJK characters count double)
 */
import dagre from "../../vendor/dagre/dagre.esm.js";

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 60;

/* Display width of a text in units of an average Latin character. */
export function textUnits(text) {
  let units = 0;
  for (const ch of String(text || "")) units += /[\u1100-\uffff]/.test(ch) ? 2 : 1.1;
  return units;
}

export function labelWidth(text, charWidth = 6.5) {
  return Math.min(180, Math.max(24, Math.round(textUnits(text) * charWidth) + 16));
}

export function layoutGraph(graph, {direction = "LR", nodeWidth = NODE_WIDTH, nodeHeight = NODE_HEIGHT} = {}) {
  const g = new dagre.graphlib.Graph({multigraph: true});
  g.setGraph({rankdir: direction, nodesep: 36, ranksep: 72, edgesep: 18, marginx: 24, marginy: 24});
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    const small = node.any || node.missing;
    g.setNode(node.id, {width: small ? Math.round(nodeWidth * 0.6) : nodeWidth, height: small ? 40 : nodeHeight});
  }
  for (const edge of graph.edges) {
    // outcomes of an approval and transitions back (rejections, reopen) should not pull the
    // main line apart: they get less weight than the forward transitions
    const back = edge.kind === "rejected";
    g.setEdge(edge.from, edge.to, {
      width: labelWidth(edge.label || edge.title), height: 22, labelpos: "c",
      weight: back ? 1 : 2, minlen: 1,
    }, edge.id);
  }
  dagre.layout(g);
  const nodes = {};
  for (const id of g.nodes()) {
    const n = g.node(id);
    nodes[id] = {x: n.x, y: n.y, width: n.width, height: n.height};
  }
  const edges = {};
  for (const e of g.edges()) {
    const d = g.edge(e);
    edges[e.name] = {points: (d.points || []).map((p) => ({x: p.x, y: p.y})),
      label: {x: d.x, y: d.y}};
  }
  const info = g.graph();
  return {nodes, edges, width: Math.ceil(info.width || 0), height: Math.ceil(info.height || 0)};
}

const round = (v) => Math.round(v * 10) / 10;

/* A uniform cubic B-spline through the points' hull, pinned at both ends (like d3.curveBasis). */
export function edgePath(points) {
  if (!points || points.length === 0) return "";
  const p = points;
  if (p.length === 1) return `M${round(p[0].x)},${round(p[0].y)}`;
  if (p.length === 2) return `M${round(p[0].x)},${round(p[0].y)}L${round(p[1].x)},${round(p[1].y)}`;
  let d = `M${round(p[0].x)},${round(p[0].y)}`;
  d += `L${round((5 * p[0].x + p[1].x) / 6)},${round((5 * p[0].y + p[1].y) / 6)}`;
  for (let i = 1; i < p.length - 1; i++) {
    const a = p[i - 1], b = p[i], c = p[i + 1];
    d += `C${round((2 * a.x + b.x) / 3)},${round((2 * a.y + b.y) / 3)} ` +
      `${round((a.x + 2 * b.x) / 3)},${round((a.y + 2 * b.y) / 3)} ` +
      `${round((a.x + 4 * b.x + c.x) / 6)},${round((a.y + 4 * b.y + c.y) / 6)}`;
  }
  const a = p[p.length - 2], b = p[p.length - 1];
  d += `C${round((2 * a.x + b.x) / 3)},${round((2 * a.y + b.y) / 3)} ` +
    `${round((a.x + 2 * b.x) / 3)},${round((a.y + 2 * b.y) / 3)} ${round(b.x)},${round(b.y)}`;
  return d;
}
