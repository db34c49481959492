"""A salesperson's first session, in a real browser."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, pick


def test_create_customer_and_order_with_three_lines_total_updates_live(create_customer, shoot, open_page, live):
    page = open_page("zhangwei")
    create_customer(page, live, "上海星辰科技有限公司")
    shoot(page, "customer-detail-desktop")

    page.goto(f"{live}/f/sales_order/new")
    page.click("#customer-ts-control")
    page.locator(".ts-dropdown .option", has_text="上海星辰科技有限公司").click()
    page.fill("#delivery_date", "2030-06-30")
    rows = [("工业控制器", "2"), ("伺服电机", "3"), ("安装调试服务", "1")]  # at their list prices
    for index, (product, qty) in enumerate(rows):
        if index:
            page.click("[data-add-row=items]")
        pick(page, f"items-{index}-product", product)
        page.fill(f"[name=items-{index}-qty]", qty)
    expect(page.locator("[name=items-1-subtotal]")).to_have_value("5550.00")
    expect(page.locator("#amount")).to_have_value("13950.00")
    page.fill("#discount", "50")
    expect(page.locator("#total")).to_have_value("13900.00")
    shoot(page, "order-form-desktop")
    page.click("[data-testid=save]")

    expect(page.locator("h1")).to_contain_text(re.compile(r"SO-\d{8}-0001"))
    expect(page.locator("[data-value=total]")).to_contain_text("13,900.00")  # the server agrees
    expect(page.locator("table[data-table=items] tbody tr")).to_have_count(3)
    shoot(page, "order-detail-desktop")
    assert page.js_errors == []


def test_removing_a_line_updates_the_total(create_customer, open_page, live):
    page = open_page("zhangwei")
    create_customer(page, live, "客户乙")
    page.goto(f"{live}/f/sales_order/new")
    products = ["工业控制器", "伺服电机"]  # 3,200 and 1,850: their list prices
    for index, product in enumerate(products):
        if index:
            page.click("[data-add-row=items]")
        pick(page, f"items-{index}-product", product)
        page.fill(f"[name=items-{index}-qty]", "1")
    expect(page.locator("#amount")).to_have_value("5050.00")
    page.locator("tr[data-row]").nth(0).locator("[data-remove-row]").click()
    expect(page.locator("#amount")).to_have_value("1850.00")
    expect(page.locator("[name=items-0-product]")).to_have_value("2")  # renumbered: the 伺服电机 line


def test_validation_error_is_shown_and_fixed_without_losing_input(shoot, open_page, live):
    page = open_page("zhangwei")
    page.goto(f"{live}/f/customer/new")
    page.fill("#phone", "12345")
    page.fill("#address", "浙江省杭州市西湖区文三路 100 号")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()
    expect(page.locator("[data-field-block=name] .invalid-feedback")).to_have_text("必填")
    expect(page.locator("[data-field-block=phone] .invalid-feedback")).to_contain_text("电话号码不正确")
    expect(page.locator("#address")).to_have_value("浙江省杭州市西湖区文三路 100 号")
    for name in ("name", "phone"):  # the error right under its field, the duplicate hint's line below it
        field = page.locator(f"#{name}").bounding_box()
        error = page.locator(f"[data-field-block={name}] .invalid-feedback").bounding_box()
        assert 0 <= error["y"] - (field["y"] + field["height"]) < 10, (name, field, error)
    shoot(page, "validation-errors-desktop")
    page.fill("#name", "杭州云帆")
    page.fill("#phone", "0571-88886666")
    page.click("[data-testid=save]")
    expect(page.locator("h1")).to_contain_text("杭州云帆")
    expect(page.locator("[data-value=address]")).to_contain_text("文三路 100 号")


def test_a_salesperson_cannot_see_another_salespersons_customers(create_customer, open_page, live):
    zhang = open_page("zhangwei")
    create_customer(zhang, live, "张伟的客户")
    record_url = zhang.url

    wang = open_page("wangfang")
    wang.goto(f"{live}/f/customer")
    expect(wang.locator("[data-testid=total]")).to_have_text("0")
    expect(wang.locator("[data-testid=record-list]")).not_to_contain_text("张伟的客户")
    response = wang.goto(record_url)
    assert response.status == 404

    lisa = open_page("lisa")  # the manager sees all
    lisa.goto(f"{live}/f/customer")
    expect(lisa.locator("[data-testid=record-list]")).to_contain_text("张伟的客户")


def test_language_switch(open_page, live):
    page = open_page("zhangwei")
    expect(page.get_by_text("我最近的记录")).to_be_visible()
    page.click("[data-testid=user-menu]")
    page.click("[data-lang=en]")
    expect(page.get_by_text("My recent records")).to_be_visible()
    page.goto(f"{live}/f/customer")
    expect(page.get_by_role("link", name="+ New")).to_be_visible()
    page.click("[data-testid=user-menu]")
    page.click("[data-lang=zh_CN]")
    expect(page.get_by_role("link", name="+ 新建")).to_be_visible()


def test_screenshots_of_main_pages_at_desktop_and_phone_width(create_customer, log_in, shoot, open_page, live):
    page = open_page("zhangwei")
    for name in ("上海星辰科技有限公司", "杭州云帆电子商务有限公司", "广州明达机械制造厂"):
        create_customer(page, live, name)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_page(viewport=viewport)
        page.goto(f"{live}/login")
        shoot(page, f"login-{label}")
        log_in(page, live, "zhangwei")
        shoot(page, f"home-{label}")
        page.goto(f"{live}/f/customer")
        shoot(page, f"customer-list-{label}")
        page.goto(f"{live}/f/sales_order/new")
        shoot(page, f"order-form-empty-{label}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"page is {width}px wide on a {viewport['width']}px screen"
