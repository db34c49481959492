"""The shipped modules' shared views: 我的待跟进客户 for salespeople, 本月订单 with the month of
the engine's zone."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.conftest import ApiClient


@pytest.fixture
def app(make_app, config_dir):  # the shipped configs, not the desk module of this folder
    return make_app(config_dir)


def names(response, key):
    assert response.status_code == 200, response.get_json()
    return sorted(i["fields"][key] for i in response.get_json()["items"])


def test_my_customers_to_follow_up(make_user, engine_today):
    ann: ApiClient = make_user("ann", "sales")
    bob: ApiClient = make_user("bob", "sales")
    today = engine_today().isoformat()
    ann.create("customer", name="Due today", owner="ann", next_follow_up=today)
    ann.create("customer", name="Later", owner="ann", next_follow_up="2999-01-01")
    bob.create("customer", name="Bob's", owner="bob", next_follow_up=today)
    assert names(ann.get("/api/forms/customer/records?saved=my_follow_ups"), "name") == ["Due today"]
    views = {v["name"]: v for v in ann.get("/api/forms/customer/views").get_json()["items"]}
    assert set(views) >= {"my_follow_ups", "pool"}


def test_orders_this_month_in_shanghai(make_user):
    boss = make_user("gm", "sales", "sales_manager")
    customer = boss.create("customer", name="Acme", owner="gm")["id"]
    for day in ("2026-05-31", "2026-06-01", "2026-06-30", "2026-07-01"):
        boss.create("sales_order", customer=customer, salesperson="gm", order_date=day, delivery_date="2026-08-01")
    with time_machine.travel(datetime(2026, 5, 31, 16, 30, tzinfo=UTC), tick=False):  # 1 June 00:30 in Shanghai
        body = boss.get("/api/forms/sales_order/records?saved=this_month").get_json()
        assert sorted(i["fields"]["order_date"] for i in body["items"]) == ["2026-06-01", "2026-06-30"]


def test_overdue_needs_a_workflow(make_user):
    ann = make_user("ann", "sales")
    response = ann.get("/api/forms/product/records?quick=overdue")
    assert response.status_code == 400 and "workflow" in response.get_json()["error"]["message"]
    assert ann.get("/api/forms/product/records?quick=this_month").status_code == 200
