"""An order of ¥72,000 (three catalogue items at their list price) through review by two
approvers and on to shipping, in a real browser: each person works from their own inbox or the record page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)

from .conftest import PHONE, pick


def stage_is(page, title: str) -> None:
    expect(page.locator("[data-testid=stage]")).to_have_text(title)


def test_a_72000_order_is_reviewed_by_finance_and_manager_then_shipped(create_customer, shoot, open_page, live):
    sales = open_page("zhangwei")
    create_customer(sales, live, "苏州宏远精密")
    sales.goto(f"{live}/f/sales_order/new")
    sales.click("#customer-ts-control")
    sales.locator(".ts-dropdown .option", has_text="苏州宏远精密").click()
    sales.fill("#delivery_date", "2030-09-30")
    pick(sales, "items-0-product", "剑杆织机改造套件")
    sales.fill("[name=items-0-qty]", "3")
    expect(sales.locator("[name=items-0-price]:not([type=hidden])")).to_be_disabled()  # the list price
    expect(sales.locator("#total")).to_have_value("72000.00")
    sales.click("[data-testid=save]")
    stage_is(sales, "草稿")
    order_url = sales.url
    sales.click("[data-transition=submit]")
    stage_is(sales, "订单评审")
    expect(sales.locator("[data-testid=route]")).to_contain_text("财务审核")
    expect(sales.locator("[data-testid=withdraw]")).to_be_visible()
    assert not sales.locator("[data-transition]").count()  # the approval is in the approvers' hands

    finance = open_page("zhaolei")
    finance.goto(f"{live}/tasks")
    expect(finance.locator("[data-testid=nav-tasks] .badge")).to_have_text("1")
    item = finance.locator("[data-testid=inbox] .list-group-item", has_text=re.compile(r"SO-\d{8}-0001"))
    expect(item).to_contain_text("财务审核")
    shoot(finance, "inbox-desktop")
    item.locator("[name=comment]").fill("价格核对无误")
    item.locator("[data-testid=approve]").click()
    expect(finance.locator(".alert-success")).to_be_visible()
    expect(finance.locator("[data-testid=inbox]")).to_contain_text("暂无内容")

    manager = open_page("lisa")
    manager.goto(f"{live}/tasks")
    manager.locator("[data-testid=inbox] a", has_text=re.compile(r"SO-\d{8}-0001")).click()
    actions = manager.locator("[data-testid=actions]")
    expect(actions).to_contain_text("销售经理审批")
    shoot(manager, "order-review-desktop")
    actions.locator("[name=comment]").first.fill("同意，注意交期")
    actions.locator("[data-testid=approve]").click()
    stage_is(manager, "生产排期")
    progress = manager.locator("[data-testid=route]")
    expect(progress).to_contain_text("价格核对无误")
    expect(progress).to_contain_text("同意，注意交期")

    plant = open_page("sunli")
    plant.goto(order_url)
    expect(plant.locator("[data-value=total]")).to_have_count(0)  # prices hidden from production
    plant.click("[data-transition=start_production]")
    stage_is(plant, "生产中")

    store = open_page("zhouqiang", viewport=PHONE)
    store.goto(order_url)
    store.click("[data-transition=ship]")  # asks for the carrier and the tracking number first
    dialog = store.locator("dialog#ask-dialog")
    expect(dialog.locator("[data-field-block=carrier]")).to_be_visible()
    stage_is(store, "生产中")
    dialog.locator("#carrier").fill("顺丰速运")
    dialog.locator("#tracking_no").fill("SF1234567890")
    dialog.locator("[data-testid=ask-submit]").click()
    stage_is(store, "已发货")
    expect(store.locator("[data-value=shipped_on]")).not_to_have_text("—")
    shoot(store, "order-shipped-phone")

    sales.goto(f"{live}/")
    expect(sales.locator("[data-testid=unread-count]")).to_have_text("1")  # the outcome of the review
    expect(sales.locator("[data-testid=home-notifications]")).to_contain_text("已通过")
    sales.click("[data-testid=nav-bell]")
    expect(sales.locator("[data-testid=notifications]")).to_contain_text("已通过")
    shoot(sales, "notifications-desktop")
    sales.locator("[data-testid=notifications] button").first.click()
    expect(sales.locator("[data-testid=stage]")).to_have_text("已发货")
    expect(sales.locator("[data-testid=unread-count]")).to_have_count(0)
    sales.goto(order_url)
    history = sales.locator("[data-testid=history]")
    expect(history).to_contain_text("发货")
    expect(history.locator("[data-action=approve]")).to_have_count(2)
    manager.goto(f"{live}/dashboard")
    expect(manager.locator("[data-chart-card=orders_by_stage] svg")).to_be_visible()  # drawn by ECharts
    expect(manager.locator("[data-chart-card=on_time_rate]")).to_contain_text("100.0")
    shoot(manager, "dashboard-desktop")
    for page in (sales, finance, manager, plant, store):
        assert page.js_errors == []
