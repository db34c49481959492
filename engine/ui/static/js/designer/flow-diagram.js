/* flow-diagram.js: the flow diagram as SVG: stages as nodes, transitions and approval outcomes as
 * arrows (placed by flow-layout.js), with pan and zoom (mouse wheel, drag on the background,
 * pinch and drag on touch, buttons, + / - / 0 and arrow keys), selection by click, tap, Enter or
 * Space (Tab goes through the stages, then the arrows), and "drag from a stage's handle to
 * another stage" to connect them.
 *
 *   const d = createDiagram(host, {text, onSelect(sel), onConnect(from, to)})
 *   d.update({graph, layout, selected, problems: {node: id -> [P], edge: id -> [P]}, fit})
 *   d.zoomBy(factor), d.fit(), d.element (the <svg>)
 * sel is {kind: "stage", name} | {kind: "transition", index} | {kind: "outcome", name, which}.
 */
import { edgePath } from "./flow-layout.js";

const NS = "http://www.w3.org/2000/svg";
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 2.5;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key === "class") el.setAttribute("class", value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/* Cuts a text to fit about `units` Latin characters (CJK count double). */
export function ellipsis(text, units) {
  let used = 0;
  let out = "";
  for (const ch of String(text || "")) {
    used += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
    if (used > units) return out + "…";
    out += ch;
  }
  return out;
}

export function sameSelection(a, b) {
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.kind === "transition") return a.index === b.index;
  if (a.kind === "outcome") return a.name === b.name && a.which === b.which;
  return a.name === b.name;
}

