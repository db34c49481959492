"""What an admin reads before publishing a definition change, in their language.

`review(db, live_app, draft_app)`: the readable change list (engine.definitions.diff), the
unified diff of the files, and the schema plan's effect on the stored data with counts
("adds column 备注 to 表单", "renames 电话 → 手机 (1,234 values kept)", "refused:
removing stage 处理中 while 12 records are in it"). `diff_versions(old, new)`: the change
list and diff of two versions. Texts are in the current request's language; outside a
request in the product's default (zh-CN) unless `engine.i18n.speaking` chose one.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from engine.definitions.diff import render, summarize, text_diff, texts, type_term
from engine.definitions.model import AppDef, FieldDef, FormDef
from engine.i18n import LOCALES, N_, _, speaking
from engine.store.db import Database
from engine.store.sync import Effect, SyncPlan, plan_sync

#: What each kind of effect says (see engine.store.sync.EFFECT_KINDS).
EFFECT_MESSAGES = {
    "create_form": N_("creates the table of the new form %(form)s"),
    "create_table": N_("%(form)s: creates the table of the line items %(field)s"),
    "add_column": N_("adds column %(field)s (%(type)s) to %(form)s"),
    "rename_form": N_("renames form %(old)s → %(form)s (%(count)s records kept)"),
    "rename_field": N_("%(form)s: renames %(old)s → %(field)s (%(count)s values kept)"),
    "rename_stage": N_("%(form)s: renames stage %(old)s → %(stage)s (%(count)s records in it keep their place)"),
    "rename_role": N_("renames role %(old)s → %(role)s (%(count)s users moved)"),
    "change_type_empty": N_("%(form)s: changes the type of %(field)s from %(old_type)s to %(new_type)s "
                            "(it holds no values)"),
    "unique_index": N_("%(form)s: %(field)s must be unique from now on (%(count)s values checked, no duplicates)"),
    "removed_field_kept": N_("%(form)s: field %(field)s leaves the form; its %(count)s stored values are kept "
                             "(nothing is deleted)"),
    "field_returns": N_("%(form)s: field %(field)s comes back with its %(count)s stored values (kept in the "
                        "database since the field was removed)"),
    "stage_backfill": N_("%(form)s: puts %(count)s records without a stage into %(stage)s"),
    "refuse_foreign_column": N_("refused: %(form)s already has a column %(field)s with %(count)s values the "
                                "engine did not create; give the field another name"),
    "refuse_type_change": N_("refused: changing the type of %(form)s %(field)s from %(old_type)s to "
                             "%(new_type)s would rewrite %(count)s stored values; add a new field instead"),
    "refuse_duplicates": N_("refused: %(form)s %(field)s cannot be made unique, %(count)s values occur more "
                            "than once"),
    "refuse_stage_removal": N_("refused: removing stage %(stage)s of %(form)s while %(count)s records are in it "
                               "(rename it, or move the records first)"),
    "refuse_form_removal": N_("refused: removing form %(form)s while it has %(count)s records (to rename it, "
                              "name the old form in the new one's \"renamed from\")"),
    "refuse_role_removal": N_("refused: removing role %(role)s while %(count)s users hold it (rename it, so that "
                              "they move with it, or give them other roles first)"),
}


@contextmanager
def reader_language() -> Iterator[None]:
    """The request's language inside a request (or the one `speaking` chose); else zh-CN."""
    from engine.i18n import _OUTSIDE

    flask = sys.modules.get("flask")
    in_request = flask is not None and flask.has_request_context()
    with nullcontext() if in_request or _OUTSIDE.get() is not None else speaking(LOCALES[0]):
        yield


