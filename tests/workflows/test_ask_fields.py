"""Ask, don't fail (issue #14, point 3) through the API: a transition's `require`d fields sent with it
(`fields`), what GET .../transitions asks for (`ask`), an approval step's `require` on approve and in a
batch, and the definition check of a step's `require` (both databases)."""
from __future__ import annotations

import json
import shutil

import pytest

from engine.definitions import load_directory
from engine.errors import DefinitionError
from tests.workflows.parcels import URL, cast_of, module


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "parcels"
    write_module(folder, module())
    return make_app(folder)


@pytest.fixture
def cast(app):
    return cast_of(app)


def packed(cast, **fields) -> dict:
    record = cast["cleo"].create("parcel", subject="Books", **fields)
    response = cast["cleo"].post(f"{URL}/{record['id']}/transitions/pack", json={})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def history(client, record_id):
    return client.get(f"{URL}/{record_id}/history").get_json()


def test_transitions_say_what_they_ask_for(cast):
    record = packed(cast)
    items = {t["name"]: t for t in cast["sam"].get(f"{URL}/{record['id']}/transitions").get_json()}
    ship = items["ship"]["ask"]
    assert ship["comment"] is False
    assert [f["name"] for f in ship["fields"]] == ["carrier", "tracking"]
    carrier = ship["fields"][0]
    assert carrier["type"] == "select" and carrier["value"] is None
    assert [o["value"] for o in carrier["options"]] == ["sf", "ems"]
    assert ship["fields"][1]["max_length"] == 12
    # cost is hidden from the shipper and label_code read-only for them: not asked
    assert items["relabel"]["ask"] is None
    assert items["cancel"]["ask"] == {"comment": True, "fields": []}
    # the clerk may fill both
    clerk = {t["name"]: t for t in cast["cleo"].get(f"{URL}/{record['id']}/transitions").get_json()}
    assert [f["name"] for f in clerk["relabel"]["ask"]["fields"]] == ["label_code", "cost"]
    assert clerk["unpack"]["ask"] is None


def test_a_filled_required_field_is_not_asked_again(cast):
    record = packed(cast, carrier="sf")
    items = {t["name"]: t for t in cast["sam"].get(f"{URL}/{record['id']}/transitions").get_json()}
    assert [f["name"] for f in items["ship"]["ask"]["fields"]] == ["tracking"]


def test_fire_with_the_asked_fields_writes_them_with_the_move(cast):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "version": record["version"], "fields": {"carrier": "ems", "tracking": "EA123"}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["stage"] == "check" and body["fields"]["carrier"] == "ems" and body["fields"]["tracking"] == "EA123"
    entry = [e for e in history(cast["cleo"], record["id"]) if e["action"] == "transition"][-1]
    assert entry["transition"] == "ship"
    assert {c["field"]: c["new"] for c in entry["changes"]} == {"carrier": "ems", "tracking": "EA123"}


def test_missing_required_field_is_422_at_the_field_and_nothing_written(cast):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={"fields": {"carrier": "sf"}})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["tracking"]
    after = cast["cleo"].get(f"{URL}/{record['id']}").get_json()
    assert after["stage"] == "packed" and after["fields"]["carrier"] is None and after["version"] == record["version"]


def test_a_bad_value_is_refused_as_the_record_form_refuses_it(cast):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "fields": {"carrier": "ups", "tracking": "X" * 13}})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"carrier", "tracking"}
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "packed"


def test_a_field_not_asked_is_422(cast):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "fields": {"carrier": "sf", "tracking": "1", "note": "fragile"}})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"note": ["not asked by this transition"]}
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "packed"


def test_a_filled_required_field_cannot_be_changed_through_the_transition(cast):
    # packed is editable only for `note`: changing the filled carrier here would be an edit the shipper may not make
    record = packed(cast, carrier="sf")
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "fields": {"carrier": "ems", "tracking": "EA1"}})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"carrier": ["already filled: to change it, edit the record"]}
    after = cast["cleo"].get(f"{URL}/{record['id']}").get_json()
    assert after["stage"] == "packed" and after["fields"]["carrier"] == "sf" and after["fields"]["tracking"] is None
    ok = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={"fields": {"tracking": "EA1"}})
    assert ok.status_code == 200 and ok.get_json()["fields"]["carrier"] == "sf"


