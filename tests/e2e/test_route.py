"""The route of an order and send back anywhere, in a real browser (issue 14, points 2 and 4): before
submitting, the order page says where it will go (财务审核 → 销售经理审批; the general manager's step
does not apply to ¥72,000); during review the route panel shows who approved and who is waiting, on a
desktop and on a 375 px phone; the sales manager sends the order straight back to the salesperson."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)

from .conftest import PHONE, pick


def test_the_route_before_and_during_review_and_a_send_back_to_the_submitter(create_customer, shoot, open_page,
                                                                              live):
    sales = open_page("zhangwei")
    create_customer(sales, live, "苏州宏远精密")
    sales.goto(f"{live}/f/sales_order/new")
    sales.click("#customer-ts-control")
    sales.locator(".ts-dropdown .option", has_text="苏州宏远精密").click()
    sales.fill("#delivery_date", "2030-09-30")
    pick(sales, "items-0-product", "剑杆织机改造套件")
    sales.fill("[name=items-0-qty]", "3")
    expect(sales.locator("#total")).to_have_value("72000.00")
    sales.click("[data-testid=save]")
    order_url = sales.url

    preview = sales.locator("[data-transition-preview=submit] [data-testid=route-preview]")
    expect(preview).to_contain_text("提交评审后将流转至：")
    expect(preview).to_contain_text("财务审核")
    expect(preview).to_contain_text("销售经理审批")
    expect(preview).not_to_contain_text("总经理审批")  # ¥72,000 is below its condition
    route = sales.locator("[data-testid=route]")
    expect(route.locator("[aria-current=step]")).to_contain_text("草稿")
    sales.click("[data-transition=submit]")
    expect(route.locator("[aria-current=step]")).to_contain_text("订单评审")
    expect(route.locator("[data-step=finance]")).to_have_attribute("data-status", "current")

    finance = open_page("zhaolei")
    finance.goto(order_url)
    actions = finance.locator("[data-testid=actions]")
    actions.locator("[name=comment]").first.fill("价格核对无误")
    actions.locator("[data-testid=approve]").click()
    expect(finance.locator(".alert-success")).to_be_visible()

    sales.goto(order_url)
    finance_step, manager_step, gm_step = (route.locator(f"[data-step={n}]") for n in ("finance", "manager", "gm"))
    expect(finance_step).to_have_attribute("data-status", "done")
    expect(finance_step.locator("[data-testid=route-acted]")).to_contain_text("赵磊")
    expect(finance_step.locator("[data-testid=route-acted]")).to_contain_text("价格核对无误")
    expect(manager_step).to_have_attribute("data-status", "current")
    expect(manager_step.locator("[data-testid=applies]")).to_have_text("适用于此记录")
    expect(manager_step.locator("[data-testid=route-waiting]")).to_contain_text("李莎")
    expect(gm_step).to_have_attribute("data-status", "skipped")
    expect(gm_step.locator("[data-testid=applies]")).to_have_text("不适用于此记录")
    route.scroll_into_view_if_needed()
    shoot(sales, "route")

    manager = open_page("lisa", viewport=PHONE)
    manager.goto(order_url)
    phone_route = manager.locator("[data-testid=route]")
    expect(phone_route.locator("[data-step=manager]")).to_have_attribute("data-status", "current")
    box = phone_route.bounding_box()
    assert box is not None and box["width"] <= 375
    assert manager.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    target = manager.locator("[data-testid=send-back-to]")
    expect(target).to_have_value("finance")  # the previous step, as a send back always went
    expect(target.locator("option")).to_have_text(["财务审核", "提交人（张伟）"])
    target.select_option("$submitter")
    manager.locator("[data-testid=actions] [name=comment]").first.fill("客户要改交期，请重新提交")
    manager.locator("[data-testid=send-back]").click()
    expect(manager.locator(".alert-success")).to_be_visible()
    expect(manager.locator("[data-testid=stage]")).to_have_text("草稿")
    entry = manager.locator("[data-testid=history] [data-action=send_back]")
    expect(entry).to_contain_text("销售经理审批 → 提交人")

    # the salesperson, on a phone: back in 草稿, how the review went, and where submitting again goes
    phone = open_page("zhangwei", viewport=PHONE)
    phone.goto(order_url)
    expect(phone.locator("[data-testid=stage]")).to_have_text("草稿")
    phone_route = phone.locator("[data-testid=route]")
    expect(phone_route.locator("[aria-current=step]")).to_contain_text("草稿")
    expect(phone_route.locator("[data-step=manager]")).to_have_attribute("data-status", "sent_back")
    expect(phone_route.locator("[data-step=manager] [data-testid=route-acted]")).to_contain_text("请重新提交")
    again = phone.locator("[data-transition-preview=submit] [data-testid=route-preview]")
    expect(again).to_contain_text("财务审核")
    expect(again).to_contain_text("销售经理审批")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("[data-testid=actions]").scroll_into_view_if_needed()
    shoot(phone, "route-phone")
    assert not sales.js_errors and not manager.js_errors and not phone.js_errors
