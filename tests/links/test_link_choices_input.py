"""The choices endpoint refuses or ignores bad input instead of failing: an `id` in `values`
that is no record id restricts nothing (docs/reference.md, Linked choices)."""
from __future__ import annotations

import json

import pytest


def _people_of_the_deal(doc):
    person = next(f for f in doc["forms"] if f["name"] == "person")
    person["fields"].append({"name": "deal", "type": "link", "form": "deal", "label": "Deal"})
    deal = next(f for f in doc["forms"] if f["name"] == "deal")
    contact = next(f for f in deal["fields"] if f["name"] == "contact")
    contact["filter"] = {"deal": "id"}  # the people of this deal


@pytest.fixture
def app(links_app):
    return links_app(_people_of_the_deal)


@pytest.mark.parametrize("bad", [10**30, -5, 0, 2**63])
def test_an_id_that_is_no_record_id_restricts_nothing(app, make_user, bad):
    staff = make_user("sam", "staff")
    staff.create("person", name="Ann")
    r = staff.get("/api/forms/deal/fields/contact/choices", query_string={"values": json.dumps({"id": bad})})
    assert r.status_code == 200, r.get_data(as_text=True)[-500:]
    assert [i["title"] for i in r.get_json()["items"]] == ["Ann"]
