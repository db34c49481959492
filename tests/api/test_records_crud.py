"""Create, read, update, delete through the API on the shipped configs."""
from __future__ import annotations


def test_create_returns_record_with_system_attributes(make_user):
    alice = make_user("alice", "sales")
    body = alice.create("customer", name="上海星辰科技", grade="A", phone="13812345678")
    assert body["form"] == "customer"
    assert body["version"] == 1
    assert body["created_by"] == "alice"
    assert body["fields"]["name"] == "上海星辰科技"
    assert body["fields"]["owner"] == "alice"  # default $user
    assert body["created_at"].endswith("+08:00")


def test_get_returns_the_stored_record(make_user):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME")
    got = alice.get(f"/api/forms/customer/records/{created['id']}").get_json()
    assert got["fields"] == created["fields"]


def test_order_formulas_are_computed_on_the_server(make_user, catalogue):
    alice = make_user("alice", "sales")
    customer = alice.create("customer", name="ACME")
    order = alice.create("sales_order", customer=customer["id"], delivery_date="2030-01-31", discount="5",
                         items=[{"product": catalogue("螺丝", price="10.50"), "qty": 3},  # list prices
                                {"product": catalogue("螺母", price="0.10"), "qty": 2, "subtotal": "999"}])
    items = order["fields"]["items"]
    assert [row["subtotal"] for row in items] == ["31.50", "0.20"]
    assert order["fields"]["amount"] == "31.70"
    assert order["fields"]["total"] == "26.70"
    assert order["links"]["customer"] == "ACME"


def test_serial_numbers_follow_the_pattern_and_increase(make_user, catalogue):
    alice = make_user("alice", "sales")
    customer = alice.create("customer", name="ACME")
    numbers = [
        alice.create("sales_order", customer=customer["id"], delivery_date="2030-01-31",
                     items=[{"product": catalogue("x"), "qty": 1, "price": "1"}])["fields"]["order_no"]
        for _ in range(3)
    ]
    assert numbers[0].startswith("SO-") and numbers[0].endswith("-0001")
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]


def test_patch_changes_fields_and_bumps_version(make_user):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME", grade="B")
    response = alice.patch(f"/api/forms/customer/records/{created['id']}",
                           json={"version": 1, "fields": {"grade": "A"}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == 2
    assert response.get_json()["fields"]["grade"] == "A"


def test_patch_with_stale_version_is_409_and_changes_nothing(make_user):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME", grade="B")
    url = f"/api/forms/customer/records/{created['id']}"
    assert alice.patch(url, json={"version": 1, "fields": {"grade": "A"}}).status_code == 200
    stale = alice.patch(url, json={"version": 1, "fields": {"grade": "C"}})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "stale_version"
    assert stale.get_json()["error"]["current_version"] == 2
    assert alice.get(url).get_json()["fields"]["grade"] == "A"


def test_patch_without_version_is_400(make_user):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME")
    response = alice.patch(f"/api/forms/customer/records/{created['id']}", json={"fields": {"grade": "A"}})
    assert response.status_code == 400


def test_delete_removes_the_record(make_user):
    boss = make_user("boss", "sales_manager")
    created = boss.create("customer", name="ACME", owner=None)
    url = f"/api/forms/customer/records/{created['id']}"
    assert boss.delete(url).status_code == 204
    assert boss.get(url).status_code == 404


def test_delete_of_a_linked_record_is_refused(make_user):
    boss = make_user("boss", "sales_manager")
    alice = make_user("alice", "sales")
    customer = alice.create("customer", name="ACME")
    alice.create("contact", customer=customer["id"], name="张三")
    response = boss.delete(f"/api/forms/customer/records/{customer['id']}")
    assert response.status_code == 409
    assert "contact" in response.get_json()["error"]["message"]


def test_history_records_create_and_edit_with_old_and_new(make_user):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME", grade="B")
    alice.patch(f"/api/forms/customer/records/{created['id']}", json={"version": 1, "fields": {"grade": "A"}})
    history = alice.get(f"/api/forms/customer/records/{created['id']}/history").get_json()
    assert [h["action"] for h in history] == ["create", "update"]
    assert history[1]["actor"] == "alice"
    assert history[1]["changes"] == [{"field": "grade", "old": "B", "new": "A"}]
