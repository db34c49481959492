"""Print layout endpoint (docs/reference.md, Print layouts): one record's layout as PDF."""
from __future__ import annotations

from engine.web.pdf import record_pdf

from . import bp


@bp.get("/forms/<form_name>/records/<id:record_id>/print/<layout_name>.pdf")
def print_pdf(form_name: str, record_id: int, layout_name: str):
    """A record printed with one of its form's layouts (`prints`) as PDF: 404 for a record the caller may not
    read or an unknown layout, 403 for a layout not for their roles, 503 when the server cannot make PDFs."""
    return record_pdf(form_name, record_id, layout_name)
