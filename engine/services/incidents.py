"""Problems the engine met at run time that an admin must see and settle: an approval step
that found no approver, later a notification that could not be delivered. Each is kept
until an admin marks it resolved."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from engine.errors import BadRequest, Forbidden, NotFound
from engine.records.context import Context
from engine.store.system import incidents


def _admin(ctx: Context) -> None:
    if not ctx.user.is_admin:
        raise Forbidden("admins only")


def encode(ctx: Context, row: Any) -> dict[str, Any]:
    form = ctx.app.form(row["form"]) if row["form"] else None
    return {
        "id": row["id"], "kind": row["kind"], "form": row["form"], "record_id": row["record_id"],
        "form_title": form.title if form else row["form"], "message": row["message"],
        "created_at": row["created_at"].astimezone(ctx.tzinfo).isoformat(),
        "resolved_at": row["resolved_at"].astimezone(ctx.tzinfo).isoformat() if row["resolved_at"] else None,
    }


def list_incidents(ctx: Context, status: str = "open", limit: int = 200) -> list[dict[str, Any]]:
    _admin(ctx)
    stmt = select(incidents).order_by(incidents.c.id.desc()).limit(limit)
    if status == "open":
        stmt = stmt.where(incidents.c.resolved_at.is_(None))
    elif status != "all":
        raise BadRequest("status must be open or all")
    return [encode(ctx, row) for row in ctx.session.execute(stmt).mappings()]


def count_open(ctx: Context) -> int:
    if not ctx.user.is_admin:
        return 0
    return int(ctx.session.execute(select(func.count()).select_from(incidents)
                                   .where(incidents.c.resolved_at.is_(None))).scalar_one())


def resolve(ctx: Context, incident_id: int) -> dict[str, Any]:
    _admin(ctx)
    row = ctx.session.execute(select(incidents).where(incidents.c.id == incident_id)
                              .with_for_update()).mappings().first()
    if row is None:
        raise NotFound(f"no incident {incident_id}")
    if row["resolved_at"] is None:
        ctx.session.execute(update(incidents).where(incidents.c.id == incident_id).values(resolved_at=ctx.now))
    fresh = ctx.session.execute(select(incidents).where(incidents.c.id == incident_id)).mappings().one()
    return encode(ctx, fresh)
