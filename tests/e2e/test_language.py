"""A Chinese user never meets English UI text: the main pages, a form with validation errors,
a refused task decision, a link picker that finds nothing, the login prompt and the admin's
configuration editor with a broken file are crawled as a zh user, and words that only English
UI text would contain fail the test (the shipped demo data and configs are Chinese)."""
from __future__ import annotations

import json
import re

from playwright.sync_api import expect

ENGLISH = re.compile(r"\b(validation failed|no results|please log in|required|must be|is not|unknown|"
                     r"not allowed|invalid|loading|error)\b", re.I)

VISIBLE_TEXT = """(skip) => {
  const copy = document.body.cloneNode(true);
  // user-typed and machine text: the JSON being edited, code samples, scripts
  copy.querySelectorAll('textarea, pre, code, script, template' + skip).forEach((e) => e.remove());
  return copy.innerText || copy.textContent;
}"""


def assert_chinese(page, where: str, skip: str = "") -> None:
    text = page.evaluate(VISIBLE_TEXT, skip)
    leaks = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    assert not leaks, f"{where}: English UI text {leaks} in:\n{text[:3000]}"


def test_a_chinese_user_meets_no_english(create_customer, open_page, live):
    anonymous = open_page()
    anonymous.goto(f"{live}/f/customer")
    expect(anonymous.locator("#username")).to_be_visible()
    assert "请先登录" in anonymous.content()
    assert_chinese(anonymous, "login prompt")

    sales = open_page("zhangwei")
    create_customer(sales, live, "上海星辰科技有限公司")
    assert_chinese(sales, "customer detail")
    for url in ("/", "/f/customer", "/f/customer?view=list&q=没有这个", "/f/sales_order", "/f/sales_order?view=board",
                "/tasks", "/tasks?status=done", "/notifications", "/dashboard"):
        sales.goto(f"{live}{url}")
        assert_chinese(sales, url)

    sales.goto(f"{live}/f/customer/new")
    sales.fill("#phone", "12")
    sales.click("[data-testid=save]")
    expect(sales.locator("[data-testid=form-errors]")).to_be_visible()
    assert_chinese(sales, "customer form with errors")

    sales.goto(f"{live}/f/sales_order/new")
    sales.click("#customer-ts-control")
    sales.keyboard.type("没有这个客户")
    expect(sales.locator(".ts-dropdown .no-results")).to_be_visible()
    assert_chinese(sales, "link picker with no results")
    sales.keyboard.press("Escape")
    sales.fill("[name=items-0-qty]", "2")
    sales.click("[data-testid=save]")
    expect(sales.locator("[data-testid=form-errors]")).to_be_visible()
    assert_chinese(sales, "order form with errors")

    # a draft without lines or delivery date: submitting it asks for them, naming the fields
    sales.goto(f"{live}/f/sales_order/new")
    sales.click("#customer-ts-control")
    sales.locator(".ts-dropdown .option", has_text="上海星辰科技有限公司").click()
    sales.click("[data-testid=save]")
    expect(sales.locator("[data-testid=stage]")).to_have_text("草稿")
    assert_chinese(sales, "order detail")
    sales.click("[data-transition=submit]")
    expect(sales.locator("dialog#ask-dialog")).to_contain_text("交货日期")
    assert_chinese(sales, "submit asking for the fields")
    sales.locator("dialog#ask-dialog [data-ask-cancel].btn").click()

    admin = open_page()
    admin.goto(f"{live}/login")
    admin.fill("#username", "admin")
    admin.fill("#password", "admin-password")
    admin.click("button[type=submit]")
    admin.wait_for_url(f"{live}/")
    for url in ("/admin/users", "/admin/definitions", "/admin/incidents"):
        admin.goto(f"{live}{url}")
        assert_chinese(admin, url)
    admin.goto(f"{live}/admin/definitions/crm.json/edit")
    doc = json.loads(admin.locator("textarea[name=text]").input_value())
    doc["forms"][0]["title_field"] = "nickname"
    doc["forms"][0]["fields"][0]["lable"] = "客户"
    doc["forms"][0]["list"]["order_by"] = "-rank"
    admin.locator("[data-testid=json-editor]").evaluate(  # the textarea is shown as the CodeMirror editor
        "(host, text) => { const v = host.dzJsonEditor.view;"
        " v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }",
        json.dumps(doc, ensure_ascii=False))
    admin.click("[data-testid=save-definition]")
    problems = admin.locator("[data-testid=edit-problems] li")
    expect(problems.first).to_be_visible()
    assert problems.count() >= 1
    for line in problems.all_inner_texts():  # in Chinese, naming keys and values as written
        assert re.search(r"[\u4e00-\u9fff]", line.split(": ", 2)[-1]), line
    assert_chinese(admin, "configuration editor with a broken file",
                   skip=", [data-testid=edit-problems] li, [data-testid=json-editor] .cm-content")
    assert not sales.js_errors and not admin.js_errors


def test_the_login_page_fits_a_phone(open_page, live):
    """The login card keeps inside a 375 px screen: no sideways scroll before anyone signs in."""
    from tests.e2e.conftest import PHONE

    page = open_page(viewport=PHONE)
    page.goto(f"{live}/login")
    expect(page.locator("#username")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
