"""去重 (skip_if_approved_before, SPEC §5): an automatic pass counts as that approver's
approval. Mode any: it completes the step, nobody else is asked. Mode all: it is that
approver's approval, and the step completes when everybody else has approved too."""
from __future__ import annotations

import pytest

from tests.workflows.claims import URL, step


def steps(mode: str) -> list[dict]:
    return [step([{"user": "bob"}]),
            {**step([{"user": "bob"}, {"user": "cat"}], mode=mode, skip_if_approved_before=True),
             "name": "again", "title": "Again"}]


def approve_first(cast) -> None:
    (task,) = cast["bob"].get("/api/tasks?status=open").get_json()
    assert cast["bob"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200


def test_mode_any_a_pass_by_an_earlier_approval_completes_the_step(assignees, submit_claim, build):
    app, cast = build(steps("any"))
    record = submit_claim(cast["ann"])
    approve_first(cast)
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "approved"
    assert assignees(app, record["id"]) == [("bob", "approved"), ("bob", "skipped")]
    assert cast["cat"].get("/api/tasks?status=open").get_json() == []


def test_mode_all_a_pass_counts_as_that_approvers_approval(assignees, submit_claim, build):
    app, cast = build(steps("all"))
    record = submit_claim(cast["ann"])
    approve_first(cast)
    assert assignees(app, record["id"]) == [("bob", "approved"), ("bob", "skipped"), ("cat", "open")]
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "review"
    (task,) = cast["cat"].get("/api/tasks?status=open").get_json()
    assert cast["cat"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "approved"


@pytest.mark.parametrize("mode", ["any", "all"])
def test_without_an_earlier_approval_everybody_is_asked(assignees, submit_claim, build, mode):
    app, cast = build([{**step([{"user": "bob"}, {"user": "cat"}], mode=mode, skip_if_approved_before=True)}])
    record = submit_claim(cast["ann"])
    assert assignees(app, record["id"]) == [("bob", "open"), ("cat", "open")]


def test_a_decision_by_the_system_is_not_that_approvers_earlier_approval(assignees, submit_claim, build):
    """An overdue task approved by the escalation was not approved by its assignee: a later
    step does not pass for them."""
    from datetime import datetime, timedelta

    from engine.scheduler import run_pass

    app, cast = build(steps("any"), review={"due": "1h", "escalate": {"action": "approve"}})
    record = submit_claim(cast["ann"])
    due = datetime.fromisoformat(cast["ann"].get(f"{URL}/{record['id']}").get_json()["due_at"])
    state = app.extensions["engine"]
    run_pass(state.db, state.holder, state.settings, due + timedelta(minutes=1))
    assert assignees(app, record["id"]) == [("bob", "approved"), ("bob", "open"), ("cat", "open")]
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "review"


def test_a_step_sent_back_to_runs_again_for_its_own_approver(submit_claim, build):
    """Only an earlier step's approval passes a step: when the step after it sends the record
    back, the approver of that step decides again instead of passing it automatically."""
    app, cast = build([step([{"user": "dan"}]),
                       {**step([{"user": "bob"}], skip_if_approved_before=True), "name": "second", "title": "2"},
                       {**step([{"user": "cat"}]), "name": "third", "title": "3"}])
    record = submit_claim(cast["ann"])
    assert app is not None and record["id"]
    for name in ("dan", "bob"):
        (task,) = cast[name].get("/api/tasks?status=open").get_json()
        assert cast[name].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    (task,) = cast["cat"].get("/api/tasks?status=open").get_json()
    assert cast["cat"].post(f"/api/tasks/{task['id']}/send_back", json={"comment": "again"}).status_code == 200
    assert [t["step"] for t in cast["bob"].get("/api/tasks?status=open").get_json()] == ["second"]
    assert cast["cat"].get("/api/tasks?status=open").get_json() == []
