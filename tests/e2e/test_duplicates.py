"""The duplicate-phone warning appears as the user leaves the field, before saving."""
from __future__ import annotations

from playwright.sync_api import expect


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
