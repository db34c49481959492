"""The shipped order review: the finance approver cannot hand 财务审核 on to the warehouse
(who may not see amounts and prices) nor to a salesperson who reads only their own orders;
the general manager, who reads every order whole, can take it (docs/reference.md, Approvals)."""
from __future__ import annotations

ORDERS = "/api/forms/sales_order/records"



def test_finance_review_is_handed_on_only_to_who_sees_the_whole_order(
        fire, order_of, tasks_of, login, app, staff, customer):
    order = order_of(staff["zhang"], customer, 8, "10000.00")
    assert fire(staff["zhang"], f"{ORDERS}/{order['id']}", "submit").status_code == 200
    (task,) = [t for t in tasks_of(staff["fin"]) if t["record_id"] == order["id"]]
    url = f"/api/tasks/{task['id']}/reassign"
    for name in ("store", "li"):
        refused = staff["fin"].post(url, json={"to": name})
        assert refused.status_code == 422, (name, refused.get_json())
        assert "to" in refused.get_json()["error"]["fields"]
    browser = app.test_client()
    assert login(browser, "fin", "fin-password").status_code == 302
    page = browser.get(f"/f/sales_order/{order['id']}").get_data(as_text=True)
    select = page[page.index('name="to"'):]
    select = select[:select.index("</select>")]
    assert 'value="gm"' in select and 'value="store"' not in select and 'value="li"' not in select
    assert 'value="zhang"' not in select and 'value="plant"' not in select
    assert staff["fin"].post(url, json={"to": "gm"}).status_code == 200
    assert [t["record_id"] for t in tasks_of(staff["gm"])] == [order["id"]]
