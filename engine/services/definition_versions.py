"""The definition sets this database has applied (`engine_definition_versions`), for admins."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.errors import Forbidden, NotFound
from engine.records.context import Context
from engine.store.system import definition_versions


def _admins_only(ctx: Context) -> None:
    if not ctx.user.is_admin:
        raise Forbidden("admins only")


def recent_versions(ctx: Context, limit: int = 20) -> list[Any]:
    """The last `limit` versions applied, newest first: id, signature, applied_at."""
    _admins_only(ctx)
    return list(ctx.session.execute(
        select(definition_versions.c.id, definition_versions.c.signature, definition_versions.c.applied_at)
        .order_by(definition_versions.c.id.desc()).limit(limit)).all())


def version(ctx: Context, version_id: int) -> Any:
    """One applied version with its files (`sources`: file name → text or parsed JSON)."""
    _admins_only(ctx)
    row = ctx.session.execute(select(definition_versions).where(
        definition_versions.c.id == version_id)).mappings().first()
    if row is None:
        raise NotFound(f"no definition version {version_id}")
    return row
