"""The inbox in the browser (issue #14, point 1), desktop and a 375 px phone: finance's 待办 rows
show each order's summary (客户, 应收金额, 交货日期, 销售), the step, the waiting time and the overdue
badge; the overdue filter narrows the list; select all, untick one, batch approve: each task's
result is shown and the one left waits."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from engine.auth.users import SYSTEM_USER, create_user, get_user
from engine.records.context import open_context
from engine.services.records import create_record
from engine.services.workflow import fire_transition
from tests.conftest import SHIPPED, db_url  # noqa: F401  (both databases, issue #14)
from tests.e2e.conftest import PHONE, _catalogue

ZONE = ZoneInfo("Asia/Shanghai")
# (customer, salesperson, qty of the 3200.00 controller, hours since submitted)
ORDERS = [("华东精密机械有限公司", "zhangwei", 3, 30), ("苏州新锐自动化", "zhangwei", 5, 2),
          ("宁波海天塑机", "wangfang", 2, 1), ("杭州恒达纺织", "wangfang", 4, 0)]


@pytest.fixture
def live(serve, make_app, tmp_path):
    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    app = make_app(folder)
    state = app.extensions["engine"]
    with state.db.transaction() as session:
        create_user(session, "lisa", "lisa-password", {"sales_manager"}, display_name="李莎")
        create_user(session, "zhangwei", "zhangwei-password", {"sales"}, display_name="张伟", manager="lisa")
        create_user(session, "wangfang", "wangfang-password", {"sales"}, display_name="王芳", manager="lisa")
        create_user(session, "zhaolei", "zhaolei-password", {"finance"}, display_name="赵磊")
    _catalogue(app)
    now = datetime.now(UTC)
    with open_context(state.db, state.runtime(), SYSTEM_USER, tzinfo=ZONE, write=True) as ctx:
        product = ctx.session.execute(state.runtime().tables("product").table.select()).first().id
        customers = {name: create_record(ctx, "customer", {"name": name, "grade": "A", "owner": seller},
                                         system=True)["id"] for name, seller, *_rest in ORDERS}
    for index, (customer, seller, qty, hours) in enumerate(ORDERS):
        with state.db.session(write=True) as session, session.begin():
            person = get_user(session, seller)
        with open_context(state.db, state.runtime(), person, tzinfo=ZONE, write=True,
                          now=now - timedelta(hours=hours)) as ctx:
            order = create_record(ctx, "sales_order", {
                "customer": customers[customer], "salesperson": seller, "order_date": "2031-06-01",
                "delivery_date": f"2031-07-{10 + index:02d}", "discount": "0",
                "items": [{"product": product, "qty": qty, "price": "3200.00"}]})
            fire_transition(ctx, "sales_order", order["id"], "submit")
    return serve(app)


def _rows(page):
    return page.locator("[data-testid=task-row]")


@pytest.mark.parametrize("viewport, shot", [(None, "inbox"), (PHONE, "inbox-phone")])
def test_finance_decides_from_the_inbox(open_page, live, shoot, viewport, shot):
    page = open_page("zhaolei", viewport)
    page.goto(f"{live}/tasks")
    expect(_rows(page)).to_have_count(4)
    expect(page.locator("#batch")).to_have_attribute("data-ready", "1")  # inbox.js wired the boxes
    first = _rows(page).filter(has_text="华东精密机械有限公司")
    expect(first.locator("[data-field=customer]")).to_contain_text("客户")
    expect(first.locator("[data-field=total]")).to_contain_text("9,600.00")
    expect(first.locator("[data-field=delivery_date]")).to_contain_text("2031-07-10")
    expect(first.locator("[data-field=salesperson]")).to_contain_text("张伟")
    expect(first.locator("[data-testid=step]")).to_have_text("财务审核")
    expect(first.locator("[data-testid=overdue]")).to_be_visible()  # 30 h waiting, due within 24 h
    expect(first.locator("[data-testid=task-notes]")).to_contain_text("已等待 1 天 6 小时")
    expect(page.locator("[data-testid=overdue]")).to_have_count(1)
    if viewport is not None:  # a card per task, nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, shot)

    page.check("#only-overdue")  # filters submit themselves
    page.wait_for_url("**overdue=1**")
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("华东精密机械有限公司")
    page.get_by_role("link", name="清除").click()
    expect(_rows(page)).to_have_count(4)
    expect(page.locator("#batch")).to_have_attribute("data-ready", "1")

    page.check("[data-testid=select-all]")
    expect(page.locator("[data-testid=selected-count]")).to_have_text("已选 4 项")
    _rows(page).filter(has_text="杭州恒达纺织").locator("input.task-pick").uncheck()
    expect(page.locator("[data-testid=selected-count]")).to_have_text("已选 3 项")
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    page.fill("[data-testid=batch-comment]", "金额核对无误")
    page.click("[data-testid=batch-approve]")
    results = page.locator("[data-testid=batch-results] li")
    expect(results).to_have_count(3)
    expect(page.locator("[data-testid=batch-results] li[data-ok=true]")).to_have_count(3)
    expect(page.locator("[data-testid=batch-results]")).to_contain_text("苏州新锐自动化")
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("杭州恒达纺织")
    assert page.questions == ["确定同意所选待办？"]
    page.goto(f"{live}/tasks?tab=done")  # no batch bar here: the filters still submit themselves
    expect(_rows(page)).to_have_count(3)
    page.select_option("select[name=form]", "sales_order")
    page.wait_for_url("**form=sales_order**")
    expect(_rows(page)).to_have_count(3)
    assert page.js_errors == []


def test_reject_needs_a_comment_before_anything_is_sent(open_page, live):
    page = open_page("zhaolei", PHONE)
    page.goto(f"{live}/tasks")
    expect(page.locator("#batch")).to_have_attribute("data-ready", "1")
    page.check("[data-testid=select-all]")
    page.click("[data-testid=batch-reject]")
    expect(page.locator("[data-testid=batch-problem]")).to_have_text("驳回时必须填写审批意见。")
    expect(_rows(page)).to_have_count(4)
    page.fill("[data-testid=batch-comment]", "请补充合同")
    page.click("[data-testid=batch-reject]")
    expect(page.locator("[data-testid=batch-results] li[data-ok=true]")).to_have_count(4)
    expect(_rows(page)).to_have_count(0)
    assert page.questions == ["确定驳回所选待办吗？"]  # asked once: the refused click sent nothing
    assert page.js_errors == []


def test_the_english_inbox_fits_a_phone_with_long_step_titles(chromium, live, log_in):
    """Review probe 11: a long step title (badge and filter option) must wrap, not widen the page."""
    context = chromium.new_context(viewport=PHONE, locale="en", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live, "zhaolei")
        page.goto(f"{live}/tasks?lang=en")  # the explicit choice: users here have a stored language
        expect(_rows(page).first.locator("[data-testid=step]")).to_have_text("Finance check")
        long = "Sales manager approval (discount above 10%) and general manager sign-off"
        page.evaluate("""(long) => {
            document.querySelectorAll('[data-testid=step]').forEach((b) => { b.textContent = long; });
            const select = document.querySelector('select[name=step]');
            select.add(new Option(long, 'long')); select.value = 'long';
        }""", long)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_designer_chooses_a_forms_summary(open_page, live):
    """The form settings pick the summary fields in order (customer has none: the list's columns
    stand in); the draft's JSON gets `summary`."""
    page = open_page("admin")
    page.goto(f"{live}/admin/designer")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    expect(page.locator("section[data-tab=form]")).to_have_attribute("data-form", "customer")
    page.click("[data-testid=form-settings-button]")
    summary = page.locator("[data-testid=settings-summary]")
    expect(summary).to_contain_text("未选择：使用列表中标题之外的前 3 列。")
    page.select_option("[data-testid=settings-summary-add]", "phone")
    page.select_option("[data-testid=settings-summary-add]", "owner")
    doc = "window.designerStore.sources['crm.json'].forms[0]"
    assert page.evaluate(f"() => {doc}.summary") == ["phone", "owner"]
    expect(summary.locator("[data-name]")).to_have_count(2)
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    assert page.js_errors == []
