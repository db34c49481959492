"""Print layouts as PDF: the print page's HTML through WeasyPrint (imported only when a PDF is
asked for). Chinese text needs the Noto CJK fonts (Debian `fonts-noto-cjk`) and WeasyPrint
needs Pango (`libpango-1.0-0`, `libpangoft2-1.0-0`); `scripts/ensure-print.sh` installs them.
Without them a PDF is answered with 503 saying what to install, and nothing else breaks."""
from __future__ import annotations

import logging
from typing import Any

from engine.errors import EngineError
from engine.i18n import _

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

    def only_data(url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith("data:"):
            raise ValueError(f"not fetched: {url[:80]}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return bytes(weasyprint.HTML(string=html, url_fetcher=only_data).write_pdf())