export function createDiagram(host, {text, onSelect, onConnect}) {
  const t = text;
  const view = {x: 0, y: 0, k: 1};
  let current = null;  // last update's arguments
  const pointers = new Map();
  let gesture = null;

  const defs = s("defs", {},
    ["transition", "approved", "rejected", "selected"].map((kind) => s("marker", {
      id: `dz-flow-arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: "auto-start-reverse", class: `dz-flow-arrow dz-flow-arrow-${kind}`,
    }, s("path", {d: "M0,0L10,5L0,10z"}))));
  const edgeLayer = s("g", {class: "dz-flow-edges"});
  const nodeLayer = s("g", {class: "dz-flow-nodes"});
  const labelLayer = s("g", {class: "dz-flow-labels"});
  const dragLine = s("path", {class: "dz-flow-dragline", d: "", "pointer-events": "none"});
  const viewport = s("g", {class: "dz-flow-viewport"}, edgeLayer, nodeLayer, labelLayer, dragLine);
  const svg = s("svg", {
    class: "dz-flow-svg", role: "group", tabindex: 0, "data-testid": "flow-diagram",
    "aria-label": t("flow.diagram_label"), "aria-roledescription": t("flow.diagram_role"),
  }, defs, s("rect", {class: "dz-flow-bg", x: -100000, y: -100000, width: 200000, height: 200000}), viewport);
  host.append(svg);

  const apply = () => viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`);

  const size = () => {
    const r = svg.getBoundingClientRect();
    return {w: r.width || 800, h: r.height || 480};
  };

  function zoomAt(factor, cx, cy) {
    touched();
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.k * factor));
    const f = k / view.k;
    view.x = cx - (cx - view.x) * f;
    view.y = cy - (cy - view.y) * f;
    view.k = k;
    apply();
  }

  function zoomBy(factor) {
    const {w, h} = size();
    zoomAt(factor, w / 2, h / 2);
  }

  let pendingFit = false;
  let autoFit = true;  // until the person pans or zooms, a resize fits the drawing again
  /* Shows the whole drawing when it fits at a readable size (at least 70 %), else the start of it
   * (top left) at that size: the rest is a pan away. */
  function fit() {
    if (!current) return;
    const r = svg.getBoundingClientRect();
    if (!r.width || !r.height) {  // hidden (another tab is shown): fit once it is shown
      pendingFit = true;
      return;
    }
    pendingFit = false;
    autoFit = true;
    const {w, h} = size();
    const lw = Math.max(current.layout.width, 1);
    const lh = Math.max(current.layout.height, 1);
    view.k = Math.min(1.1, Math.max(0.7, Math.min(w / lw, h / lh)));
    view.x = lw * view.k <= w ? (w - lw * view.k) / 2 : 0;
    view.y = lh * view.k <= h ? (h - lh * view.k) / 2 : 0;
    apply();
  }

  /* The scale at which the whole drawing would fit (to choose a direction). */
  function fitScale(layout) {
    const {w, h} = size();
    return Math.min(w / Math.max(layout.width, 1), h / Math.max(layout.height, 1));
  }

  /* Pans so that a node or label (diagram coordinates) is in view. */
  function reveal(x, y, margin = 60) {
    const {w, h} = size();
    const sx = view.x + x * view.k;
    const sy = view.y + y * view.k;
    if (sx < margin) view.x += margin - sx;
    else if (sx > w - margin) view.x -= sx - (w - margin);
    if (sy < margin) view.y += margin - sy;
    else if (sy > h - margin) view.y -= sy - (h - margin);
    apply();
  }

  function toDiagram(clientX, clientY) {
    const r = svg.getBoundingClientRect();
    return {x: (clientX - r.left - view.x) / view.k, y: (clientY - r.top - view.y) / view.k};
  }

  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(() => { if (pendingFit || autoFit) fit(); }).observe(svg);
  }
  const touched = () => { autoFit = false; };

  // -- gestures ---------------------------------------------------------------------------
  const capture = (event) => {
    try {
      svg.setPointerCapture(event.pointerId);
    } catch {
      /* a pointer the browser no longer tracks: the gesture works without capture */
    }
  };
  svg.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest && event.target.closest("[data-handle]");
    if (handle) {
      event.preventDefault();
      event.stopPropagation();
      capture(event);
      gesture = {kind: "connect", from: handle.dataset.handle, pointer: event.pointerId, x: event.clientX, y: event.clientY,
        moved: false};
      return;
    }
    if (event.target.closest && event.target.closest("[data-node],[data-edge]")) return;  // click selects
    capture(event);
    pointers.set(event.pointerId, {x: event.clientX, y: event.clientY});
    touched();
    if (pointers.size === 1) gesture = {kind: "pan", x: event.clientX, y: event.clientY, vx: view.x, vy: view.y};
    else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      gesture = {kind: "pinch", d: Math.hypot(a.x - b.x, a.y - b.y), k: view.k};
    }
  });

  svg.addEventListener("pointermove", (event) => {
    if (!gesture) return;
    if (gesture.kind === "connect" && event.pointerId === gesture.pointer) {
      const from = current && current.layout.nodes[gesture.from];
      if (!from) return;
      if (Math.hypot(event.clientX - gesture.x, event.clientY - gesture.y) > 6) gesture.moved = true;
      const p = toDiagram(event.clientX, event.clientY);
      dragLine.setAttribute("d", `M${from.x},${from.y}L${p.x},${p.y}`);
      const over = document.elementFromPoint(event.clientX, event.clientY);
      const node = over && over.closest && over.closest("[data-node]");
      for (const el of nodeLayer.querySelectorAll(".dz-flow-drop")) el.classList.remove("dz-flow-drop");
      if (node && node.dataset.node !== "*") node.classList.add("dz-flow-drop");
      return;
    }
    if (!pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, {x: event.clientX, y: event.clientY});
    if (gesture.kind === "pan" && pointers.size === 1) {
      view.x = gesture.vx + event.clientX - gesture.x;
      view.y = gesture.vy + event.clientY - gesture.y;
      apply();
    } else if (gesture.kind === "pinch" && pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      const r = svg.getBoundingClientRect();
      zoomAt((gesture.k * d / gesture.d) / view.k, (a.x + b.x) / 2 - r.left, (a.y + b.y) / 2 - r.top);
    }
  });

  const end = (event) => {
    if (gesture && gesture.kind === "connect" && event.pointerId === gesture.pointer) {
      dragLine.setAttribute("d", "");
      for (const el of nodeLayer.querySelectorAll(".dz-flow-drop")) el.classList.remove("dz-flow-drop");
      const over = event.type === "pointerup" ? document.elementFromPoint(event.clientX, event.clientY) : null;
      const node = over && over.closest && over.closest("[data-node]");
      const {from, moved} = gesture;
      gesture = null;
      if (!moved) {  // a tap on the handle selects its stage
        onSelect({kind: "stage", name: from});
        return;
      }
      if (node && node.dataset.node !== "*" && node.dataset.node !== from && !node.classList.contains("dz-flow-missing")) {
        onConnect(from, node.dataset.node);
      }
      return;
    }
    pointers.delete(event.pointerId);
    if (pointers.size === 0) gesture = null;
    else if (pointers.size === 1) {
      const [p] = [...pointers.values()];
      gesture = {kind: "pan", x: p.x, y: p.y, vx: view.x, vy: view.y};
    }
  };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);

  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    const r = svg.getBoundingClientRect();
    if (event.ctrlKey || event.metaKey) zoomAt(Math.exp(-event.deltaY / 300), event.clientX - r.left, event.clientY - r.top);
    else {
      touched();
      view.x -= event.deltaX;
      view.y -= event.deltaY;
      apply();
    }
  }, {passive: false});

  svg.addEventListener("keydown", (event) => {
    const item = event.target.closest && event.target.closest("[data-node],[data-edge]");
    if (item && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      item.dispatchEvent(new MouseEvent("click", {bubbles: true}));
      return;
    }
    if (event.key === "Escape") {
      onSelect(null);
      return;
    }
    const pan = {ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40]}[event.key];
    if (pan && event.target === svg) {
      event.preventDefault();
      touched();
      view.x += pan[0];
      view.y += pan[1];
      apply();
    } else if (event.key === "+" || event.key === "=") {
      event.preventDefault();
      zoomBy(1.2);
    } else if (event.key === "-") {
      event.preventDefault();
      zoomBy(1 / 1.2);
    } else if (event.key === "0") {
      event.preventDefault();
      fit();
    }
  });

  svg.addEventListener("focusin", (event) => {
    const item = event.target.closest && event.target.closest("[data-x]");
    if (item) reveal(Number(item.dataset.x), Number(item.dataset.y));
  });

  // -- drawing ----------------------------------------------------------------------------
  function badge(x, y, problems) {
    if (!problems || !problems.length) return null;
    const messages = problems.map((p) => p.message).join("\n");
    return s("g", {class: "dz-flow-badge", "data-testid": "flow-problem-badge", transform: `translate(${x},${y})`},
      s("title", {text: messages}),
      s("circle", {r: 10}),
      s("text", {"text-anchor": "middle", dy: "0.35em", text: String(problems.length)}));
  }

  function drawNode(node, box, selected, problems, direction) {
    const w = box.width;
    const h = box.height;
    const classes = ["dz-flow-node"];
    if (node.initial) classes.push("dz-flow-initial");
    if (node.final) classes.push("dz-flow-final");
    if (node.approval) classes.push("dz-flow-approval");
    if (node.any) classes.push("dz-flow-any");
    if (node.missing) classes.push("dz-flow-missing");
    if (selected) classes.push("dz-flow-selected");
    if (problems && problems.length) classes.push("dz-has-problem");
    const marks = [];
    if (node.initial) marks.push(t("flow.mark_initial"));
    if (node.final) marks.push(t("flow.mark_final"));
    if (node.approval) marks.push(t("flow.mark_approval", {count: node.steps}));
    if (node.due) marks.push(t("flow.mark_due"));
    if (node.missing) marks.push(t("flow.mark_missing"));
    const title = node.any ? t("flow.any_stage") : node.title;
    const label = [title, node.any ? "" : node.id, ...marks].filter(Boolean).join(" · ");
    const g = s("g", {
      class: classes.join(" "), transform: `translate(${box.x - w / 2},${box.y - h / 2})`,
      "data-node": node.id, "data-testid": `flow-node-${node.id}`, "data-x": box.x, "data-y": box.y,
      tabindex: node.any || node.missing ? null : 0, role: node.any || node.missing ? null : "button",
      "aria-pressed": node.any || node.missing ? null : String(!!selected), "aria-label": label,
      onclick: () => { if (!node.any && !node.missing) onSelect({kind: "stage", name: node.id}); },
    },
    s("title", {text: label}),
    node.final ? s("rect", {class: "dz-flow-node-outer", x: -4, y: -4, width: w + 8, height: h + 8, rx: 14}) : null,
    s("rect", {class: "dz-flow-node-box", width: w, height: h, rx: node.any ? h / 2 : 10}));
    if (node.any || node.missing) {
      g.append(s("text", {class: "dz-flow-node-title", x: w / 2, y: h / 2, dy: "0.35em", "text-anchor": "middle",
        text: ellipsis(node.any ? t("flow.any_stage") : `? ${node.id}`, 14)}));
      return g;
    }
    if (node.color) g.append(s("rect", {class: "dz-flow-node-color", x: 3, y: 8, width: 4, height: h - 16, rx: 2, fill: node.color}));
    if (node.initial) g.append(s("circle", {class: "dz-flow-start-dot", cx: 0, cy: h / 2, r: 6}));
    g.append(s("text", {class: "dz-flow-node-title", x: 12, y: 22, text: ellipsis(node.title, 18)}));
    const sub = [];
    if (node.approval) sub.push(`✔ ${t("flow.mark_approval", {count: node.steps})}`);
    if (node.due) sub.push(t("flow.mark_due_in", {due: node.dueText || ""}));
    if (node.initial && !node.approval) sub.push(t("flow.mark_initial"));
    if (node.final) sub.push(t("flow.mark_final"));
    g.append(s("text", {class: "dz-flow-node-sub", x: 12, y: 44, text: ellipsis(sub.join("  ") || node.id, 24)}));
    const b = badge(w - 2, 2, problems);
    if (b) g.append(b);
    if (!node.final) {
      const hx = direction === "TB" ? w / 2 : w;
      const hy = direction === "TB" ? h : h / 2;
      g.append(s("g", {class: "dz-flow-handle", "data-handle": node.id, "data-testid": `flow-handle-${node.id}`,
        transform: `translate(${hx},${hy})`},
      s("title", {text: t("flow.handle_hint")}),
      s("circle", {class: "dz-flow-handle-hit", r: 22}),
      s("circle", {class: "dz-flow-handle-dot", r: 7})));
    }
    return g;
  }

  function edgeSelection(edge) {
    return edge.kind === "transition" ? {kind: "transition", index: edge.index}
      : {kind: "outcome", name: edge.from, which: edge.kind};
  }

  function drawEdge(edge, route, selected, problems) {
    const kind = selected ? "selected" : edge.kind;
    const classes = ["dz-flow-edge", `dz-flow-edge-${edge.kind}`];
    if (selected) classes.push("dz-flow-selected");
    if (problems && problems.length) classes.push("dz-has-problem");
    const d = edgePath(route.points);
    const select = () => onSelect(edgeSelection(edge));
    edgeLayer.append(s("g", {class: classes.join(" "), "data-edge-path": edge.id, onclick: select},
      s("path", {class: "dz-flow-edge-hit", d}),
      s("path", {class: "dz-flow-edge-line", d, "marker-end": `url(#dz-flow-arrow-${kind})`})));
    const text = edge.label || (edge.kind === "transition" ? edge.title : t(`flow.outcome_${edge.kind}`));
    const w = Math.max(28, Math.min(180, edge.labelWidth || 60));
    const fromTitle = current.titles[edge.from] || edge.from;
    const toTitle = current.titles[edge.to] || edge.to;
    const aria = edge.kind === "transition"
      ? t("flow.edge_label", {title: text, from: fromTitle, to: toTitle})
      : t("flow.outcome_label", {outcome: text, from: fromTitle, to: toTitle});
    const g = s("g", {
      class: classes.join(" ") + " dz-flow-edge-label", "data-edge": edge.id, "data-testid": `flow-edge-${edge.id}`,
      "data-x": route.label.x, "data-y": route.label.y, tabindex: 0, role: "button",
      "aria-pressed": String(!!selected), "aria-label": aria,
      transform: `translate(${route.label.x},${route.label.y})`, onclick: select,
    },
    s("title", {text: aria}),
    s("rect", {x: -w / 2, y: -11, width: w, height: 22, rx: 11}),
    s("text", {"text-anchor": "middle", dy: "0.35em", text: ellipsis(text, 24)}));
    const b = badge(w / 2, -10, problems);
    if (b) g.append(b);
    labelLayer.append(g);
  }

  function update(args) {
    const first = !current;
    current = args;
    const {graph, layout, selected, problems = {node: {}, edge: {}}, direction = "LR"} = args;
    current.titles = Object.fromEntries(graph.nodes.map((n) => [n.id, n.any ? t("flow.any_stage") : n.title]));
    const focused = document.activeElement && svg.contains(document.activeElement) && document.activeElement !== svg
      ? (document.activeElement.getAttribute("data-node") !== null ? `[data-node="${CSS.escape(document.activeElement.getAttribute("data-node"))}"]`
        : document.activeElement.getAttribute("data-edge") !== null ? `[data-edge="${CSS.escape(document.activeElement.getAttribute("data-edge"))}"]` : null)
      : null;
    edgeLayer.replaceChildren();
    nodeLayer.replaceChildren();
    labelLayer.replaceChildren();
    for (const edge of graph.edges) {
      const route = layout.edges[edge.id];
      if (!route) continue;
      drawEdge(edge, route, sameSelection(edgeSelection(edge), selected), problems.edge[edge.id]);
    }
    for (const node of graph.nodes) {
      const box = layout.nodes[node.id];
      if (!box) continue;
      nodeLayer.append(drawNode(node, box, selected && selected.kind === "stage" && selected.name === node.id,
        problems.node[node.id], direction));
    }
    if (focused) {
      const again = svg.querySelector(focused);
      if (again) again.focus({preventScroll: true});
    }
    if (first || args.fit) requestAnimationFrame(fit);
  }

  const visible = () => {
    const r = svg.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  return {element: svg, update, zoomBy, fit, fitScale, reveal, visible, view};
}
