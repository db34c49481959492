"""Print layouts (docs/reference.md, Print layouts): the print view of one record, its PDF, and
one PDF of several records chosen on the list page. The page is the engine's own template
(templates/prints/print.html with static/css/print.css); what it shows comes from
engine.services.prints, which prints only what the reader may read."""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import login_required

from engine.errors import NotFound
from engine.services import prints as service
from engine.web import use_case
from engine.web.pdf import pdf_response, record_pdf, render_print

bp = Blueprint("prints", __name__, url_prefix="/f")

@bp.get("/<form_name>/<id:record_id>/print/<layout_name>")
@login_required
def print_page(form_name: str, record_id: int, layout_name: str):
    """A record printed with one of its form's layouts (`prints`), with buttons to print it and to download the
    PDF; 404 for a record the user may not read, 403 for a layout not for their roles."""
    with use_case() as ctx:
        layout, doc = service.document(ctx, form_name, layout_name, record_id)
        form = ctx.app.form(form_name)
        assert form is not None
        return render_print(form, layout, [doc], pdf=False, record_id=record_id)


@bp.get("/<form_name>/<id:record_id>/print/<layout_name>.pdf")
@login_required
def print_pdf(form_name: str, record_id: int, layout_name: str):
    """The print layout of one record as PDF (503 naming what to install when the server cannot make PDFs)."""
    return record_pdf(form_name, record_id, layout_name)


@bp.get("/<form_name>/print/<layout_name>.pdf")
@login_required
def batch_pdf(form_name: str, layout_name: str):
    """Several records in one PDF, each from a new page: `ids=1,2,3` (at most 100; the list page's selection).
    Records the user may not read are left out; none readable is 404."""
    ids = service.parse_ids(request.args.get("ids", ""))
    with use_case() as ctx:
        layout, docs = service.documents(ctx, form_name, layout_name, ids)
        form = ctx.app.form(form_name)
        assert form is not None
        if not docs:
            raise NotFound("no readable records")
        html = render_print(form, layout, docs, pdf=True)
    return pdf_response(html, f"{layout.title}.pdf")
