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
        page = browser.get("/dashboard?inline=1")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        found = {}
        for raw in re.findall(r'data-chart="([^"]+)"', html):
            chart = json.loads(unescape(raw))
            found[chart["name"]] = dict(zip(chart["labels"], chart["values"], strict=True))
        found["cards"] = re.findall(r'data-chart-card="([^"]+)"', html)
        figures = re.findall(r'data-chart-card="([^"]+)">\s*<div class="card-body">\s*'
                             r'<div class="small text-secondary">[^<]*</div>\s*'
                             r'<div class="[^"]*" data-testid="figure">([^<]*)<', html)
        for name, figure in figures:
            found[name] = figure
        assert _fetched(browser) == found  # the page as a browser completes it: the same figures
        return found
    return read


def _fetched(browser):
    """The dashboard as charts.js completes it: the page's frames, then each frame's `data-src` fetched."""
    html = browser.get("/dashboard").get_data(as_text=True)
    assert "data-chart=" not in html and 'data-testid="figure"' not in html  # no figure read for the page
    found = {"cards": re.findall(r'data-chart-card="([^"]+)"', html)}
    for src in dict.fromkeys(unescape(s) for s in re.findall(r'data-src="([^"]+)"', html)):
        answer = browser.get(src, headers={"Accept": "application/json"})
        assert answer.status_code == 200, src
        for chart in answer.get_json()["charts"]:
            if chart["type"] != "number" and not chart["values"]:
                continue  # "No data yet." on the page, as inline
            found[chart["name"]] = (chart["display"] if chart["type"] == "number" else
                                    dict(zip(chart["labels"], chart["values"], strict=True)))
    return found


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


def test_a_chart_frame_fetches_only_what_the_user_sees_on_their_dashboard(login, app, staff):
    """`/dashboard/charts/<form>?charts=…` answers the pieces of the user's own dashboard and nothing else:
    a chart over money hidden from the warehouse, a form they may not read, or charts not read together
    are 404; a bad parameter or filter is a 400 naming it."""
    browsers = {}
    for user in ("lisa", "store"):
        browsers[user] = app.test_client()
        assert login(browsers[user], user, f"{user}-password").status_code == 302
    json_ = {"Accept": "application/json"}
    lisa, store = browsers["lisa"], browsers["store"]
    answer = lisa.get("/dashboard/charts/sales_order?charts=1,2,3,4", headers=json_)
    assert answer.status_code == 200
    assert [c["name"] for c in answer.get_json()["charts"]] == \
        ["open_amount", "on_time_rate", "collection_days", "exception_rate"]
    assert lisa.get("/dashboard/charts/sales_order?charts=1", headers=json_).status_code == 404  # read with 2-4
    assert lisa.get("/dashboard/charts/sales_order?charts=6", headers=json_).status_code == 200
    for src in ("/dashboard/charts/sales_order?charts=6", "/dashboard/charts/sales_order?charts=1,2,3,4",
                "/dashboard/charts/opportunity?charts=0", "/dashboard/charts/nope?charts=0"):
        assert store.get(src, headers=json_).status_code == 404, src
    srcs = re.findall(r'data-src="([^"]+)"', store.get("/dashboard").get_data(as_text=True))
    assert srcs and all(store.get(unescape(s), headers=json_).status_code == 200 for s in srcs)
    assert all("open_amount" not in str(store.get(unescape(s), headers=json_).get_json()) for s in srcs)
    bad = lisa.get("/dashboard/charts/sales_order?charts=x", headers=json_)
    assert bad.status_code == 400 and "charts" in bad.get_json()["error"]["message"]
    bad = lisa.get("/dashboard/charts/sales_order?charts=6&from=yesterday", headers=json_)
    assert bad.status_code == 400 and "from" in bad.get_json()["error"]["message"]
    assert app.test_client().get("/dashboard/charts/sales_order?charts=6", headers=json_).status_code in (401, 302)


def test_the_frames_page_links_the_page_computed_on_the_server(login, app, staff):
    browser = app.test_client()
    login(browser, "lisa", "lisa-password")
    page = browser.get("/dashboard?team=lisa").get_data(as_text=True)
    assert "<noscript>" in page and 'href="/dashboard?inline=1&amp;team=lisa"' in page
    assert 'data-src="/dashboard/charts/sales_order?charts=7&amp;team=lisa"' in page  # filters travel along
    # the single figures read in one pass under a team filter (a recursive query per figure)
    figures = browser.get("/dashboard/charts/sales_order?charts=1,2,3,4&team=lisa",
                          headers={"Accept": "application/json"})
    assert figures.status_code == 200 and len(figures.get_json()["charts"]) == 4
    inline = browser.get("/dashboard?inline=1&team=lisa").get_data(as_text=True)
    assert "<noscript>" not in inline and 'data-testid="figure"' in inline
    assert '<input type="hidden" name="inline" value="1">' in inline
