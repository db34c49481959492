"""The whole story of issue 12, in one browser session: an admin who has never seen JSON adds a 微信号
text field and a required 客户来源 select with options to the customer form, adds the approval step
"金额 ≥ 100,000 → 总经理" to the order review and a reminder to the order, previews the customer form as
销售, publishes with a note; a salesperson in another browser fills the new fields; the admin restores
the previous version, and the salesperson's form is back as it was while the value stays stored.
Runs on SQLite and PostgreSQL (drafts and publications are in the database)."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import text

# the designer's drafts and publications live in the database: this test runs on both backends
from tests.conftest import db_url  # noqa: F401

from .conftest import DESKTOP
from .test_designer_form import add_wechat_and_source, drag_with_mouse, open_designer


def after_last_card(page):
    """The lower half of the customer form's last card: a drop there goes after it."""
    page.wait_for_function("() => window.designerStore.status !== 'pending'")
    last = page.locator("[data-testid=canvas-fields] > [data-field-card]").last
    last.evaluate("card => card.scrollIntoView({block: 'center', behavior: 'instant'})")
    box = last.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] - 6


def saved(page) -> None:
    expect(page.locator("#designer-status")).to_have_attribute("data-state", "saved", timeout=15_000)


def add_general_manager_step(page) -> None:
    page.click("[data-testid=tab-flow]")
    page.select_option("[data-testid=flow-form]", "sales_order")
    page.locator("[data-testid=flow-node-review] .dz-flow-node-box").click()
    panel = page.locator("[data-testid=flow-stage-panel]")
    expect(panel).to_have_attribute("data-stage", "review")
    steps = panel.locator("[data-testid=flow-step]")
    before = steps.count()
    panel.locator("[data-testid=flow-add-step]").click()
    step = steps.nth(before)
    step.locator("[data-testid=flow-step-title]").fill("总经理审批")
    step.locator("[data-testid=flow-step-title]").press("Enter")
    step = steps.nth(before)
    step.locator("[data-testid=flow-step-name]").fill("gm_large")
    step.locator("[data-testid=flow-step-name]").press("Enter")
    step = panel.locator("[data-step=gm_large]")
    step.locator("[data-testid=flow-step-approvers-kind]").select_option("role")
    step.locator("[data-testid=flow-step-approvers-value]").select_option("general_manager")
    step.locator("[data-testid=flow-step-when-add]").click()
    step.locator("[data-testid=flow-step-when-field-0]").select_option("total")
    step.locator("[data-testid=flow-step-when-op-0]").select_option(">=")
    step.locator("[data-testid=flow-step-when-value-0]").fill("100000")
    step.locator("[data-testid=flow-step-when-value-0]").press("Tab")
    saved(page)


def add_delivery_reminder(page) -> None:
    page.click("[data-testid=tab-reminders]")
    page.select_option("[data-testid=reminders-form]", "sales_order")
    cards = page.locator("[data-testid=reminder]")
    before = cards.count()
    page.click("[data-testid=reminder-add]")
    card = cards.nth(before)
    card.locator("[data-testid=reminder-date-field]").select_option("delivery_date")
    card.locator("[data-testid=reminder-amount]").fill("3")
    card.locator("[data-testid=reminder-amount]").press("Tab")
    card.locator("[data-testid=reminder-message]").fill("三天后交货，请确认发货安排")
    card.locator("[data-testid=reminder-message]").press("Tab")
    saved(page)


def live_definitions(page, base: str) -> dict:
    return page.request.get(f"{base}/api/admin/designer").json()["files"]


def form_of(files: dict, name: str) -> dict:
    return next(f for doc in files.values() for f in doc.get("forms", []) if f["name"] == name)


