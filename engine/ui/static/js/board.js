// The board (`/f/{form}?view=board`): drag a card to another stage column (pointer events: a mouse
// anywhere on the card, a finger on its grip) to fire the transition from the card's stage to that
// stage (engine/ui/ask.py `.../moves?to=STAGE` lists those the user may fire now; several: the user
// picks one). One that asks for fields or a comment opens the ask dialog (ask.js); a refused move
// snaps the card back and says why. Pure helpers exported for node --test (tests/ui/js/board.test.mjs).
import { answerKind, openAsk, withParams } from "./ask.js";

/** Movement (px) before a press becomes a drag (a shorter one stays a click on the card's link). */
export const DRAG_THRESHOLD = 6;

/** Whether the pointer moved far enough from `start` ({x, y}) to be a drag. */
export function isDrag(start, x, y, threshold = DRAG_THRESHOLD) {
  return Math.abs(x - start.x) > threshold || Math.abs(y - start.y) > threshold;
}

/** The stage of the column under (x, y): `columns` [{stage, left, right, top, bottom}]; null outside. */
export function columnAt(columns, x, y) {
  const hit = columns.find((c) => x >= c.left && x <= c.right && y >= c.top && y <= c.bottom);
  return hit ? hit.stage : null;
}

/** What a drop does, from the card's stage, the column's stage and the `moves` answer:
 *  {kind: "none"} (same column or outside), {kind: "refused", reason}, {kind: "choose", choices},
 *  {kind: "ask", choice} (the ask dialog), {kind: "fire", choice} (post it as it is). */
export function planDrop(fromStage, toStage, answer) {
  if (!toStage || toStage === fromStage) { return {kind: "none"}; }
  const choices = (answer && answer.choices) || [];
  if (!choices.length) { return {kind: "refused", reason: (answer && answer.refused) || ""}; }
  if (choices.length > 1) { return {kind: "choose", choices}; }
  return {kind: choices[0].ask ? "ask" : "fire", choice: choices[0]};
}

/** Column counts after a card moved from `from` to `to` ({stage: n} → a new object). */
export function movedCounts(counts, from, to) {
  const out = Object.assign({}, counts);
  out[from] = Math.max(0, (out[from] || 0) - 1);
  out[to] = (out[to] || 0) + 1;
  return out;
}

// -- the page ---------------------------------------------------------------------------

function text(board, key) { return board.dataset[key] || ""; }

// the page's CSRF token, as app.js (loaded first on every page) reads it
function csrfToken() { return window.EngineUI.csrfToken(); }

function say(board, message, kind) {
  const note = board.parentElement.querySelector("[data-board-message]");
  if (!note) { return; }
  note.textContent = message;
  note.className = "alert py-2 small alert-" + (kind || "warning");
  note.hidden = !message;
}

function columnsOf(board) {
  return Array.from(board.querySelectorAll(".board-column[data-stage]")).map((el) => {
    const r = el.getBoundingClientRect();
    return {stage: el.dataset.stage, left: r.left, right: r.right, top: r.top, bottom: r.bottom, el};
  });
}

/** A column's count: its badge's exact total (`data-count`, the stage's records, not only the cards
 *  shown), else the cards in it; null for a bounded total ("10,000+"), which a move leaves as it is. */
export function columnCount(total, cards) {
  if (total === undefined || total === null) { return cards; }
  if (total === "") { return null; }
  const n = Number(total);
  return Number.isFinite(n) ? n : cards;
}

function counts(board) {
  const out = {};
  board.querySelectorAll(".board-column[data-stage]").forEach((el) => {
    const badge = el.querySelector("[data-count]");
    const total = badge ? badge.getAttribute("data-count") : null;
    const n = columnCount(total, el.querySelectorAll(".board-card").length);
    if (n !== null) { out[el.dataset.stage] = n; }
  });
  return out;
}

function showCounts(board, values) {
  board.querySelectorAll(".board-column[data-stage]").forEach((el) => {
    const badge = el.querySelector("[data-count]");
    if (!badge || badge.getAttribute("data-count") === "" || !(el.dataset.stage in values)) { return; }
    const n = values[el.dataset.stage] || 0;
    badge.setAttribute("data-count", String(n));
    badge.textContent = n.toLocaleString("en-US");
  });
}

function snapBack(card, board, reason) {
  card.classList.add("snapping");
  card.style.transform = "";
  setTimeout(() => card.classList.remove("snapping"), 250);
  card.setAttribute("data-refused", "1");
  say(board, reason || "", "warning");
}

function place(card, board, from, to, body) {
  const column = board.querySelector('.board-column[data-stage="' + to + '"] .board-cards');
  const next = movedCounts(counts(board), from, to);
  card.style.transform = "";
  card.dataset.stage = to;
  card.removeAttribute("data-refused");
  if (body && body.version) { card.dataset.version = body.version; }
  if (column) { column.appendChild(card); }
  showCounts(board, next);
  say(board, (body && body.message) || "", "success");
}

