"""Stages and transitions through the API (SPEC §5)."""
from __future__ import annotations

from tests.workflows.conftest import URL


def test_new_records_start_in_the_initial_stage(people):
    record = people["rita"].create("request", subject="x")
    assert record["stage"] == "draft"


def test_available_transitions_depend_on_stage_and_role(people):
    rita, boss = people["rita"], people["boss"]
    record = rita.create("request", subject="x")
    url = f"{URL}/{record['id']}/transitions"
    assert [t["name"] for t in rita.get(url).get_json()] == ["submit"]
    assert [t["name"] for t in boss.get(url).get_json()] == ["cancel"]


def test_submit_moves_to_review_and_opens_finance_tasks(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    assert body["stage"] == "review" and body["version"] == 2
    assert body["due_at"] is not None
    assert [t["step"] for t in open_tasks(people["fin1"])] == ["finance"]
    assert [t["step"] for t in open_tasks(people["fin2"])] == ["finance"]


def test_wrong_role_is_403_and_changes_nothing(people):
    record = people["rita"].create("request", subject="x")
    response = people["boss"].post(f"{URL}/{record['id']}/transitions/submit", json={})
    assert response.status_code == 403
    assert people["rita"].get(f"{URL}/{record['id']}").get_json()["stage"] == "draft"


def test_wrong_stage_is_409(people):
    record = people["rita"].create("request", subject="x")
    response = people["buyer"].post(f"{URL}/{record['id']}/transitions/finish", json={})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "wrong_stage"


def test_stale_version_on_transition_is_409(people):
    record = people["rita"].create("request", subject="x")
    response = people["rita"].post(f"{URL}/{record['id']}/transitions/submit", json={"version": 7})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "stale_version"


def test_comment_required(people):
    record = people["rita"].create("request", subject="x")
    url = f"{URL}/{record['id']}/transitions/cancel"
    response = people["boss"].post(url, json={})
    assert response.status_code == 422 and "comment" in response.get_json()["error"]["fields"]
    response = people["boss"].post(url, json={"comment": "not needed"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["stage"] == "cancelled" and body["fields"]["lost_reason"] == "cancelled"


def test_final_stage_allows_nothing(people):
    record = people["rita"].create("request", subject="x")
    people["boss"].post(f"{URL}/{record['id']}/transitions/cancel", json={"comment": "c"})
    assert people["boss"].get(f"{URL}/{record['id']}/transitions").get_json() == []
    again = people["boss"].post(f"{URL}/{record['id']}/transitions/cancel", json={"comment": "c"})
    assert again.status_code == 409
    edit = people["boss"].patch(f"{URL}/{record['id']}", json={"version": 2, "fields": {"subject": "y"}})
    assert edit.status_code == 422


def test_stage_editable_fields_are_enforced(submit, people):
    body = submit(people["rita"], amount="10")
    response = people["rita"].patch(f"{URL}/{body['id']}", json={"version": body["version"],
                                                                  "fields": {"amount": "99999"}})
    assert response.status_code == 422
    assert "amount" in response.get_json()["error"]["fields"]


def test_approval_path_condition_set_and_create(open_tasks, submit, people):
    rita, fin1, buyer = people["rita"], people["fin1"], people["buyer"]
    body = submit(rita, amount="10")
    task = open_tasks(fin1)[0]
    assert fin1.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    record = rita.get(f"{URL}/{body['id']}").get_json()
    assert record["stage"] == "approved"
    url = f"{URL}/{body['id']}"
    assert buyer.get(f"{url}/transitions").get_json() == []  # condition: supplier != null
    refused = buyer.post(f"{url}/transitions/order", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "condition_false"
    edit = people["boss"].patch(url, json={"version": record["version"], "fields": {"supplier": "ACME"}})
    assert edit.status_code == 200
    ordered = buyer.post(f"{url}/transitions/order", json={}).get_json()
    assert ordered["stage"] == "ordered" and ordered["fields"]["ordered_on"] is not None
    purchases = buyer.get("/api/forms/purchase/records").get_json()["items"]
    assert [(p["fields"]["request"], p["fields"]["supplier"], p["fields"]["amount"]) for p in purchases] == \
        [(body["id"], "ACME", "10.00")]


def test_history_shows_transitions(submit, people):
    body = submit(people["rita"], amount="10")
    history = people["rita"].get(f"{URL}/{body['id']}/history").get_json()
    assert [h["action"] for h in history] == ["create", "transition"]
    assert history[1]["from"] == "draft" and history[1]["to"] == "review" and history[1]["transition"] == "submit"


def test_firing_revalidates_required_fields(people, app):
    """A field made required after the record was saved stops the record from moving on."""
    import json
    from pathlib import Path

    rita = people["rita"]
    record = rita.create("request", subject="Old", amount="10")
    path = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"]) / "flow.json"
    doc = json.loads(path.read_text("utf-8"))
    field = next(f for f in doc["forms"][0]["fields"] if f["name"] == "supplier")
    field["required"] = True
    path.write_text(json.dumps(doc), "utf-8")
    refused = rita.post(f"{URL}/{record['id']}/transitions/submit", json={})
    assert refused.status_code == 422 and "supplier" in refused.get_json()["error"]["fields"]
    assert rita.get(f"{URL}/{record['id']}").get_json()["stage"] == "draft"
