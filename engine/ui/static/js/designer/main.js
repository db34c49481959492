// Boots the designer page: reads the page's JSON blocks, loads the caller's draft (or the
// definitions in use), builds the Store, wires tabs, undo/redo, the save status and the
// problems panel, and mounts every tab module (`mount(element, store)`).
import { Store } from "./store.js";
import { Api } from "./api.js";
import { h, clear } from "./ui.js";
import { setLang } from "./loc.js";

const TABS = {
  form: "./form.js",
  flow: "./flow.js",
  perms: "./perms.js",
  reminders: "./reminders.js",
  prints: "./prints.js",
  json: "./json-editor.js",
  publish: "./publish.js",
};

function block(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

async function initialState(api, live) {
  try {
    const state = await api.state();
    if (state.draft) {
      return { sources: state.draft.sources, baseSignature: state.draft.base_signature,
        problems: state.draft.problems || [], draft: true, state };
    }
    // a copy: the live documents (store.liveFiles) must not change with the edits
    return { sources: JSON.parse(JSON.stringify(state.files)), baseSignature: state.live && state.live.signature,
      problems: [], draft: false, state };
  } catch (error) {
    // no designer API on this server (yet): start from the definitions embedded in the page
    return { sources: JSON.parse(JSON.stringify(live.files)), baseSignature: live.signature, problems: [],
      draft: false, state: null, offline: error };
  }
}

function activate(name) {
  for (const button of document.querySelectorAll("[data-tab-button]")) {
    const on = button.dataset.tabButton === name;
    button.classList.toggle("active", on);
    button.setAttribute("aria-selected", on ? "true" : "false");
    button.tabIndex = on ? 0 : -1;
  }
  for (const section of document.querySelectorAll("section[data-tab]")) {
    section.hidden = section.dataset.tab !== name;
  }
}

function wireTabs(store) {
  const buttons = [...document.querySelectorAll("[data-tab-button]")];
  const show = (name, focus) => {
    activate(name);
    if (focus) { buttons.find((b) => b.dataset.tabButton === name).focus(); }
    store.activeTab = name;
    store.emit("tab", name);
    if (history.replaceState) { history.replaceState(null, "", "#" + name); }
  };
  buttons.forEach((button, i) => {
    button.addEventListener("click", () => show(button.dataset.tabButton));
    button.addEventListener("keydown", (event) => {
      const move = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (move) {
        event.preventDefault();
        show(buttons[(i + move + buttons.length) % buttons.length].dataset.tabButton, true);
      }
    });
  });
  store.on("select", ({ tab }) => { if (tab && tab !== store.activeTab) { show(tab); } });
  const wanted = location.hash.slice(1);
  show(TABS[wanted] ? wanted : "form");
}

function wireToolbar(store) {
  const undo = document.getElementById("designer-undo");
  const redo = document.getElementById("designer-redo");
  const status = document.getElementById("designer-status");
  const refresh = () => {
    undo.disabled = !store.canUndo();
    redo.disabled = !store.canRedo();
    undo.title = store.canUndo() ? store.text("undo_what", { what: store.undoLabel() }) : "";
    redo.title = store.canRedo() ? store.text("redo_what", { what: store.redoLabel() }) : "";
  };
  undo.addEventListener("click", () => store.undo());
  redo.addEventListener("click", () => store.redo());
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || !(event.ctrlKey || event.metaKey) || event.altKey) { return; }
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) { event.preventDefault(); store.undo(); }
    else if (key === "y" || (key === "z" && event.shiftKey)) { event.preventDefault(); store.redo(); }
  });
  let lastError = "";
  // after a failed save: a way to log in again (a new tab keeps this page and its edits) and to retry
  const actions = h("span", { class: "designer-status-actions d-inline-flex gap-2", "data-testid": "designer-status-actions" });
  status.after(actions);
  const showActions = (s) => {
    clear(actions);
    if (s === "login") {
      actions.append(h("a", { class: "btn btn-sm btn-outline-primary", href: "/login?next=" + encodeURIComponent("/admin/designer"),
        target: "_blank", rel: "noopener", "data-testid": "designer-login" }, store.text("session.login")));
    }
    if (s === "conflict") {
      actions.append(h("button", { type: "button", class: "btn btn-sm btn-primary", "data-testid": "designer-reload",
        onclick: () => { store.reloading = true; window.location.reload(); } }, store.text("session.reload")));
    }
    if (s === "login" || s === "error") {
      actions.append(h("button", { type: "button", class: "btn btn-sm btn-primary", "data-testid": "designer-retry",
        onclick: () => store.retry() }, store.text("session.retry")));
    }
  };
  const showStatus = () => {
    const s = store.status;
    status.dataset.state = s;
    if (s === "saving" || s === "pending") { status.textContent = store.text(s === "saving" ? "saving" : "unsaved"); }
    else if (s === "saved") {
      const when = store.updatedAt ? new Date(store.updatedAt) : new Date();
      status.textContent = store.text("saved", { time: isNaN(when) ? "" : when.toLocaleTimeString() });
    } else if (s === "error" || s === "conflict") { status.textContent = store.text("save_failed", { message: lastError }); }
    else if (s === "login") { status.textContent = store.text("session.expired"); }
    else if (s === "offline") { status.textContent = store.text("no_draft_api"); }
    else { status.textContent = store.hasDraft ? store.text("draft_based") : store.text("draft_of_live"); }
    const bad = s === "error" || s === "login" || s === "conflict";
    status.classList.toggle("text-danger", bad);
    status.classList.toggle("text-secondary", !bad);
    showActions(s);
  };
  store.on("change", refresh);
  store.on("status", showStatus);
  store.on("error", ({ error }) => { lastError = error && error.message ? error.message : String(error); showStatus(); });
  refresh();
  showStatus();
}

