"""A role's read-only fields in the browser: the edit page shows them disabled (a field, and a
table column in every row, rows added on the page too); removing a row and adding one keeps the
stored prices with their rows, and the new row gets the column's default."""
from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from engine.auth.users import create_user
from tests.access.test_readonly_fields import MODULE
from tests.e2e.conftest import DESKTOP


@pytest.fixture
def ledger(serve, make_app, write_module, tmp_path):
    folder = tmp_path / "ledger"
    write_module(folder, MODULE)
    app = make_app(folder)
    with app.extensions["engine"].db.transaction() as session:
        create_user(session, "clerk", "clerk-password", {"clerk"})
    return app, serve(app)


def test_read_only_inputs_are_disabled_and_rows_keep_their_values(chromium, ledger, make_user, log_in, shoot):
    app, base = ledger
    boss = make_user("boss", "boss")
    record = boss.create("entry", name="Alpha", rate="2.5",
                         lines=[{"item": "a", "qty": 2, "price": "10"}, {"item": "b", "qty": 1, "price": "4"}])
    context = chromium.new_context(viewport=DESKTOP, locale="en", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, base, "clerk")
        page.goto(f"{base}/f/entry/{record['id']}/edit")
        expect(page.locator("#rate")).to_be_disabled()
        expect(page.locator("#note")).to_be_enabled()
        expect(page.locator("[name=lines-0-price]:not([type=hidden])")).to_be_disabled()
        expect(page.locator("[name=lines-0-qty]")).to_be_enabled()
        page.click("[data-add-row=lines]")
        expect(page.locator("[name=lines-2-price]:not([type=hidden])")).to_be_disabled()
        page.fill("[name=lines-2-item]", "c")
        page.fill("[name=lines-2-qty]", "3")
        page.locator("tr[data-row]").nth(0).locator("[data-remove-row]").click()
        expect(page.locator("[name=lines-0-item]")).to_have_value("b")
        page.fill("#note", "checked")
        shoot(page, "readonly_fields")
        page.click("[data-testid=save]")
        page.wait_for_url(f"{base}/f/entry/{record['id']}")
        assert errors == []
    finally:
        context.close()
    fields = boss.get(f"/api/forms/entry/records/{record['id']}").get_json()["fields"]
    assert fields["note"] == "checked" and Decimal(fields["rate"]) == Decimal("2.5")
    assert [(r["item"], r["qty"], Decimal(r["price"]), Decimal(r["amount"])) for r in fields["lines"]] == \
        [("b", 1, Decimal(4), Decimal(4)), ("c", 3, Decimal(0), Decimal(0))]
