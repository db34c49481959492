"""The designer when the admin's session ends while editing (probe of issue #12, finding 13): the edit
that cannot be saved says so in Chinese with a way to log in again; after logging in again in another
tab, Retry takes the new session's CSRF token and the draft is saved with every edit of the page.
Leaving the page while edits are not saved asks first. Runs on SQLite and PostgreSQL (drafts live in the
database)."""
from __future__ import annotations

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP, _log_in
from tests.e2e.test_designer_form import card, commit, open_designer


def rename(page, old: str, new: str) -> None:
    card(page, old).first.click()
    commit(page, "prop-label", new)


def draft_label(page, base: str) -> str | None:
    state = page.request.get(f"{base}/api/admin/designer").json()
    if not state["draft"]:
        return None
    fields = state["draft"]["sources"]["crm.json"]["forms"][0]["fields"]
    label = next(f["label"] for f in fields if f["name"] == "grade")
    return label["zh-CN"] if isinstance(label, dict) else label  # the shipped module carries both languages


def test_session_ends_mid_edit_log_in_again_and_retry(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.type))
    rename(page, "客户等级", "客户等级一")
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    assert draft_label(page, live) == "客户等级一"

    # the session ends (logged out elsewhere, or expired): the next edit cannot be saved
    page.context.clear_cookies()
    commit(page, "prop-label", "客户等级二")
    status = page.locator("[data-testid=designer-status]")
    expect(status).to_contain_text("登录已过期", timeout=15_000)
    expect(page.locator("[data-testid=designer-login]")).to_have_attribute("target", "_blank")
    assert page.evaluate("() => window.designerStore.hasUnsavedEdits()") is True
    # another edit meanwhile stays in the page too
    commit(page, "prop-label", "客户等级三")
    expect(status).to_contain_text("登录已过期", timeout=15_000)

    # log in again in another tab of the same browser (a new session: a new CSRF token)
    other = page.context.new_page()
    _log_in(other, live, "admin")
    other.close()
    page.click("[data-testid=designer-retry]")
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(status).to_contain_text("草稿已保存")
    expect(page.locator("[data-testid=designer-retry]")).to_have_count(0)
    assert draft_label(page, live) == "客户等级三"

    # later edits save with the new token without a word
    commit(page, "prop-label", "客户等级四")
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    assert draft_label(page, live) == "客户等级四"
    assert page.js_errors == []  # type: ignore[attr-defined]

    # leaving with everything saved: no question; with an edit not yet saved: the browser asks first
    page.goto(f"{live}/admin/designer")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    assert dialogs == []
    rename(page, "客户等级四", "客户等级五")
    assert page.evaluate("() => window.designerStore.hasUnsavedEdits()") is True
    page.goto(f"{live}/")
    assert dialogs == ["beforeunload"]
