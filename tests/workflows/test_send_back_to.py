"""Send back anywhere (issue 14, point 2): `"to"` on send_back names an earlier step that ran, or
`$submitter`; absent, the previous step as before. Refused targets are 422 at `to` and change
nothing; the route continues from the target with every later `when` evaluated again; the history
names the target."""
from __future__ import annotations

import pytest

from tests.workflows.claims import URL as CLAIMS
from tests.workflows.claims import cast_of, module
from tests.workflows.conftest import URL


def act(client, task_id, action, **body):
    return client.post(f"/api/tasks/{task_id}/{action}", json=body)


def stage_of(client, url, record_id):
    return client.get(f"{url}/{record_id}").get_json()["stage"]


def steps_open(client):
    return [t["step"] for t in client.get("/api/tasks?status=open").get_json()]


def sent_back(client, url, record_id):
    return [h for h in client.get(f"{url}/{record_id}/history").get_json() if h["action"] == "send_back"]


def at_gm(open_tasks, submit, people):
    """A request of 9000 at its third step (finance, manager, then gm: boss passes it, gm waits)."""
    body = submit(people["rita"], amount="9000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    act(people["boss"], open_tasks(people["boss"])[0]["id"], "approve")
    assert steps_open(people["gm"]) == ["gm"] and steps_open(people["boss"]) == []
    return body


def test_send_back_to_a_named_earlier_step_reruns_it_and_the_steps_after(open_tasks, submit, people):
    body = at_gm(open_tasks, submit, people)
    gm_task = open_tasks(people["gm"])[0]
    answer = act(people["gm"], gm_task["id"], "send_back", to="finance", comment="check the quote")
    assert answer.status_code == 200 and answer.get_json()["status"] == "sent_back"
    assert stage_of(people["rita"], URL, body["id"]) == "review"
    assert steps_open(people["fin1"]) == ["finance"] and steps_open(people["fin2"]) == ["finance"]
    assert steps_open(people["boss"]) == [] and steps_open(people["gm"]) == []
    [entry] = sent_back(people["rita"], URL, body["id"])
    assert (entry["actor"], entry["step"], entry["to"], entry["to_title"], entry["comment"]) == \
        ("gm", "gm", "finance", "Finance check", "check the quote")
    # the route continues: finance, then the manager decides again, then gm (boss passes it again)
    act(people["fin2"], open_tasks(people["fin2"])[0]["id"], "approve")
    assert steps_open(people["boss"]) == ["manager"]
    act(people["boss"], open_tasks(people["boss"])[0]["id"], "approve")
    assert steps_open(people["gm"]) == ["gm"]
    act(people["gm"], open_tasks(people["gm"])[0]["id"], "approve")
    assert stage_of(people["rita"], URL, body["id"]) == "approved"


def test_send_back_to_the_submitter_from_a_later_step_ends_the_approval(open_tasks, submit, people):
    body = at_gm(open_tasks, submit, people)
    answer = act(people["gm"], open_tasks(people["gm"])[0]["id"], "send_back", to="$submitter", comment="redo")
    assert answer.status_code == 200
    assert stage_of(people["rita"], URL, body["id"]) == "draft"
    assert [run["status"] for run in people["rita"].get(f"{URL}/{body['id']}/approvals").get_json()] == ["sent_back"]
    assert all(steps_open(people[p]) == [] for p in ("fin1", "fin2", "boss", "gm"))
    [entry] = sent_back(people["rita"], URL, body["id"])
    assert entry["to"] == "$submitter" and "to_title" not in entry
    kinds = [n["kind"] for n in people["rita"].get("/api/notifications").get_json()]
    assert "sent_back" in kinds
    # not a rejection: the submitter may submit again, and a new approval starts at the first step
    assert people["rita"].post(f"{URL}/{body['id']}/transitions/submit", json={}).status_code == 200
    assert steps_open(people["fin1"]) == ["finance"]


def test_without_to_the_previous_step_or_the_submitter_as_before(open_tasks, submit, people):
    body = submit(people["rita"], amount="2000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    assert act(people["boss"], open_tasks(people["boss"])[0]["id"], "send_back").status_code == 200
    assert stage_of(people["rita"], URL, body["id"]) == "review"
    assert steps_open(people["fin1"]) == ["finance"]
    assert act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "send_back", to="").status_code == 200
    assert stage_of(people["rita"], URL, body["id"]) == "draft"
    assert [(e["step"], e["to"]) for e in sent_back(people["rita"], URL, body["id"])] == \
        [("manager", "finance"), ("finance", "$submitter")]


@pytest.mark.parametrize(("to", "says"), [
    ("gm", "not an earlier step"),        # a later step
    ("manager", "not an earlier step"),   # the task's own step
    ("nowhere", "no approval step"),      # no such step
    (7, "name of an earlier step"),       # not a name
])
def test_refused_targets_are_422_at_to_and_change_nothing(open_tasks, submit, people, to, says):
    body = submit(people["rita"], amount="2000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    task = open_tasks(people["boss"])[0]
    answer = act(people["boss"], task["id"], "send_back", to=to)
    assert answer.status_code == 422, answer.get_json()
    [message] = answer.get_json()["error"]["fields"]["to"]
    assert says in message
    assert steps_open(people["boss"]) == ["manager"] and steps_open(people["fin1"]) == []
    assert sent_back(people["rita"], URL, body["id"]) == []


EXTRA = [
    {"name": "check", "title": "Check", "approvers": [{"role": "checker"}]},
    {"name": "extra", "title": "Extra check", "approvers": [{"user": "dan"}], "when": "subject == 'Big trip'"},
    {"name": "final", "title": "Final", "approvers": [{"user": "eve"}]},
]


def test_a_skipped_step_is_refused(build, submit_claim):
    _app, cast = build(EXTRA)
    claim = submit_claim(cast["cat"], subject="Trip")  # check, extra skipped, final
    act(cast["ann"], steps_task(cast["ann"]), "approve")
    task = steps_task(cast["eve"])
    answer = act(cast["eve"], task, "send_back", to="extra")
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"]["to"] == ["Extra check did not run in this approval"]
    assert steps_open(cast["eve"]) == ["final"] and stage_of(cast["cat"], CLAIMS, claim["id"]) == "review"


def test_a_step_that_ran_but_no_longer_applies_is_refused(build, submit_claim):
    _app, cast = build(EXTRA, {"editable": ["subject"]})
    claim = submit_claim(cast["cat"], subject="Big trip")  # check, extra, final
    act(cast["ann"], steps_task(cast["ann"]), "approve")
    act(cast["dan"], steps_task(cast["dan"]), "approve")
    rename(cast["cat"], claim["id"], "Trip")
    answer = act(cast["eve"], steps_task(cast["eve"]), "send_back", to="extra")
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"]["to"] == ["Extra check does not apply to this record now"]


def test_the_route_after_the_target_evaluates_when_again(build, submit_claim):
    _app, cast = build(EXTRA, {"editable": ["subject"]})
    claim = submit_claim(cast["cat"], subject="Trip")  # check, extra skipped, final
    act(cast["ann"], steps_task(cast["ann"]), "approve")
    assert act(cast["eve"], steps_task(cast["eve"]), "send_back", to="check").status_code == 200
    assert steps_open(cast["ann"]) == ["check"]
    rename(cast["cat"], claim["id"], "Big trip")
    act(cast["ann"], steps_task(cast["ann"]), "approve")
    assert steps_open(cast["dan"]) == ["extra"]  # applies now
    act(cast["dan"], steps_task(cast["dan"]), "approve")
    act(cast["eve"], steps_task(cast["eve"]), "approve")
    assert stage_of(cast["cat"], CLAIMS, claim["id"]) == "approved"


def steps_task(client) -> int:
    [task] = client.get("/api/tasks?status=open").get_json()
    return task["id"]


def rename(client, claim_id: int, subject: str) -> None:
    version = client.get(f"{CLAIMS}/{claim_id}").get_json()["version"]
    answer = client.patch(f"{CLAIMS}/{claim_id}", json={"version": version, "fields": {"subject": subject}})
    assert answer.status_code == 200, answer.get_json()


def test_a_condition_hidden_from_the_approver_does_not_limit_the_targets(write_module, make_app, tmp_path, admin):
    """clerk decides the last step but may not see the amount the first step's condition reads:
    going back to that step is offered and accepted whatever the amount (nothing told about it);
    a step that does not apply is passed again, so the route comes back to clerk."""
    doc = module([{"name": "check", "title": "Check", "approvers": [{"role": "checker"}], "when": "amount >= 1000"},
                  {"name": "final", "title": "Final", "approvers": [{"user": "clerk"}]}], {"editable": ["amount"]})
    form = doc["forms"][0]
    form["fields"].append({"name": "amount", "type": "decimal", "label": "Amount"})
    form["permissions"]["clerk"]["hide"] = ["amount"]
    write_module(tmp_path / "hidden", doc)
    cast = cast_of(make_app(tmp_path / "hidden"))
    claim = admin.create("claim", subject="Trip", owner="cat", amount="5000")
    assert cast["cat"].post(f"{CLAIMS}/{claim['id']}/transitions/submit", json={}).status_code == 200
    act(cast["ann"], steps_task(cast["ann"]), "approve")
    assert "amount" not in cast["clerk"].get(f"{CLAIMS}/{claim['id']}").get_json()["fields"]
    version = admin.get(f"{CLAIMS}/{claim['id']}").get_json()["version"]
    assert admin.patch(f"{CLAIMS}/{claim['id']}", json={"version": version, "fields": {"amount": "10"}}).status_code \
        == 200
    answer = act(cast["clerk"], steps_task(cast["clerk"]), "send_back", to="check")
    assert answer.status_code == 200, answer.get_json()
    assert steps_open(cast["ann"]) == [] and steps_open(cast["clerk"]) == ["final"]  # check passed: 10 < 1000