def test_an_admin_who_never_saw_json_changes_the_modules_and_takes_it_back(open_page, live, shoot, make_app,
                                                                            tmp_path):
    admin = open_page("admin", viewport=DESKTOP)
    open_designer(admin, live)

    # 1. the customer form: 微信号 and a required 客户来源 with three options, by dragging
    add_wechat_and_source(admin, drag_with_mouse, after_last_card)
    source_name = admin.evaluate("""() => window.designerStore.doc('crm.json').forms[0].fields
        .filter(f => f.label === '客户来源' && f.name !== 'source')[0].name""")
    saved(admin)

    # 2. the order review: 总经理 approves when 应收金额 ≥ 100,000; 3. a reminder before delivery
    add_general_manager_step(admin)
    add_delivery_reminder(admin)
    assert admin.evaluate("() => window.designerStore.check()") == []  # the checks of `engine validate`

    # 4. preview the customer form as 销售, from the draft, in a new tab
    admin.click("[data-testid=tab-form]")
    customer = admin.locator("[data-testid=form-picker] option[data-form=customer]").get_attribute("value")
    admin.select_option("[data-testid=form-picker]", value=customer)
    admin.select_option("[data-testid=preview-role]", "sales")
    with admin.context.expect_page() as opened:
        admin.click("[data-testid=preview-form]")
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_test_id("preview-banner")).to_contain_text("预览：销售 看到的表单（草稿）")
    expect(preview.locator("label[for=wechat]")).to_contain_text("微信号")
    expect(preview.locator(f"label[for={source_name}]")).to_contain_text("客户来源 *")
    shoot(preview, "designer-story-preview")
    preview.close()
    assert "wechat" not in str(live_definitions(admin, live))  # nothing is live yet

    # 5. review and publish with a note
    admin.click("[data-testid=tab-publish]")
    summary = admin.locator("[data-testid=review-summary]")
    expect(summary).to_contain_text("新增字段 微信号")
    expect(summary).to_contain_text("总经理审批")
    expect(admin.locator("[data-testid=plan-change]").first).to_be_visible()
    admin.fill("[data-testid=publish-note]", "客户加微信号和来源；大额订单总经理审批")
    admin.click("[data-testid=publish-button]")
    expect(admin.locator("[data-testid=publish-success]")).to_contain_text("已发布为版本 #2")
    shoot(admin, "designer-story-published")
    files = live_definitions(admin, live)
    review = next(s for s in form_of(files, "sales_order")["workflow"]["stages"] if s["name"] == "review")
    assert {"name": "gm_large", "title": "总经理审批", "approvers": [{"role": "general_manager"}],
            "when": "total >= 100000"}.items() <= review["approval"]["steps"][-1].items()
    assert any(r.get("message") == "三天后交货，请确认发货安排" for r in form_of(files, "sales_order")["reminders"])

    # 6. a salesperson in another browser fills the new fields; 客户来源 is required
    sales = open_page("zhangwei")
    sales.goto(f"{live}/f/customer/new")
    expect(sales.locator("label[for=wechat]")).to_have_text(re.compile("微信号"))
    sales.fill("#name", "苏州云帆科技有限公司")
    sales.select_option("#grade", "A")
    sales.fill("#phone", "13912345678")
    sales.locator("#phone").blur()
    sales.wait_for_load_state("networkidle")
    sales.fill("#wechat", "yunfan-sz")
    sales.click("[data-testid=save]")
    expect(sales.locator(f"#{source_name}-error, .invalid-feedback").first).to_be_visible()  # required
    sales.select_option(f"#{source_name}", "展会")
    sales.click("[data-testid=save]")
    expect(sales.locator("h1")).to_contain_text("苏州云帆科技有限公司")
    expect(sales.locator("main")).to_contain_text("yunfan-sz")
    shoot(sales, "designer-story-staff")

    # 7. restore the previous version in one click: the field leaves the form, its values stay stored
    admin.goto(f"{live}/admin/designer#publish")
    expect(admin.locator("#designer[data-ready=true]")).to_be_visible()
    admin.fill("[data-testid=restore-note]", "先撤回，下周再上线")
    admin.locator("[data-testid=version-row][data-publication='1'] [data-testid=version-restore]").click()
    expect(admin.locator("[data-testid=restore-plan]")).to_be_visible()  # the effect on the data, then confirm
    admin.click("[data-testid=restore-confirm]")
    expect(admin.locator("[data-testid=restore-success]")).to_contain_text("新版本为 #3")
    live_row = admin.locator("[data-testid=version-row]", has=admin.locator("[data-testid=version-live]"))
    expect(live_row).to_contain_text("#3")
    sales.goto(f"{live}/f/customer/new")
    expect(sales.locator("label[for=name]")).to_be_visible()
    expect(sales.locator("label[for=wechat]")).to_have_count(0)
    engine = make_app(tmp_path / "configs").extensions["engine"]
    with engine.db.session() as session:
        stored = session.execute(text("SELECT wechat FROM rec_customer WHERE name = :n"),
                                 {"n": "苏州云帆科技有限公司"}).scalar_one()
    assert stored == "yunfan-sz"
    assert admin.js_errors == [] and sales.js_errors == []
