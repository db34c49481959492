"""Live formulas and rollups on the order form agree with the server at every keystroke:
each computed field shown after a key press equals what engine.records.compute stores for
the values in the form at that moment (未回款 = 应收金额 - 已回款 used to lag one edit behind)."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from playwright.sync_api import expect

from engine.definitions import load_directory
from engine.records.compute import compute_formulas
from tests.conftest import SHIPPED

from .conftest import pick

ORDER = load_directory(SHIPPED).form("sales_order")
COMPUTED = ["amount", "total", "collected", "outstanding"]


def _number(text: str, kind: type) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text)
    except (ValueError, InvalidOperation):
        return text


def shown(page) -> dict[str, Any]:
    """The form's inputs and computed outputs as the page shows them now."""
    return page.evaluate("""(names) => {
        const value = (el) => el ? el.value : null;
        const rows = [...document.querySelectorAll('table[data-table="items"] tbody tr[data-row]')].map(
            (row) => ({qty: value(row.querySelector('[name$="-qty"]')),
                       price: value(row.querySelector('[name$="-price"]')),
                       discount: value(row.querySelector('[name$="-discount"]')),
                       subtotal: value(row.querySelector('[name$="-subtotal"]'))}));
        const out = {rows, discount: value(document.querySelector('#discount'))};
        for (const name of names) { out[name] = value(document.querySelector('#' + name)); }
        return out;
    }""", COMPUTED)


def server_values(page_values: dict[str, Any], collected: Decimal) -> dict[str, Any]:
    """What the server computes on save for the same inputs (the rollup as stored)."""
    rows = [{"qty": _number(r["qty"], int), "price": _number(r["price"], Decimal),
             "discount": _number(r["discount"], Decimal)} for r in page_values["rows"]]
    values = {"items": rows, "discount": _number(page_values["discount"], Decimal), "collected": collected}
    ctx = SimpleNamespace(local_now=datetime.now(UTC), user=SimpleNamespace(name="zhangwei"))
    compute_formulas(ORDER, values, {}, ctx)  # type: ignore[arg-type]
    return values


def text_of(value: Any) -> str:
    return "" if value is None else format(value, "f")


def assert_agrees(page, collected: Decimal, typed: str) -> None:
    now = shown(page)
    expected = server_values(now, collected)
    for index, row in enumerate(now["rows"]):
        assert row["subtotal"] == text_of(expected["items"][index]["subtotal"]), (typed, index, now)
    for name in COMPUTED:
        assert now[name] == text_of(expected[name]), (typed, name, now, expected[name])


def type_slowly(page, selector: str, text: str, collected: Decimal) -> None:
    page.fill(selector, "")
    assert_agrees(page, collected, f"{selector}=''")
    page.locator(selector).click()
    for index, key in enumerate(text):
        page.keyboard.type(key)
        assert_agrees(page, collected, f"{selector}={text[:index + 1]!r}")


def test_every_computed_field_matches_the_server_after_each_key(create_customer, open_page, live):
    page = open_page("zhangwei")
    create_customer(page, live, "上海星辰科技有限公司")
    page.goto(f"{live}/f/sales_order/new")
    expect(page.locator("#collected")).to_have_value("0.00")  # what create stores: no payments yet
    page.click("#customer-ts-control")
    page.locator(".ts-dropdown .option", has_text="上海星辰科技有限公司").click()
    page.fill("#delivery_date", "2030-06-30")
    pick(page, "items-0-product", "工业控制器")
    type_slowly(page, "[name=items-0-qty]", "12", Decimal("0.00"))
    # the price is the catalogue's: read-only for a salesperson
    page.click("[data-add-row=items]")
    pick(page, "items-1-product", "安装调试服务")
    type_slowly(page, "[name=items-1-qty]", "3", Decimal("0.00"))
    type_slowly(page, "#discount", "1234.56", Decimal("0.00"))
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=stage]")).to_have_text("草稿")
    order_id = int(re.search(r"/(\d+)$", page.url).group(1))

    # A payment of 10,000 rolls up into 已回款; editing the order must keep 未回款 in step.
    finance = open_page("zhaolei")
    finance.goto(f"{live}/")
    token = finance.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = finance.request.post(f"{live}/api/forms/payment/records", headers={"X-CSRFToken": token},
                                  data={"fields": {"order": order_id, "amount": "10000"}})
    assert answer.status == 201, answer.text()

    page.goto(f"{live}/f/sales_order/{order_id}/edit")
    expect(page.locator("#collected")).to_have_value("10000.00")
    assert_agrees(page, Decimal("10000.00"), "edit page as loaded")
    type_slowly(page, "#discount", "500", Decimal("10000.00"))
    type_slowly(page, "[name=items-0-qty]", "7", Decimal("10000.00"))
    page.locator("tr[data-row]").nth(1).locator("[data-remove-row]").click()
    assert_agrees(page, Decimal("10000.00"), "second row removed")
    last = shown(page)
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=stage]")).to_have_text("草稿")
    saved = page.request.get(f"{live}/api/forms/sales_order/records/{order_id}").json()["fields"]
    assert [saved[name] for name in COMPUTED] == [last[name] for name in COMPUTED]
    assert not page.js_errors
