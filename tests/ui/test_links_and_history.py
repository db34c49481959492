"""Links and history read as titles (SPEC §3: a link is "shown by that form's title_field";
§5 history): a linked record the reader may not read shows "no access", neither its title
nor a link, on the page and in the API alike; history names linked records and forms by
their titles, never as raw ids; error pages are in the reader's language with the layout."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

ORDERS = "/api/forms/sales_order/records"


@pytest.fixture
def won(make_user, catalogue, engine_today):
    """zhang wins an opportunity with its approved quotation (which creates an order), then
    changes the order's contact."""
    zhang = make_user("zhang", "sales")
    make_user("cash", "finance")
    customer = zhang.create("customer", name="宁波远航", owner="zhang")
    first = zhang.create("contact", customer=customer["id"], name="王经理", owner="zhang")
    second = zhang.create("contact", customer=customer["id"], name="李主管", owner="zhang")
    chance = zhang.create("opportunity", title="远航大单商机", customer=customer["id"], owner="zhang")
    quote = zhang.create("quotation", customer=customer["id"], opportunity=chance["id"],
                         valid_until=(engine_today() + timedelta(days=10)).isoformat(),
                         items=[{"product": catalogue("阀门", price="10.00"), "qty": 1}])
    assert zhang.post(f"/api/forms/quotation/records/{quote['id']}/transitions/submit", json={}).status_code == 200
    chance = zhang.patch(f"/api/forms/opportunity/records/{chance['id']}",
                         json={"version": chance["version"], "fields": {"quotation": quote["id"]}}).get_json()
    url = f"/api/forms/opportunity/records/{chance['id']}/transitions"
    assert zhang.post(f"{url}/confirm_needs", json={}).status_code == 200
    assert zhang.post(f"{url}/win", json={}).status_code == 200
    order = zhang.get(f"{ORDERS}?opportunity={chance['id']}").get_json()["items"][0]
    for contact in (first, second):
        order = zhang.patch(f"{ORDERS}/{order['id']}", json={"version": order["version"], "fields": {
            "contact": contact["id"], "delivery_date": "2030-01-31"}})
        assert order.status_code == 200, order.get_json()
        order = order.get_json()
    return {"zhang": zhang, "order": order, "chance": chance, "contacts": (first, second)}


@pytest.fixture
def browser_for(login):
    """browser_for(app, name) → a test client logged in as name."""

    def open_as(app, name):
        client = app.test_client()
        assert login(client, name, f"{name}-password").status_code == 302
        return client
    return open_as


def test_a_link_to_an_unreadable_record_shows_no_access_and_no_link(browser_for, app, won):
    order, chance = won["order"], won["chance"]
    cash = browser_for(app, "cash")
    record = cash.get(f"{ORDERS}/{order['id']}").get_json()
    assert record["fields"]["opportunity"] == chance["id"] and record["links"]["opportunity"] is None
    assert record["links"]["customer"] == "宁波远航"
    page = cash.get(f"/f/sales_order/{order['id']}").get_data(as_text=True)
    shown = re.search(r'data-value="opportunity">(.*?)</dd>', page, re.S).group(1)
    assert "data-no-access" in shown and "<a" not in shown and "远航大单商机" not in shown
    assert f"/f/opportunity/{chance['id']}" not in page and f"#{chance['id']}" not in shown
    edit = cash.get(f"/f/sales_order/{order['id']}/edit").get_data(as_text=True)
    picker = re.search(r'<select[^>]*name="opportunity".*?</select>', edit, re.S).group(0)
    assert "无权查看" in picker and "远航大单商机" not in picker and f">#{chance['id']}<" not in picker
    # the owner, who may read it, gets its title and a link
    mine = browser_for(app, "zhang").get(f"/f/sales_order/{order['id']}").get_data(as_text=True)
    assert re.search(rf'<a href="/f/opportunity/{chance["id"]}">远航大单商机</a>', mine)


