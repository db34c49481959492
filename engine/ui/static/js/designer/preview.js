// preview.js: what the designer needs to open the preview page (/admin/designer/preview/FORM) of the draft.
import { txt } from "./loc.js";

/** Every role declared in the definitions (first module first), as {name, title}; no duplicates. */
export function previewRoles(sources) {
  const seen = new Map();
  for (const doc of Object.values(sources || {})) {
    for (const role of (doc && Array.isArray(doc.roles)) ? doc.roles : []) {
      if (role && typeof role.name === "string" && !seen.has(role.name)) {
        seen.set(role.name, { name: role.name, title: txt(role.title) || role.name });
      }
    }
  }
  return [...seen.values()];
}

/** The views a form can be previewed in: the board only when it has a workflow. */
export function previewViews(form) {
  const views = ["form", "list", "detail"];
  return form && form.workflow && typeof form.workflow === "object" ? [...views, "board"] : views;
}

/** The preview page's address for a form, a role and a view ("form", "list", "detail" or "board";
 * anything else is "form"). */
export function previewUrl(form, role, view) {
  const known = ["list", "detail", "board"].includes(view) ? view : "form";
  const query = new URLSearchParams({ role: role || "", view: known });
  return "/admin/designer/preview/" + encodeURIComponent(form) + "?" + query.toString();
}
