"""The designer's 权限 and 提醒 tabs in a browser: an admin hides a field from a role, gives a role
a row rule (by keyboard), and adds a reminder "交货前 7 天提醒负责人" on a date field; the saved draft
(GET /api/admin/designer) holds exactly those changes, key order included, and the definitions in
use stay as they were. Also: the grid on a touch tablet, a problem shown on its cell, and roles
added and renamed. Runs on SQLite and PostgreSQL (the draft is stored in the database)."""
from __future__ import annotations

import copy
import json
import re

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401

TABLET = {"width": 768, "height": 1024}
RULE = "owner == $user or owner == null"
MESSAGE = "合同交货前 7 天提醒负责人：订单 {order_no} 即将交货"


def _form(doc: dict, name: str) -> dict:
    return next(f for f in doc["forms"] if f["name"] == name)


def _canonical(sources: dict) -> dict:
    return {file: json.dumps(doc, ensure_ascii=False, indent=2) + "\n" for file, doc in sources.items()}


def _state(page, base: str) -> dict:
    answer = page.request.get(f"{base}/api/admin/designer")
    assert answer.status == 200, answer.text()
    return answer.json()


def _saved(page) -> None:
    """Wait until the store has put the draft (no edit pending)."""
    page.wait_for_function("() => window.designerStore && window.designerStore.status === 'saved'")


def _shoot_top(shoot, page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky menu bar would be drawn mid-page otherwise
    shoot(page, name)


def _open_designer(page, base: str, tab: str) -> None:
    page.goto(f"{base}/admin/designer")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    page.click(f"[data-testid=tab-{tab}]")
    expect(page.locator(f"section[data-tab={tab}]")).to_be_visible()


def test_permissions_and_reminder_edits_reach_the_draft_exactly(open_page, live, shoot):
    page = open_page("admin")
    before = _state(page, live)
    assert before["draft"] is None
    live_files = before["files"]

    _open_designer(page, live, "perms")
    grid = page.locator("[data-testid=perms-grid]")
    expect(grid).to_be_visible()
    # every module's roles are rows; admin is "all" and cannot be changed
    expect(page.locator("tr[data-role=admin] [data-action=read]").first).to_have_attribute("aria-disabled", "true")
    expect(page.locator("[data-testid=cell-customer-sales-read]")).to_contain_text("按条件")

    # 1. hide 电话 of 客户 from 仓库 (mouse)
    page.select_option("[data-testid=perms-form]", "customer")
    page.click("[data-testid=cell-customer-warehouse-hide]")
    editor = page.locator("[data-testid=cell-editor]")
    expect(editor).to_be_visible()
    expect(page.locator("[data-testid=hide-name]")).to_have_count(0)  # the title field cannot be hidden
    page.check("[data-testid=hide-phone]")
    expect(page.locator("[data-testid=cell-customer-warehouse-hide]")).to_contain_text("1")

    # 2. 联系人: 销售 may read their own contacts and the unowned ones (keyboard only)
    page.select_option("[data-testid=perms-form]", "contact")
    page.locator("[data-testid=cell-contact-sales-create]").focus()
    page.keyboard.press("ArrowRight")  # → read
    expect(page.locator("[data-testid=cell-contact-sales-read]")).to_be_focused()
    page.keyboard.press("Enter")  # opens the editor, focus on the checked choice ("own")
    expect(page.locator("[data-testid=access-own]")).to_be_focused()
    page.keyboard.press("ArrowRight")  # radio group: → all
    page.keyboard.press("ArrowRight")  # → by rule
    expect(page.locator("[data-testid=access-rule]")).to_be_checked()
    page.locator("[data-testid=row-rule-preset]").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=cell-contact-sales-read]")).to_contain_text("按条件")
    expect(page.locator("[data-testid=cell-contact-sales-read]")).to_have_attribute("title", RULE)
    _saved(page)
    _shoot_top(shoot, page, "designer-permissions")

    # 3. 提醒: 销售订单, 7 days before 交货日期, to the salesperson, while in production
    page.click("[data-testid=tab-reminders]")
    page.select_option("[data-testid=reminders-form]", "sales_order")
    expect(page.locator("[data-testid=reminder]")).to_have_count(2)
    page.click("[data-testid=reminder-add]")
    card = page.locator("[data-testid=reminder]").nth(2)
    expect(card.locator("[data-testid=reminder-editor]")).to_be_visible()
    card.locator("[data-testid=reminder-date-field]").select_option("delivery_date")
    card.locator("[data-testid=reminder-amount]").fill("7")
    card.locator("[data-testid=reminder-amount]").press("Tab")
    expect(card.locator("[data-testid=reminder-toggle]")).to_contain_text("前 7 天")
    message = card.locator("[data-testid=reminder-message]")
    message.fill("合同交货前 7 天提醒负责人：订单  即将交货")
    message.press("End")
    for _ in range(5):  # the caret goes between the two spaces
        message.press("ArrowLeft")
    # the field picker puts {order_no} where the caret was
    card.locator("[data-testid=reminder-placeholder]").select_option("order_no")
    expect(card.locator("[data-testid=reminder-message]")).to_have_value(MESSAGE)
    expect(card.locator("[data-testid=reminder-toggle]")).to_contain_text(MESSAGE)
    card.locator("[data-testid=reminder-when-preset]", has_text="生产中").click()
    expect(card.locator("[data-testid=recipient-value]")).to_have_value("salesperson")
    _saved(page)
    _shoot_top(shoot, page, "designer-reminders")

    # the draft holds exactly these changes, in the files' key order; the live set is untouched
    expected = copy.deepcopy(live_files)
    _form(expected["crm.json"], "customer")["permissions"]["warehouse"]["hide"] = ["phone"]
    _form(expected["crm.json"], "contact")["permissions"]["sales"]["read"] = {"where": RULE}
    _form(expected["order_followup.json"], "sales_order")["reminders"].append({
        "name": "reminder", "date_field": "delivery_date", "offset": "-7d", "notify": [{"field": "salesperson"}],
        "when": "stage == 'production'", "message": MESSAGE})
    after = _state(page, live)
    assert after["draft"] is not None
    assert _canonical(after["draft"]["sources"]) == _canonical(expected)
    assert after["draft"]["problems"] == []
    assert after["files"] == live_files
    assert page.js_errors == []


