"""The designer's preview in a browser: an admin's draft adds 微信号 to 客户 hidden from 销售;
the preview shows the form as 销售 (without it) and as 销售经理 (with it), the save button does
nothing, the list shows sample values for the column that does not exist yet, and the record
page shows the role's fields, its transitions and approval buttons disabled and the approval
route of a stage."""
from __future__ import annotations

import json

from playwright.sync_api import expect


def save_draft(page, live: str) -> None:
    page.goto(f"{live}/")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    state = page.request.get(f"{live}/api/admin/designer").json()
    files = state["files"]
    customer = next(f for f in files["crm.json"]["forms"] if f["name"] == "customer")
    customer["fields"].insert(1, {"name": "wechat", "type": "text", "label": "微信号", "required": True})
    customer["permissions"]["sales"]["hide"] = ["wechat"]
    customer["list"]["columns"].append("wechat")
    answer = page.request.put(f"{live}/api/admin/designer/draft",
                              data=json.dumps({"base_signature": state["live"]["signature"], "sources": files}),
                              headers={"X-CSRFToken": token or "", "Content-Type": "application/json"})
    assert answer.status == 200, answer.text()
    assert answer.json()["problems"] == []


def test_preview_the_draft_form_and_list_as_two_roles(open_page, live, shoot):
    page = open_page("admin")
    save_draft(page, live)

    page.goto(f"{live}/admin/designer/preview/customer?role=sales&view=form")
    expect(page.get_by_test_id("preview-banner")).to_contain_text("预览：销售 看到的表单（草稿）")
    expect(page.locator("#name")).to_be_visible()
    expect(page.locator("#wechat")).to_have_count(0)
    expect(page.get_by_test_id("save")).to_be_disabled()

    page.goto(f"{live}/admin/designer/preview/customer?role=sales_manager&view=form")
    expect(page.get_by_test_id("preview-banner")).to_contain_text("预览：销售经理 看到的表单（草稿）")
    expect(page.locator("#wechat")).to_be_visible()
    expect(page.locator("label[for=wechat]")).to_contain_text("微信号 *")
    page.fill("#wechat", "wx-1")
    page.get_by_test_id("save").click(force=True)  # disabled: nothing happens
    expect(page).to_have_url(f"{live}/admin/designer/preview/customer?role=sales_manager&view=form")
    shoot(page, "designer-preview-form")

    page.goto(f"{live}/admin/designer/preview/customer?role=sales_manager&view=list")
    expect(page.get_by_test_id("preview-samples")).to_be_visible()
    expect(page.locator("table.record-list thead")).to_contain_text("微信号")
    shoot(page, "designer-preview-list")

    page.goto(f"{live}/admin/designer/preview/customer?role=sales&view=detail")
    expect(page.get_by_test_id("preview-banner")).to_contain_text("预览：销售 看到的记录页面（草稿）")
    expect(page.get_by_test_id("preview-samples")).to_be_visible()
    expect(page.locator("[data-value=name]")).to_be_visible()
    expect(page.locator("[data-value=wechat]")).to_have_count(0)
    expect(page.locator("[data-transition=release]")).to_be_disabled()  # the sample is the role's own
    expect(page.locator("[data-testid=comment-form] button")).to_be_disabled()
    page.get_by_test_id("preview-view-detail").click()  # the switcher keeps the view
    page.get_by_test_id("preview-roles").locator("xpath=..").locator("button").click()
    page.get_by_test_id("preview-roles").locator("a", has_text="销售经理").click()
    expect(page).to_have_url(f"{live}/admin/designer/preview/customer?role=sales_manager&view=detail")
    expect(page.locator("[data-value=wechat]")).to_be_visible()

    page.goto(f"{live}/admin/designer/preview/sales_order?role=sales_manager&view=detail&stage=review")
    expect(page.get_by_test_id("stage")).to_have_text("订单评审")
    expect(page.locator("[data-transition=cancel]")).to_be_disabled()
    expect(page.get_by_test_id("approve")).to_be_disabled()  # 销售经理 approves a step of 订单评审
    expect(page.get_by_test_id("approval-progress")).to_contain_text("财务审核")
    expect(page.get_by_test_id("step-approvers").first).to_have_text("财务")
    page.get_by_test_id("approve").click(force=True)  # disabled: nothing happens
    expect(page).to_have_url(f"{live}/admin/designer/preview/sales_order?role=sales_manager&view=detail&stage=review")
    shoot(page, "designer-preview-detail")

    page.goto(f"{live}/admin/designer/preview/sales_order?role=sales&view=board")
    expect(page.get_by_test_id("board").locator("section")).to_have_count(9)  # one column per stage
    assert page.js_errors == []

    page.goto(f"{live}/f/customer")  # the live list is as it was: no 微信号 column
    expect(page.locator("table.record-list thead")).not_to_contain_text("微信号")


def test_the_form_tab_opens_the_record_page_and_the_board_of_the_draft(open_page, live):
    page = open_page("admin")
    save_draft(page, live)
    page.goto(f"{live}/admin/designer")
    page.click("[data-testid=tab-form]")
    picker = "[data-testid=form-picker]"
    contact = page.locator(f"{picker} option[data-form=contact]").get_attribute("value")
    page.select_option(picker, value=contact)  # 联系人 has no workflow: no board
    expect(page.get_by_test_id("preview-detail")).to_have_text("预览详情")
    expect(page.get_by_test_id("preview-board")).to_have_count(0)
    customer = page.locator(f"{picker} option[data-form=customer]").get_attribute("value")
    page.select_option(picker, value=customer)
    page.select_option("[data-testid=preview-role]", "sales")
    with page.context.expect_page() as opened:
        page.get_by_test_id("preview-detail").click()
    detail = opened.value
    detail.wait_for_url(f"{live}/admin/designer/preview/customer?role=sales&view=detail")
    expect(detail.get_by_test_id("preview-banner")).to_contain_text("预览：销售 看到的记录页面（草稿）")
    expect(detail.locator("[data-value=wechat]")).to_have_count(0)
    detail.close()
    with page.context.expect_page() as opened:
        page.get_by_test_id("preview-board").click()
    board = opened.value
    board.wait_for_url(f"{live}/admin/designer/preview/customer?role=sales&view=board")
    expect(board.get_by_test_id("preview-banner")).to_contain_text("预览：销售 看到的看板（草稿）")
    expect(board.get_by_test_id("board").locator("section")).to_have_count(2)
    assert page.js_errors == []
