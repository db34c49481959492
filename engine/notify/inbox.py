"""The in-app inbox: the signed-in user's notifications, read and marked as read, each
rendered in the language of the request that reads it."""
from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update

from engine.errors import BadRequest, NotFound
from engine.i18n import _
from engine.records.context import Context
from engine.records.summaries import summary_in
from engine.store.system import notifications

from .rendering import render


def encode(ctx: Context, row: Any) -> dict[str, Any]:
    form = ctx.app.form(row["form"]) if row["form"] else None
    params = dict(row["params"] or {})
    summary = summary_in(params.pop("summary", None))
    return {
        "id": row["id"], "kind": row["kind"], "text": render(row["kind"], params, _), "summary": summary,
        "form": row["form"], "form_title": form.title if form else row["form"], "record_id": row["record_id"],
        "created_at": row["created_at"].astimezone(ctx.tzinfo).isoformat(),
        "read": row["read_at"] is not None,
    }


def unread_param(value: str | None) -> bool:
    """The `unread` filter of the notification list (API and page): 1 / 0 (true / false, yes / no
    too); anything else: 400 saying so."""
    if value in (None, "", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise BadRequest(_("unread must be 1 or 0"))


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
    done = cast(CursorResult, ctx.session.execute(update(notifications).where(
        notifications.c.user_name == ctx.user.name, notifications.c.read_at.is_(None)).values(read_at=ctx.now)))
    return int(done.rowcount or 0)