def test_error_pages_use_the_layout_and_the_readers_language(browser_for, app, won):
    cash = browser_for(app, "cash")
    response = cash.get(f"/f/opportunity/{won['chance']['id']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "未找到" in page and 'class="navbar' in page and "no record" not in page and "no form" not in page
    english = cash.get("/f/sales_order/999999?lang=en").get_data(as_text=True)
    assert "Not found" in english and 'class="navbar' in english


def test_history_names_linked_records_and_forms_by_title(browser_for, app, won):
    zhang, order, chance = won["zhang"], won["order"], won["chance"]
    first, second = won["contacts"]
    entries = zhang.get(f"{ORDERS}/{order['id']}/history").get_json()
    change = next(c for e in entries if e["action"] == "update" for c in e["changes"]
                  if c["field"] == "contact" and c["old"] == first["id"])
    assert (change["new"], change["old_title"], change["new_title"]) == (second["id"], "王经理", "李主管")
    page = browser_for(app, "zhang").get(f"/f/sales_order/{order['id']}").get_data(as_text=True)
    history = page[page.index('data-testid="history"'):]
    assert re.search(r"王经理</span> → 李主管", history) and f"#{second['id']}" not in history
    won_entry = next(e for e in zhang.get(f"/api/forms/opportunity/records/{chance['id']}/history").get_json()
                     if e.get("created"))
    assert won_entry["created"] == {"form": "sales_order", "id": order["id"],
                                    "form_title": "Sales order",  # the API speaks English
                                    "title": order["fields"]["order_no"]}
    page = browser_for(app, "zhang").get(f"/f/opportunity/{chance['id']}").get_data(as_text=True)
    created = re.search(r'data-testid="created">(.*?)</div>', page, re.S).group(1)
    assert "销售订单" in created and order["fields"]["order_no"] in created
    assert f"#{order['id']}" not in created


def test_history_shows_a_dash_for_a_cleared_or_first_set_value(browser_for, app, make_user):
    make_user("wang", "sales")
    zhang = make_user("zhang", "admin")
    customer = zhang.create("customer", name="宁波远航", owner="wang")
    url = f"/api/forms/customer/records/{customer['id']}"
    cleared = zhang.patch(url, json={"version": customer["version"], "fields": {"owner": None}})
    assert cleared.status_code == 200, cleared.get_json()
    assert zhang.patch(url, json={"version": cleared.get_json()["version"],
                                  "fields": {"phone": "13800000000"}}).status_code == 200
    page = browser_for(app, "zhang").get(f"/f/customer/{customer['id']}").get_data(as_text=True)
    history = re.sub(r"\s+", " ", page[page.index('data-testid="history"'):])
    assert re.search(r"负责销售: <span[^>]*>wang</span> → —</div>", history), history
    assert re.search(r"联系电话: <span[^>]*>—</span> → 13800000000", history), history


def test_a_form_shown_again_with_its_errors_keeps_the_titles_of_links_just_chosen(
        csrf_from, browser_for, app, make_user, catalogue, engine_today):
    """A refused save shows the form again: the customer and the line's product the user has just
    chosen keep their titles (not "#id"); a customer they may not read stays "#id", never its name."""
    zhang = make_user("zhang", "sales")
    make_user("wang", "sales")
    mine = zhang.create("customer", name="宁波远航", owner="zhang")["id"]
    valve = catalogue("气动阀门 PV-40", price="420.00")
    client = browser_for(app, "zhang")
    page = client.get("/f/quotation/new").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "customer": str(mine), "salesperson": "zhang",
            "quote_date": engine_today().isoformat(), "valid_until": (engine_today() + timedelta(days=10)).isoformat(),
            "items-0-product": str(valve), "items-0-qty": ""}  # the line's quantity is required
    again = client.post("/f/quotation/new", data=form).get_data(as_text=True)
    assert "必填" in again
    customer = re.search(r'<select[^>]*name="customer".*?</select>', again, re.S).group(0)
    product = re.search(r'<select[^>]*name="items-0-product".*?</select>', again, re.S).group(0)
    assert re.search(rf'<option selected value="{mine}">宁波远航</option>', customer), customer
    assert re.search(rf'<option selected value="{valve}">气动阀门 PV-40</option>', product), product
    theirs = make_user("li", "sales").create("customer", name="别人的客户", owner="li")["id"]
    refused = client.post("/f/quotation/new", data={**form, "customer": str(theirs)}).get_data(as_text=True)
    customer = re.search(r'<select[^>]*name="customer".*?</select>', refused, re.S).group(0)
    assert f">#{theirs}<" in customer and "别人的客户" not in customer