def test_hidden_and_read_only_fields_are_422(cast):
    record = packed(cast)
    url = f"{URL}/{record['id']}/transitions/relabel"
    hidden = cast["sam"].post(url, json={"fields": {"cost": "3"}})
    assert hidden.status_code == 422 and list(hidden.get_json()["error"]["fields"]) == ["cost"]
    readonly = cast["sam"].post(url, json={"fields": {"label_code": "L1"}})
    assert readonly.status_code == 422
    assert readonly.get_json()["error"]["fields"]["label_code"] == ["is read-only for you"]
    after = cast["cleo"].get(f"{URL}/{record['id']}").get_json()
    assert after["fields"]["label_code"] is None and after["version"] == record["version"]
    ok = cast["cleo"].post(url, json={"fields": {"label_code": "L1", "cost": "3.5"}})
    assert ok.status_code == 200 and ok.get_json()["fields"]["label_code"] == "L1"


def test_fields_must_be_an_object(cast):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={"fields": ["carrier"]})
    assert response.status_code == 422 and "fields" in response.get_json()["error"]["fields"]


def test_stale_version_with_fields_is_409_and_nothing_written(cast):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "version": record["version"] - 1, "fields": {"carrier": "sf", "tracking": "1"}})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "stale_version"
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["fields"]["tracking"] is None


@pytest.mark.parametrize("version", ["abc", True, 1.5])
def test_a_version_that_is_not_an_integer_is_422_at_version(cast, version):
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "version": version, "fields": {"carrier": "sf", "tracking": "1"}})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["version"]
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "packed"


def test_a_task_comment_that_is_not_text_is_422_at_comment(cast):
    record = shipped_for_approval(cast)
    task = task_of(cast["pat"], record["id"])
    for url, body in ((f"/api/tasks/{task['id']}/reject", {"comment": 5}),
                      ("/api/tasks/reject", {"ids": [task["id"]], "comment": 5}),
                      ("/api/tasks/approve", {"ids": [task["id"]], "comment": ["x"]})):
        response = cast["pat"].post(url, json=body)
        assert response.status_code == 422, url
        assert response.get_json()["error"]["fields"] == {"comment": ["must be text"]}, url
    assert task_of(cast["pat"], record["id"])["status"] == "open"


def shipped_for_approval(cast) -> dict:
    record = packed(cast)
    response = cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={
        "fields": {"carrier": "sf", "tracking": "1"}})
    assert response.status_code == 200
    return response.get_json()


def task_of(client, record_id):
    return next(t for t in client.get("/api/tasks").get_json() if t["record_id"] == record_id)


def test_step_require_approve_with_fields(cast):
    record = shipped_for_approval(cast)
    task = task_of(cast["pat"], record["id"])
    missing = cast["pat"].post(f"/api/tasks/{task['id']}/approve", json={})
    assert missing.status_code == 422
    assert list(missing.get_json()["error"]["fields"]) == ["terms"]
    assert missing.get_json()["error"]["code"] == "fields_required"
    wrong = cast["pat"].post(f"/api/tasks/{task['id']}/approve", json={"fields": {"terms": "cash", "note": "x"}})
    assert wrong.status_code == 422 and list(wrong.get_json()["error"]["fields"]) == ["note"]
    bad = cast["pat"].post(f"/api/tasks/{task['id']}/approve", json={"fields": {"terms": "gold"}})
    assert bad.status_code == 422 and list(bad.get_json()["error"]["fields"]) == ["terms"]
    assert task_of(cast["pat"], record["id"])["status"] == "open"
    done = cast["pat"].post(f"/api/tasks/{task['id']}/approve", json={"fields": {"terms": "credit"}})
    assert done.status_code == 200 and done.get_json()["status"] == "approved"
    after = cast["cleo"].get(f"{URL}/{record['id']}").get_json()
    assert after["stage"] == "shipped" and after["fields"]["terms"] == "credit"
    entry = next(e for e in history(cast["cleo"], record["id"]) if e["action"] == "approve")
    assert entry["changes"] == [{"field": "terms", "old": None, "new": "credit"}]


def test_reject_takes_no_fields(cast):
    record = shipped_for_approval(cast)
    task = task_of(cast["pat"], record["id"])
    response = cast["pat"].post(f"/api/tasks/{task['id']}/reject", json={"comment": "no", "fields": {"terms": "x"}})
    assert response.status_code == 422 and "fields" in response.get_json()["error"]["fields"]


