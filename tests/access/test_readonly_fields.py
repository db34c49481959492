"""A role's `readonly` fields: seen but not changed by that role. A changed value is a 422 on
that field (API, import), an unchanged one passes; pages show them disabled and keep the
stored values; with several roles granting update on a record, a field is writable if any of
them does not list it; the system (a transition's `set`) still writes them."""
from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from engine.definitions import load_sources
from engine.errors import DefinitionError
from engine.services.imports import ImportRejected, import_rows
from tests.services.conftest import context_opener

MODULE: dict[str, Any] = {
    "module": "ledger",
    "title": "Ledger",
    "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "lead", "title": "Lead"},
              {"name": "boss", "title": "Boss"}],
    "forms": [{
        "name": "entry", "title": "Entry", "title_field": "name",
        "fields": [
            {"name": "name", "type": "text", "label": "Name", "required": True},
            {"name": "rate", "type": "decimal", "label": "Rate", "default": 1},
            {"name": "note", "type": "text", "label": "Note"},
            {"name": "lines", "type": "table", "label": "Lines", "fields": [
                {"name": "item", "type": "text", "label": "Item", "required": True},
                {"name": "qty", "type": "integer", "label": "Qty"},
                {"name": "card", "type": "link", "label": "Card", "form": "card", "fill": {"price": "price"}},
                {"name": "price", "type": "decimal", "label": "Price", "default": 0},
                {"name": "amount", "type": "formula", "label": "Amount", "formula": "qty * price"},
            ]},
        ],
        "permissions": {
            "clerk": {"create": True, "read": "all", "update": "all", "readonly": ["rate", "lines.price"]},
            "lead": {"read": "all", "update": "own"},
            "boss": {"create": True, "read": "all", "update": "all"},
        },
        "workflow": {
            "initial": "draft",
            "stages": [{"name": "draft", "title": "Draft", "editable": ["*"]},
                       {"name": "done", "title": "Done", "final": True}],
            "transitions": [{"name": "reprice", "title": "Reprice", "from": "draft", "to": "draft",
                             "roles": ["clerk"], "set": {"rate": "rate + 1"}}],
        },
    }, {
        "name": "card", "title": "Card", "title_field": "name",
        "fields": [{"name": "name", "type": "text", "label": "Name", "required": True},
                   {"name": "price", "type": "decimal", "label": "Price"}],
        "permissions": {"clerk": {"read": "all"}, "boss": {"create": True, "read": "all"}},
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "ledger"
    write_module(folder, MODULE)
    return make_app(folder)


def _entry(boss, **fields):
    return boss.create("entry", **{"name": "Alpha", "rate": "2.5",
                                   "lines": [{"item": "a", "qty": 2, "price": "10"},
                                             {"item": "b", "qty": 1, "price": "4"}], **fields})


def _patch(client, record, **fields):
    return client.patch(f"/api/forms/entry/records/{record['id']}",
                        json={"version": record["version"], "fields": fields})


def test_a_changed_read_only_field_is_a_422_on_it_and_an_unchanged_one_passes(make_user):
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    record = _entry(boss)
    refused = _patch(clerk, record, rate="3", note="x")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"rate": ["is read-only for you"]}
    same = _patch(clerk, record, rate="2.50", note="x")
    assert same.status_code == 200, same.get_json()
    assert same.get_json()["fields"]["note"] == "x" and Decimal(same.get_json()["fields"]["rate"]) == Decimal("2.5")


def test_on_create_a_read_only_field_may_be_left_out_or_given_its_default_only(make_user):
    clerk = make_user("clerk", "clerk")
    assert Decimal(clerk.create("entry", name="A")["fields"]["rate"]) == 1
    assert Decimal(clerk.create("entry", name="B", rate="1")["fields"]["rate"]) == 1
    refused = clerk.post("/api/forms/entry/records", json={"fields": {"name": "C", "rate": "9"}})
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"rate": ["is read-only for you"]}


