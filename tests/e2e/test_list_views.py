"""Lists that remember in the browser (issue #14, point 5): a salesperson filters the customers
with a quick filter chip and a grade, chooses columns, saves it as a view of their own, opens it
again from the views menu; then selects two customers, 批量修改 their grade, and a selection with
a customer they may not change is refused as a whole with the reason shown."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from engine.auth.users import get_user
from engine.records.context import open_context
from engine.services.records import create_record
from tests.conftest import db_url  # noqa: F401  (both databases, issue #14)
from tests.e2e.conftest import PHONE, SCREENSHOTS

CUSTOMERS = [("华东机械有限公司", "A", "机械制造", "华东"), ("苏州精密电子", "A", "电子电器", "华东"),
             ("广州汽配集团", "B", "汽车零部件", "华南"), ("天津化工原料厂", "C", "化工", "华北")]


@pytest.fixture
def desk(live, make_app, tmp_path):
    """The `live` app with customers of zhangwei (sales) and one of wangfang in the public pool
    readable by him; → (base URL, {name: id})."""
    app = make_app(tmp_path / "configs")
    state = app.extensions["engine"]
    made = {}
    zone = ZoneInfo("Asia/Shanghai")
    with state.db.transaction() as session:
        zhang, wang = get_user(session, "zhangwei"), get_user(session, "wangfang")
    with open_context(state.db, state.runtime(), zhang, tzinfo=zone, write=True) as ctx:
        for name, grade, industry, region in CUSTOMERS:
            made[name] = create_record(ctx, "customer", {"name": name, "grade": grade, "industry": industry,
                                                         "region": region, "owner": "zhangwei"})["id"]
    with open_context(state.db, state.runtime(), wang, tzinfo=zone, write=True) as ctx:
        made["公海客户"] = create_record(ctx, "customer", {"name": "宁波港务物流", "grade": "B", "owner": "wangfang",
                                                       "in_pool": True})["id"]
    return live, made


def shoot(page, name: str) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_save_a_view_and_bulk_edit(desk, open_page):
    base, ids = desk
    page = open_page("zhangwei")
    page.goto(f"{base}/f/customer")
    expect(page.locator("[data-testid=total]")).to_have_text("5")
    page.click("[data-testid=quick-mine]")
    expect(page.locator("[data-testid=total]")).to_have_text("4")
    expect(page.locator("[data-testid=quick-mine]")).to_have_attribute("aria-pressed", "true")
    page.select_option("#f-grade", "A")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("[data-testid=total]")).to_have_text("2")
    page.click("[data-testid=columns-menu]")
    page.uncheck("[data-testid=column-owner]")
    page.check("[data-testid=column-region]")
    page.click("[data-testid=columns-apply]")
    head = page.locator("table[data-testid=record-list] thead")
    expect(head).to_contain_text("所在区域")
    expect(head).not_to_contain_text("负责销售")
    page.click("[data-testid=views-menu]")
    page.fill("[data-testid=view-name]", "我的A类客户")
    page.click("[data-testid=view-save]")
    expect(page.locator("[data-testid=view-current]")).to_have_text("我的A类客户")
    assert "saved=" in page.url
    # later: the plain list, then the view again from the menu
    page.goto(f"{base}/f/customer")
    expect(page.locator("[data-testid=total]")).to_have_text("5")
    page.click("[data-testid=views-menu]")
    expect(page.locator("[data-testid=view-my_follow_ups]")).to_have_text("我的待跟进客户")
    page.locator("[data-testid=own-view]", has_text="我的A类客户").click()
    expect(page.locator("[data-testid=total]")).to_have_text("2")
    expect(page.locator("table[data-testid=record-list] thead")).to_contain_text("所在区域")
    rows = page.locator("table[data-testid=record-list] tbody tr")
    expect(rows).to_have_count(2)
    page.click("[data-testid=views-menu]")
    expect(page.locator("[data-testid=rename-view]")).to_be_visible()
    shoot(page, "saved-views")
    page.click("[data-testid=views-menu]")

    # bulk edit the two A customers to B
    bulk = page.locator("[data-testid=bulk-edit]")
    expect(bulk).to_have_class("btn btn-sm btn-outline-primary disabled")
    page.check("input[data-select-all]")
    expect(bulk.locator("[data-bulk-count]")).to_have_text("2")
    bulk.click()
    expect(page.locator("[data-testid=bulk-count]")).to_contain_text("2")
    expect(page.locator("#grade")).to_be_hidden()  # a value shows once its field is ticked
    page.check("[data-testid=bulk-use-grade]")
    page.select_option("#grade", "B")
    page.check("[data-testid=bulk-use-next_follow_up]")
    page.fill("#next_follow_up", "2030-01-15")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "bulk-edit")
    page.click("[data-testid=bulk-save]")
    expect(page.locator(".alert-success")).to_contain_text("已修改 2 条记录")
    page.goto(f"{base}/f/customer?grade=B&quick=mine")
    expect(page.locator("[data-testid=total]")).to_have_text("3")

    # a selection with the pool customer (readable, not his to change): nothing changes
    page.goto(f"{base}/f/customer/bulk?ids={ids['华东机械有限公司']},{ids['公海客户']}")
    page.check("[data-testid=bulk-use-grade]")
    page.select_option("#grade", "C")
    page.click("[data-testid=bulk-save]")
    refused = page.locator("[data-testid=bulk-refused]")
    expect(refused).to_contain_text("宁波港务物流")
    expect(page.locator("[data-testid=bulk-refused-record]")).to_have_count(1)
    page.goto(f"{base}/f/customer?grade=C")
    expect(page.locator("[data-testid=total]")).to_have_text("1")  # only 天津化工原料厂, as before
    assert page.js_errors == []


def test_views_menu_and_chips_on_a_phone(desk, open_page, tmp_path):
    base, _ids = desk
    page = open_page("zhangwei", viewport=PHONE)
    page.goto(f"{base}/f/customer?saved=my_follow_ups")
    expect(page.locator("[data-testid=view-current]")).to_have_text("我的待跟进客户")
    page.click("[data-testid=quick-this_month]")
    expect(page.locator("[data-testid=quick-this_month]")).to_have_attribute("aria-pressed", "true")
    page.click("[data-testid=views-menu]")
    save = page.locator("[data-testid=view-save]")
    expect(save).to_be_visible()
    box = save.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # the menu fits the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "phone.png"))
    assert page.js_errors == []
