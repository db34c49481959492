"""Writing notifications: in the transaction of the action that causes them, so they exist
exactly when the action happened (and vanish with it when it rolls back).

Each row is one event for one person, stored as `kind` + `params` (rendered when read,
rendering.py). Its id is the event id every channel carries: the in-app inbox shows it,
and email and webhook deliveries are planned from it by the scheduler pass (delivery.py)
and carry the same id on every try, so a receiver can recognise a repeat.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from engine.records.context import Context
from engine.records.summaries import reads_by_roles, stored_summary
from engine.store.system import notifications

BUFFER = "notify_buffer"


def notify(ctx: Context, people: Iterable[str], kind: str, params: dict[str, Any], form: str | None = None,
           record_id: int | None = None) -> int:
    """One notification per person (de-duplicated); returns how many."""
    names = sorted(set(p for p in people if p))
    if not names:
        return 0
    summaries = _summaries(ctx, names, form, record_id)
    rows = [{"user_name": name, "kind": kind,
             "params": {**params, "summary": summaries[name]} if summaries.get(name) else params,
             "form": form, "record_id": record_id, "created_at": ctx.now} for name in names]
    buffer = ctx._cache.get(BUFFER)
    if buffer is not None:  # a scheduler batch: written together at its end, same transaction
        buffer.extend(rows)
        return len(names)
    ctx.session.execute(insert(notifications), rows)
    return len(names)


def _summaries(ctx: Context, names: list[str], form_name: str | None, record_id: int | None) -> dict[str, list]:
    """Each recipient's summary of the record (`stored_summary`: only the fields they may see
    in it, row rules and hide sets included, in every language). Made once per set of roles
    for recipients whose roles alone decide what they read (`reads_by_roles`), else per person."""
    form = ctx.app.form(form_name) if form_name else None
    if form is None or record_id is None or not form.summary_fields:
        return {}
    from .rendering import readers

    people = readers(ctx, names)
    made: dict[Any, list] = {}
    out: dict[str, list] = {}
    for name in names:
        person = people.get(name)
        if person is None:
            continue
        key = (person.roles, person.active) if reads_by_roles(ctx, form, person) else name
        if key not in made:
            made[key] = stored_summary(ctx, form, record_id, person)
        out[name] = made[key]
    return out


def buffered(ctx: Context) -> list:
    """From now on `notify` collects rows in the returned list until `flush`."""
    return ctx._cache.setdefault(BUFFER, [])


def flush(ctx: Context) -> None:
    """Write what a batch buffered (see `buffered`)."""
    buffer = ctx._cache.get(BUFFER)
    if buffer:
        ctx.session.execute(insert(notifications), buffer)
        buffer.clear()
