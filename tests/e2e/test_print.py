"""Print layouts in the browser: the record page's 打印 menu opens the print view, which downloads
the PDF (its text checked with pypdf); the list page prints a selection as one PDF. Screenshots:
docs/screenshots/print-view.png (the print view) and print-pdf.png (the PDF's first page, rendered
with pdftoppm where poppler-utils is installed)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from engine.auth.tokens import issue_token
from engine.auth.users import create_user, get_user
from tests.conftest import TEST_CONFIGS
from tests.e2e.conftest import SCREENSHOTS

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="48" viewBox="0 0 120 48">'
        '<rect x="2" y="2" width="44" height="44" rx="8" fill="#1f4e9c"/>'
        '<text x="24" y="33" font-size="24" text-anchor="middle" fill="#fff" font-family="Noto Sans CJK SC">示</text>'
        '</svg>')


@pytest.fixture
def live(serve, make_app, tmp_path):
    folder = tmp_path / "ledger"
    shutil.copytree(TEST_CONFIGS / "prints", folder)
    logo = tmp_path / "logo.svg"
    logo.write_text(LOGO, encoding="utf-8")
    app = make_app(folder, ENGINE_COMPANY_NAME="示例贸易有限公司", ENGINE_COMPANY_LOGO=str(logo))
    with app.extensions["engine"].db.transaction() as session:
        create_user(session, "cora", "cora-password", {"clerk"}, display_name="陈晓")
        token = issue_token(session, get_user(session, "cora"))
    client = app.test_client()

    def create(form, **fields):
        response = client.post(f"/api/forms/{form}/records", json={"fields": fields},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    party = create("party", party_name="华东机电设备有限公司", secret_note="月结 60 天")
    lines = [{"item": "深沟球轴承 6205", "qty": 40, "price": "12.50", "cost": "8.00"},
             {"item": "减速齿轮箱 WPA-80", "qty": 2, "price": "1234.56", "cost": "900.00"},
             {"item": "联轴器 L-45", "qty": 6, "price": "86.00", "cost": "50.00"}]
    bill = create("bill", bill_no="XS-20260305-001", party=party, bill_date="2026-03-05", kind="normal",
                  owner="cora", lines=lines, remark="货到付款，含税价")
    other = create("bill", bill_no="XS-20260306-002", party=party, bill_date="2026-03-06", kind="normal",
                   lines=[{"item": "密封圈", "qty": 100, "price": "0.80"}])
    return {"base": serve(app), "bill": bill, "other": other}


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def test_record_page_print_menu_view_and_pdf(chromium, live, log_in, shoot, tmp_path):
    context = chromium.new_context(viewport={"width": 1100, "height": 1300}, locale="zh-CN",
                                   timezone_id="Asia/Shanghai", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live["base"]
    log_in(page, base, "cora")
    page.goto(f"{base}/f/bill/{live['bill']}")
    page.click("[data-testid=print-menu]")
    page.click("[data-print=bill_print]")
    page.wait_for_url(re.compile(r"/print/bill_print$"))
    sheet = page.locator("article.sheet")
    expect(sheet).to_contain_text("示例贸易有限公司")
    expect(sheet).to_contain_text("单据（客户联）")
    expect(sheet).to_contain_text("华东机电设备有限公司")
    expect(sheet).to_contain_text("叁仟肆佰捌拾伍元壹角贰分")
    shoot(page, "print-view")
    with page.expect_download() as info:
        page.click("[data-testid=download-pdf]")
    path = tmp_path / "bill.pdf"
    info.value.save_as(path)
    pages, text = pdf_text(path.read_bytes())
    assert pages == 1
    for part in ("示例贸易有限公司", "减速齿轮箱WPA-80", "3,485.12", "叁仟肆佰捌拾伍元壹角贰分", "收货人"):
        assert part in text, part
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(SCREENSHOTS / "print-pdf")],
                       check=True)
    # the list page: tick two records, print them as one PDF
    page.goto(f"{base}/f/bill")
    page.check(f"input[data-select-record][value='{live['bill']}']")
    page.check(f"input[data-select-record][value='{live['other']}']")
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.click("[data-testid=print-selection]")
    with page.expect_download() as info:
        page.click("[data-testid=print-selection-bill_print]")
    batch = tmp_path / "batch.pdf"
    info.value.save_as(batch)
    pages, text = pdf_text(batch.read_bytes())
    assert pages == 2 and "XS-20260305-001" in text and "XS-20260306-002" in text
    assert errors == []
    context.close()
