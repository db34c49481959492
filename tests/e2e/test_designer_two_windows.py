"""One admin, two windows of the designer: the second window's save does not overwrite the draft the
first one saved; it says so in Chinese and offers to reload, which continues from the newest draft.
Runs on SQLite and PostgreSQL (drafts are stored in the database)."""
from __future__ import annotations

from playwright.sync_api import expect

# the designer's drafts live in the database: this browser test runs on both backends
from tests.conftest import db_url  # noqa: F401

from .test_designer_form import open_designer


def labels(page) -> list[str]:
    return page.evaluate("() => window.designerStore.doc('crm.json').forms[0].fields.map(f => f.label)")


def test_a_second_window_never_overwrites_the_first_windows_draft(open_page, live):
    first = open_page("admin")
    open_designer(first, live)
    second = first.context.new_page()  # same login, another window
    second.set_default_timeout(10_000)
    open_designer(second, live)

    first.click("[data-testid=palette-email]")
    expect(first.locator("#designer-status")).to_have_attribute("data-state", "saved", timeout=15_000)
    second.click("[data-testid=palette-url]")
    status = second.locator("#designer-status")
    expect(status).to_have_attribute("data-state", "conflict", timeout=15_000)
    expect(status).to_contain_text("另一个窗口")
    saved = first.request.get(f"{live}/api/admin/designer").json()["draft"]["sources"]["crm.json"]
    assert [f["type"] for f in saved["forms"][0]["fields"]][-1] == "email"  # the first window's draft stands

    second.click("[data-testid=designer-reload]")
    expect(second.locator("#designer[data-ready=true]")).to_be_visible()
    assert labels(second) == labels(first)  # continues from the newest draft
    second.click("[data-testid=palette-url]")
    expect(second.locator("#designer-status")).to_have_attribute("data-state", "saved", timeout=15_000)
    assert first.js_errors == []
