"""The shipped workflows, driven through the API as the staff of a company would:
the opportunity pipeline (win creates an order) and the sales order flow with review
by amount, production, shipping, invoicing and payment."""
from __future__ import annotations

from datetime import timedelta

import pytest

ORDERS = "/api/forms/sales_order/records"
OPPS = "/api/forms/opportunity/records"


def stage(client, url):
    return client.get(url).get_json()["stage"]


def test_an_80000_order_goes_through_finance_and_manager_then_on_to_payment(engine_today,
        approve_all, fire, order_of, tasks_of, staff, customer, catalogue):
    zhang, fin, manager = staff["zhang"], staff["fin"], staff["manager"]
    order = order_of(zhang, customer, 8, "10000.00")
    url = f"{ORDERS}/{order['id']}"
    assert order["stage"] == "draft" and order["fields"]["total"] == "80000.00"
    assert fire(zhang, url, "submit").status_code == 200
    assert [t["step"] for t in tasks_of(fin)] == ["finance"] and tasks_of(manager) == []
    approve_all(fin, order["id"])
    assert stage(zhang, url) == "review"
    assert [t["step"] for t in tasks_of(manager)] == ["manager"] and tasks_of(staff["gm"]) == []
    approve_all(manager, order["id"])
    assert stage(zhang, url) == "scheduling"

    # Approved: amounts and lines are frozen for everyone, delivery date may still move.
    version = zhang.get(url).get_json()["version"]
    frozen = zhang.patch(url, json={"version": version, "fields": {"items": [
        {"product": catalogue("气动阀门"), "qty": 1, "price": "1.00"}]}})
    assert frozen.status_code in (403, 422) and zhang.get(url).get_json()["fields"]["total"] == "80000.00"
    assert manager.patch(url, json={"version": version, "fields": {"discount": "5000"}}).status_code in (403, 422)

    plant, store = staff["plant"], staff["store"]
    assert fire(plant, url, "start_production").status_code == 200
    seen = store.get(url).get_json()["fields"]
    assert "total" not in seen and all("price" not in row for row in seen["items"])
    refused = fire(store, url, "ship")
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"carrier", "tracking_no"}
    version = store.get(url).get_json()["version"]
    assert store.patch(url, json={"version": version, "fields": {
        "carrier": "顺丰", "tracking_no": "SF1234567890"}}).status_code == 200
    shipped = fire(store, url, "ship").get_json()
    assert shipped["stage"] == "shipped" and shipped["fields"]["shipped_on"] == engine_today().isoformat()

    assert fire(zhang, url, "request_invoice").status_code == 200
    assert fire(fin, url, "invoiced").status_code == 422  # no invoice number yet
    version = fin.get(url).get_json()["version"]
    assert fin.patch(url, json={"version": version, "fields": {"invoice_no": "FP-2026-001",
                                                                "payment_due": "2027-03-31"}}).status_code == 200
    assert fire(fin, url, "invoiced").get_json()["stage"] == "collecting"
    fin.create("payment", order=order["id"], amount="79999.99")
    assert fire(fin, url, "complete").status_code == 409  # ¥0.01 outstanding
    assert "complete" not in [t["name"] for t in fin.get(f"{url}/transitions").get_json()]
    fin.create("payment", order=order["id"], amount="0.01")
    done = fire(fin, url, "complete").get_json()
    assert done["stage"] == "done" and done["fields"]["completed_on"] == engine_today().isoformat()
    assert zhang.get(f"{url}/transitions").get_json() == []
    history = [e["action"] for e in zhang.get(f"{url}/history").get_json()]
    assert history.count("approve") == 2 and history.count("transition") == 6


@pytest.mark.parametrize(("price", "steps"), [
    ("3000.00", ["finance"]),
    ("30000.00", ["finance", "manager", "gm"]),
])
def test_review_steps_follow_the_amount(approve_all, fire, order_of, tasks_of, staff, customer, price, steps):
    order = order_of(staff["zhang"], customer, 10, price)  # 30,000 or 300,000
    url = f"{ORDERS}/{order['id']}"
    fire(staff["zhang"], url, "submit")
    seen = []
    for who in ("fin", "manager", "gm"):
        mine = tasks_of(staff[who])
        if mine:
            seen += [t["step"] for t in mine]
            approve_all(staff[who], order["id"])
    assert seen == steps and stage(staff["zhang"], url) == "scheduling"


def test_submit_needs_lines_and_a_delivery_date(fire, staff, customer):
    draft = staff["zhang"].create("sales_order", customer=customer)
    refused = fire(staff["zhang"], f"{ORDERS}/{draft['id']}", "submit")
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"items", "delivery_date"}
    assert stage(staff["zhang"], f"{ORDERS}/{draft['id']}") == "draft"


