"""Dashboards from the shipped configs' charts: computed in SQL within the viewer's row
permissions; charts over fields hidden from the viewer are not shown to them."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest

ORDERS = "/api/forms/sales_order/records"



@pytest.fixture
def staff(make_user):
    make_user("boss", "sales_manager")
    return {"zhang": make_user("zhang", "sales", manager="boss"), "li": make_user("li", "sales"),
            "fin": make_user("fin", "finance"), "store": make_user("store", "warehouse"),
            "lisa": make_user("lisa", "sales_manager")}


@pytest.fixture
def charts(login):
    """charts(app, user) → what the dashboard shows that user: chart name → {label: value}, and its cards."""

    def read(app, user):
        browser = app.test_client()
        assert login(browser, user, f"{user}-password").status_code == 302
        page = browser.get("/dashboard")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        found = {}
        for raw in re.findall(r'data-chart="([^"]+)"', html):
            chart = json.loads(unescape(raw))
            found[chart["name"]] = dict(zip(chart["labels"], chart["values"], strict=True))
        found["cards"] = re.findall(r'data-chart-card="([^"]+)"', html)
        figures = re.findall(r'data-chart-card="([^"]+)">\s*<div class="card-body">\s*'
                             r'<div class="small text-secondary">[^<]*</div>\s*'
                             r'<div class="fs-3 fw-semibold text-nowrap" data-testid="figure">([^<]*)<', html)
        for name, figure in figures:
            found[name] = figure
        return found
    return read


def test_each_salesperson_sees_their_own_numbers(order_of, charts, app, staff):
    zhang, li = staff["zhang"], staff["li"]
    mine = zhang.create("customer", name="甲", grade="A", owner="zhang")["id"]
    theirs = li.create("customer", name="乙", grade="B", owner="li")["id"]
    order_of(zhang, mine, 1, "100.00")
    order_of(zhang, mine, 2, "100.00")
    order_of(li, theirs, 1, "5000.00")
    assert charts(app, "zhang")["orders_by_stage"] == {"草稿": 2}
    assert charts(app, "li")["orders_by_stage"] == {"草稿": 1}
    assert charts(app, "lisa")["orders_by_stage"] == {"草稿": 3}
    assert charts(app, "zhang")["grades"] == {"A类（重点）": 1}


def test_rates_and_amounts(approve_all, fire, order_of, charts, app, staff):
    zhang, fin, store = staff["zhang"], staff["fin"], staff["store"]
    customer = zhang.create("customer", name="丙", owner="zhang")["id"]
    order = order_of(zhang, customer, 3, "1000.00")
    url = f"{ORDERS}/{order['id']}"
    fire(zhang, url, "submit")
    approve_all(fin, order["id"])
    fire(staff["lisa"], url, "start_production")
    assert charts(app, "lisa")["open_amount"] == "3,000.00"
    version = store.get(url).get_json()["version"]
    store.patch(url, json={"version": version, "fields": {"carrier": "顺丰", "tracking_no": "SF1"}})
    fire(store, url, "ship")  # delivery date 2027-01-31: on time
    assert charts(app, "lisa")["on_time_rate"] == "100.0"
    assert charts(app, "lisa")["exception_rate"] == "0.0"
    assert charts(app, "zhang")["open_amount"] == "3,000.00" and charts(app, "li")["open_amount"] == "0"


def test_hidden_money_is_not_charted_for_the_warehouse(charts, app, staff):
    cards = charts(app, "store")["cards"]
    assert "orders_by_stage" in cards and "on_time_rate" in cards
    assert "open_amount" not in cards and "overdue_receivables" not in cards and "pipeline" not in cards


def test_the_dashboard_page_draws_with_echarts(login, app, staff):
    browser = app.test_client()
    login(browser, "lisa", "lisa-password")
    home = browser.get("/").get_data(as_text=True)
    assert 'data-testid="nav-dashboard"' in home
    page = browser.get("/dashboard").get_data(as_text=True)
    assert "vendor/echarts/echarts.min.js" in page and "js/charts.js" in page


def test_approval_lead_time_in_hours(approve_all, fire, order_of, charts, app, staff):
    from datetime import timedelta

    from sqlalchemy import update

    from engine.store.system import approvals

    zhang = staff["zhang"]
    customer = zhang.create("customer", name="丁", owner="zhang")["id"]
    order = order_of(zhang, customer, 1, "100.00")
    assert charts(app, "lisa")["approval_hours"] == "—"  # nothing approved yet
    fire(zhang, f"{ORDERS}/{order['id']}", "submit")
    approve_all(staff["fin"], order["id"])
    with app.extensions["engine"].db.transaction() as session:  # it was submitted 5 hours before approval
        row = session.execute(approvals.select()).mappings().one()
        session.execute(update(approvals).values(started_at=row["finished_at"] - timedelta(hours=5)))
    assert charts(app, "lisa")["approval_hours"] == "5.0"
    assert charts(app, "li")["approval_hours"] == "—"  # not li's order


def test_amounts_by_month(order_of, charts, app, staff):
    zhang = staff["zhang"]
    customer = zhang.create("customer", name="戊", owner="zhang")["id"]
    order_of(zhang, customer, 1, "100.00", order_date="2026-01-15")
    order_of(zhang, customer, 2, "100.00", order_date="2026-01-31")
    order_of(zhang, customer, 1, "50.00", order_date="2026-03-02")
    assert charts(app, "zhang")["monthly_amount"] == {"2026-01": 300.0, "2026-03": 50.0}
