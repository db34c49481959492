"""Uploads (POST /api/files, multipart field `file`) and permission-checked downloads."""
from __future__ import annotations

from flask import Response, request

from engine.errors import BadRequest
from engine.services.files import readable_file, store_upload
from engine.web import engine_state, use_case

from . import bp


@bp.post("/files")
def upload_file():
    """Upload a file as multipart form data in the field `file`; 201 with its `id` to put in a file field
    (it belongs to the uploader until a record takes it)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("send the file as multipart form data in the field 'file'")
    settings = engine_state().settings
    with use_case(write=True) as ctx:
        stored = store_upload(ctx, upload.filename, upload.read(), settings["ENGINE_MAX_UPLOAD"],
                              settings["ENGINE_UPLOAD_QUOTA"])
    return stored, 201


@bp.get("/files/<id:file_id>")
def download_file(file_id: int):
    """Download an attachment: one of the caller's own unattached uploads, or a file of a record the caller
    may read and whose field is not hidden from them."""
    with use_case() as ctx:
        row = readable_file(ctx, file_id)
    response = Response(row.data, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = _disposition(row.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"
