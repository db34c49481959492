"""Notifications: written in the transaction of the action that causes them (so they exist
exactly when the action happened), shown in the reader's language, delivered by email and
webhook later by the scheduler pass (engine.scheduler.delivery), never in the request."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, insert, select, update

from engine.errors import NotFound
from engine.i18n import N_, _, catalogue
from engine.records.context import Context
from engine.store.system import notifications

#: kind → message (English msgid, translated when shown). `message` is config text, shown as written.
TEXTS = {
    "task": N_("Approval needed: %(title)s (%(step)s)"),
    "handed_on": N_("Handed on to you: %(title)s (%(step)s)"),
    "cc": N_("For your information: %(title)s (%(step)s)"),
    "approved": N_("Approved: %(title)s"),
    "rejected": N_("Rejected: %(title)s (%(comment)s)"),
    "sent_back": N_("Sent back: %(title)s (%(comment)s)"),
    "due_soon": N_("Due soon: %(title)s, %(stage)s by %(due)s"),
    "overdue": N_("Overdue: %(title)s, %(stage)s was due %(due)s"),
    "escalation": N_("Overdue, please follow up: %(title)s, %(stage)s was due %(due)s"),
    "reminder": "%(message)s",
}

BUFFER = "notify_buffer"
DEFAULT_LOCALE = "zh_CN"


def notify(ctx: Context, people: Iterable[str], kind: str, params: dict[str, Any], form: str | None = None,
           record_id: int | None = None) -> int:
    """One notification per person (de-duplicated); returns how many."""
    names = sorted(set(p for p in people if p))
    if not names:
        return 0
    rows = [{"user_name": name, "kind": kind, "params": params, "form": form, "record_id": record_id,
             "created_at": ctx.now} for name in names]
    buffer = ctx._cache.get(BUFFER)
    if buffer is not None:  # a scheduler batch: written together at its end, same transaction
        buffer.extend(rows)
        return len(names)
    ctx.session.execute(insert(notifications), rows)
    return len(names)


def flush(ctx: Context) -> None:
    """Write what a batch buffered (see `buffered`)."""
    buffer = ctx._cache.get(BUFFER)
    if buffer:
        ctx.session.execute(insert(notifications), buffer)
        buffer.clear()


def buffered(ctx: Context) -> list:
    """From now on `notify` collects rows in the returned list until `flush`."""
    return ctx._cache.setdefault(BUFFER, [])




def render(kind: str, params: dict[str, Any], translate: Callable[..., str] | None = None,
           locale: str = DEFAULT_LOCALE) -> str:
    """The notification's text: through `translate` (a request's `_`), else the catalogue of `locale`."""
    if kind == "reminder" or kind not in TEXTS:
        return str(params.get("message") or kind)
    text = TEXTS[kind]
    safe = {k: ("" if v is None else v) for k, v in params.items() if k != "message"}
    try:
        if translate is not None:
            return translate(text) % safe
        return catalogue(locale).gettext(text) % safe
    except (KeyError, ValueError, TypeError):
        return f"{kind}: {params}"


def encode(ctx: Context, row: Any) -> dict[str, Any]:
    form = ctx.app.form(row["form"]) if row["form"] else None
    return {
        "id": row["id"], "kind": row["kind"], "text": render(row["kind"], dict(row["params"] or {}), _),
        "form": row["form"], "form_title": form.title if form else row["form"], "record_id": row["record_id"],
        "created_at": row["created_at"].astimezone(ctx.tzinfo).isoformat(),
        "read": row["read_at"] is not None,
    }


def list_notifications(ctx: Context, unread_only: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    stmt = select(notifications).where(notifications.c.user_name == ctx.user.name)
    if unread_only:
        stmt = stmt.where(notifications.c.read_at.is_(None))
    rows = ctx.session.execute(stmt.order_by(notifications.c.id.desc()).limit(limit)).mappings()
    return [encode(ctx, row) for row in rows]


def count_unread(ctx: Context) -> int:
    return int(ctx.session.execute(select(func.count()).select_from(notifications).where(
        notifications.c.user_name == ctx.user.name, notifications.c.read_at.is_(None))).scalar_one())


def mark_read(ctx: Context, notification_id: int) -> dict[str, Any]:
    row = ctx.session.execute(select(notifications).where(
        notifications.c.id == notification_id, notifications.c.user_name == ctx.user.name)).mappings().first()
    if row is None:
        raise NotFound(f"no notification {notification_id}")
    if row["read_at"] is None:
        ctx.session.execute(update(notifications).where(notifications.c.id == notification_id)
                            .values(read_at=ctx.now))
    return encode(ctx, {**row, "read_at": row["read_at"] or ctx.now})


def mark_all_read(ctx: Context) -> int:
    done = ctx.session.execute(update(notifications).where(
        notifications.c.user_name == ctx.user.name, notifications.c.read_at.is_(None)).values(read_at=ctx.now))
    return int(done.rowcount or 0)
