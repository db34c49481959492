"""A child's create, edit and delete refresh its parents' rollups and the formulas that use them.
The refresh recomputes only the formulas a rollup can move, reads the parent's table rows only
when one of those formulas reads them, and replans only the reminders whose date moved; the
values stay right whatever the child does."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from engine.definitions.loader import load_sources
from engine.records.compute import formulas_moved_by
from tests.sql_log import statements

MODULE = {
    "module": "sales", "title": "Sales",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {"name": "order", "title": "Order", "title_field": "code",
         "fields": [
             {"name": "code", "type": "text", "label": "Code"},
             {"name": "due", "type": "date", "label": "Due"},
             {"name": "lines", "type": "table", "label": "Lines", "fields": [
                 {"name": "qty", "type": "integer", "label": "Qty"},
                 {"name": "price", "type": "decimal", "label": "Price", "precision": 2},
                 {"name": "subtotal", "type": "formula", "label": "Subtotal", "formula": "qty * price",
                  "result": "decimal", "precision": 2}]},
             {"name": "amount", "type": "formula", "label": "Amount", "formula": "sum(lines.subtotal)",
              "result": "decimal", "precision": 2},
             {"name": "collected", "type": "rollup", "label": "Collected", "form": "payment", "link": "order",
              "value": "sum(amount)"},
             {"name": "payments", "type": "rollup", "label": "Payments", "form": "payment", "link": "order",
              "value": "count()"},
             {"name": "outstanding", "type": "formula", "label": "Outstanding", "formula": "amount - collected",
              "result": "decimal", "precision": 2}],
         "reminders": [{"name": "due_soon", "date_field": "due", "offset": "-1d", "notify": [{"role": "clerk"}],
                        "message": "Order {code} is due"}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all", "delete": "all"}}},
        {"name": "payment", "title": "Payment", "title_field": "ref",
         "fields": [{"name": "ref", "type": "text", "label": "Ref"},
                    {"name": "order", "type": "link", "label": "Order", "form": "order"},
                    {"name": "amount", "type": "decimal", "label": "Amount", "precision": 2}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all", "delete": "all"}}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path, request):
    write_module(tmp_path / "sales", getattr(request, "param", MODULE))
    return make_app(tmp_path / "sales")


def seen_statements(app, call):
    with statements(app) as seen:
        return call(), seen


def order_values(clerk, order_id):
    fields = clerk.get(f"/api/forms/order/records/{order_id}").get_json()["fields"]
    return {k: fields[k] for k in ("amount", "collected", "payments", "outstanding")}


def dec(text) -> Decimal:
    return Decimal(str(text))


def test_rollups_follow_create_edit_and_delete_of_a_child(app, make_user):
    clerk = make_user("ann", "clerk")
    lines = [{"qty": 2, "price": "10.00"}, {"qty": 1, "price": "5.50"}, {"qty": 3, "price": "1.00"}]
    first = clerk.create("order", code="A", due="2030-01-10", lines=lines)["id"]
    second = clerk.create("order", code="B", lines=[{"qty": 1, "price": "100.00"}])["id"]

    paid, seen = seen_statements(app, lambda: clerk.create("payment", ref="p1", order=first, amount="7.50"))
    values = order_values(clerk, first)
    assert dec(values["amount"]) == dec("28.50") and dec(values["collected"]) == dec("7.50")
    assert values["payments"] == 1 and dec(values["outstanding"]) == dec("21.00")
    # the rollup moved neither the rows' formulas nor the due date: no rows read, no timers touched
    assert not [s for s in seen if "rec_order__lines" in s], seen
    assert not [s for s in seen if "engine_timers" in s], seen

    p2 = clerk.create("payment", ref="p2", order=first, amount="1.00")
    assert dec(order_values(clerk, first)["outstanding"]) == dec("20.00")

    # edit the amount, then move the payment to the other order
    r = clerk.patch(f"/api/forms/payment/records/{paid['id']}", json={"version": paid["version"],
                                                                      "fields": {"amount": "8.50"}})
    assert r.status_code == 200, r.get_json()
    assert dec(order_values(clerk, first)["collected"]) == dec("9.50")
    r = clerk.patch(f"/api/forms/payment/records/{paid['id']}", json={"version": r.get_json()["version"],
                                                                      "fields": {"order": second}})
    assert r.status_code == 200, r.get_json()
    assert (dec(order_values(clerk, first)["collected"]), order_values(clerk, first)["payments"]) == (dec("1.00"), 1)
    assert dec(order_values(clerk, second)["outstanding"]) == dec("91.50")

    assert clerk.delete(f"/api/forms/payment/records/{p2['id']}").status_code in (200, 204)
    values = order_values(clerk, first)
    assert (dec(values["collected"]), values["payments"], dec(values["outstanding"])) == (dec("0"), 0, dec("28.50"))

    # editing the order's lines still recomputes everything, the rollup included
    order = clerk.get(f"/api/forms/order/records/{first}").get_json()
    r = clerk.patch(f"/api/forms/order/records/{first}", json={"version": order["version"],
                                                               "fields": {"lines": [{"qty": 1, "price": "3.00"}]}})
    assert r.status_code == 200, r.get_json()
    assert dec(order_values(clerk, first)["outstanding"]) == dec("3.00")
    history = clerk.get(f"/api/forms/order/records/{second}/history").get_json()
    assert any(h["action"] == "update" for h in history)


ROWS_MODULE = {**MODULE, "forms": [
    {**MODULE["forms"][0], "fields": [
        *(f for f in MODULE["forms"][0]["fields"] if f["name"] != "outstanding"),
        {"name": "outstanding", "type": "formula", "label": "Outstanding", "formula": "sum(lines.subtotal) - collected",
         "result": "decimal", "precision": 2}]},
    MODULE["forms"][1]]}


@pytest.mark.parametrize("app", [ROWS_MODULE], indirect=True)
def test_a_formula_reading_the_rows_and_a_rollup_is_refreshed_with_the_rows(app, make_user):
    for module, rows in ((MODULE, False), (ROWS_MODULE, True)):
        form = load_sources({"sales.json": json.dumps(module)}).form("order")
        moved, reads_rows = formulas_moved_by(form, ["collected", "payments"])
        assert ([f.name for f, _e in moved], reads_rows) == (["outstanding"], rows)
    clerk = make_user("ann", "clerk")
    order = clerk.create("order", code="A", lines=[{"qty": 2, "price": "10.00"}, {"qty": 1, "price": "1.00"}])["id"]
    _paid, seen = seen_statements(app, lambda: clerk.create("payment", ref="p1", order=order, amount="5.00"))
    assert [s for s in seen if s.startswith("SELECT") and "FROM rec_order__lines" in s]
    assert dec(order_values(clerk, order)["outstanding"]) == dec("16.00")
