"""The quotation story in a real browser, on SQLite and PostgreSQL: a salesperson quotes an
opportunity with three catalogue products (prices filled from the catalogue, read-only for them)
and a discount above the threshold, submits it, the sales manager approves it in the inbox, the
salesperson wins the opportunity with it, the order is made from the quotation, and its 送货单
PDF names the products without a price. Screenshots: quotation-form.png, and the quotation's
and the delivery note's PDFs rendered to PNG (quotation-pdf.png, delivery-note-pdf.png)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import db_url  # noqa: F401  (both databases)

from .conftest import SCREENSHOTS, pick


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def download(page, layout: str, path) -> str:
    """Open the record's 打印 menu, the layout's print view, download its PDF to path: its text."""
    page.click("[data-testid=print-menu]")
    page.click(f"[data-print={layout}]")
    page.wait_for_url(re.compile(rf"/print/{layout}$"))
    with page.expect_download() as info:
        page.click("[data-testid=download-pdf]")
    info.value.save_as(path)
    if shutil.which("pdftoppm"):
        name = {"quotation": "quotation-pdf", "delivery_note": "delivery-note-pdf"}[layout]
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(SCREENSHOTS / name)], check=True)
    return pdf_text(path.read_bytes())


def api(page, base: str, method: str, url: str, fields: dict | None = None) -> dict:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = getattr(page.request, method)(f"{base}{url}", headers={"X-CSRFToken": token},
                                            data={"fields": fields} if fields is not None else {})
    assert answer.ok, answer.text()
    return answer.json()


def stage_is(page, title: str) -> None:
    expect(page.locator("[data-testid=stage]")).to_have_text(title)


def test_quotation_approved_won_and_delivered(chromium, live, log_in, shoot, tmp_path):
    errors: list[str] = []
    contexts = []

    def browser_of(user: str):
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                       timezone_id="Asia/Shanghai", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, live, user)
        return page

    sales = browser_of("zhangwei")
    customer = api(sales, live, "post", "/api/forms/customer/records",
                   {"name": "苏州恒锐精密机械有限公司", "owner": "zhangwei", "address": "苏州市工业园区金桥路 88 号",
                    "payment_terms": "月结30天"})
    contact = api(sales, live, "post", "/api/forms/contact/records",
                  {"customer": customer["id"], "name": "王建国", "mobile": "13912345678", "owner": "zhangwei"})
    chance = api(sales, live, "post", "/api/forms/opportunity/records",
                 {"title": "恒锐 2027 产线改造", "customer": customer["id"], "contact": contact["id"],
                  "owner": "zhangwei", "expected_amount": "15000"})
    api(sales, live, "post", f"/api/forms/opportunity/records/{chance['id']}/transitions/confirm_needs")

    # 提交报价 makes the quotation: customer, contact and project come from the opportunity
    opportunity_url = f"{live}/f/opportunity/{chance['id']}"
    sales.goto(opportunity_url)
    sales.click("[data-transition=quote]")
    stage_is(sales, "方案报价")
    sales.locator("[data-related=quotation] a", has_text=re.compile(r"QT-\d{8}-\d{4}")).first.click()
    stage_is(sales, "草稿")
    quotation_url = sales.url
    sales.goto(quotation_url + "/edit")
    expect(sales.locator("#project")).to_have_value("恒锐 2027 产线改造")
    lines = [("工业控制器 IC-200", "2", "3200.00", ""), ("伺服电机 SM-750", "4", "1850.00", "12"),
             ("安装调试服务", "1", "2000.00", "")]
    for index, (product, qty, price, discount) in enumerate(lines):
        if index:
            sales.click("[data-add-row=items]")
        pick(sales, f"items-{index}-product", product)
        price_input = sales.locator(f"[name=items-{index}-price]:not([type=hidden])")
        expect(price_input).to_have_value(price)  # from the catalogue
        expect(price_input).to_be_disabled()  # a salesperson may not change it
        sales.fill(f"[name=items-{index}-qty]", qty)
        if discount:
            sales.fill(f"[name=items-{index}-discount]", discount)
    expect(sales.locator("#amount")).to_have_value("14912.00")  # 6,400 + 7,400 × 0.88 + 2,000
    expect(sales.locator("#max_discount")).to_have_value("12.00")
    shoot(sales, "quotation-form")
    sales.click("[data-testid=save]")
    expect(sales.locator("[data-value=amount]")).to_contain_text("14,912.00")  # the server agrees
    sales.click("[data-transition=submit]")
    stage_is(sales, "报价审批")
    expect(sales.locator("[data-testid=route]")).to_contain_text("销售经理审批")

    # the sales manager approves it in the inbox (the discount is above 10 %)
    manager = browser_of("lisa")
    manager.goto(f"{live}/tasks")
    expect(manager.locator("[data-testid=inbox]")).to_contain_text(re.compile(r"QT-\d{8}-\d{4}"))
    manager.locator("[data-testid=inbox] [data-testid=approve]").first.click()
    expect(manager.locator(".alert-success")).to_be_visible()

    sales.goto(quotation_url)
    stage_is(sales, "已批准")
    text = download(sales, "quotation", tmp_path / "quotation.pdf")
    for part in ("报价单", "苏州恒锐精密机械有限公司", "工业控制器IC-200", "伺服电机SM-750", "14,912.00",
                 "壹万肆仟玖佰壹拾贰元整"):
        assert part in text, part

    # the salesperson wins the opportunity with the approved quotation
    sales.goto(opportunity_url + "/edit")
    pick(sales, "quotation", "QT-")
    sales.click("[data-testid=save]")
    sales.click("[data-transition=win]")
    stage_is(sales, "赢单")

    # the order is made from the quotation: customer, contact, lines and amount
    sales.locator("[data-related=sales_order] a", has_text=re.compile(r"SO-\d{8}-\d{4}")).first.click()
    stage_is(sales, "草稿")
    for name, value in (("customer", "苏州恒锐精密机械有限公司"), ("contact", "王建国"), ("receiver", "王建国"),
                        ("shipping_address", "苏州市工业园区金桥路 88 号"), ("total", "14,912.00")):
        expect(sales.locator(f"[data-value={name}]")).to_contain_text(value)
    rows = sales.locator("table[data-table=items] tbody tr")
    expect(rows).to_have_count(3)
    for index, (product, qty, _price, _discount) in enumerate(lines):
        expect(rows.nth(index)).to_contain_text(product)
        expect(rows.nth(index).locator("td").nth(3)).to_have_text(qty)  # product, spec, unit, qty

    text = download(sales, "delivery_note", tmp_path / "delivery-note.pdf")
    for part in ("送货单", "苏州恒锐精密机械有限公司", "工业控制器IC-200", "伺服电机SM-750", "安装调试服务",
                 "王建国", "收货人签字"):
        assert part in text, part
    for price in ("3,200.00", "3200", "1,850.00", "2,000.00", "14,912.00", "单价", "壹万"):
        assert price not in text, price
    assert errors == []
    for context in contexts:
        context.close()
