"""`update_linked` `transition`: saving a record fires a transition of the record its link
points to, as the system, only when it is available from that record's stage (and its
condition holds), in the same transaction, with the cause in the target's history; also for a
record made by another transition's `create`. A neutral module: a `pass` (跑腿单) claims a
`slot` that goes from open to taken once."""
from __future__ import annotations

import json

import pytest

from engine.definitions import load_sources
from engine.errors import DefinitionError

SLOTS = "/api/forms/slot/records"
PASSES = "/api/forms/pass/records"
BATCHES = "/api/forms/batch/records"

MODULE = {
    "module": "yard", "title": "Yard",
    "roles": [{"name": "keeper", "title": "Keeper"}, {"name": "runner", "title": "Runner"}],
    "forms": [
        {"name": "slot", "title": "Slot", "title_field": "code",
         "fields": [{"name": "code", "type": "text", "label": "Code", "required": True},
                    {"name": "size", "type": "integer", "label": "Size"},
                    {"name": "note", "type": "text", "label": "Note"},
                    {"name": "claims", "type": "integer", "label": "Claims", "default": 0}],
         "permissions": {"keeper": {"create": True, "read": "all", "update": "all"},
                         "runner": {"read": "all"}},
         "workflow": {"initial": "open",
                      "stages": [{"name": "open", "title": "Open", "editable": ["*"]},
                                 {"name": "taken", "title": "Taken", "editable": ["note"]},
                                 {"name": "closed", "title": "Closed", "final": True}],
                      "transitions": [
                          {"name": "take", "title": "Take", "from": "open", "to": "taken", "roles": ["keeper"],
                           "condition": "size != null and size > 0", "require": ["note"],
                           "set": {"claims": "claims + 1"}},
                          {"name": "close", "title": "Close", "from": ["open", "taken"], "to": "closed",
                           "roles": ["keeper"]}]}},
        {"name": "pass", "title": "Pass", "title_field": "label",
         "fields": [{"name": "label", "type": "text", "label": "Label"},
                    {"name": "slot", "type": "link", "label": "Slot", "form": "slot"},
                    {"name": "hold", "type": "boolean", "label": "Hold"}],
         "permissions": {"runner": {"create": True, "read": "all", "update": "all"},
                         "keeper": {"read": "all"}},
         "update_linked": [{"link": "slot", "transition": "take", "when": "hold != true"}]},
        {"name": "batch", "title": "Batch",
         "fields": [{"name": "slot", "type": "link", "label": "Slot", "form": "slot"}],
         "permissions": {"runner": {"create": True, "read": "all", "update": "all"}},
         "workflow": {"initial": "new",
                      "stages": [{"name": "new", "title": "New", "editable": ["*"]},
                                 {"name": "sent", "title": "Sent", "final": True}],
                      "transitions": [{"name": "send", "title": "Send", "from": "new", "to": "sent",
                                       "roles": ["runner"],
                                       "create": {"form": "pass", "set": {"slot": "slot", "label": "'auto'"}}}]}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "yard"
    write_module(folder, MODULE)
    return make_app(folder)


@pytest.fixture
def people(make_user):
    return {"keeper": make_user("kim", "keeper"), "runner": make_user("rob", "runner")}


def slot(people, **fields):
    return people["keeper"].create("slot", **{"code": "A1", "size": 2, "note": "dock", **fields})


def record(client, url):
    return client.get(url).get_json()


def history(client, url):
    return client.get(f"{url}/history").get_json()


def test_saving_fires_the_transition_as_the_system_once(people):
    keeper, runner = people["keeper"], people["runner"]
    made = slot(people)
    url = f"{SLOTS}/{made['id']}"
    first = runner.create("pass", label="p1", slot=made["id"])  # the runner may not fire `take` himself
    taken = record(keeper, url)
    assert taken["stage"] == "taken" and taken["fields"]["claims"] == 1  # its `set` ran too
    entry = history(keeper, url)[-1]
    assert (entry["action"], entry["actor"], entry["transition"]) == ("transition", "system", "take")
    assert entry["via"]["form"] == "pass" and entry["via"]["id"] == first["id"] and entry["via"]["title"] == "p1"
    # taken: `take` is not available any more, a second pass or an edit does nothing
    runner.create("pass", label="p2", slot=made["id"])
    edited = runner.patch(f"{PASSES}/{first['id']}", json={"version": first["version"], "fields": {"label": "p1b"}})
    assert edited.status_code == 200
    again = record(keeper, url)
    assert (again["stage"], again["version"], again["fields"]["claims"]) == ("taken", taken["version"], 1)
    assert [e.get("transition") for e in history(keeper, url)].count("take") == 1


def test_nothing_when_not_available_or_when_does_not_hold(people):
    keeper, runner = people["keeper"], people["runner"]
    closed = slot(people, code="C")
    assert keeper.post(f"{SLOTS}/{closed['id']}/transitions/close", json={}).status_code == 200
    assert runner.post(PASSES, json={"fields": {"slot": closed["id"]}}).status_code == 201
    assert record(keeper, f"{SLOTS}/{closed['id']}")["stage"] == "closed"  # wrong stage: nothing
    empty = slot(people, code="E", size=0)
    runner.create("pass", slot=empty["id"])
    assert record(keeper, f"{SLOTS}/{empty['id']}")["stage"] == "open"  # condition false: nothing
    held = slot(people, code="H")
    made = runner.create("pass", slot=held["id"], hold=True)
    assert record(keeper, f"{SLOTS}/{held['id']}")["stage"] == "open"  # `when` false
    # an edit later makes `when` hold: fired then
    runner.patch(f"{PASSES}/{made['id']}", json={"version": made["version"], "fields": {"hold": False}})
    assert record(keeper, f"{SLOTS}/{held['id']}")["stage"] == "taken"


def test_a_failing_transition_refuses_the_save_and_writes_nothing(people):
    keeper, runner = people["keeper"], people["runner"]
    bare = slot(people, code="B", note=None)  # `take` requires a note
    refused = runner.post(PASSES, json={"fields": {"label": "px", "slot": bare["id"]}})
    assert refused.status_code == 422
    (message,) = refused.get_json()["error"]["fields"]["slot"]
    assert "Take" in message and "Note" in message
    assert runner.get(f"{PASSES}?slot={bare['id']}").get_json()["total"] == 0
    after = record(keeper, f"{SLOTS}/{bare['id']}")
    assert (after["stage"], after["version"]) == ("open", bare["version"])


def test_a_record_made_by_a_transitions_create_fires_it_too(people):
    keeper, runner = people["keeper"], people["runner"]
    made = slot(people, code="S")
    batch = runner.create("batch", slot=made["id"])
    assert runner.post(f"{BATCHES}/{batch['id']}/transitions/send", json={}).status_code == 200
    (made_pass,) = runner.get(f"{PASSES}?slot={made['id']}").get_json()["items"]
    assert record(keeper, f"{SLOTS}/{made['id']}")["stage"] == "taken"
    entry = history(keeper, f"{SLOTS}/{made['id']}")[-1]
    assert entry["transition"] == "take" and entry["via"]["id"] == made_pass["id"]


def definition_problems(update_linked):
    doc = json.loads(json.dumps(MODULE))
    doc["forms"][1]["update_linked"] = update_linked
    with pytest.raises(DefinitionError) as info:
        load_sources({"yard.json": json.dumps(doc)})
    return {p.pointer: p.message for p in info.value.problems}


def test_the_definition_is_checked_with_pointers():
    found = definition_problems([{"link": "slot", "transition": "grab"}, {"link": "slot"},
                                 {"link": "label", "transition": "take"}])
    assert "grab" in found["/forms/1/update_linked/0/transition"]
    assert "set, transition or both" in found["/forms/1/update_linked/1"]
    assert "/forms/1/update_linked/2/link" in found
    doc = json.loads(json.dumps(MODULE))
    doc["forms"][1]["fields"][1]["form"] = "batch"  # a form whose workflow has no `take`
    with pytest.raises(DefinitionError) as info:
        load_sources({"yard.json": json.dumps(doc)})
    assert any(p.pointer == "/forms/1/update_linked/0/transition" for p in info.value.problems)
