"""@mentions in a real browser (issue 14, point 7): typing `@` in a customer's comment box lists the
people who may read the customer (the manager, not another salesperson), Enter writes the mention,
sending tells the manager (a `mention` notification in her inbox)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)

from .conftest import SCREENSHOTS


def test_the_comment_box_completes_and_sends_a_mention(create_customer, open_page, live):
    sales = open_page("zhangwei")
    create_customer(sales, live, "苏州宏远精密")
    box = sales.locator("[data-testid=comment-form] [name=comment]")
    box.click()
    box.press_sequentially("请 @")
    choices = sales.locator("[data-testid=mention-list] [role=option]")
    expect(choices.first).to_be_visible()
    names = choices.all_inner_texts()
    assert any(name.startswith("李莎") for name in names), names
    assert not any(name.startswith("王芳") for name in names), names  # another salesperson's customer
    card = sales.locator("[data-testid=comment-form]").locator("xpath=..")
    card.scroll_into_view_if_needed()
    sales.wait_for_timeout(150)
    frame, listed = card.bounding_box(), sales.locator("[data-testid=mention-list]").bounding_box()
    height = max(frame["height"], listed["y"] + listed["height"] - frame["y"]) + 16
    sales.screenshot(path=str(SCREENSHOTS / "mention.png"), clip={
        "x": frame["x"] - 8, "y": frame["y"] - 8, "width": frame["width"] + 16, "height": height})
    box.press_sequentially("李")
    expect(choices).to_have_count(1)
    expect(choices.first).to_contain_text("李莎")
    expect(choices.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_value("请 @李莎 ")
    expect(sales.locator("[data-testid=mention-list]")).to_be_hidden()
    box.press_sequentially("看一下这个客户的开票信息")
    sales.locator("[data-testid=comment-form] button[type=submit]").click()
    expect(sales.locator("[data-testid=history]")).to_contain_text("请 @李莎 看一下这个客户的开票信息")
    assert sales.js_errors == []

    manager = open_page("lisa")
    manager.goto(f"{live}/notifications")
    expect(manager.locator("main")).to_contain_text(
        "张伟 在 客户 苏州宏远精密 中提到了你：请 @李莎 看一下这个客户的开票信息")
