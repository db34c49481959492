"""The duplicate-phone warning appears as the user leaves the field, before saving, and moves nothing:
a click on Save pressed as the user leaves the field is not lost when the hint appears under it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)
from tests.e2e.conftest import PHONE


def test_a_known_phone_number_is_flagged_while_typing(create_customer, open_page, live):
    first = open_page("zhangwei")
    create_customer(first, live, "衢州第一机械")  # phone 13812345678
    other = open_page("wangfang")
    other.goto(f"{live}/f/customer/new")
    other.fill("#phone", "13812345678")
    other.locator("#phone").blur()
    expect(other.locator("[data-testid=duplicate-phone]")).to_contain_text("1")
    other.fill("#phone", "13900000000")
    other.locator("#phone").blur()
    expect(other.locator("[data-testid=duplicate-phone]")).to_have_text("")
    assert other.js_errors == []


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_hint_moves_nothing_and_a_click_on_save_is_not_lost(create_customer, open_page, live, viewport):
    first = open_page("zhangwei")
    create_customer(first, live, "衢州第一机械")  # phone 13812345678
    page = open_page("wangfang", viewport=viewport)
    page.goto(f"{live}/f/customer/new")
    page.fill("#name", "衢州第三机械")
    page.select_option("#grade", "A")
    save = page.locator("[data-testid=save]")
    hint = page.locator("[data-testid=duplicate-phone]")
    page.fill("#phone", "13812345678")  # the focus stays in the field: nothing checked yet
    save.scroll_into_view_if_needed()
    before = save.bounding_box()
    assert before is not None
    x, y = before["x"] + before["width"] / 2, before["y"] + before["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()  # leaves the phone field: the check runs while the button is held
    expect(hint).to_contain_text("1")  # one record wangfang may not see holds the number
    assert save.bounding_box() == before  # the hint appeared and the button stayed where it was pressed
    page.mouse.up()  # the click lands on Save: the record is saved (a duplicate phone is only a warning)
    expect(page.locator("h1")).to_contain_text("衢州第三机械")
    assert page.js_errors == []


def test_the_hint_names_every_record_in_its_title(create_customer, open_page, live):
    first = open_page("zhangwei")
    create_customer(first, live, "衢州第一机械")
    create_customer(first, live, "衢州第二机械")
    page = open_page("zhangwei", viewport=PHONE)
    page.goto(f"{live}/f/customer/new")
    hint = page.locator("[data-testid=duplicate-phone]")
    height = hint.bounding_box()["height"]  # its line is there before anything is checked
    assert height > 0
    page.fill("#phone", "13812345678")
    page.locator("#phone").blur()
    expect(hint).to_contain_text("衢州")
    title = hint.get_attribute("title") or ""
    assert "衢州第一机械" in title and "衢州第二机械" in title  # cut on the page, whole in the title
    assert hint.bounding_box()["height"] == height  # one line, however long the text
