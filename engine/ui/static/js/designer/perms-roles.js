// perms-roles.js: the roles panel of the 权限 tab — every module's `roles` (name + title): add a
// role to a module, change its title, rename it (with a warning naming where it is used: the rename
// changes those places too; a role of the live set gets `renamed_from`, so publishing moves the users
// who hold it to the new name), remove one nothing uses (publishing refuses while users hold it).

import { h } from "./ui.js";
import { t } from "./perms-dom.js";
import { enOf, txt, withEn, withZh, zhOf } from "./loc.js";
import { addRole, allRoles, liveRoleName, removeRole, renameRole, roleNameProblem, roleUses, setRoleTitle } from "./perms-model.js";

/** state: {renaming: role name | null, error: {where, text} | null, addName, addTitle}; rerender()
 *  redraws the tab. */
export function rolesPanel(store, state, rerender) {
  const sources = store.sources;
  const roles = allRoles(sources).filter((r) => !r.admin);
  const files = store.files();
  const problem = (code) => t(store, `perms.roles.bad_${code}`);

  const rows = roles.map((role) => {
    const uses = roleUses(sources, role.name);
    const liveName = liveRoleName(sources, role.name, store.liveFiles);
    const where = [...new Set(uses.map((u) => u.file))].join(", ");
    const declaredIn = role.declared.map((d) => sources[d.file] && (txt(sources[d.file].title) || d.file)).join(", ");
    const problems = role.declared.flatMap((d) => store.problemsAt(d.file, d.pointer));
    // a localized text (loc.js): the Chinese title, and the English one below it
    const titleValue = role.titleValue === undefined ? role.title : role.titleValue;
    const titleInput = h("input", {
      type: "text", class: "form-control form-control-sm", value: zhOf(titleValue), "data-key": `role.${role.name}.title`,
      "aria-label": t(store, "perms.roles.title_of", { name: role.name }), "data-testid": `role-title-${role.name}`,
      disabled: role.declared.length === 0,
      onchange: (event) => store.change((s) => setRoleTitle(s, role.name, withZh(titleValue, event.target.value.trim())),
        t(store, "perms.label.role_title", { name: role.name })),
    });
    titleInput.defaultValue = zhOf(titleValue);
    const titleEn = h("input", {
      type: "text", class: "form-control form-control-sm mt-1", value: enOf(titleValue), "data-key": `role.${role.name}.title_en`,
      lang: "en", placeholder: t(store, "loc.en_placeholder"), "aria-label": t(store, "loc.en_placeholder"),
      "data-testid": `role-title-${role.name}-en`, disabled: role.declared.length === 0,
      onchange: (event) => store.change((s) => setRoleTitle(s, role.name, withEn(titleValue, event.target.value)),
        t(store, "perms.label.role_title", { name: role.name })),
    });
    titleEn.defaultValue = enOf(titleValue);
    let nameCell = h("code", {}, role.name);
    if (state.renaming === role.name) {
      const input = h("input", { type: "text", class: "form-control form-control-sm", value: role.name,
        "data-key": `role.${role.name}.rename`, "data-testid": "role-rename-input",
        "aria-label": t(store, "perms.roles.new_name") });
      const error = state.error && state.error.where === role.name ? state.error.text : "";
      const confirm = () => {
        const name = input.value.trim();
        const bad = roleNameProblem(sources, name, role.name);
        if (bad) { state.error = { where: role.name, text: problem(bad) }; rerender(); return; }
        state.renaming = null;
        state.error = null;
        if (name !== role.name) {
          store.change((s) => renameRole(s, role.name, name, store.liveFiles),
            t(store, "perms.label.role_rename", { name: role.name, to: name }));
        } else rerender();
      };
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); confirm(); }
        if (event.key === "Escape") { state.renaming = null; state.error = null; rerender(); }
      });
      nameCell = h("div", {},
        input,
        uses.length ? h("div", { class: "alert alert-warning small py-1 px-2 my-1", role: "alert", "data-testid": "role-in-use" },
          t(store, "perms.roles.in_use", { name: role.name, count: uses.length, files: where })) : null,
        liveName !== null ? h("div", { class: "form-text", "data-testid": "role-users-move" },
          t(store, "perms.roles.users_move", { name: liveName })) : null,
        error ? h("div", { class: "text-danger small", role: "alert" }, error) : null,
        h("div", { class: "d-flex gap-1 mt-1" },
          h("button", { type: "button", class: "btn btn-sm btn-primary", "data-testid": "role-rename-ok", onclick: confirm }, t(store, "perms.roles.rename_ok")),
          h("button", { type: "button", class: "btn btn-sm btn-outline-secondary",
            onclick: () => { state.renaming = null; state.error = null; rerender(); } }, t(store, "perms.cancel"))));
      queueMicrotask(() => { if (document.activeElement === document.body) input.focus(); });
    }
    return h("tr", { "data-role": role.name },
      h("td", {}, nameCell,
        liveName !== null && liveName !== role.name && state.renaming !== role.name
          ? h("div", { class: "form-text", "data-testid": `role-renamed-from-${role.name}` }, t(store, "perms.roles.renamed_from", { name: liveName })) : null,
        role.declared.length ? null
        : h("span", { class: "badge text-bg-warning ms-1", title: t(store, "perms.roles.undeclared_help") }, t(store, "perms.roles.undeclared"))),
      h("td", {}, titleInput, titleEn),
      h("td", { class: "small" }, declaredIn || "—"),
      h("td", { class: "small", title: uses.map((u) => `${u.file} ${u.pointer}`).join("\n") },
        uses.length ? t(store, "perms.roles.uses", { count: uses.length }) : t(store, "perms.roles.unused")),
      h("td", { class: "text-nowrap" },
        problems.length ? h("span", { class: "badge text-bg-danger me-1", title: problems.map((p) => p.message).join("\n") }, String(problems.length)) : null,
        state.renaming === role.name ? null : h("button", { type: "button", class: "btn btn-sm btn-outline-secondary me-1",
          "data-testid": `role-rename-${role.name}`, disabled: role.declared.length === 0,
          onclick: () => { state.renaming = role.name; state.error = null; rerender(); } }, t(store, "perms.roles.rename")),
        h("button", { type: "button", class: "btn btn-sm btn-outline-danger", disabled: uses.length > 0 || role.declared.length === 0,
          title: uses.length ? t(store, "perms.roles.remove_in_use") : liveName !== null ? t(store, "perms.roles.remove_held") : "",
          "data-testid": `role-remove-${role.name}`,
          onclick: () => store.change((s) => removeRole(s, role.name), t(store, "perms.label.role_remove", { name: role.name })) },
        t(store, "perms.roles.remove"))));
  });

  // adding a role to one module
  const nameInput = h("input", { type: "text", class: "form-control form-control-sm", placeholder: "service",
    value: state.addName || "", oninput: (event) => { state.addName = event.target.value; }, "data-key": "role.add.name", "data-testid": "role-add-name", "aria-label": t(store, "perms.roles.name"), pattern: "[a-z][a-z0-9_]*" });
  const titleInput = h("input", { type: "text", class: "form-control form-control-sm", placeholder: t(store, "perms.roles.title_example"),
    value: state.addTitle || "", oninput: (event) => { state.addTitle = event.target.value; }, "data-key": "role.add.title", "data-testid": "role-add-title", "aria-label": t(store, "perms.roles.title") });
  const fileSelect = h("select", { class: "form-select form-select-sm", "data-testid": "role-add-module", "aria-label": t(store, "perms.roles.module") },
    files.map((file) => h("option", { value: file }, (sources[file] && txt(sources[file].title)) || file)));
  const add = () => {
    const name = nameInput.value.trim();
    const bad = roleNameProblem(sources, name);
    if (bad) { state.error = { where: "", text: problem(bad) }; rerender(); return; }
    state.error = null;
    state.addName = "";
    state.addTitle = "";
    store.change((s) => { addRole(s[fileSelect.value], name, titleInput.value.trim()); }, t(store, "perms.label.role_add", { name }));
  };
  for (const input of [nameInput, titleInput]) {
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); add(); } });
  }
  const addError = state.error && state.error.where === "" ? state.error.text : "";

  return h("div", { class: "card mb-3 dz-perms-roles", "data-testid": "roles-panel" },
    h("div", { class: "card-header py-1 d-flex align-items-center" },
      h("strong", { class: "me-auto" }, t(store, "perms.roles.heading")),
      h("small", { class: "text-secondary" }, t(store, "perms.roles.admin_note"))),
    h("div", { class: "table-responsive" }, h("table", { class: "table table-sm align-middle mb-0" },
      h("thead", {}, h("tr", {},
        h("th", {}, t(store, "perms.roles.name")), h("th", {}, t(store, "perms.roles.title")),
        h("th", {}, t(store, "perms.roles.module")), h("th", {}, t(store, "perms.roles.used")), h("th", {}, ""))),
      h("tbody", {}, rows,
        h("tr", { class: "dz-perms-role-add" },
          h("td", {}, nameInput, addError ? h("div", { class: "text-danger small", role: "alert", "data-testid": "role-add-error" }, addError) : null),
          h("td", {}, titleInput), h("td", {}, fileSelect), h("td", {}, ""),
          h("td", {}, h("button", { type: "button", class: "btn btn-sm btn-success", "data-testid": "role-add", onclick: add },
            t(store, "perms.roles.add"))))))));
}
