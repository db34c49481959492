"""A transition's `create.set` fills a table of the new record from a table: of the source
record (`"lines"`), of a record a link points at (`"quote.items"`, read as the system), or
mapped (`{"from": ..., "set": {...}}`). Columns are copied by equal name, formulas recomputed;
the new record is validated like any other, and an invalid copy writes nothing. The
definition checks say what is wrong, and where."""
from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from engine.definitions import load_sources
from engine.errors import DefinitionError

ROWS = [
    {"name": "name", "type": "text", "label": "Name", "required": True},
    {"name": "qty", "type": "integer", "label": "Qty"},
    {"name": "price", "type": "decimal", "label": "Price"},
]
MODULE: dict[str, Any] = {
    "module": "works",
    "title": "Works",
    "roles": [{"name": "staff", "title": "Staff"}, {"name": "office", "title": "Office"}],
    "forms": [
        {"name": "quote", "title": "Quote", "title_field": "title",
         "fields": [{"name": "title", "type": "text", "label": "Title", "required": True},
                    {"name": "items", "type": "table", "label": "Items", "fields": [
                        *ROWS, {"name": "subtotal", "type": "formula", "label": "Subtotal",
                                "formula": "qty * price"}]}],
         "permissions": {"office": {"create": True, "read": "all", "update": "all"},
                         "staff": {"read": "all", "hide": ["items.price"]}}},
        {"name": "deal", "title": "Deal", "title_field": "title",
         "fields": [{"name": "title", "type": "text", "label": "Title", "required": True},
                    {"name": "quote", "type": "link", "label": "Quote", "form": "quote"},
                    {"name": "lines", "type": "table", "label": "Lines", "fields": ROWS}],
         "permissions": {"staff": {"create": True, "read": "all", "update": "all"}},
         "workflow": {
             "initial": "open",
             "stages": [{"name": "open", "title": "Open", "editable": ["*"]},
                        {"name": "won", "title": "Won", "final": True}],
             "transitions": [
                 {"name": "own", "title": "Own lines", "from": "open", "to": "won", "roles": ["staff"],
                  "create": {"form": "job", "set": {"title": "title", "rows": "lines"}}},
                 {"name": "quoted", "title": "Quoted lines", "from": "open", "to": "won", "roles": ["staff"],
                  "create": {"form": "job", "set": {"title": "quote.title", "deal": "id", "rows": "quote.items"}}},
                 {"name": "mapped", "title": "Mapped", "from": "open", "to": "won", "roles": ["staff"],
                  "create": {"form": "job", "set": {"title": "title", "rows": {
                      "from": "quote.items", "set": {"qty": "qty * 2", "note": "name"}}}}},
             ]}},
        {"name": "job", "title": "Job", "title_field": "title",
         "fields": [{"name": "title", "type": "text", "label": "Title", "required": True},
                    {"name": "deal", "type": "link", "label": "Deal", "form": "deal"},
                    {"name": "rows", "type": "table", "label": "Rows", "min_rows": 1, "fields": [
                        {"name": "name", "type": "text", "label": "Name", "required": True},
                        {"name": "qty", "type": "integer", "label": "Qty", "required": True},
                        {"name": "price", "type": "decimal", "label": "Price"},
                        {"name": "note", "type": "text", "label": "Note", "default": "-"},
                        {"name": "amount", "type": "formula", "label": "Amount", "formula": "qty * price"}]}],
         "permissions": {"staff": {"read": "all"}}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "works"
    write_module(folder, MODULE)
    return make_app(folder)


def _rows(record: dict[str, Any], name: str) -> list[tuple[Any, ...]]:
    return [(r["name"], r["qty"], r.get("price") and Decimal(r["price"]), r.get("note"),
             r.get("amount") and Decimal(r["amount"])) for r in record["fields"][name]]


def _fire(client, deal: dict[str, Any], name: str):
    return client.post(f"/api/forms/deal/records/{deal['id']}/transitions/{name}", json={})


def _job(client, fired) -> dict[str, Any]:
    created = [e for e in client.get(f"/api/forms/deal/records/{fired['id']}/history").get_json()
               if e["action"] == "transition"][0]["created"]
    return client.get(f"/api/forms/job/records/{created['id']}").get_json()


@pytest.fixture
def people(make_user):
    return make_user("sam", "staff"), make_user("olga", "office")


def test_the_rows_of_the_records_own_table_are_copied(people):
    staff, _office = people
    deal = staff.create("deal", title="D1", lines=[{"name": "a", "qty": 2, "price": "3"}, {"name": "b", "qty": 1}])
    fired = _fire(staff, deal, "own")
    assert fired.status_code == 200, fired.get_json()
    assert _rows(_job(staff, fired.get_json()), "rows") == [("a", 2, Decimal(3), "-", Decimal(6)),
                                                            ("b", 1, None, "-", None)]  # note: its default


def test_the_rows_of_a_linked_records_table_are_copied_as_the_system(people):
    staff, office = people  # the prices of quotes are hidden from staff
    quote = office.create("quote", title="Q1", items=[{"name": "x", "qty": 3, "price": "2.5"}])
    deal = staff.create("deal", title="D2", quote=quote["id"])
    fired = _fire(staff, deal, "quoted")
    assert fired.status_code == 200, fired.get_json()
    job = _job(staff, fired.get_json())
    assert job["fields"]["title"] == "Q1" and job["fields"]["deal"] == deal["id"]
    assert _rows(job, "rows") == [("x", 3, Decimal("2.5"), "-", Decimal("7.5"))]


def test_a_mapped_copy_sets_columns_from_each_source_row(people):
    staff, office = people
    quote = office.create("quote", title="Q", items=[{"name": "x", "qty": 3, "price": "2"},
                                                     {"name": "y", "qty": 1, "price": "5"}])
    deal = staff.create("deal", title="D3", quote=quote["id"])
    fired = _fire(staff, deal, "mapped")
    assert fired.status_code == 200, fired.get_json()
    assert _rows(_job(staff, fired.get_json()), "rows") == [("x", 6, Decimal(2), "x", Decimal(12)),
                                                            ("y", 2, Decimal(5), "y", Decimal(10))]


def test_an_invalid_copy_writes_nothing(people, admin):
    staff, _office = people
    deal = staff.create("deal", title="D4", lines=[{"name": "a", "qty": 2}, {"name": "b"}])  # a job row needs qty
    fired = _fire(staff, deal, "own")
    assert fired.status_code == 422
    assert fired.get_json()["error"]["fields"] == {"rows.1.qty": ["required"]}
    assert admin.get("/api/forms/job/records").get_json()["total"] == 0
    after = staff.get(f"/api/forms/deal/records/{deal['id']}").get_json()
    assert (after["stage"], after["version"]) == ("open", deal["version"])
    empty = staff.create("deal", title="D5")  # no rows at all: the job needs one (min_rows)
    assert _fire(staff, empty, "own").status_code == 422
    assert admin.get("/api/forms/job/records").get_json()["total"] == 0


def _problems(change) -> dict[str, str]:
    doc = copy.deepcopy(MODULE)
    change(doc["forms"][1]["workflow"]["transitions"], doc)
    with pytest.raises(DefinitionError) as info:
        load_sources({"works.json": json.dumps(doc)})
    return {p.pointer: p.message for p in info.value.problems}


SET = "/forms/1/workflow/transitions/{}/create/set"


def test_the_definition_refuses_a_copy_from_what_is_not_a_table():
    def change(transitions, _doc):
        transitions[0]["create"]["set"]["rows"] = "title"
        transitions[1]["create"]["set"]["rows"] = "quote.title"
        transitions[2]["create"]["set"]["rows"]["from"] = "nothing.items"
    found = _problems(change)
    assert set(found) == {SET.format(0) + "/rows", SET.format(1) + "/rows", SET.format(2) + "/rows/from"}
    assert all("takes the rows of a table" in message for message in found.values())


def test_the_definition_refuses_unknown_columns_and_values_of_another_type():
    def change(transitions, doc):
        transitions[2]["create"]["set"]["rows"]["set"] = {"colour": "name", "qty": "name", "price": "nope"}
        doc["forms"][2]["fields"][2]["fields"][1]["type"] = "date"  # job.rows.qty: a date now
        transitions[0]["create"]["set"]["title"] = {"from": "lines"}  # a copy into a text field
    found = _problems(change)
    assert "has no column 'colour'" in found[SET.format(2) + "/rows/set/colour"]
    assert "'qty' is date but 'name' is text" in found[SET.format(2) + "/rows/set/qty"]
    assert "invalid expression" in found[SET.format(2) + "/rows/set/price"]
    assert "'qty' is integer in 'lines' but date" in found[SET.format(0) + "/rows"]
    assert "'qty' is integer in 'quote.items' but date" in found[SET.format(1) + "/rows"]
    assert "not a table field" in found[SET.format(0) + "/title"]
    assert len(found) == 6, found


def test_a_column_copied_by_name_follows_the_type_rule_of_fill():
    """One type rule for copies (a link's `fill` and a copied table): text takes textual values,
    not numbers; a select must offer every option of the source."""
    def number_into_text(_transitions, doc):
        doc["forms"][2]["fields"][2]["fields"][1]["type"] = "text"  # job.rows.qty: text now
    found = _problems(number_into_text)
    assert "'qty' is integer in 'lines' but text" in found[SET.format(0) + "/rows"]
    assert "'qty' is integer in 'quote.items' but text" in found[SET.format(1) + "/rows"]

    def fewer_options(_transitions, doc):
        lines = doc["forms"][1]["fields"][2]
        lines["fields"] = [*lines["fields"],
                           {"name": "grade", "type": "select", "label": "Grade", "options": ["a", "b"]}]
        rows = doc["forms"][2]["fields"][2]
        rows["fields"] = [*rows["fields"], {"name": "grade", "type": "select", "label": "Grade", "options": ["a"]}]
    found = _problems(fewer_options)
    assert set(found) == {SET.format(0) + "/rows"} and "'grade' is select in 'lines'" in found[SET.format(0) + "/rows"]