def test_tablet_grid_scrolls_under_a_sticky_role_column(chromium, live, log_in, shoot):
    context = chromium.new_context(viewport=TABLET, has_touch=True, is_mobile=False, locale="zh-CN",
                                   timezone_id="Asia/Shanghai")
    try:
        _tablet(context.new_page(), live, log_in, shoot)
    finally:
        context.close()


def _tablet(page, live, log_in, shoot) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(10_000)
    log_in(page, live, "admin")
    _open_designer(page, live, "perms")
    scroller = page.locator("[data-testid=perms-scroll]")
    expect(scroller).to_be_visible()
    # all forms: wider than the screen, so the grid scrolls sideways and the role column stays
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    role = page.locator("tr[data-role=sales] th").first
    x = role.bounding_box()["x"]
    scroller.evaluate("el => { el.scrollLeft = 600; }")
    assert abs(role.bounding_box()["x"] - x) < 1
    # touch-sized cells
    box = page.locator("[data-testid=cell-customer-sales-read]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    scroller.evaluate("el => { el.scrollLeft = 0; }")
    # a tap opens a cell; create switches at once
    page.locator("[data-testid=cell-customer-finance-create]").tap()
    expect(page.locator("[data-testid=cell-customer-finance-create]")).to_have_attribute("aria-pressed", "true")
    page.locator("[data-testid=cell-customer-finance-read]").tap()
    expect(page.locator("[data-testid=access-all]")).to_be_checked()
    page.select_option("[data-testid=perms-form]", "sales_order")
    page.locator("[data-testid=cell-sales_order-warehouse-hide]").tap()
    expect(page.locator("[data-testid=hide-items\\.price]")).to_be_checked()
    _shoot_top(shoot, page, "designer-permissions-tablet")
    page.click("[data-testid=tab-reminders]")
    page.select_option("[data-testid=reminders-form]", "customer")
    page.locator("[data-testid=reminder-toggle]").nth(2).tap()
    expect(page.locator("[data-testid=reminder-transition]")).to_have_value("release")
    _shoot_top(shoot, page, "designer-reminders-tablet")
    # create on for finance is the only change
    _saved(page)
    draft = _state(page, live)["draft"]["sources"]
    finance = _form(draft["crm.json"], "customer")["permissions"]["finance"]
    assert list(finance.items()) == [("create", True), ("read", "all")]
    assert errors == []


def test_a_problem_marks_its_cell_and_leads_back_to_it(open_page, live):
    page = open_page("admin")
    _open_designer(page, live, "perms")
    page.select_option("[data-testid=perms-form]", "customer")
    cell = page.locator("[data-testid=cell-customer-sales-read]")
    cell.click()
    page.click("[data-testid=row-rule-mode-text]")
    page.fill("[data-testid=row-rule-text]", "budget > 10")
    page.locator("[data-testid=row-rule-text]").blur()
    _saved(page)
    # the server's problem (an unknown field) is shown on that cell and in its settings, in Chinese
    expect(cell).to_have_class(re.compile(r"dz-has-problem"))
    expect(cell.locator("[data-testid=problem-badge]")).to_have_text("1")
    expect(page.locator("[data-testid=cell-problems]")).to_contain_text("budget")
    # from the problems panel, in another tab, back to the cell
    page.click("[data-testid=tab-reminders]")
    page.click("[data-testid=designer-problems-toggle]")
    page.click("[data-testid=problem-link]")
    expect(page.locator("section[data-tab=perms]")).to_be_visible()
    expect(cell).to_be_focused()
    expect(page.locator("[data-testid=cell-editor]")).to_be_visible()
    # undo puts the rule back and the problem goes
    page.click("#designer-undo")
    _saved(page)
    expect(cell).not_to_have_class(re.compile(r"dz-has-problem"))
    expect(cell).to_have_attribute("title", "owner == $user or in_pool == true")
    assert page.js_errors == []


def _role_uses(sources: dict, role: str) -> list[str]:
    """Where a role is named: permission entries, `"role": R` (recipients, user fields) and `"roles"` lists."""
    found: list[str] = []

    def walk(value, path: str, top: bool = False) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}/{i}")
        elif isinstance(value, dict):
            for key, child in value.items():
                if top and key == "roles":
                    continue
                if key == "permissions" and isinstance(child, dict) and role in child:
                    found.append(f"{path}/permissions/{role}")
                if (key == "role" and child == role) or (key == "roles" and isinstance(child, list) and role in child):
                    found.append(f"{path}/{key}")
                walk(child, f"{path}/{key}")
    for file, doc in sources.items():
        walk(doc, file, top=True)
    return found