function choose(board, choices) {
  // several transitions lead there: the user picks one in a small dialog (null when cancelled)
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog");
    dialog.className = "ask-dialog";
    dialog.setAttribute("data-testid", "move-choices");
    const title = document.createElement("p");
    title.className = "fw-semibold";
    title.textContent = text(board, "chooseText");
    dialog.appendChild(title);
    const list = document.createElement("div");
    list.className = "d-grid gap-2";
    let picked = null;
    choices.forEach((choice) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-primary";
      button.textContent = choice.title;
      button.dataset.choice = choice.name;
      button.onclick = () => { picked = choice; dialog.close(); };
      list.appendChild(button);
    });
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-link";
    cancel.textContent = text(board, "cancelText");
    cancel.onclick = () => dialog.close();
    list.appendChild(cancel);
    dialog.appendChild(list);
    dialog.onclose = () => { dialog.remove(); resolve(picked); };
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

async function fire(card, choice) {
  const data = new FormData();
  data.append("csrf_token", csrfToken());
  if (card.dataset.version) { data.append("version", card.dataset.version); }
  const response = await fetch(choice.url, {method: "POST", body: data, credentials: "same-origin",
                                             headers: {"X-Ask": "1", "X-CSRFToken": csrfToken()}});
  const kind = answerKind(response.status, response.headers.get("Content-Type"));
  if (kind === "done" || kind === "refused") { return {kind, body: await response.json()}; }
  return {kind: "ask"};  // the server wants to ask after all
}

async function drop(board, card, to) {
  const from = card.dataset.stage;
  const url = withParams(board.dataset.movesUrl.replace("/0/", "/" + card.dataset.recordId + "/"), {to});
  let answer;
  try {
    const response = await fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}});
    answer = response.ok ? await response.json() : {choices: [], refused: text(board, "failedText")};
  } catch (e) {
    answer = {choices: [], refused: text(board, "failedText")};
  }
  let plan = planDrop(from, to, answer);
  if (plan.kind === "none") { snapBack(card, board, ""); return; }
  if (plan.kind === "refused") { snapBack(card, board, plan.reason); return; }
  if (plan.kind === "choose") {
    const picked = await choose(board, plan.choices);
    if (!picked) { snapBack(card, board, ""); return; }
    plan = {kind: picked.ask ? "ask" : "fire", choice: picked};
  }
  const moved = (body) => place(card, board, from, to, body);
  const refused = (message) => snapBack(card, board, message);
  if (plan.kind === "fire") {
    if (plan.choice.confirm && !window.confirm(plan.choice.confirm)) { snapBack(card, board, ""); return; }
    const result = await fire(card, plan.choice);
    if (result.kind === "done") { moved(result.body); return; }
    if (result.kind === "refused") { refused(result.body.message); return; }
  }
  openAsk(plan.choice.url, {onDone: moved, onRefused: refused, onCancel: () => snapBack(card, board, "")});
}

function wire(board) {
  let drag = null;
  let suppressClick = false;
  board.addEventListener("pointerdown", (event) => {
    const card = event.target.closest(".board-card[data-record-id]");
    if (!card || event.button !== 0) { return; }
    if (event.pointerType !== "mouse" && !event.target.closest("[data-grip]")) { return; }  // a finger scrolls
    drag = {card, start: {x: event.clientX, y: event.clientY}, active: false, pointer: event.pointerId};
  });
  window.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    if (!drag.active && !isDrag(drag.start, event.clientX, event.clientY)) { return; }
    if (!drag.active) {
      drag.active = true;
      drag.card.classList.add("dragging");
    }
    event.preventDefault();
    drag.card.style.transform = "translate(" + (event.clientX - drag.start.x) + "px," + (event.clientY - drag.start.y) + "px)";
    const over = columnAt(columnsOf(board), event.clientX, event.clientY);
    board.querySelectorAll(".board-column").forEach((el) => el.classList.toggle("drop-target", el.dataset.stage === over));
  });
  const end = (event) => {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    const current = drag;
    drag = null;
    board.querySelectorAll(".board-column").forEach((el) => el.classList.remove("drop-target"));
    if (!current.active) { return; }
    current.card.classList.remove("dragging");
    suppressClick = true;
    setTimeout(() => { suppressClick = false; }, 0);
    if (event.type === "pointercancel") { snapBack(current.card, board, ""); return; }
    drop(board, current.card, columnAt(columnsOf(board), event.clientX, event.clientY));
  };
  window.addEventListener("pointerup", end);
  window.addEventListener("pointercancel", end);
  board.addEventListener("click", (event) => {  // the click that ends a drag does not open the card
    if (suppressClick && event.target.closest(".board-card")) { event.preventDefault(); suppressClick = false; }
  }, true);
  board.addEventListener("dragstart", (event) => event.preventDefault());  // no native link drag
}

if (typeof document !== "undefined") {
  document.querySelectorAll("[data-board]").forEach(wire);
}
