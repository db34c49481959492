"""One definition set this database has applied (`engine_definition_versions`), for admins; the
publications (who, when, note) are in engine.services.designer."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.errors import Forbidden, NotFound
from engine.records.context import Context
from engine.store.system import definition_versions


def _admins_only(ctx: Context) -> None:
    if not ctx.user.is_admin:
        raise Forbidden("admins only")


def version(ctx: Context, version_id: int) -> Any:
    """One applied version with its files (`sources`: file name → text or parsed JSON)."""
    _admins_only(ctx)
    row = ctx.session.execute(select(definition_versions).where(
        definition_versions.c.id == version_id)).mappings().first()
    if row is None:
        raise NotFound(f"no definition version {version_id}")
    return row
