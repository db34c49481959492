"""The print view in Chromium keeps labels and values inside their cells in both languages (the
shipped 销售订单, 送货单 and 对账单, long English labels, a long value without spaces). Screenshot:
docs/screenshots/print-view-en.png (the English 销售订单)."""
from __future__ import annotations

import shutil

import pytest

from engine.auth.tokens import issue_token
from engine.auth.users import create_user, get_user
from tests.conftest import SHIPPED

# Every text node of a label grid or amount line whose rendered box leaves its cell's content box.
OVERFLOWING = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('.info-grid th, .info-grid td, .amount th, .amount td')) {
    const box = cell.getBoundingClientRect(), style = getComputedStyle(cell);
    // a collapsed border lies half inside the cell: one pixel of slack
    const left = box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth) - 1;
    const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth) + 1;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.left < left || r.right > right) out.push(`${node.textContent} ${r.left}..${r.right} / ${left}..${right}`);
      }
    }
  }
  return out;
}"""

# How many lines the text of an element takes.
LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


@pytest.fixture
def live(serve, make_app, tmp_path):
    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    app = make_app(folder)
    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, "zhang", "zhang-password", {"sales"}, display_name="张伟"))
        admin = get_user(session, "admin")
        assert admin is not None
        admin_token = issue_token(session, admin)
    client = app.test_client()

    def create(form, who=token, **fields):
        response = client.post(f"/api/forms/{form}/records", json={"fields": fields},
                               headers={"Authorization": f"Bearer {who}"})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    product = create("product", who=admin_token, code="P-1001", name="传感器模组 SN-8", unit="套", price="980.00")
    customer = create("customer", name="上海星辰精密机械有限公司", owner="zhang", payment_terms="款到发货")
    order = create("sales_order", customer=customer, delivery_date="2026-11-15", receiver="王建国",
                   receiver_phone="13800138000", shipping_address="上海市闵行区金桥路164号 Building 3, Jinqiao Road",
                   carrier="顺丰速运", tracking_no="SF" + "1234567890" * 4 + "12345678",
                   items=[{"product": product, "qty": 5, "price": "980.00"}])
    return {"base": serve(app), "order": order, "customer": customer}


def test_print_view_cells_hold_their_text_in_both_languages(chromium, live, log_in, shoot):
    context = chromium.new_context(viewport={"width": 1000, "height": 1200}, locale="zh-CN",
                                   timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live["base"]
    log_in(page, base, "zhang")
    for url, label in [(f"customer/{live['customer']}/print/statement", ("Default payment terms", "默认付款方式")),
                       (f"sales_order/{live['order']}/print/delivery_note", ("Receiver's phone", "收货电话")),
                       (f"sales_order/{live['order']}/print/order", ("Receiver's phone", "收货电话"))]:
        for lang in ("zh_CN", "en"):
            page.goto(f"{base}/f/{url}?lang={lang}")
            th = page.locator(".info-grid th", has_text=label[lang != "en"])
            assert th.count() == 1
            assert page.evaluate(OVERFLOWING) == [], (url, lang)
            # a label too long for its cell wraps between its words, one that fits keeps one line
            assert th.evaluate(LINES) == (2 if label[0] == "Default payment terms" and lang == "en" else 1)
    shoot(page, "print-view-en")
    context.close()