def test_roles_add_and_rename_with_a_warning(open_page, live):
    page = open_page("admin")
    live_files = _state(page, live)["files"]
    _open_designer(page, live, "perms")
    page.click("[data-testid=perms-roles-toggle]")
    panel = page.locator("[data-testid=roles-panel]")
    page.fill("[data-testid=role-add-name]", "Bad Name")
    page.click("[data-testid=role-add]")
    expect(page.locator("[data-testid=role-add-error]")).to_contain_text("小写字母")
    page.fill("[data-testid=role-add-name]", "service")
    page.fill("[data-testid=role-add-title]", "客服")
    page.select_option("[data-testid=role-add-module]", "crm.json")
    page.click("[data-testid=role-add]")
    expect(page.locator("[data-testid=perms-grid] tr[data-role=service] th")).to_contain_text("客服")
    # an unused role renames without a warning; a used one warns before renaming it everywhere
    page.click("[data-testid=role-rename-service]")
    expect(panel.locator("[data-testid=role-in-use]")).to_have_count(0)
    expect(panel.locator("[data-testid=role-users-move]")).to_have_count(0)  # new: nobody holds it yet
    page.click("[data-testid=role-remove-service]")
    expect(page.locator("[data-testid=perms-grid] tr[data-role=service]")).to_have_count(0)
    page.click("[data-testid=role-rename-production]")
    expect(panel.locator("[data-testid=role-in-use]")).to_contain_text("production")
    expect(panel.locator("[data-testid=role-users-move]")).to_contain_text("production")  # live: its users move
    page.fill("[data-testid=role-rename-input]", "factory")
    page.click("[data-testid=role-rename-ok]")
    expect(page.locator("[data-testid=perms-grid] tr[data-role=factory]")).to_have_count(1)
    expect(page.locator("[data-testid=perms-grid] tr[data-role=production]")).to_have_count(0)
    expect(panel.locator("[data-testid=role-renamed-from-factory]")).to_contain_text("production")
    _saved(page)
    draft = _state(page, live)["draft"]["sources"]
    assert _role_uses(draft, "production") == []
    assert len(_role_uses(draft, "factory")) == len(_role_uses(live_files, "production")) > 5
    assert [r["name"] for r in draft["crm.json"]["roles"]][-1] == "factory"
    assert draft["crm.json"]["roles"][-1]["renamed_from"] == "production"
    assert list(_form(draft["order_followup.json"], "sales_order")["permissions"])[4] == "factory"
    assert page.js_errors == []
