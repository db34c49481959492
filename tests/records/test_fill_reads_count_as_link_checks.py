"""A link with `fill` reads the linked records under the user's read rule to copy from them; that
read also tells that the user may read them, so checking the link costs no second lookup of the
same records. A link to a record the user may not read copies nothing and is still refused."""
from __future__ import annotations

import pytest

from tests.sql_log import statements

MODULE = {
    "module": "shop", "title": "Shop",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {"name": "item", "title": "Item", "title_field": "name", "owner_field": "owner",
         "fields": [{"name": "name", "type": "text", "label": "Name"},
                    {"name": "unit", "type": "text", "label": "Unit"},
                    {"name": "owner", "type": "user", "label": "Owner", "default": "$user"}],
         "permissions": {"clerk": {"create": True, "read": "own", "update": "own"}}},
        {"name": "sale", "title": "Sale", "title_field": "code",
         "fields": [{"name": "code", "type": "text", "label": "Code"},
                    {"name": "item", "type": "link", "label": "Item", "form": "item", "fill": {"unit": "unit"}},
                    {"name": "unit", "type": "text", "label": "Unit"},
                    {"name": "lines", "type": "table", "label": "Lines", "fields": [
                        {"name": "item", "type": "link", "label": "Item", "form": "item", "fill": {"unit": "unit"}},
                        {"name": "unit", "type": "text", "label": "Unit"},
                        {"name": "qty", "type": "integer", "label": "Qty"}]}],
         "permissions": {"clerk": {"create": True, "read": "all"}}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "shop", MODULE)
    return make_app(tmp_path / "shop")


def item_reads(app, call):
    with statements(app) as seen:
        result = call()
    return result, [s for s in seen if s.startswith("SELECT") and "FROM rec_item" in s]


def test_the_fill_read_answers_the_link_check(app, make_user):
    ann = make_user("ann", "clerk")
    bolt = ann.create("item", name="Bolt", unit="pcs")["id"]
    nut = ann.create("item", name="Nut", unit="kg")["id"]
    lines = [{"item": bolt, "qty": 1}, {"item": nut, "qty": 2}, {"item": nut, "qty": 3}]
    created, reads = item_reads(app, lambda: ann.create("sale", code="S1", item=bolt, lines=lines))
    assert created["fields"]["unit"] == "pcs"
    assert [line["unit"] for line in created["fields"]["lines"]] == ["pcs", "kg", "kg"]
    # the field's fill read, the rows' fill read, the look in the writing transaction that the
    # records are still there, and the answer's link titles; no separate readability lookup
    assert len(reads) == 4, "\n".join(s[:200] for s in reads)
    assert not [s for s in reads if s.startswith("SELECT rec_item.id FROM rec_item WHERE rec_item.id IN (?) AND")
                or s.startswith("SELECT rec_item.id FROM rec_item WHERE rec_item.id IN (?, ?) AND")], reads
    assert sum("unit AS v_unit" in s for s in reads) == 2, reads


def test_a_link_to_a_record_the_user_may_not_read_is_refused(app, make_user):
    ann, bob = make_user("ann", "clerk"), make_user("bob", "clerk")
    hidden = bob.create("item", name="Secret", unit="t")["id"]
    mine = ann.create("item", name="Bolt", unit="pcs")["id"]
    for fields in ({"item": hidden}, {"item": mine, "lines": [{"item": hidden, "qty": 1}]}):
        response = ann.post("/api/forms/sale/records", json={"fields": {"code": "X", **fields}})
        assert response.status_code == 422, response.get_json()
        body = response.get_json()
        assert "t" not in str(body.get("fields", {}).get("unit", "")), body  # nothing copied from it
    assert ann.get("/api/forms/sale/records").get_json()["total"] == 0