class _Names:
    """Labels and titles for the names an effect carries: the draft's first, then the live set's
    (a removed stage or field is only in the live one)."""

    def __init__(self, live: AppDef | None, draft: AppDef) -> None:
        self.apps = [a for a in (draft, live) if a is not None]

    def forms(self, name: str) -> list[FormDef]:
        return [f for app in self.apps if (f := app.form(name)) is not None]

    def form(self, name: str) -> str:
        found = self.forms(name)
        return found[0].title if found else name

    def field(self, form: str, name: str, table: str | None = None, old: bool = False) -> str:
        forms = self.forms(form)
        for fdef in forms[::-1] if old else forms:
            holder: Any = fdef
            prefix = ""
            if table:
                holder = fdef.field(table)
                if holder is None:
                    continue
                prefix = f"{holder.label} › "
            found: FieldDef | None = holder.subfield(name) if table else holder.field(name)
            if found is not None:
                return prefix + found.label
        return f"{table} › {name}" if table else name

    def role(self, name: str, old: bool = False) -> str:
        for app in self.apps[::-1] if old else self.apps:
            if (role := app.roles.get(name)) is not None:
                return role.title
        return name

    def stage(self, form: str, name: str, old: bool = False) -> str:
        forms = self.forms(form)
        for fdef in forms[::-1] if old else forms:
            stage = fdef.workflow.stage(name) if fdef.workflow else None
            if stage is not None:
                return stage.title
        return name


def effect_text(effect: Effect, names: _Names) -> str:
    """One effect as a sentence in the current language, with labels."""
    p = dict(effect.params)
    form, table = p.get("form", ""), p.get("table")
    params: dict[str, Any] = {"count": f"{int(p.get('count') or 0):,}"}
    if effect.kind == "rename_form":
        params.update(form=names.form(form), old=p.get("old"))
        old_forms = names.forms(p.get("old") or "")
        if old_forms:
            params["old"] = old_forms[-1].title
    else:
        params["form"] = names.form(form)
    if "field" in p:
        params["field"] = names.field(form, p["field"], table, old=effect.kind == "removed_field_kept")
    if effect.kind == "rename_field":
        params["old"] = names.field(form, p["old"], table, old=True)
        if params["old"] == params["field"]:
            params["old"] = p["old"]
    if "stage" in p:
        params["stage"] = names.stage(form, p["stage"], old=effect.kind == "refuse_stage_removal")
    if effect.kind == "rename_stage":
        params["old"] = names.stage(form, p["old"], old=True)
    if "role" in p:
        params["role"] = names.role(p["role"], old=effect.kind == "refuse_role_removal")
    if effect.kind == "rename_role":
        params["old"] = names.role(p["old"], old=True)
        if params["old"] == params["role"]:  # the same title: the names tell them apart
            params.update(old=f"{params['old']} ({p['old']})", role=f"{params['role']} ({p['role']})")
    for key in ("type", "old_type", "new_type"):
        if key in p:
            params[key] = render(type_term(p[key]))
    message = EFFECT_MESSAGES.get(effect.kind)
    if message is None:
        return f"{effect.kind}: {p}"
    return _(message, **params)


def _removed_now(effect: Effect, live: AppDef | None) -> bool:
    """A field kept in the database that the live set still shows: this change removes it (fields
    removed by earlier versions are not news)."""
    if effect.kind != "removed_field_kept" or live is None:
        return effect.kind != "removed_field_kept"
    form = live.form(effect.params["form"])
    if form is None:
        return False
    table = effect.params.get("table")
    if not table:
        return form.field(effect.params["field"]) is not None
    holder = form.field(table)
    return holder is not None and holder.subfield(effect.params["field"]) is not None


def plan_texts(plan: SyncPlan, live_app: AppDef | None, draft_app: AppDef) -> dict[str, list[str]]:
    """{"changes": [...], "refusals": [...]}: the plan's effects on data as sentences."""
    names = _Names(live_app, draft_app)
    with reader_language():
        changes = [effect_text(e, names) for e in plan.effects if not e.refused and _removed_now(e, live_app)]
        refusals = [effect_text(e, names) for e in plan.effects if e.refused]
    return {"changes": changes, "refusals": refusals}


def diff_versions(old_app: AppDef | None, new_app: AppDef) -> dict[str, Any]:
    """{"summary": [readable change], "diff": {file: unified diff}} from `old_app` to `new_app`."""
    with reader_language():
        summary = texts(summarize(old_app, new_app))
    return {"summary": summary, "diff": text_diff(old_app.texts if old_app else {}, new_app.texts)}


def review(db: Database, live_app: AppDef | None, draft_app: AppDef) -> dict[str, Any]:
    """What publishing `draft_app` over `live_app` would change: {"summary", "diff", "plan":
    {"changes", "refusals"}}. Reads the database (counts) and changes nothing."""
    plan = plan_sync(db, draft_app)
    return {**diff_versions(live_app, draft_app), "plan": plan_texts(plan, live_app, draft_app)}