function wireProblems(store) {
  const panel = document.getElementById("designer-problems");
  const toggle = document.getElementById("designer-problems-toggle");
  const count = document.getElementById("designer-problem-count");
  const render = () => {
    const problems = store.problems;
    count.textContent = String(problems.length);
    toggle.classList.toggle("btn-outline-danger", problems.length > 0);
    toggle.classList.toggle("btn-outline-secondary", problems.length === 0);
    count.classList.toggle("text-bg-danger", problems.length > 0);
    count.classList.toggle("text-bg-secondary", problems.length === 0);
    clear(panel);
    panel.append(h("div", { class: "card-header py-1 small fw-semibold" },
      problems.length ? store.text("problems_count", { count: problems.length }) : store.text("problems_none")));
    if (!problems.length) { return; }
    panel.append(h("ul", { class: "list-group list-group-flush small dz-problems-all" }, problems.map((p) =>
      h("li", { class: "list-group-item p-0" }, h("button", {
        type: "button", class: "btn btn-link text-start w-100 text-danger text-decoration-none dz-problem-link",
        "data-testid": "problem-link", "data-file": p.file, "data-pointer": p.pointer,
        onclick: () => store.select(p.file, p.pointer || ""),
        title: p.file + " " + (p.pointer || store.text("problem_whole_file")),
      }, h("span", { class: "text-secondary me-2", "data-testid": "problem-where" }, p.where || p.file),
      p.message)))));
  };
  toggle.addEventListener("click", () => {
    const open = panel.classList.toggle("d-none") === false;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  store.on("problems", render);
  render();
}

async function mountTabs(store) {
  await Promise.all(Object.entries(TABS).map(async ([name, path]) => {
    const section = document.querySelector(`section[data-tab="${name}"]`);
    if (!section) { return; }
    try {
      const module = await import(path);
      clear(section);
      module.mount(section, store);
    } catch (error) {
      console.error(error);
      clear(section).append(h("div", { class: "alert alert-danger" }, String(error && error.message || error)));
    }
  }));
}

async function boot() {
  const meta = block("designer-meta");
  setLang(meta && meta.lang);  // localized texts of the definitions show in the page's language
  const texts = block("designer-text") || {};
  const live = block("designer-live");
  const api = new Api({ loggedOut: texts["session.expired"] || null });
  const start = await initialState(api, live);
  const store = new Store({ sources: start.sources, meta, texts, api, baseSignature: start.baseSignature,
    problems: start.problems });
  store.hasDraft = start.draft;
  if (start.state) { store.draftUpdatedAt = start.state.draft ? start.state.draft.updated_at : null; }
  store.live = start.state ? start.state.live : { signature: live.signature };
  store.liveFiles = start.state ? start.state.files : live.files;
  if (start.offline) { store.status = "offline"; }
  window.designerStore = store;  // for the browser tests and the console
  wireToolbar(store);
  wireProblems(store);
  wireTabs(store);
  store.on("saved", () => { store.hasDraft = true; });
  // leaving the page (reload, link, closing the tab) while edits are not in the saved draft asks first
  window.addEventListener("beforeunload", (event) => {
    if (!store.hasUnsavedEdits() || store.reloading) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
  await mountTabs(store);
  document.getElementById("designer").dataset.ready = "true";
  store.emit("ready", store);
  if (!start.draft && start.state) {
    // no draft yet: check the definitions in use once so problems show from the start
    store.check().then((problems) => store.setProblems(problems)).catch(() => null);
  }
}

boot();