def test_cancel_needs_a_comment_and_a_manager(fire, order_of, staff, customer):
    order = order_of(staff["zhang"], customer, 1, "100.00")
    url = f"{ORDERS}/{order['id']}"
    assert fire(staff["zhang"], url, "cancel", comment="x").status_code == 403
    assert fire(staff["manager"], url, "cancel").status_code == 422
    assert fire(staff["manager"], url, "cancel", comment="客户取消").get_json()["stage"] == "cancelled"


def test_rejection_returns_the_order_to_draft_for_rework(fire, order_of, tasks_of, staff, customer):
    order = order_of(staff["zhang"], customer, 1, "100.00")
    url = f"{ORDERS}/{order['id']}"
    fire(staff["zhang"], url, "submit")
    task = tasks_of(staff["fin"])[0]
    assert staff["fin"].post(f"/api/tasks/{task['id']}/reject", json={"comment": "价格低于底价"}).status_code == 200
    assert stage(staff["zhang"], url) == "draft"
    version = staff["zhang"].get(url).get_json()["version"]
    assert staff["zhang"].patch(url, json={"version": version, "fields": {"discount": "0"}}).status_code == 200


def test_warehouse_and_production_see_orders_from_scheduling_on(approve_all, fire, order_of, staff, customer):
    order = order_of(staff["zhang"], customer, 1, "100.00")
    url = f"{ORDERS}/{order['id']}"
    assert staff["store"].get(url).status_code == 404
    assert staff["plant"].get(ORDERS).get_json()["total"] == 0
    fire(staff["zhang"], url, "submit")
    approve_all(staff["fin"], order["id"])
    assert staff["store"].get(url).status_code == 200
    assert staff["plant"].get(ORDERS).get_json()["total"] == 1


def test_a_win_without_a_quotation_still_creates_the_order(fire, staff, customer):
    """SPEC: a won opportunity creates an order; without a quotation it has no lines yet."""
    zhang = staff["zhang"]
    opp = zhang.create("opportunity", title="直接成交", customer=customer, expected_amount="5000")
    url = f"{OPPS}/{opp['id']}"
    fire(zhang, url, "confirm_needs")
    won = fire(zhang, url, "win").get_json()
    assert won["stage"] == "won"
    created = next(e for e in zhang.get(f"{url}/history").get_json() if e.get("created"))["created"]
    order = zhang.get(f"{ORDERS}/{created['id']}").get_json()
    assert order["fields"]["customer"] == customer and order["fields"]["opportunity"] == opp["id"]
    assert not order["fields"]["items"] and order["stage"] == "draft"


def test_opportunity_pipeline_and_a_win_that_creates_the_order(fire, staff, customer, catalogue, engine_today):
    zhang = staff["zhang"]
    opp = zhang.create("opportunity", title="恒达 2027 阀门采购", customer=customer)
    url = f"{OPPS}/{opp['id']}"
    assert opp["stage"] == "contact" and opp["fields"]["probability"] == 10
    assert [t["name"] for t in zhang.get(f"{url}/transitions").get_json()] == ["confirm_needs", "lose"]
    assert fire(zhang, url, "confirm_needs").get_json()["fields"]["probability"] == 30
    refused = fire(zhang, url, "quote")
    assert refused.status_code == 422 and "expected_amount" in refused.get_json()["error"]["fields"]
    version = zhang.get(url).get_json()["version"]
    zhang.patch(url, json={"version": version, "fields": {"expected_amount": "120000"}})
    assert fire(zhang, url, "quote").get_json()["fields"]["probability"] == 50
    assert fire(staff["li"], url, "win").status_code in (403, 404)  # not li's opportunity
    (quote,) = zhang.get(f"/api/forms/quotation/records?opportunity={opp['id']}").get_json()["items"]
    quote_url = f"/api/forms/quotation/records/{quote['id']}"
    zhang.patch(quote_url, json={"version": quote["version"], "fields": {
        "valid_until": (engine_today() + timedelta(days=10)).isoformat(),
        "items": [{"product": catalogue("气动阀门", price="1200.00"), "qty": 100}]}})
    assert fire(zhang, quote_url, "submit").get_json()["stage"] == "approved"
    zhang.patch(url, json={"version": zhang.get(url).get_json()["version"], "fields": {"quotation": quote["id"]}})
    won = fire(zhang, url, "win").get_json()
    assert won["stage"] == "won" and won["fields"]["probability"] == 100
    assert won["fields"]["expected_amount"] == "120000.00"
    created = next(e for e in zhang.get(f"{url}/history").get_json() if e.get("created"))["created"]
    order = zhang.get(f"{ORDERS}/{created['id']}").get_json()
    assert order["stage"] == "draft"
    assert order["fields"]["customer"] == customer and order["fields"]["opportunity"] == opp["id"]
    assert order["fields"]["salesperson"] == "zhang"
    assert len(order["fields"]["items"]) == 1 and order["fields"]["total"] == "120000.00"


