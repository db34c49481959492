"""The shipped modules' reminders and timed automations, driven by scheduler passes at
chosen times: order review SLA with escalation, follow-up reminders, the public pool
(公海) release after 30 days without follow-up, payment-collection reminders, quotations about
to expire."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from engine.scheduler import run_pass
from tests.conftest import ENGINE_ZONE as SHANGHAI

ORDERS = "/api/forms/sales_order/records"

CUSTOMERS = "/api/forms/customer/records"


@pytest.fixture
def staff(make_user):
    make_user("boss", "sales_manager")
    return {
        "zhang": make_user("zhang", "sales", manager="boss"),
        "li": make_user("li", "sales", manager="boss"),
        "fin": make_user("fin", "finance"),
        "boss_client": make_user("lisa", "sales_manager"),
    }


@pytest.fixture
def run(app):
    state = app.extensions["engine"]
    return lambda now: run_pass(state.db, state.holder, state.settings, now)


def texts(client, kind=None):
    return [n["text"] for n in client.get("/api/notifications", headers={"Accept-Language": "zh-CN"}).get_json()
            if kind is None or n["kind"] == kind]


def nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=SHANGHAI).astimezone(UTC)


def test_order_review_is_reminded_then_escalated(fire, order_of, staff, run):
    customer = staff["zhang"].create("customer", name="宁波港机", owner="zhang")["id"]
    order = order_of(staff["zhang"], customer, 1, "100.00")
    submitted = fire(staff["zhang"], f"{ORDERS}/{order['id']}", "submit").get_json()
    t0 = datetime.fromisoformat(submitted["updated_at"]).astimezone(UTC)
    run(t0 + timedelta(hours=19))
    assert texts(staff["fin"], "due_soon") == []
    run(t0 + timedelta(hours=20, minutes=1))
    assert len(texts(staff["fin"], "due_soon")) == 1 and "订单评审" in texts(staff["fin"], "due_soon")[0]
    run(t0 + timedelta(hours=24, minutes=1))
    assert len(texts(staff["fin"], "overdue")) == 1
    assert len(texts(staff["boss_client"], "escalation")) == 1  # every 销售经理
    assert texts(staff["zhang"], "escalation") == []


def test_follow_up_reminder_the_day_before(engine_today, staff, run):
    day = engine_today() + timedelta(days=5)
    staff["zhang"].create("customer", name="嘉兴纺机", phone="13912345678", owner="zhang",
                          next_follow_up=day.isoformat())
    run(nine(day - timedelta(days=2)))
    assert texts(staff["zhang"], "reminder") == []
    run(nine(day - timedelta(days=1)))
    assert texts(staff["zhang"], "reminder") == ["明天跟进客户 嘉兴纺机，电话 13912345678"]


def test_a_follow_up_record_updates_its_customer_and_reschedules(engine_today, staff, run, app):
    customer = staff["zhang"].create("customer", name="湖州电机", owner="zhang")
    day = engine_today() + timedelta(days=9)
    staff["zhang"].create("follow_up", subject="电话回访", customer=customer["id"], method="电话",
                          content="确认样品", next_follow_up=day.isoformat())
    after = staff["zhang"].get(f"{CUSTOMERS}/{customer['id']}").get_json()
    assert after["fields"]["last_follow_up"] == engine_today().isoformat()
    assert after["fields"]["next_follow_up"] == day.isoformat()
    history = staff["zhang"].get(f"{CUSTOMERS}/{customer['id']}/history").get_json()
    assert history[-1]["via"]["form"] == "follow_up"
    run(nine(day - timedelta(days=1)))
    assert texts(staff["zhang"], "reminder") == ["明天跟进客户 湖州电机，电话 "]


def test_a_customer_without_follow_up_for_30_days_goes_to_the_pool(engine_today, fire, staff, run):
    zhang, li = staff["zhang"], staff["li"]
    customer = zhang.create("customer", name="温州泵阀", owner="zhang")
    url = f"{CUSTOMERS}/{customer['id']}"
    assert li.get(url).status_code == 404
    today = engine_today()
    run(nine(today + timedelta(days=27)))
    assert texts(zhang, "reminder") == ["客户 温州泵阀 已 27 天未跟进，3 天后将释放到公海"]
    run(nine(today + timedelta(days=30)))
    pooled = zhang.get(url).get_json()
    assert pooled["stage"] == "pool" and pooled["fields"]["in_pool"] is True and pooled["fields"]["owner"] is None
    assert texts(zhang, "reminder")[0] == "客户 温州泵阀 30 天未跟进，已释放到公海"
    assert li.get(url).status_code == 200  # every salesperson sees the pool
    claimed = fire(li, url, "claim").get_json()
    assert claimed["stage"] == "active" and claimed["fields"]["owner"] == "li"
    assert zhang.get(url).status_code == 404
    history = li.get(f"{url}/history").get_json()
    assert [(h["actor"], h.get("transition")) for h in history if h["action"] == "transition"] == \
        [("system", "release"), ("li", "claim")]


def test_payment_reminders_before_and_after_the_due_date(
        engine_today, approve_all, fire, order_of, staff, run, make_user):
    zhang, fin = staff["zhang"], staff["fin"]
    make_user("plant", "production")
    store = make_user("store", "warehouse")
    customer = zhang.create("customer", name="台州汽配", owner="zhang")["id"]
    order = order_of(zhang, customer, 2, "5000.00")
    url = f"{ORDERS}/{order['id']}"
    fire(zhang, url, "submit")
    approve_all(fin, order["id"])
    fire(staff["boss_client"], url, "start_production")
    version = store.get(url).get_json()["version"]
    store.patch(url, json={"version": version, "fields": {"carrier": "德邦", "tracking_no": "DB1"}})
    fire(store, url, "ship")
    fire(zhang, url, "request_invoice")
    due = engine_today() + timedelta(days=20)
    version = fin.get(url).get_json()["version"]
    fin.patch(url, json={"version": version, "fields": {"invoice_no": "FP-1", "payment_due": due.isoformat()}})
    assert fire(fin, url, "invoiced").get_json()["stage"] == "collecting"
    order_no = order["fields"]["order_no"]
    run(nine(due - timedelta(days=3)))
    # amounts read as on pages (thousands separated)
    assert texts(zhang, "reminder") == [f"订单 {order_no} 将于 {due.isoformat()} 到期回款，未回款 10,000.00 元"]
    assert len(texts(fin, "reminder")) == 1
    run(nine(due + timedelta(days=1)))
    assert texts(zhang, "reminder")[0].startswith(f"订单 {order_no} 回款已逾期")
    assert len(texts(staff["boss_client"], "reminder")) == 0  # manager_of zhang is boss, not lisa


def test_after_sales_ticket_flow_with_its_response_sla(fire, order_of, staff, run, make_user):
    zhang = staff["zhang"]
    store = make_user("store", "warehouse")
    customer = zhang.create("customer", name="丽水机电", owner="zhang")["id"]
    order = order_of(zhang, customer, 1, "100.00")
    ticket = zhang.create("after_sales", order=order["id"], customer=customer, issue_type="物流破损",
                          description="外箱破损")
    url = f"/api/forms/after_sales/records/{ticket['id']}"
    assert ticket["stage"] == "open"
    t0 = datetime.fromisoformat(ticket["created_at"]).astimezone(UTC)
    run(t0 + timedelta(hours=3, minutes=1))
    assert len(texts(zhang, "due_soon")) == 1  # the creator owns an untaken ticket
    run(t0 + timedelta(hours=4, minutes=1))
    assert len(texts(staff["boss_client"], "escalation")) == 1
    started = fire(store, url, "start").get_json()
    assert started["stage"] == "handling" and started["fields"]["handler"] == "store"
    refused = fire(store, url, "resolve")
    assert refused.status_code == 422 and "resolution" in refused.get_json()["error"]["fields"]
    store.patch(url, json={"version": started["version"], "fields": {"resolution": "已补发"}})
    assert fire(store, url, "resolve").get_json()["stage"] == "resolved"
    assert fire(zhang, url, "close").get_json()["stage"] == "closed"


def test_an_approved_quotation_is_reminded_3_days_before_it_expires(engine_today, fire, staff, run, catalogue):
    zhang = staff["zhang"]
    customer = zhang.create("customer", name="绍兴精机", owner="zhang")["id"]
    day = engine_today() + timedelta(days=10)
    quote = zhang.create("quotation", customer=customer, valid_until=day.isoformat(),
                         items=[{"product": catalogue("气动阀门", price="420.00"), "qty": 5}])
    draft = zhang.create("quotation", customer=customer, valid_until=day.isoformat(),
                         items=[{"product": catalogue("气动阀门"), "qty": 1}])
    assert fire(zhang, f"/api/forms/quotation/records/{quote['id']}", "submit").get_json()["stage"] == "approved"
    run(nine(day - timedelta(days=4)))
    assert texts(zhang, "reminder") == []
    run(nine(day - timedelta(days=3)))
    (text,) = texts(zhang, "reminder")  # the draft is not reminded
    assert text == f"报价单 {quote['fields']['quote_no']}（客户 绍兴精机）将于 {day.isoformat()} 到期，请跟进客户确认"
    assert draft["fields"]["quote_no"] not in text
