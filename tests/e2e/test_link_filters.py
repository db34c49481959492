"""The form page's link picker with `filter`, `where` and `fill` (tests/configs/links):
choosing an account narrows the contacts and fills the account's values; changing the
account clears a contact that no longer fits, with a note."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "links"


@pytest.fixture
def site(serve, make_app, tmp_path):
    folder = tmp_path / "links"
    shutil.copytree(CONFIG, folder)
    return serve(make_app(folder))


def test_choose_account_narrows_contacts_fills_and_clears(chromium, site):
    context = chromium.new_context(locale="en-US", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{site}/login")
    page.fill("#username", "admin")
    page.fill("#password", "admin-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")

    def create(form: str, **fields) -> int:
        answer = page.request.post(f"{site}/api/forms/{form}/records", headers={"X-CSRFToken": token},
                                   data={"fields": fields})
        assert answer.status == 201, answer.text()
        return answer.json()["id"]

    north = create("account", name="North", address="1 North Rd", terms="net30")
    south = create("account", name="South", address="9 South St", terms="cash")
    create("person", name="Ann", account=north, phone="111")
    create("person", name="Bob", account=south, phone="222")
    create("part", name="Bolt", kind="metal", unit="pc", price="2.50")
    create("part", name="Plank", kind="wood", unit="m", price="7.00")

    page.goto(f"{site}/f/deal/new")
    page.fill("#subject", "Big deal")
    page.click("#account-ts-control")
    page.locator(".ts-dropdown .option", has_text="North").click()
    expect(page.locator("#address")).to_have_value("1 North Rd")
    expect(page.locator("#terms")).to_have_value("net30")

    page.locator("[data-field-block=contact] .ts-control").click()
    options = page.locator("[data-field-block=contact] .ts-dropdown .option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Ann")
    options.first.click()
    expect(page.locator("#contact_phone")).to_have_value("111")

    page.locator("[data-field-block=account] .ts-control").click()
    page.locator("[data-field-block=account] .ts-dropdown .option", has_text="South").click()
    page.locator("#subject").click()
    expect(page.locator("[data-testid=link-cleared-contact]")).to_be_visible()
    expect(page.locator("#contact")).to_have_value("")
    expect(page.locator("#contact_phone")).to_have_value("")  # the cleared contact's copy goes with it
    expect(page.locator("#address")).to_have_value("9 South St")

    page.fill("#kind", "metal")  # a row's part is filtered by the record's kind, and fills the row
    page.locator("td:has(#items-0-part) .ts-control").click()
    parts = page.locator("td:has(#items-0-part) .ts-dropdown .option")
    expect(parts).to_have_count(1)
    parts.first.click()
    expect(page.locator("#items-0-unit")).to_have_value("pc")
    expect(page.locator("#items-0-price")).to_have_value("2.50")
    page.fill("#items-0-qty", "4")
    expect(page.locator("#items-0-subtotal")).to_have_value("10.00")
    page.screenshot(path=str(Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "link-filters.png"))
    page.click("[data-testid=save]")
    expect(page.locator("h1")).to_be_visible()
    record_id = page.url.rstrip("/").rsplit("/", 1)[1]
    saved = page.request.get(f"{site}/api/forms/deal/records/{record_id}").json()["fields"]
    assert (saved["contact"], saved["contact_phone"], saved["address"], saved["total"]) == \
        (None, None, "9 South St", "10.00")
    assert not errors, errors
    context.close()
