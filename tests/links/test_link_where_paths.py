"""A link's `where` reading a field of another form through a link (`account.note`) or a
formula over a field: hidden from the reader there, the `where` is not applied for them, so
the choices (and the check) never reveal that value (docs/reference.md, Linked choices)."""
from __future__ import annotations

import pytest


def _where_through_a_link(doc):
    deal = next(f for f in doc["forms"] if f["name"] == "deal")
    contact = next(f for f in deal["fields"] if f["name"] == "contact")
    contact["where"] = "account.note == 'secret'"  # the clerk may not see an account's note
    del contact["filter"]


@pytest.fixture
def app(links_app):
    return links_app(_where_through_a_link)


def test_a_where_through_a_link_to_a_hidden_field_is_not_applied(app, make_user):
    staff = make_user("sam", "staff")
    north = staff.create("account", name="North", note="secret")["id"]
    south = staff.create("account", name="South", note="plain")["id"]
    ann = staff.create("person", name="Ann", account=north)["id"]
    bob = staff.create("person", name="Bob", account=south)["id"]
    url = "/api/forms/deal/fields/contact/choices"
    assert [i["title"] for i in staff.get(url).get_json()["items"]] == ["Ann"]  # staff reads the note
    clerk = make_user("cleo", "clerk")
    assert [i["title"] for i in clerk.get(url).get_json()["items"]] == ["Ann", "Bob"]  # not narrowed by it
    r = clerk.post("/api/forms/deal/records", json={"fields": {"subject": "A", "contact": bob}})
    assert r.status_code == 201, r.get_json()  # and not refused by it
    r = staff.post("/api/forms/deal/records", json={"fields": {"subject": "B", "contact": bob}})
    assert r.status_code == 422 and "contact" in r.get_json()["error"]["fields"]
    assert staff.post("/api/forms/deal/records", json={"fields": {"subject": "C", "contact": ann}}).status_code == 201
