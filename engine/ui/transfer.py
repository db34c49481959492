"""Import and export pages for each form: download the records (CSV / XLSX, with the list's
filters), download a template, upload a file and see what happened to each row."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import login_required

from engine.errors import EngineError
from engine.i18n import _
from engine.services import imports, sheets, transfer
from engine.services.records import readable_form
from engine.web import engine_state, use_case

bp = Blueprint("transfer", __name__, url_prefix="/f")
MAX_UPLOAD = 20 * 1024 * 1024


def _download(body, fmt: str, filename: str) -> Response:
    from urllib.parse import quote

    response = Response(body, content_type=sheets.MEDIA_TYPES[fmt])  # mimetype= would add a second charset
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _format() -> str:
    fmt = request.args.get("format", "xlsx")
    if fmt not in sheets.FORMATS:
        abort(404)
    return fmt


@bp.get("/<form_name>/export")
@login_required
def export(form_name: str):
    """Download the list, with its filters, as CSV or XLSX (`format=csv` or `xlsx`)."""
    fmt = _format()
    params = {k: v for k, v in request.args.items() if k not in ("format", "lang", "view") and v != ""}
    if fmt == "csv":
        def stream():
            with use_case() as ctx:
                head, rows = transfer.export_rows(ctx, form_name, params)
                yield from sheets.write_csv(head, rows)
        with use_case() as ctx:  # fail before streaming starts: unknown form, bad filter
            form = readable_form(ctx, form_name)
            transfer.export_rows(ctx, form_name, params)
        return _download(stream_with_context(stream()), fmt, f"{form.title}.csv")
    with use_case() as ctx:
        form = readable_form(ctx, form_name)
        head, rows = transfer.export_rows(ctx, form_name, params)
        data = sheets.write_xlsx(head, rows, form.title)
    return _download(data, fmt, f"{form.title}.xlsx")


@bp.get("/<form_name>/import/template")
@login_required
def import_template(form_name: str):
    """An empty import file for the form (`format=csv` or `xlsx`): the header row, and in XLSX a guide to
    each column."""
    fmt = _format()
    with use_case() as ctx:
        form = readable_form(ctx, form_name)
        head, guide = transfer.template(ctx, form_name)
    if fmt == "csv":
        return _download("".join(sheets.write_csv(head, [])), fmt, f"{form.title}-template.csv")
    return _download(sheets.write_xlsx(head, [], form.title, guide), fmt, f"{form.title}-template.xlsx")


@bp.route("/<form_name>/import", methods=["GET", "POST"])
@login_required
def import_page(form_name: str):
    """Import records from a CSV or XLSX file; every row is checked like the form."""
    report, error = None, None
    with use_case() as ctx:
        form = readable_form(ctx, form_name)
        if not ctx.gate.can_create(ctx.user, form):
            abort(403)
        guide = transfer.template(ctx, form_name)[1]
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        valid_only = request.form.get("valid_only") == "1"
        if upload is None or not upload.filename:
            error, status = _("Choose a .csv or .xlsx file."), 400
        else:
            data = upload.read(MAX_UPLOAD + 1)
            try:
                if len(data) > MAX_UPLOAD:
                    raise EngineError(_("the file is larger than %(mb)s MB", mb=MAX_UPLOAD // 2**20))
                settings = engine_state().settings
                head, rows = sheets.read_rows(data, upload.filename, max_rows=settings["ENGINE_IMPORT_MAX_ROWS"],
                                              max_cells=settings["ENGINE_IMPORT_MAX_CELLS"])
                report = imports.import_rows(use_case, form_name, head, rows, valid_only).as_dict()
            except imports.ImportRejected as exc:
                report, status = exc.report.as_dict(), 422
            except EngineError as exc:
                if exc.status == 404:
                    raise
                error, status = exc.message, 400
    return render_template("records/import.html", form=form, report=report, error=error, guide=guide), status


