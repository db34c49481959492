"""Order states the shipped flow must never reach: 完成 with money outstanding (回款完成
needs nothing outstanding, and a completed order's payments can no longer be changed by
finance), or a negative 应收金额 (a discount above the amount cannot be submitted)."""
from __future__ import annotations

import pytest

ORDERS = "/api/forms/sales_order/records"
PAYMENTS = "/api/forms/payment/records"


@pytest.fixture
def fin(make_user):
    return make_user("fin", "finance")


@pytest.fixture
def collecting(admin, fin, make_user, catalogue):
    """An order of ¥1,000 in 回款中, half paid: (order url, payment)."""
    make_user("zhang", "sales")
    customer = admin.create("customer", name="杭州恒达机械", owner="zhang")["id"]
    order = admin.create("sales_order", customer=customer, salesperson="zhang", delivery_date="2027-01-31",
                         carrier="顺丰", tracking_no="SF1", invoice_no="FP1", payment_due="2027-03-31",
                         items=[{"product": catalogue("阀门"), "qty": 1, "price": "1000.00"}])
    url = f"{ORDERS}/{order['id']}"
    submitted = admin.post(f"{url}/transitions/submit", json={})
    assert submitted.status_code == 200, submitted.get_json()
    (task,) = fin.get("/api/tasks?status=open").get_json()
    assert fin.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    for name in ("start_production", "ship", "request_invoice", "invoiced"):
        assert admin.post(f"{url}/transitions/{name}", json={}).status_code == 200, name
    payment = fin.create("payment", order=order["id"], amount="500.00")
    return url, payment


def test_completing_needs_nothing_outstanding(fin, collecting):
    url, _payment = collecting
    refused = fin.post(f"{url}/transitions/complete", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "condition_false"
    fin.create("payment", order=fin.get(url).get_json()["id"], amount="500.00")
    assert fin.post(f"{url}/transitions/complete", json={}).get_json()["stage"] == "done"


def test_payments_of_a_completed_order_cannot_be_changed(fin, collecting):
    url, payment = collecting
    pay_url = f"{PAYMENTS}/{payment['id']}"
    # while collecting, finance may correct a payment
    changed = fin.patch(pay_url, json={"version": payment["version"], "fields": {"amount": "400.00"}})
    assert changed.status_code == 200
    fin.create("payment", order=fin.get(url).get_json()["id"], amount="600.00")
    assert fin.post(f"{url}/transitions/complete", json={}).status_code == 200
    version = fin.get(pay_url).get_json()["version"]
    refused = fin.patch(pay_url, json={"version": version, "fields": {"amount": "1.00"}})
    assert refused.status_code in (403, 404)
    assert fin.get(url).get_json()["fields"]["outstanding"] == "0.00"


def test_a_discount_above_the_amount_cannot_be_submitted(admin, fin, make_user, catalogue):
    make_user("zhang", "sales")
    customer = admin.create("customer", name="杭州恒达机械", owner="zhang")["id"]
    order = admin.create("sales_order", customer=customer, salesperson="zhang", delivery_date="2027-01-31",
                         discount="1000.01", items=[{"product": catalogue("阀门"), "qty": 1, "price": "1000.00"}])
    url = f"{ORDERS}/{order['id']}"
    assert order["fields"]["total"] == "-0.01"
    assert "submit" not in [t["name"] for t in admin.get(f"{url}/transitions").get_json()]
    refused = admin.post(f"{url}/transitions/submit", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "condition_false"
    fixed = admin.patch(url, json={"version": order["version"], "fields": {"discount": "1000.00"}})
    assert fixed.status_code == 200 and fixed.get_json()["fields"]["total"] == "0.00"
    submitted = admin.post(f"{url}/transitions/submit", json={})
    assert submitted.status_code == 200, submitted.get_json()
