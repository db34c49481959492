"""Print layouts as PDF: the text of the PDF (Chinese included) as pypdf extracts it, batch PDFs,
the API endpoint, and a clear 503 where PDFs cannot be made."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader


def pdf_text(response) -> tuple[int, str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return len(reader.pages), re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def test_record_pdf_has_the_chinese_text_and_the_amount_in_words(browser, ledger):
    pages, text = pdf_text(browser("cleo", "clerk").get(f"/f/bill/{ledger['bill']['id']}/print/bill_print.pdf"))
    assert pages == 1
    for part in ("示例贸易有限公司", "单据（客户联）", "华东机电", "轴承6205", "齿轮箱", "2,594.12", "908.00",
                 "贰仟伍佰玖拾肆元壹角贰分", "玖佰零捌元整", "收货人", "单号D-001"):
        assert part in text, part


def test_pdf_never_prints_hidden_fields_or_columns(browser, ledger):
    _pages, text = pdf_text(browser("aida", "auditor").get(f"/f/bill/{ledger['bill']['id']}/print/bill_print.pdf"))
    assert "贰仟伍佰玖拾肆元壹角贰分" in text
    assert "908.00" not in text and "900.00" not in text and "玖佰零捌元整" not in text and "成本大写" not in text
    _pages, text = pdf_text(browser("kip", "keeper").get(f"/f/party/{ledger['party']['id']}/print/statement.pdf"))
    assert "信用差" not in text and "D-002" not in text and "300.00" not in text and "D-001" in text


def test_api_pdf(people, ledger):
    response = people["auditor"].get(f"/api/forms/bill/records/{ledger['bill']['id']}/print/bill_print.pdf")
    _pages, text = pdf_text(response)
    assert "华东机电" in text and "908.00" not in text
    assert people["keeper"].get(f"/api/forms/bill/records/{ledger['urgent']['id']}/print/pick_list.pdf"
                                ).status_code == 404
    refused = people["clerk"].get(f"/api/forms/bill/records/{ledger['bill']['id']}/print/pick_list.pdf")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"


def test_batch_pdf_one_record_per_page_unreadable_left_out(browser, ledger):
    ids = f"{ledger['bill']['id']},{ledger['urgent']['id']},{ledger['void']['id']}"
    pages, text = pdf_text(browser("kip", "keeper").get(f"/f/bill/print/pick_list.pdf?ids={ids}"))
    assert pages == 2 and "D-001" in text and "D-003" in text and "D-002" not in text and "急件" not in text
    pages, _text = pdf_text(browser("cleo", "clerk").get(f"/f/bill/print/bill_print.pdf?ids={ids}"))
    assert pages == 3
    keeper = browser("kip2", "keeper")
    assert keeper.get(f"/f/bill/print/pick_list.pdf?ids={ledger['urgent']['id']}").status_code == 404
    assert keeper.get("/f/bill/print/pick_list.pdf?ids=1,x").status_code == 400
    assert keeper.get("/f/bill/print/pick_list.pdf?ids=" + ",".join(map(str, range(1, 102)))).status_code == 400


def test_pdf_unavailable_is_a_clear_503(browser, ledger, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    response = browser("cleo", "clerk").get(f"/f/bill/{ledger['bill']['id']}/print/bill_print.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "libpango-1.0-0" in page and "fonts-noto-cjk" in page


@pytest.mark.parametrize("paper", ["A4", "A5-landscape"])
def test_paper_size(browser, ledger, paper):
    layout = "bill_print" if paper == "A4" else "pick_list"
    who = browser("kip", "keeper")
    response = who.get(f"/f/bill/{ledger['bill']['id']}/print/{layout}.pdf")
    box = PdfReader(io.BytesIO(response.data)).pages[0].mediabox
    width, height = round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)
    assert (width, height) == ({"A4": (210, 297), "A5-landscape": (210, 148)}[paper])


def _png(path):
    from PIL import Image

    Image.new("RGB", (40, 20), (31, 78, 156)).save(path)
    return path


def _images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def test_company_logo_prints_and_a_missing_logo_is_left_out(app, browser, ledger, tmp_path):
    settings = app.extensions["engine"].settings
    settings["ENGINE_COMPANY_LOGO"] = str(_png(tmp_path / "logo.png"))
    client = browser("cleo", "clerk")
    html = client.get(f"/f/bill/{ledger['bill']['id']}/print/bill_print").get_data(as_text=True)
    assert 'class="logo" src="data:image/png;base64,' in html
    assert _images(client.get(f"/f/bill/{ledger['bill']['id']}/print/bill_print.pdf").data) == 1
    # pick_list turns the logo off
    keeper = browser("kip", "keeper")
    assert 'class="logo"' not in keeper.get(f"/f/bill/{ledger['bill']['id']}/print/pick_list").get_data(as_text=True)
    settings["ENGINE_COMPANY_LOGO"] = str(tmp_path / "gone.png")
    html = client.get(f"/f/bill/{ledger['bill']['id']}/print/bill_print").get_data(as_text=True)
    assert 'class="logo"' not in html and "示例贸易有限公司" in html


def test_the_pdf_maker_fetches_nothing_but_data_urls(tmp_path):
    from engine.web.pdf import html_to_pdf

    image = _png(tmp_path / "local.png")
    data = html_to_pdf(f'<p>图</p><img src="{image.as_uri()}"><img src="http://127.0.0.1:9/x.png">')
    assert _images(data) == 0
    import base64

    inline = base64.b64encode(image.read_bytes()).decode()
    assert _images(html_to_pdf(f'<img src="data:image/png;base64,{inline}">')) == 1
