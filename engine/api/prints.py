"""Print layout endpoint (docs/reference.md, Print layouts): one record's layout as PDF."""
from __future__ import annotations

from engine.services import prints as service
from engine.web import use_case
from engine.web.pdf import pdf_response, render_print

from . import bp


@bp.get("/forms/<form_name>/records/<id:record_id>/print/<layout_name>.pdf")
def print_pdf(form_name: str, record_id: int, layout_name: str):
    """A record printed with one of its form's layouts (`prints`) as PDF: 404 for a record the caller may not
    read or an unknown layout, 403 for a layout not for their roles, 503 when the server cannot make PDFs."""
    with use_case() as ctx:
        layout, doc = service.document(ctx, form_name, layout_name, record_id)
        form = ctx.app.form(form_name)
        assert form is not None
        html = render_print(form, layout, [doc], pdf=True)
    return pdf_response(html, f"{layout.title}-{record_id}.pdf")