def test_batch_approve_refuses_a_step_whose_fields_are_empty(cast):
    first = shipped_for_approval(cast)
    second = shipped_for_approval(cast)
    filled = cast["cleo"].patch(f"{URL}/{second['id']}", json={"version": second["version"],
                                                               "fields": {"terms": "cash"}})
    # the check stage is not editable: the terms are empty unless asked; fill it as the system would not
    assert filled.status_code == 422
    ids = [task_of(cast["pat"], first["id"])["id"], task_of(cast["pat"], second["id"])["id"]]
    one = cast["pat"].post(f"/api/tasks/{ids[1]}/approve", json={"fields": {"terms": "cash"}})
    assert one.status_code == 200
    third = shipped_for_approval(cast)
    ids = [ids[0], task_of(cast["pat"], third["id"])["id"]]
    results = cast["pat"].post("/api/tasks/approve", json={"ids": ids}).get_json()["results"]
    assert [(r["ok"], r.get("code")) for r in results] == [(False, "fields_required"), (False, "fields_required")]
    assert results[0]["message"] == "to approve at 'Payment', fill in first: Terms"
    assert cast["cleo"].get(f"{URL}/{first['id']}").get_json()["stage"] == "check"


def test_batch_approve_passes_when_the_required_fields_are_filled(cast, app):
    record = shipped_for_approval(cast)
    task = task_of(cast["pat"], record["id"])
    from sqlalchemy import update

    engine = app.extensions["engine"]
    with engine.db.transaction() as session:  # filled meanwhile (e.g. by an earlier step's approver)
        table = engine.runtime().tables("parcel").table
        session.execute(update(table).where(table.c.id == record["id"]).values(terms="cash"))
    results = cast["pat"].post("/api/tasks/approve", json={"ids": [task["id"]]}).get_json()["results"]
    assert results == [{"id": task["id"], "ok": True, "status": "approved"}]


def test_a_filled_step_field_cannot_be_changed_by_the_approver(cast, app):
    record = shipped_for_approval(cast)
    task = task_of(cast["pat"], record["id"])
    from sqlalchemy import update

    engine = app.extensions["engine"]
    with engine.db.transaction() as session:  # filled before the approver acts
        table = engine.runtime().tables("parcel").table
        session.execute(update(table).where(table.c.id == record["id"]).values(terms="cash"))
    response = cast["pat"].post(f"/api/tasks/{task['id']}/approve", json={"fields": {"terms": "credit"}})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"terms": ["already filled: to change it, edit the record"]}
    assert task_of(cast["pat"], record["id"])["status"] == "open"
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["fields"]["terms"] == "cash"
    done = cast["pat"].post(f"/api/tasks/{task['id']}/approve", json={"fields": {}})
    assert done.status_code == 200 and done.get_json()["status"] == "approved"


def test_step_require_names_a_field_of_the_form(tmp_path):
    doc = module()
    doc["forms"][0]["workflow"]["stages"][2]["approval"]["steps"][0]["require"] = ["terms", "nope"]
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "parcels.json").write_text(json.dumps(doc), "utf-8")
    with pytest.raises(DefinitionError) as info:
        load_directory(folder)
    found = [(p.pointer, p.message) for p in info.value.problems]
    assert len(found) == 1
    assert found[0][0] == "/forms/0/workflow/stages/2/approval/steps/0/require/1"
    assert "nope" in found[0][1]
    shutil.rmtree(folder)


def test_what_the_approver_fills_plans_its_date_reminder_as_an_edit_would(write_module, make_app, tmp_path):
    spec = module()
    parcel = spec["forms"][0]
    parcel["fields"].append({"name": "pay_by", "type": "date", "label": "Pay by"})
    parcel["reminders"] = [{"name": "pay_soon", "date_field": "pay_by", "offset": "-1d",
                            "notify": [{"role": "payer"}]}]
    steps = parcel["workflow"]["stages"][2]["approval"]["steps"]
    steps[0]["require"] = ["terms", "pay_by"]
    steps.append({"name": "sign", "title": "Sign", "approvers": [{"user": "pia"}]})  # the record stays put
    folder = tmp_path / "parcels_due"
    write_module(folder, spec)
    app = make_app(folder)
    cast = cast_of(app)
    record = shipped_for_approval(cast)
    task = task_of(cast["pat"], record["id"])
    done = cast["pat"].post(f"/api/tasks/{task['id']}/approve",
                            json={"fields": {"terms": "cash", "pay_by": "2099-03-10"}})
    assert done.status_code == 200, done.get_json()
    from sqlalchemy import select

    from engine.store.system import timers

    with app.extensions["engine"].db.transaction() as session:
        planned = session.execute(select(timers.c.name, timers.c.fire_at).where(
            timers.c.form == "parcel", timers.c.record_id == record["id"], timers.c.kind == "date")).all()
    assert [(name, fire_at.date().isoformat()) for name, fire_at in planned] == [("pay_soon", "2099-03-09")]
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "check"