def test_a_read_only_column_keeps_stored_values_rows_may_move_and_new_rows_get_the_default(make_user):
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    record = _entry(boss)
    changed = _patch(clerk, record, lines=[{"item": "a", "qty": 2, "price": "11"}])
    assert changed.status_code == 422
    assert changed.get_json()["error"]["fields"] == {"lines.0.price": ["is read-only for you"]}
    # the rows swapped, the first one removed... and a new row without a price: all fine
    moved = _patch(clerk, record, lines=[{"item": "b", "qty": 5, "price": "4"}, {"item": "c", "qty": 3}])
    assert moved.status_code == 200, moved.get_json()
    lines = moved.get_json()["fields"]["lines"]
    assert [(row["item"], Decimal(row["price"]), Decimal(row["amount"])) for row in lines] == \
        [("b", Decimal(4), Decimal(20)), ("c", Decimal(0), Decimal(0))]
    # a new row may not bring a price of its own, nor take one a stored row does not have
    again = _patch(clerk, moved.get_json(), lines=[*lines, {"item": "d", "qty": 1, "price": "4"}])
    assert again.status_code == 422 and list(again.get_json()["error"]["fields"]) == ["lines.2.price"]


def test_with_several_roles_a_field_is_writable_where_any_role_granting_update_does_not_list_it(make_user):
    boss = make_user("boss", "boss")
    both = make_user("pat", "clerk", "lead")
    others = _entry(boss)
    own = _entry(both, rate=None, lines=[])  # pat's own record: lead (which lists nothing) grants update on it
    assert _patch(both, own, rate="7").status_code == 200
    refused = _patch(both, others, rate="7")  # only clerk grants update here
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"rate": ["is read-only for you"]}
    described = both.get("/api/forms/entry").get_json()["readonly_for_you"]
    assert described == {"create": ["lines.price", "rate"], "update": []}
    assert make_user("clerk", "clerk").get("/api/forms/entry").get_json()["readonly_for_you"] == \
        {"create": ["lines.price", "rate"], "update": ["lines.price", "rate"]}
    assert boss.get("/api/forms/entry").get_json()["readonly_for_you"] == {"create": [], "update": []}
    # clerk and boss both create and update everything: boss lists nothing, so nothing is read-only
    kim = make_user("kim", "clerk", "boss")
    assert kim.get("/api/forms/entry").get_json()["readonly_for_you"] == {"create": [], "update": []}
    assert Decimal(kim.create("entry", name="K", rate="9")["fields"]["rate"]) == 9
    assert _patch(kim, others, rate="8").status_code == 200


def test_the_system_still_writes_a_read_only_field(make_user):
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    record = _entry(boss)
    fired = clerk.post(f"/api/forms/entry/records/{record['id']}/transitions/reprice", json={})
    assert fired.status_code == 200, fired.get_json()
    assert Decimal(fired.get_json()["fields"]["rate"]) == Decimal("3.5")


def test_an_import_row_with_a_read_only_value_is_refused_on_that_field(app, make_user):
    make_user("clerk", "clerk")
    acting = context_opener(app)

    with pytest.raises(ImportRejected) as rejected:
        import_rows(lambda write=False: acting("clerk", write), "entry", ["Name", "Rate"], [["one", ""], ["two", "5"]])
    failed = rejected.value.report.failed
    assert [f["row"] for f in failed] == [3]
    assert failed[0]["errors"] == {"Rate": ["is read-only for you"]}


def test_the_edit_page_disables_read_only_inputs_and_keeps_their_values(app, browser, make_user, csrf_from):
    boss = make_user("boss", "boss")
    record = _entry(boss)
    page_user = browser("clerk", "clerk")
    url = f"/f/entry/{record['id']}/edit"
    html = page_user.get(url).get_data(as_text=True)
    assert re.search(r'<input[^>]*disabled[^>]*name="rate"|<input[^>]*name="rate"[^>]*disabled', html), html
    price_cells = re.findall(r'<td data-column="price"[^>]*data-readonly-column>(.*?)</td>', html, re.S)
    assert len(price_cells) == 3  # two rows and the template of a new row
    assert all("disabled" in cell for cell in price_cells)
    # a tampered post: a rate and a price of its own, the first row gone, a new row with a price
    response = page_user.post(url, data={
        "csrf_token": csrf_from(html), "version": str(record["version"]), "name": "Alpha", "rate": "99",
        "note": "seen", "lines-0-item": "b", "lines-0-qty": "1", "lines-0-price": "4",
        "lines-1-item": "new", "lines-1-qty": "2", "lines-1-price": "50"})
    assert response.status_code == 302, response.get_data(as_text=True)
    fields = boss.get(f"/api/forms/entry/records/{record['id']}").get_json()["fields"]
    assert fields["note"] == "seen" and Decimal(fields["rate"]) == Decimal("2.5")
    assert [(row["item"], Decimal(row["price"])) for row in fields["lines"]] == [("b", Decimal(4)), ("new", Decimal(0))]


