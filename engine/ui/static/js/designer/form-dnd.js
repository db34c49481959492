// Drag and drop with pointer events (mouse, pen and touch alike): no HTML5 drag events, which
// touch browsers do not send.
//
//   const dnd = new Dragger({onDrop(payload, {container, index}), canDrop(payload, container)})
//   dnd.source(el, () => payload, {handle: null|selector, touchHandle: selector})
//       makes el draggable; with touchHandle, a touch drag starts only on that part (the rest
//       of el still scrolls the page)
//   drop containers: elements with data-drop="<container id>" and data-drop-axis="y|x|grid";
//       their direct items carry data-drop-item and data-index (and data-wide for a full-width
//       item of a grid)
//   dropIndex(container, x, y) -> the index a drop at (x, y) inserts at (exported for tests)

const THRESHOLD = 6;

function itemsOf(container) {
  return [...container.children].filter((el) => el.hasAttribute("data-drop-item"));
}

function before(el, axis, x, y) {
  const r = el.getBoundingClientRect();
  const cx = r.left + r.width / 2;
  const cy = r.top + r.height / 2;
  if (axis === "x") { return x < cx; }
  if (axis === "y" || el.hasAttribute("data-wide")) { return y < cy; }
  if (y < r.top) { return true; }
  if (y <= r.bottom) { return x < cx; }
  return false;
}

export function dropIndex(container, x, y) {
  const axis = container.dataset.dropAxis || "y";
  const items = itemsOf(container);
  for (const item of items) {
    if (before(item, axis, x, y)) { return Number(item.dataset.index); }
  }
  return items.length ? Number(items[items.length - 1].dataset.index) + 1 : 0;
}

export class Dragger {
  constructor({ onDrop, canDrop = () => true, ghostClass = "dz-ghost" } = {}) {
    this.onDrop = onDrop;
    this.canDrop = canDrop;
    this.ghostClass = ghostClass;
    this.state = null;
    this.indicator = null;
    this.swallowClick = false;
    document.addEventListener("click", (event) => {
      if (this.swallowClick) { event.stopPropagation(); event.preventDefault(); this.swallowClick = false; }
    }, true);
  }

  busy() {
    return Boolean(this.state && this.state.dragging);
  }

  source(el, payload, { touchHandle = null } = {}) {
    el.classList.add("dz-drag-source");
    el.addEventListener("pointerdown", (event) => {
      if (event.dzTaken) { return; }  // an inner source (a table's column) has it
      if (event.pointerType === "mouse" && event.button !== 0) { return; }
      if (event.target.closest("input, textarea, select, [data-no-drag]")) { return; }
      if (event.pointerType !== "mouse" && touchHandle && !event.target.closest(touchHandle)) { return; }
      event.dzTaken = true;
      this.begin(event, el, payload);
    });
  }

  begin(event, el, payload) {
    this.state = { el, payload, startX: event.clientX, startY: event.clientY, id: event.pointerId, dragging: false,
      target: null };
    // listen on the window: a click that never becomes a drag keeps its own target
    const move = (e) => { if (this.state && e.pointerId === this.state.id) { this.move(e); } };
    const up = (e) => {
      if (!this.state || e.pointerId !== this.state.id) { return; }
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
      this.end(e, e.type === "pointercancel");
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
  }

  move(event) {
    const s = this.state;
    if (!s.dragging) {
      if (Math.hypot(event.clientX - s.startX, event.clientY - s.startY) < THRESHOLD) { return; }
      s.dragging = true;
      try { s.el.setPointerCapture(s.id); } catch (e) { /* not capturable */ }
      s.data = s.payload();
      s.ghost = document.createElement("div");
      s.ghost.className = this.ghostClass;
      s.ghost.textContent = s.data.label || "";
      document.body.append(s.ghost);
      document.body.classList.add("dz-dragging");
      s.el.classList.add("dz-drag-origin");
      this.indicator = document.createElement("div");
      this.indicator.className = "dz-drop-indicator";
      this.indicator.setAttribute("data-testid", "drop-indicator");
      document.body.append(this.indicator);
      this.scroller = setInterval(() => this.autoscroll(), 30);
    }
    event.preventDefault();
    s.x = event.clientX;
    s.y = event.clientY;
    s.ghost.style.left = (s.x + 12) + "px";
    s.ghost.style.top = (s.y + 12) + "px";
    this.locate();
  }

  locate() {
    const s = this.state;
    const under = document.elementFromPoint(s.x, s.y);
    let container = under ? under.closest("[data-drop]") : null;
    while (container && !this.canDrop(s.data, container.dataset.drop)) {
      container = container.parentElement ? container.parentElement.closest("[data-drop]") : null;
    }
    document.querySelectorAll(".dz-drop-active").forEach((el) => el.classList.remove("dz-drop-active"));
    if (!container) { s.target = null; this.indicator.hidden = true; return; }
    container.classList.add("dz-drop-active");
    const index = dropIndex(container, s.x, s.y);
    s.target = { container: container.dataset.drop, index, element: container };
    this.showIndicator(container, index);
  }

  showIndicator(container, index) {
    const axis = container.dataset.dropAxis || "y";
    const items = itemsOf(container);
    const at = items.find((el) => Number(el.dataset.index) === index);
    const ref = at || items[items.length - 1];
    const box = (ref || container).getBoundingClientRect();
    const style = this.indicator.style;
    this.indicator.hidden = false;
    const vertical = axis === "x" || (axis === "grid" && ref && !ref.hasAttribute("data-wide"));
    if (vertical) {
      const left = at ? box.left - 3 : box.right + 1;
      Object.assign(style, { left: left + "px", top: box.top + "px", width: "3px", height: box.height + "px" });
    } else {
      const top = !ref ? box.top + 4 : at ? box.top - 3 : box.bottom + 1;
      Object.assign(style, { left: box.left + "px", top: top + "px", width: box.width + "px", height: "3px" });
    }
  }

  autoscroll() {
    const s = this.state;
    if (!s || !s.dragging) { return; }
    const edge = 60;
    let dy = 0;
    if (s.y < edge) { dy = -12; } else if (s.y > window.innerHeight - edge) { dy = 12; }
    if (dy) { window.scrollBy({ top: dy, behavior: "instant" }); this.locate(); }
  }

  end(event, cancelled) {
    const s = this.state;
    this.state = null;
    if (!s || !s.dragging) { return; }
    clearInterval(this.scroller);
    s.ghost.remove();
    this.indicator.remove();
    this.indicator = null;
    s.el.classList.remove("dz-drag-origin");
    document.body.classList.remove("dz-dragging");
    document.querySelectorAll(".dz-drop-active").forEach((el) => el.classList.remove("dz-drop-active"));
    this.swallowClick = true;
    setTimeout(() => { this.swallowClick = false; }, 0);
    if (!cancelled && s.target) { this.onDrop(s.data, s.target); }
  }
}