def test_losing_needs_a_reason(fire, staff, customer):
    zhang = staff["zhang"]
    opp = zhang.create("opportunity", title="丢单", customer=customer)
    url = f"{OPPS}/{opp['id']}"
    refused = fire(zhang, url, "lose")
    assert refused.status_code == 422 and "lost_reason" in refused.get_json()["error"]["fields"]
    zhang.patch(url, json={"version": 1, "fields": {"lost_reason": "价格过高"}})
    lost = fire(zhang, url, "lose").get_json()
    assert lost["stage"] == "lost" and lost["fields"]["probability"] == 0


def test_the_edit_button_follows_the_stage(fire, order_of, login, staff, customer, app):

    order = order_of(staff["zhang"], customer, 1, "100.00")
    url = f"{ORDERS}/{order['id']}"
    browser = app.test_client()
    login(browser, "zhang", "zhang-password")
    assert f"/f/sales_order/{order['id']}/edit" in browser.get(f"/f/sales_order/{order['id']}").get_data(as_text=True)
    fire(staff["zhang"], url, "submit")  # 订单评审: nothing editable
    assert f"/f/sales_order/{order['id']}/edit" not in browser.get(f"/f/sales_order/{order['id']}").get_data(
        as_text=True)
    edit = browser.get(f"/f/sales_order/{order['id']}/edit")
    assert edit.status_code == 302 and edit.headers["Location"].endswith(f"/f/sales_order/{order['id']}")


def test_the_customer_page_shows_its_orders_opportunities_and_follow_ups(order_of, login, staff, customer, app):

    zhang = staff["zhang"]
    order = order_of(zhang, customer, 2, "100.00")
    zhang.create("opportunity", title="二期扩产", customer=customer)
    zhang.create("follow_up", subject="上门拜访", customer=customer, method="拜访", content="看样")
    other = zhang.create("customer", name="别的客户", owner="zhang")["id"]
    order_of(zhang, other, 1, "1.00")
    browser = app.test_client()
    login(browser, "zhang", "zhang-password")
    page = browser.get(f"/f/customer/{customer}").get_data(as_text=True)
    for form in ("sales_order", "opportunity", "follow_up"):
        assert f'data-related="{form}"' in page
    assert order["fields"]["order_no"] in page and "二期扩产" in page and "上门拜访" in page
    assert page.count("/f/sales_order/") >= 1 and "1.00" not in page  # only this customer's orders
    # another salesperson's view of the same customer shows none of zhang's records
    staff["li"].create("customer", name="李的客户", owner="li")
    li = app.test_client()
    login(li, "li", "li-password")
    assert li.get(f"/f/customer/{customer}").status_code == 404
    # "new" from the related card starts with the link filled in
    new = browser.get(f"/f/follow_up/new?customer={customer}").get_data(as_text=True)
    assert f'<option selected value="{customer}">杭州恒达机械</option>' in new
    assert browser.get("/f/follow_up/new?customer=999999").status_code == 200  # unknown: just not filled


def test_partial_payments_roll_up_into_collected_and_outstanding(order_of, staff, customer, make_user):
    zhang, fin = staff["zhang"], staff["fin"]
    order = order_of(zhang, customer, 2, "5000.00")
    other = order_of(zhang, customer, 1, "100.00")
    url = f"{ORDERS}/{order['id']}"
    assert order["fields"]["collected"] == "0.00" and order["fields"]["outstanding"] == "10000.00"
    first = fin.create("payment", order=order["id"], amount="3000.00")
    fin.create("payment", order=order["id"], amount="2500.50")
    now = zhang.get(url).get_json()["fields"]
    assert (now["collected"], now["outstanding"]) == ("5500.50", "4499.50")
    pay_url = f"/api/forms/payment/records/{first['id']}"
    assert fin.patch(pay_url, json={"version": 1, "fields": {"order": other["id"]}}).status_code == 200  # moved
    assert zhang.get(url).get_json()["fields"]["outstanding"] == "7499.50"
    assert zhang.get(f"{ORDERS}/{other['id']}").get_json()["fields"]["outstanding"] == "-2900.00"
    admin = make_user("root", "admin")
    assert admin.delete(pay_url).status_code == 204
    assert zhang.get(f"{ORDERS}/{other['id']}").get_json()["fields"]["collected"] == "0.00"
    history = zhang.get(url).get_json() and zhang.get(f"{url}/history").get_json()
    assert history[-1]["via"]["form"] == "payment"
    hidden = staff["store"].get("/api/openapi.json").get_json()["components"]["schemas"]["sales_order.fields"]
    assert "outstanding" not in hidden["properties"] and "collected" not in hidden["properties"]
