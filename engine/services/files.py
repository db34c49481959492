"""Uploaded files: stored in the database (so every app process and host sees them),
attached to a record field when a record takes them.

Lifecycle: an upload is the uploader's alone until a record's file field (or a file column
of a table field, stored under `field.column`) takes it. A file a record no longer names
(replaced, cleared, its row removed) is deleted with the save, and a deleted record's files
go with it. Uploads never attached are deleted by the scheduler pass once they are older than
ENGINE_UPLOAD_GRACE_HOURS, and one user may hold at most ENGINE_UPLOAD_QUOTA bytes (and
MAX_UNATTACHED files) of them at a time.
"""
from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update

from engine.access.visibility import file_readable
from engine.definitions.model import FormDef
from engine.errors import Conflict, NotFound, PayloadTooLarge
from engine.i18n import _
from engine.records.context import Context
from engine.sizes import human_size
from engine.store.db import Database, rowcount
from engine.store.system import files, users

#: Unattached uploads one user may hold at a time, whatever their size.
MAX_UNATTACHED = 1000
#: Rows one clean-up transaction deletes (a pass runs as many as it needs).
PURGE_BATCH = 200


def safe_name(filename: str | None) -> str:
    """The last path component only: a name like ../../x is stored as x."""
    return (filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"


def store_upload(ctx: Context, filename: str | None, data: bytes, limit: int, quota: int | None = None) -> dict:
    if len(data) > limit:
        raise PayloadTooLarge(_("file is larger than %(size)s", size=human_size(limit)))
    if quota is not None:
        _check_quota(ctx, len(data), quota)
    name = safe_name(filename)
    file_id = ctx.session.execute(insert(files).values(
        name=name, size=len(data), content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=ctx.user.name, uploaded_at=ctx.now,
    ).returning(files.c.id)).scalar_one()
    return {"id": file_id, "name": name, "size": len(data), "url": f"/api/files/{file_id}"}


def readable_file(ctx: Context, file_id: int) -> Any:
    """A stored file (name, data...) the user may download, as the gate decides; 404 otherwise,
    so whether a file exists is not given away."""
    row = ctx.session.execute(select(files).where(files.c.id == file_id)).first()
    if row is None or not file_readable(ctx.gate, ctx.session, ctx.user, row, ctx.local_now):
        raise NotFound("no such file")
    return row


def _check_quota(ctx: Context, size: int, quota: int) -> None:
    """The user's unattached uploads stay within the quota. The user's row is locked so two
    uploads at once cannot both slip under it (SQLite writers are serialised anyway)."""
    ctx.session.execute(select(users.c.name).where(users.c.name == ctx.user.name).with_for_update())
    count, used = ctx.session.execute(
        select(func.count(), func.coalesce(func.sum(files.c.size), 0))
        .where(files.c.uploaded_by == ctx.user.name, files.c.record_id.is_(None))).one()
    if count >= MAX_UNATTACHED:
        raise PayloadTooLarge(_("you have %(n)s uploaded files not attached to any record; attach them or "
                                "wait until they are cleaned up", n=count))
    if int(used) + size > quota:
        raise PayloadTooLarge(_("uploads not attached to a record may take at most %(quota)s per user "
                                "(%(used)s in use); attach them to records or wait until they are cleaned up",
                                quota=human_size(quota), used=human_size(int(used))))


def _named_files(form: FormDef, values: Mapping[str, Any], changed: set[str]) -> dict[str, set[int]]:
    """Stored field key → ids of the files the record's changed file fields (and file columns of
    changed table fields) name."""
    named: dict[str, set[int]] = {}
    for field in form.fields:
        if field.name not in changed:
            continue
        if field.field_type.holds_file:
            value = values.get(field.name)
            named[field.name] = {value["id"]} if value else set()
        elif field.is_table:
            rows = values.get(field.name) or []
            for sub in field.fields:
                if sub.field_type.holds_file:
                    named[f"{field.name}.{sub.name}"] = {row[sub.name]["id"] for row in rows
                                                         if isinstance(row, dict) and row.get(sub.name)}
    return named


def attach_files(ctx: Context, form: FormDef, record_id: int, values: Mapping[str, Any], changed: set[str],
                 *, created: bool = False) -> None:
    """The record takes the files its file fields name; the files those fields no longer name
    are deleted (`created`: a record just created has none to delete). An upload that
    disappeared since it was checked (cleaned up meanwhile) is a conflict, so a record never
    points at a missing file."""
    for key, ids in _named_files(form, values, changed).items():
        mine = and_(files.c.form == form.name, files.c.record_id == record_id)
        if not created:
            ctx.session.execute(files.delete().where(mine, files.c.field == key, files.c.id.not_in(ids)))
        if not ids:
            continue
        taken = rowcount(ctx.session.execute(
            update(files).where(files.c.id.in_(ids), or_(files.c.record_id.is_(None), mine))
            .values(form=form.name, record_id=record_id, field=key)))
        if taken != len(ids):
            raise Conflict(_("an uploaded file is no longer available; upload it again"), code="file_gone")


def purge_unattached(db: Database, now: datetime, grace_hours: float) -> int:
    """Delete uploads no record took within the grace period; returns how many. Short
    transactions, each re-checking the condition, so several passes at once (and a record
    taking a file at that moment) are safe: a file is either attached or deleted, never both."""
    cutoff = now - timedelta(hours=grace_hours)
    stale = and_(files.c.record_id.is_(None), files.c.uploaded_at < cutoff)
    deleted = 0
    while True:
        with db.transaction() as session:
            ids = session.execute(select(files.c.id).where(stale).order_by(files.c.id)
                                  .limit(PURGE_BATCH)).scalars().all()
            if not ids:
                return deleted
            deleted += rowcount(session.execute(files.delete().where(files.c.id.in_(ids), stale)))
