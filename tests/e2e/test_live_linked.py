"""Formulas and visible_if that read a linked record's field (`product.price`) are computed
live on the page too, from the linked record as the API gives it, and agree with what the
server stores."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

MODULE = {
    "module": "quotes", "title": "报价",
    "forms": [
        {"name": "product", "title": "产品", "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "名称", "required": True},
                    {"name": "price", "type": "decimal", "label": "单价", "precision": 2},
                    {"name": "grade", "type": "select", "label": "等级", "options": ["A", "B"]}]},
        {"name": "quote", "title": "报价单",
         "fields": [{"name": "product", "type": "link", "form": "product", "label": "产品"},
                    {"name": "qty", "type": "integer", "label": "数量"},
                    {"name": "amount", "type": "formula", "label": "金额", "formula": "qty * product.price"},
                    {"name": "vip_note", "type": "text", "label": "A 类说明", "visible_if": "product.grade == 'A'"}]},
    ],
}


@pytest.fixture
def quotes(serve, write_module, make_app, tmp_path):
    folder = tmp_path / "configs"
    write_module(folder, MODULE)
    app = make_app(folder)
    return serve(app)


def test_a_formula_over_a_linked_field_is_live_and_matches_the_saved_value(chromium, quotes):
    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{quotes}/login")
    page.fill("#username", "admin")
    page.fill("#password", "admin-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{quotes}/")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    for name, price, grade in (("机床", "1234.50", "A"), ("螺丝", "0.35", "B")):
        answer = page.request.post(f"{quotes}/api/forms/product/records", headers={"X-CSRFToken": token},
                                   data={"fields": {"name": name, "price": price, "grade": grade}})
        assert answer.status == 201, answer.text()

    page.goto(f"{quotes}/f/quote/new")
    page.click("#product-ts-control")
    page.locator(".ts-dropdown .option", has_text="机床").click()
    page.locator("#qty").click()
    page.keyboard.type("3")
    expect(page.locator("#amount")).to_have_value("3703.50")
    expect(page.locator("[data-field-block=vip_note]")).to_be_visible()
    page.keyboard.type("0")
    expect(page.locator("#amount")).to_have_value("37035.00")

    page.locator("[data-field-block=product] .ts-control").click()
    page.locator(".ts-dropdown .option", has_text="螺丝").click()
    expect(page.locator("#amount")).to_have_value("10.50")
    expect(page.locator("[data-field-block=vip_note]")).to_be_hidden()

    page.click("[data-testid=save]")
    expect(page.locator("h1")).to_be_visible()
    record_id = page.url.rstrip("/").rsplit("/", 1)[1]
    saved = page.request.get(f"{quotes}/api/forms/quote/records/{record_id}").json()["fields"]
    assert saved["amount"] == "10.50"
    assert not errors
    context.close()
