"""Print layouts as a page and as PDF: the engine's print template (templates/prints/print.html
with static/css/print.css, inline), and that HTML through WeasyPrint (imported only when a PDF is
asked for). Chinese text needs the Noto CJK fonts (Debian `fonts-noto-cjk`) and WeasyPrint
needs Pango (`libpango-1.0-0`, `libpangoft2-1.0-0`); `scripts/ensure-print.sh` installs them.
Without them a PDF is answered with 503 saying what to install, and nothing else breaks."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, render_template, request
from markupsafe import Markup

from engine.definitions.model import FormDef, PrintDef
from engine.errors import EngineError
from engine.i18n import _
from engine.services import prints
from engine.services.prints import company_logo

from .context import engine_state, use_case

log = logging.getLogger(__name__)


class PdfUnavailable(EngineError):
    code = "pdf_unavailable"
    status = 503


def _weasyprint() -> Any:
    try:
        import weasyprint
    except Exception as exc:  # noqa: BLE001 - OSError for a missing Pango, ImportError for the package
        log.warning("PDF output unavailable: %s", exc)
        raise PdfUnavailable(_(
            "PDF output is not available on this server: %(reason)s. Install WeasyPrint (pip install "
            "weasyprint) and the system libraries libpango-1.0-0, libpangoft2-1.0-0 and fonts-noto-cjk "
            "(scripts/ensure-print.sh does it), then restart.", reason=str(exc).splitlines()[0][:200])) from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained page (styles inline, images as data: URLs): nothing else is
    fetched, from the network or the disk."""
    weasyprint = _weasyprint()
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and later
        fetcher: Any = weasyprint.URLFetcher(allowed_protocols={"data"})
    else:
        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"not fetched: {url[:80]}")
            return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return bytes(weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf())


def render_print(form: FormDef, layout: PrintDef, docs: list[dict[str, Any]], *, pdf: bool,
                 record_id: int | None = None) -> str:
    """The page of `docs` (each from a new page); `pdf`: without the screen's buttons."""
    settings = engine_state().settings
    company = settings.get("ENGINE_COMPANY_NAME") if layout.company else None
    logo = company_logo(settings.get("ENGINE_COMPANY_LOGO")) if layout.logo else None
    css = (Path(current_app.static_folder or "") / "css" / "print.css").read_text(encoding="utf-8")
    return render_template("prints/print.html", form=form, layout=layout, docs=docs, pdf=pdf, company=company,
                           logo=logo, css=Markup(css), record_id=record_id, heading=layout.heading or layout.title)


def pdf_response(html: str, filename: str) -> Response:
    """The PDF, shown by the browser; saved as `filename` with `?download=1`."""
    response = Response(html_to_pdf(html), mimetype="application/pdf")
    how = "attachment" if request.args.get("download") == "1" else "inline"
    response.headers["Content-Disposition"] = f"{how}; filename*=UTF-8''{quote(filename)}"
    return response


def record_pdf(form_name: str, record_id: int, layout_name: str) -> Response:
    """One record printed with one of its form's layouts, as PDF (the page's and the API's route)."""
    with use_case() as ctx:
        layout, doc = prints.document(ctx, form_name, layout_name, record_id)
        form = ctx.app.form(form_name)
        assert form is not None
        html = render_print(form, layout, [doc], pdf=True)
    return pdf_response(html, f"{layout.title}-{record_id}.pdf")
