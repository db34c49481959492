"""POST /api/forms/{form}/records/bulk: all or nothing, every record checked as a single edit
(row rules, stage, hidden and read-only fields, validation, versions), history per record."""
from __future__ import annotations

import pytest

BULK = "/api/forms/job/records/bulk"


@pytest.fixture
def jobs(make_user):
    ann = make_user("ann", "staff")
    bob = make_user("bob", "staff")
    boss = make_user("boss1", "boss")
    mine = [ann.create("job", title=f"A{i}", amount=i, level="low")["id"] for i in range(3)]
    theirs = bob.create("job", title="B-high", level="high")["id"]  # ann reads it, may not edit it
    hidden_from_ann = bob.create("job", title="B-low", level="low")["id"]  # ann cannot even read it
    return ann, bob, boss, mine, theirs, hidden_from_ann


def amounts(client, ids):
    return [client.get(f"/api/forms/job/records/{i}").get_json()["fields"]["amount"] for i in ids]


def test_bulk_edit_writes_every_record_with_history(jobs):
    ann, _bob, _boss, mine, _theirs, _hidden = jobs
    response = ann.post(BULK, json={"ids": mine, "fields": {"amount": 42, "level": "high"}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["updated"] == 3
    assert amounts(ann, mine) == [42, 42, 42]
    for record_id in mine:
        history = ann.get(f"/api/forms/job/records/{record_id}/history").get_json()
        assert history[-1]["action"] == "update" and {c["field"] for c in history[-1]["changes"]} == {"amount", "level"}


def test_one_record_not_editable_means_nothing_is_written(jobs):
    ann, _bob, _boss, mine, theirs, _hidden = jobs
    response = ann.post(BULK, json={"ids": [*mine, theirs], "fields": {"amount": 99}})
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert set(error["records"]) == {str(theirs)}
    assert error["records"][str(theirs)]["code"] == "forbidden"
    assert amounts(ann, mine) == [0, 1, 2]  # rolled back


def test_unreadable_record_is_named_without_its_contents(jobs):
    ann, _bob, _boss, mine, _theirs, hidden = jobs
    response = ann.post(BULK, json={"ids": [mine[0], hidden], "fields": {"amount": 7}})
    assert response.status_code == 422
    assert response.get_json()["error"]["records"][str(hidden)]["code"] == "not_found"
    assert amounts(ann, mine[:1]) == [0]


def test_validation_failure_names_record_and_field(jobs):
    _ann, _bob, boss, mine, theirs, _hidden = jobs
    response = boss.post(BULK, json={"ids": [mine[0], theirs], "fields": {"amount": 5000}})
    assert response.status_code == 422
    records = response.get_json()["error"]["records"]
    assert set(records) == {str(mine[0]), str(theirs)} and "amount" in records[str(theirs)]["fields"]


def test_hidden_and_readonly_fields_refused(jobs):
    ann, _bob, boss, mine, _theirs, _hidden = jobs
    hidden = ann.post(BULK, json={"ids": mine[:2], "fields": {"secret": "x"}})
    assert hidden.status_code == 422
    assert all("secret" in r["fields"] for r in hidden.get_json()["error"]["records"].values())
    readonly = ann.post(BULK, json={"ids": mine[:2], "fields": {"locked": "x"}})
    assert readonly.status_code == 422
    assert all("locked" in r["fields"] for r in readonly.get_json()["error"]["records"].values())
    assert boss.post(BULK, json={"ids": mine[:2], "fields": {"locked": "x"}}).status_code == 200


def test_final_stage_refuses_the_edit(jobs):
    ann, _bob, _boss, mine, _theirs, _hidden = jobs
    assert ann.post(f"/api/forms/job/records/{mine[1]}/transitions/finish", json={}).status_code == 200
    response = ann.post(BULK, json={"ids": mine, "fields": {"amount": 8}})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["records"]) == {str(mine[1])}
    assert "amount" in response.get_json()["error"]["records"][str(mine[1])]["fields"]
    assert amounts(ann, [mine[0], mine[2]]) == [0, 2]


def test_stale_version_refused(jobs):
    ann, _bob, _boss, mine, _theirs, _hidden = jobs
    response = ann.post(BULK, json={"ids": mine[:2], "fields": {"amount": 3}, "versions": {str(mine[0]): 7}})
    assert response.status_code == 422
    assert response.get_json()["error"]["records"][str(mine[0])]["code"] == "stale_version"
    assert amounts(ann, mine[:2]) == [0, 1]


def test_tables_and_files_are_refused_before_anything_is_written(jobs):
    ann, _bob, _boss, mine, _theirs, _hidden = jobs
    assert ann.patch(f"/api/forms/job/records/{mine[0]}",
                     json={"version": 1, "fields": {"lines": [{"what": "keep me"}]}}).status_code == 200
    for fields in ({"lines": []}, {"doc": None}, {"amount": 5, "lines": [{"what": "x"}]}):
        response = ann.post(BULK, json={"ids": mine, "fields": fields})
        assert response.status_code == 422, response.get_json()
        error = response.get_json()["error"]["fields"]
        assert set(error) == set(fields) - {"amount"}, error
    record = ann.get(f"/api/forms/job/records/{mine[0]}").get_json()["fields"]
    assert [line["what"] for line in record["lines"]] == ["keep me"] and record["amount"] == 0
    assert amounts(ann, mine) == [0, 1, 2]


def test_versions_name_only_chosen_records_with_whole_versions(jobs):
    ann, _bob, _boss, mine, _theirs, _hidden = jobs
    for versions, says in (({"abc": 1}, "'abc'"), ({"999999": 1}, "'999999'"), ({str(mine[0]): 0}, str(mine[0])),
                           ({str(mine[0]): 1.5}, str(mine[0])), ({str(mine[0]): True}, str(mine[0]))):
        response = ann.post(BULK, json={"ids": mine, "fields": {"amount": 3}, "versions": versions})
        assert response.status_code == 422, (versions, response.get_json())
        messages = response.get_json()["error"]["fields"]["versions"]
        assert len(messages) == 1 and says in messages[0], messages
    assert amounts(ann, mine) == [0, 1, 2]
    assert ann.post(BULK, json={"ids": mine, "fields": {"amount": 3},
                                "versions": {str(mine[0]): 1}}).status_code == 200


@pytest.mark.parametrize(("body", "key"), [
    ({"ids": [], "fields": {"amount": 1}}, "ids"),
    ({"ids": list(range(1, 502)), "fields": {"amount": 1}}, "ids"),
    ({"ids": ["1"], "fields": {"amount": 1}}, "ids"),
    ({"ids": [1], "fields": {}}, "fields"),
    ({"ids": [1], "fields": {"amount": 1}, "versions": {"1": "x"}}, "versions"),
])
def test_bad_bodies(jobs, body, key):
    ann = jobs[0]
    response = ann.post(BULK, json=body)
    assert response.status_code == 422 and key in response.get_json()["error"]["fields"]
