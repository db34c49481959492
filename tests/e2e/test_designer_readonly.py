"""A role's read-only fields in the permissions matrix, in a browser: the 只读字段 column counts them,
its editor ticks 联系电话 and a line-item column (the title field is offered too), the draft holds
`readonly` after the role's other keys, and unticking the last one removes the key. Runs on SQLite and
PostgreSQL: the draft is stored in the database."""
from __future__ import annotations

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP

ENTRY = "window.designerStore.findForm('customer').form.permissions.sales"


def test_read_only_fields_of_a_role(open_page, live, shoot):
    page = open_page("admin", viewport=DESKTOP)
    page.goto(f"{live}/admin/designer#perms")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    expect(page.locator("[data-testid=perms-grid]")).to_be_visible()
    page.select_option("[data-testid=perms-form]", "customer")
    before = page.evaluate(f"Object.keys({ENTRY})")
    cell = page.locator("[data-testid=cell-customer-sales-readonly]")
    expect(cell).to_have_text("—")
    cell.click()
    expect(page.locator("[data-testid=readonly-list]")).to_be_visible()
    expect(page.locator("[data-testid=readonly-name]")).to_have_count(1)  # the title field may be read-only
    page.check("[data-testid=readonly-phone]")
    page.check("[data-testid=readonly-name]")
    expect(cell).to_have_text("2")
    assert page.evaluate(f"{ENTRY}.readonly") == ["phone", "name"]
    keys = page.evaluate(f"Object.keys({ENTRY})")  # after the role's create/read/update/delete/hide
    known = ("create", "read", "update", "delete", "hide")
    assert all(keys.index(k) < keys.index("readonly") for k in before if k in known)
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(page.locator("#designer-problem-count")).to_have_text("0", timeout=15_000)
    page.locator("[data-testid=cell-editor]").scroll_into_view_if_needed()
    shoot(page, "designer-perms-readonly")
    page.uncheck("[data-testid=readonly-phone]")
    page.uncheck("[data-testid=readonly-name]")
    expect(cell).to_have_text("—")
    assert page.evaluate(f"'readonly' in {ENTRY}") is False
    assert page.js_errors == []