def test_a_read_only_column_a_link_fills_follows_the_link(make_user):
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    cheap, dear = boss.create("card", name="cheap", price="5"), boss.create("card", name="dear", price="50")
    record = clerk.create("entry", name="A", lines=[{"item": "a", "qty": 2, "card": cheap["id"]}])
    assert [Decimal(r["price"]) for r in record["fields"]["lines"]] == [5]
    # another card in the same row: the row's price is the new card's, not the one it held
    row = {**record["fields"]["lines"][0], "card": dear["id"]}
    changed = _patch(clerk, record, lines=[{k: v for k, v in row.items() if k != "amount"}])
    assert changed.status_code == 200, changed.get_json()
    assert [(Decimal(r["price"]), Decimal(r["amount"])) for r in changed.get_json()["fields"]["lines"]] == \
        [(Decimal(50), Decimal(100))]
    # a price sent with a chosen card is not the user's to give: the card's price wins
    filled = _patch(clerk, changed.get_json(), lines=[{"item": "b", "qty": 1, "card": cheap["id"], "price": "1"}])
    assert filled.status_code == 200, filled.get_json()
    assert [Decimal(r["price"]) for r in filled.get_json()["fields"]["lines"]] == [5]


def test_the_definition_names_an_unknown_or_hidden_read_only_field_at_its_pointer():
    doc = copy.deepcopy(MODULE)
    doc["forms"][0]["permissions"]["clerk"]["readonly"] = ["rate", "lines.colour", "nothing"]
    doc["forms"][0]["permissions"]["boss"]["hide"] = ["note"]
    doc["forms"][0]["permissions"]["boss"]["readonly"] = ["note"]
    with pytest.raises(DefinitionError) as info:
        load_sources({"ledger.json": json.dumps(doc)})
    found = sorted((p.pointer, p.message) for p in info.value.problems)
    assert found == [
        ("/forms/0/permissions/boss/readonly", "'note' is hidden from this role; it cannot also be read-only"),
        ("/forms/0/permissions/clerk/readonly", "unknown field 'lines.colour'"),
        ("/forms/0/permissions/clerk/readonly", "unknown field 'nothing'"),
    ]
    doc["forms"][0]["permissions"]["clerk"]["readonly"] = "rate"
    with pytest.raises(DefinitionError) as info:
        load_sources({"ledger.json": json.dumps(doc)})
    assert "/forms/0/permissions/clerk/readonly" in [p.pointer for p in info.value.problems]


def test_the_create_page_ignores_a_posted_read_only_value(app, browser, make_user, csrf_from):
    page_user = browser("clerk", "clerk")
    html = page_user.get("/f/entry/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*disabled[^>]*name="rate"|<input[^>]*name="rate"[^>]*disabled', html), html
    response = page_user.post("/f/entry/new", data={
        "csrf_token": csrf_from(html), "name": "Posted", "rate": "99",
        "lines-0-item": "a", "lines-0-qty": "2", "lines-0-price": "7"})
    assert response.status_code == 302, response.get_data(as_text=True)
    record = make_user("boss", "boss").get("/api/forms/entry/records").get_json()["items"][0]
    assert Decimal(record["fields"]["rate"]) == 1  # the default
    assert [(r["item"], Decimal(r["price"])) for r in record["fields"]["lines"]] == [("a", Decimal(0))]
