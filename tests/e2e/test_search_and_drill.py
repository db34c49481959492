"""Global search from the top bar (a phone too) and the dashboard's filters and drill-down in a browser:
a manager filters the dashboard by their team, clicks a slice and lands on the list of exactly the
records it counted."""
from __future__ import annotations

import re
import shutil
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from engine.auth.users import SYSTEM_USER, create_user
from engine.records.context import open_context
from engine.services.records import create_record
from tests.conftest import SHIPPED, db_url  # noqa: F401  (both databases, issue #14)
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS


@pytest.fixture
def live(serve, make_app, tmp_path):
    """The shipped modules with lisa's team (zhangwei, wangfang; she manages both), sunli outside it,
    and customers of each: the team's four (three of grade A), one of sunli's."""
    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    app = make_app(folder)
    state = app.extensions["engine"]
    with state.db.transaction() as session:
        create_user(session, "lisa", "lisa-password", {"sales_manager"}, display_name="李莎")
        create_user(session, "zhangwei", "zhangwei-password", {"sales"}, display_name="张伟", manager="lisa")
        create_user(session, "wangfang", "wangfang-password", {"sales"}, display_name="王芳", manager="lisa")
        create_user(session, "sunli", "sunli-password", {"sales"}, display_name="孙丽")
    rows = [("杭州恒锐精工", "A", "zhangwei"), ("杭州华盛电子", "A", "zhangwei"), ("杭州瑞丰化工", "B", "zhangwei"),
            ("杭州鼎新建材", "A", "wangfang"), ("外部客户", "A", "sunli")]
    with open_context(state.db, state.runtime(), SYSTEM_USER, tzinfo=ZoneInfo("Asia/Shanghai"), write=True) as ctx:
        for name, grade, owner in rows:
            create_record(ctx, "customer", {"name": name, "grade": grade, "phone": "13800000000", "owner": owner},
                          system=True)
    return serve(app)


def _fits(page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_dashboard_team_filter_and_a_click_on_a_slice_opens_the_same_records(open_page, live):
    page = open_page("lisa", viewport=DESKTOP)
    page.goto(f"{live}/dashboard")
    bar = page.locator("[data-testid=dashboard-filters]")
    bar.locator("#f-team").select_option("lisa")
    bar.locator("[data-testid=apply-filters]").click()
    expect(page).to_have_url(re.compile(r"/dashboard\?.*team=lisa"))
    card = page.locator("[data-chart-card=grades]")
    expect(card.locator(".chart svg")).to_be_visible()
    page.wait_for_timeout(1500)  # the charts' entry animation
    page.screenshot(path=str(SCREENSHOTS / "dashboard-filters.png"))  # the filter bar and the first charts
    box = card.locator(".chart").bounding_box()
    # the ring's largest slice (grade A: 3 of the team's 4 customers) starts at 12 o'clock, clockwise:
    # its point at 3 o'clock, half way through the ring
    radius = min(box["width"], box["height"]) / 2 * 0.55
    page.mouse.click(box["x"] + box["width"] / 2 + radius, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/f/customer\?chart=0&team=lisa&grade=A$"))
    expect(page.locator("[data-testid=total]")).to_have_text("3")
    expect(page.locator("[data-testid=drill-note]")).to_be_visible()
    expect(page.locator("tbody tr", has_text="外部客户")).to_have_count(0)
    assert page.js_errors == []
    # on a phone the filter bar fits
    phone = open_page("lisa", viewport=PHONE)
    phone.goto(f"{live}/dashboard?team=lisa")
    expect(phone.locator("#f-team")).to_be_visible()
    _fits(phone, PHONE["width"])
    # a wide figure (as a year's order amounts) stays inside its card: the font scales, then it wraps
    figures = phone.locator("[data-testid=figure]")
    expect(figures.first).to_be_visible()  # the figures arrive by their own requests after the page
    inside = phone.evaluate("""() => [...document.querySelectorAll('[data-testid=figure]')].map((f) => {
        f.textContent = '5,364,440.00';
        const card = f.closest('.card-body').getBoundingClientRect(), box = f.getBoundingClientRect();
        return f.scrollWidth <= f.clientWidth && box.right <= card.right; })""")
    assert all(inside), inside
    _fits(phone, PHONE["width"])
    assert phone.js_errors == []


def test_the_top_bar_search_box_on_a_phone(open_page, live, shoot):
    phone = open_page("zhangwei", viewport=PHONE)
    phone.goto(f"{live}/f/customer")
    box = phone.locator("[data-testid=top-search]")
    expect(box).to_be_visible()  # in the top bar, not behind the menu button
    _fits(phone, PHONE["width"])
    box.fill("杭州")
    box.press("Enter")
    expect(phone).to_have_url(re.compile(r"/search\?q="))
    hits = phone.locator("[data-testid=search-hit]")
    expect(hits).to_have_count(3)  # his own three; wangfang's is not his to read
    expect(phone.locator("[data-testid=search-form]")).to_contain_text("客户")
    _fits(phone, PHONE["width"])
    hits.first.click()
    expect(phone.locator("h1")).to_contain_text("杭州")
    desk = open_page("lisa", viewport=DESKTOP)
    desk.goto(f"{live}/")
    desk.locator("[data-testid=top-search]").fill("杭州")
    desk.locator("[data-testid=top-search]").press("Enter")
    expect(desk.locator("[data-testid=search-hit]")).to_have_count(4)
    shoot(desk, "search")
    assert phone.js_errors == [] and desk.js_errors == []
