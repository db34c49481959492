"""The record history: every create, edit, transition, decision and reminder, with who and when,
and the titles people read in it (linked records, forms) instead of raw ids."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine.definitions.model import FormDef
from engine.fieldtypes import type_of
from engine.i18n import resolve_text
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.store.system import history


def write_history(session: Session, form: str, record_id: int, actor: str, action: str,
                  details: dict[str, Any], at: datetime) -> None:
    session.execute(insert(history).values(
        form=form, record_id=record_id, actor=actor, action=action, details=details, at=at))


def read_history(session: Session, form: str, record_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(history).where(history.c.form == form, history.c.record_id == record_id).order_by(history.c.id)
    ).mappings()
    return [dict(row) for row in rows]


def add_titles(ctx: Context, form: FormDef, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Display keys for people (existing keys stay): a changed link gets `old_title` and
    `new_title`, created and deleted values get `titles` {link field: title}, a `created` or
    `via` reference gets `form_title` and `title`; a transition's `title` and a step's
    `step_title` (a send back's `to_title`), stored in both languages when the definition gives
    two, read in the current one. A title is given only for a record the reader may read; None
    means "no access" (the same rule as links on the record itself)."""
    links = {f.name: f.form for f in form.fields if type_of(f).links and f.form}
    wanted: dict[str, set[Any]] = {}
    for entry in entries:
        for change in entry.get("changes") or []:
            if change.get("field") in links:
                wanted.setdefault(links[change["field"]], set()).update(_ids(change.get("old"), change.get("new")))
        for name, value in (entry.get("values") or {}).items():
            if name in links:
                wanted.setdefault(links[name], set()).update(_ids(value))
        for key in ("created", "via"):
            ref = entry.get(key)
            if isinstance(ref, dict) and ref.get("form"):
                wanted.setdefault(ref["form"], set()).update(_ids(ref.get("id")))
    titles: dict[str, dict[int, str]] = {}
    for name, ids in wanted.items():
        target = ctx.app.form(name)
        titles[name] = readable_titles(ctx, target, ids) if target is not None else {}

    def title(form_name: str, value: Any) -> str | None:
        return titles.get(form_name, {}).get(value) if _ids(value) else None

    for entry in entries:
        for key in ("title", "step_title", "to_title"):  # a transition's or step's title, in both languages
            if isinstance(entry.get(key), dict) and "zh-CN" in entry[key]:
                entry[key] = resolve_text(entry[key])
        for change in entry.get("changes") or []:
            if change.get("field") in links:
                linked_form = links[change["field"]]
                change["old_title"] = title(linked_form, change.get("old"))
                change["new_title"] = title(linked_form, change.get("new"))
        values = entry.get("values")
        if isinstance(values, dict):
            entry["titles"] = {n: title(links[n], v) for n, v in values.items() if n in links and v is not None}
        for key in ("created", "via"):
            ref = entry.get(key)
            if isinstance(ref, dict) and ref.get("form"):
                target_form = ctx.app.form(ref["form"])
                entry[key] = {**ref, "form_title": target_form.title if target_form else ref["form"],
                              "title": title(ref["form"], ref.get("id"))}
    return entries


def _ids(*values: Any) -> set[int]:
    """The record ids among these history values (old entries may hold anything)."""
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
