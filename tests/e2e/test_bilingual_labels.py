"""A module written in two languages, in the browser: switching to English shows its English
labels, option badges, stage and transition titles and the form's English help; switching back
shows the Chinese. A text without English stays Chinese in both."""
from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from engine.auth.users import create_user
from tests.conftest import TEST_CONFIGS


@pytest.fixture
def live(serve, make_app, tmp_path):
    folder = tmp_path / "bilingual"
    shutil.copytree(TEST_CONFIGS / "bilingual", folder)
    app = make_app(folder)
    with app.extensions["engine"].db.transaction() as session:
        create_user(session, "ann", "ann-password", {"agent"}, display_name="安")
    return serve(app)


def test_switching_to_english_shows_the_modules_english_texts(open_page, live, shoot):
    page = open_page("ann")
    page.goto(f"{live}/f/ticket/new")
    expect(page.locator("label[for=subject]")).to_contain_text("主题")
    page.fill("#subject", "打印机卡纸")
    page.select_option("#level", "high")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=stage]")).to_have_text("待处理")
    record_url = page.url

    page.click("[data-testid=user-menu]")
    page.click("[data-lang=en]")
    expect(page.locator("[data-testid=stage]")).to_have_text("Open")
    expect(page.locator("[data-transition=submit]")).to_contain_text("Send for review")
    expect(page.locator("body")).to_contain_text("Subject")
    expect(page.locator(".option-badge")).to_have_text("Urgent")
    expect(page.locator("body")).not_to_contain_text("紧急")

    page.goto(f"{live}/f/ticket")
    expect(page.locator("h1, h2").first).to_contain_text("Ticket")
    expect(page.locator("[data-testid=record-list]")).to_contain_text("Urgent")
    expect(page.locator("thead")).to_contain_text("房间号")  # no English given: the Chinese label
    expect(page.locator("nav")).to_contain_text("Ticket")
    expect(page.locator("select[name=level] option[value=high]")).to_have_text("Urgent")  # the list filter
    shoot(page, "bilingual-list-en")
    page.goto(f"{live}/f/ticket?view=board")
    expect(page.locator("body")).to_contain_text("In review")  # the board's columns are the stages
    expect(page.locator("body")).not_to_contain_text("待处理")

    page.goto(f"{live}/f/ticket/new")
    expect(page.locator("label[for=subject]")).to_contain_text("Subject")
    expect(page.locator("#subject")).to_have_attribute("placeholder", "e.g. paper jam")
    expect(page.locator("#level option[value=high]")).to_have_text("Urgent")
    expect(page.locator("#level option[value=low]")).to_have_text("低")

    page.goto(record_url)
    page.click("[data-testid=user-menu]")
    page.click("[data-lang=zh_CN]")
    expect(page.locator("[data-testid=stage]")).to_have_text("待处理")
    expect(page.locator(".option-badge")).to_have_text("紧急")
    assert not page.js_errors, page.js_errors
