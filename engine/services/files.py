"""Uploaded files: stored in the database (so every app process and host sees them),
attached to a record field when a record takes them."""
from __future__ import annotations

import hashlib
import mimetypes

from sqlalchemy import insert

from engine.errors import PayloadTooLarge
from engine.i18n import _
from engine.records.context import Context
from engine.store.system import files


def safe_name(filename: str | None) -> str:
    """The last path component only: a name like ../../x is stored as x."""
    return (filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"


def store_upload(ctx: Context, filename: str | None, data: bytes, limit: int) -> dict:
    if len(data) > limit:
        raise PayloadTooLarge(_("file is larger than %(n)s bytes", n=limit))
    name = safe_name(filename)
    file_id = ctx.session.execute(insert(files).values(
        name=name, size=len(data), content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=ctx.user.name, uploaded_at=ctx.now,
    ).returning(files.c.id)).scalar_one()
    return {"id": file_id, "name": name, "size": len(data), "url": f"/api/files/{file_id}"}
