"""The global search page (docs/reference.md, Pages): the top bar's search box lands here."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from engine.errors import BadRequest
from engine.services import search as service
from engine.web import use_case

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def search_page():
    """Search every form the user may read for `q`: per form the newest matches (title and summary) and a link
    to the form's list searching the same text when there are more; a bad `q` or `limit` is a 400 saying why."""
    raw = request.args.get("q", "")
    if not raw.strip():
        return render_template("search.html", q="", results=None, error=None)
    try:
        limit = service.parse_limit(request.args.get("limit"))
        text = service.parse_text(raw)
    except BadRequest as exc:
        return render_template("search.html", q=raw, results=None, error=exc.message), 400
    with use_case() as ctx:
        found = service.search(ctx, text, limit)
    return render_template("search.html", q=text, results=found["results"], error=None)
