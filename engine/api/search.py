"""Global search endpoint (docs/reference.md, HTTP API)."""
from __future__ import annotations

from flask import jsonify, request

from engine.services import search as service
from engine.web import use_case

from . import bp


@bp.get("/search")
def search():
    """Search every form the caller may read: query `q` (the text, at most 100 characters), `limit` (records per
    form, 1–50, default 5); answers `{"q", "results": [{"form", "form_title", "items": [{"id", "title",
    "summary"}], "more"}]}`, newest first, only forms with a match, within row rules and hidden fields. An unknown
    parameter, or one given twice: 400."""
    service.check_params(request.args)
    limit = service.parse_limit(request.args.get("limit"))
    text = service.parse_text(request.args.get("q"))
    with use_case() as ctx:
        return jsonify(service.search(ctx, text, limit))
