"""Uploads (POST /api/files, multipart field `file`) and permission-checked downloads."""
from __future__ import annotations

import hashlib
import mimetypes

from flask import Response, request
from sqlalchemy import insert, select

from engine.errors import BadRequest, NotFound, PayloadTooLarge
from engine.services.records import load_readable, readable_form
from engine.store.system import files
from engine.web import engine_state, use_case

from . import bp


@bp.post("/files")
def upload_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("send the file as multipart form data in the field 'file'")
    data = upload.read()
    limit = engine_state().settings["ENGINE_MAX_UPLOAD"]
    if len(data) > limit:
        raise PayloadTooLarge(f"file is larger than {limit} bytes")
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with use_case(write=True) as ctx:
        file_id = ctx.session.execute(insert(files).values(
            name=name, size=len(data), content_type=content_type, sha256=hashlib.sha256(data).hexdigest(),
            data=data, uploaded_by=ctx.user.name, uploaded_at=ctx.now).returning(files.c.id)).scalar_one()
    return {"id": file_id, "name": name, "size": len(data), "url": f"/api/files/{file_id}"}, 201


@bp.get("/files/<int:file_id>")
def download_file(file_id: int):
    with use_case() as ctx:
        row = ctx.session.execute(select(files).where(files.c.id == file_id)).first()
        if row is None:
            raise NotFound("no such file")
        if row.record_id is None:
            if row.uploaded_by != ctx.user.name:
                raise NotFound("no such file")
        else:
            form = readable_form(ctx, row.form)
            _record, hidden = load_readable(ctx, form, row.record_id)
            if row.field in hidden:
                raise NotFound("no such file")
    response = Response(row.data, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = _disposition(row.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"
