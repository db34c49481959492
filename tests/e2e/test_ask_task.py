"""Ask, don't fail for approval tasks in the browser (issue #14, point 3): approving at a step that
`require`s a field opens a dialog for it (a select, as on the record form); rejecting without a comment
opens a dialog for the comment; an approve with nothing to ask goes straight through."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)
from tests.e2e.conftest import DESKTOP
from tests.workflows.parcels import URL, cast_of, module


@pytest.fixture
def parcels(serve, make_app, write_module, tmp_path):
    folder = tmp_path / "parcels"
    write_module(folder, module())
    app = make_app(folder)
    return cast_of(app), serve(app), app


def waiting_for_payment(cast) -> int:
    record = cast["cleo"].create("parcel", subject="Books")
    assert cast["cleo"].post(f"{URL}/{record['id']}/transitions/pack", json={}).status_code == 200
    shipped = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship",
                               json={"fields": {"carrier": "sf", "tracking": "1"}})
    assert shipped.status_code == 200
    return record["id"]


@pytest.fixture
def page_as(chromium, parcels, log_in):
    contexts = []

    def open_as(user):
        context = chromium.new_context(viewport=DESKTOP, locale="en", timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        log_in(page, parcels[1], user)
        return page
    yield open_as
    for context in contexts:
        context.close()


def test_approve_asks_for_the_step_field_then_approves(parcels, page_as):
    cast, base, _app = parcels
    record = waiting_for_payment(cast)
    page = page_as("pat")
    page.goto(f"{base}/f/parcel/{record}")
    page.click("[data-testid=approve]")
    dialog = page.locator("dialog#ask-dialog")
    expect(dialog.locator("[data-field-block=terms]")).to_be_visible()
    expect(dialog.locator("[data-field-block]")).to_have_count(2)  # terms and the comment
    dialog.locator("[data-testid=ask-submit]").click()
    expect(dialog.locator("[data-field-block=terms] .invalid-feedback")).to_be_visible()
    dialog.locator("#terms").select_option("credit")
    dialog.locator("#ask-comment").fill("on account")
    dialog.locator("[data-testid=ask-submit]").click()
    expect(page.locator("[data-testid=stage]")).to_have_text("Shipped")
    assert cast["cleo"].get(f"{URL}/{record}").get_json()["fields"]["terms"] == "credit"
    assert page.js_errors == []


def test_reject_without_a_comment_asks_for_it(parcels, page_as):
    cast, base, _app = parcels
    record = waiting_for_payment(cast)
    page = page_as("pat")
    page.goto(f"{base}/f/parcel/{record}")
    page.click("[data-testid=reject]")
    dialog = page.locator("dialog#ask-dialog")
    expect(dialog.locator("#ask-comment")).to_be_visible()
    expect(dialog.locator("[data-field-block=terms]")).to_have_count(0)
    dialog.locator("#ask-comment").fill("unpaid")
    dialog.locator("[data-testid=ask-submit]").click()
    expect(page.locator("[data-testid=stage]")).to_have_text("Packed")
    assert page.js_errors == []


def test_approve_with_nothing_to_ask_goes_straight_through(parcels, page_as):
    cast, base, app = parcels
    record = waiting_for_payment(cast)
    from sqlalchemy import update

    engine = app.extensions["engine"]
    with engine.db.transaction() as session:
        table = engine.runtime().tables("parcel").table
        session.execute(update(table).where(table.c.id == record).values(terms="cash"))
    page = page_as("pat")
    page.goto(f"{base}/f/parcel/{record}")
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=stage]")).to_have_text("Shipped")
    expect(page.locator("dialog#ask-dialog")).to_have_count(0)
    assert page.js_errors == []


def test_a_comment_typed_on_the_page_is_enough_for_a_comment_only_transition(parcels, page_as):
    cast, base, _app = parcels
    typed = cast["cleo"].create("parcel", subject="Typed")["id"]
    empty = cast["cleo"].create("parcel", subject="Empty")["id"]
    page = page_as("cleo")
    page.goto(f"{base}/f/parcel/{typed}")
    page.locator("[data-testid=transitions] [name=comment]").fill("customer called")
    page.click("[data-transition=cancel]")
    expect(page.locator("[data-testid=stage]")).to_have_text("Cancelled")
    expect(page.locator("dialog#ask-dialog")).to_have_count(0)
    page.goto(f"{base}/f/parcel/{empty}")
    page.click("[data-transition=cancel]")  # nothing typed: the dialog asks for it
    dialog = page.locator("dialog#ask-dialog")
    expect(dialog.locator("#ask-comment")).to_be_visible()
    dialog.locator("[data-ask-cancel].btn").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-testid=stage]")).to_have_text("Draft")
    assert page.js_errors == []
