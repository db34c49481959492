"""The whole story in a real browser: a lead becomes an opportunity, moves through the
pipeline and is won; the order it creates is filled in, approved by two approvers,
scheduled, shipped, invoiced and paid; the dashboard changes accordingly."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import pick


def stage_is(page, title: str) -> None:
    expect(page.locator("[data-testid=stage]")).to_have_text(title)


def fire(page, name: str, comment: str | None = None) -> None:
    if comment:
        page.locator("[data-testid=transitions] [name=comment]").fill(comment)
    page.click(f"[data-transition={name}]")


def save(page) -> None:
    """Save the form and wait for the record page that says so (a refused save stays on the form)."""
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_be_visible()


def edit(page, url: str, **fields: str) -> None:
    page.goto(url + "/edit")
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    save(page)


def figure(page, name: str):
    return page.locator(f"[data-chart-card={name}] [data-testid=figure]")


def test_lead_to_cash(create_customer, shoot, open_page, live):
    manager = open_page("lisa")
    manager.goto(f"{live}/dashboard")
    expect(figure(manager, "win_rate")).to_have_text("—")

    sales = open_page("zhangwei")
    create_customer(sales, live, "绍兴远航纺织机械有限公司")
    customer_url = sales.url
    sales.click("[data-testid=new-related-opportunity]")
    sales.fill("#title", "远航 2027 织机改造")
    sales.fill("#expected_amount", "96000")
    save(sales)
    stage_is(sales, "初步接洽")
    fire(sales, "confirm_needs")
    stage_is(sales, "需求确认")
    fire(sales, "quote")
    stage_is(sales, "方案报价")
    opportunity_url = sales.url
    # the quotation it made gets its line and is approved at once (no discount, under 500,000)
    sales.locator("[data-related=quotation] a", has_text=re.compile(r"QT-\d{8}-\d{4}")).first.click()
    sales.goto(sales.url + "/edit")
    pick(sales, "items-0-product", "剑杆织机改造套件")
    sales.fill("[name=items-0-qty]", "4")
    save(sales)
    fire(sales, "submit")
    stage_is(sales, "已批准")
    sales.goto(opportunity_url)
    fire(sales, "negotiate")
    stage_is(sales, "商务谈判")
    sales.goto(opportunity_url + "/edit")
    pick(sales, "quotation", "QT-")
    save(sales)
    fire(sales, "win")
    stage_is(sales, "赢单")

    # the won opportunity created a draft order for the same customer: find it on the customer page
    sales.goto(customer_url)
    related = sales.locator("[data-related=sales_order]")
    expect(related).to_contain_text("草稿")
    related.locator("a", has_text=re.compile(r"SO-\d{8}-\d{4}")).first.click()
    order_url = sales.url
    sales.goto(order_url + "/edit")
    sales.fill("#delivery_date", "2030-12-31")
    expect(sales.locator("#total")).to_have_value("96000.00")  # the quotation's line
    shoot(sales, "order-edit-desktop")
    save(sales)
    fire(sales, "submit")
    stage_is(sales, "订单评审")

    finance = open_page("zhaolei")
    finance.goto(f"{live}/tasks")
    finance.locator("[data-testid=inbox] [data-testid=approve]").first.click()
    expect(finance.locator(".alert-success")).to_be_visible()
    manager.goto(f"{live}/tasks")
    manager.locator("[data-testid=inbox] [data-testid=approve]").first.click()
    expect(manager.locator(".alert-success")).to_be_visible()

    plant = open_page("sunli")
    plant.goto(order_url)
    stage_is(plant, "生产排期")
    fire(plant, "start_production")
    stage_is(plant, "生产中")

    store = open_page("zhouqiang")
    edit(store, order_url, carrier="顺丰速运", tracking_no="SF7777777777")
    fire(store, "ship")
    stage_is(store, "已发货")

    sales.goto(order_url)
    fire(sales, "request_invoice")
    stage_is(sales, "开票")

    edit(finance, order_url, invoice_no="FP-2026-0099", payment_due="2031-01-31")
    fire(finance, "invoiced")
    stage_is(finance, "回款中")
    finance.goto(f"{live}/f/payment/new")
    finance.click("#order-ts-control")
    finance.locator(".ts-dropdown .option", has_text=re.compile(r"SO-\d{8}-\d{4}")).first.click()
    finance.fill("#amount", "96000")
    finance.click("[data-testid=save]")
    expect(finance.locator("h1")).to_contain_text("HK-")
    finance.goto(order_url)
    fire(finance, "complete")
    stage_is(finance, "完成")
    assert finance.questions == ["确认已全额回款并完成订单？"]  # the transition's `confirm`

    manager.goto(f"{live}/dashboard")
    expect(figure(manager, "win_rate")).to_have_text("100.0%")
    expect(figure(manager, "on_time_rate")).to_have_text("100.0%")
    expect(figure(manager, "collection_days")).to_have_text("0.00")  # invoiced and paid today
    expect(manager.locator("[data-chart-card=orders_by_stage] svg")).to_be_visible()
    manager.goto(f"{live}/f/sales_order?view=board")
    expect(manager.locator("[data-testid=board]")).to_contain_text("完成")
    manager.locator("[data-testid=board]").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    shoot(manager, "order-board-desktop")
    for page in (sales, finance, manager, plant, store):
        assert page.js_errors == []
