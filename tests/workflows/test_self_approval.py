"""Nobody approves their own record (SPEC §5) by any path: approver kinds (role, user,
field, manager_of), reassign, batch approve, an approval started by the scheduler,
去重 (skip_if_approved_before); only a step with `allow_self_approval` lets them.

"Their own record": the submitter (who fired the transition into the approval stage) and
the record's owner (`owner_field`, default `created_by`) are both barred.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from engine.scheduler import run_pass
from engine.store.system import tasks
from tests.workflows.claims import CHECKERS, URL, step


@pytest.mark.parametrize("approvers", [
    CHECKERS,
    [{"user": "ann"}, {"user": "bob"}],
    [{"field": "owner"}, {"user": "bob"}],
    [{"field": "reviewer"}, {"user": "bob"}],
    [{"manager_of": "reviewer"}, {"user": "bob"}],
], ids=["role", "user", "field_owner", "field", "manager_of"])
def test_no_approver_kind_gives_the_submitter_a_task(assignees, submit_claim, build, approvers):
    app, cast = build([step(approvers)])
    record = submit_claim(cast["ann"], reviewer="ann" if approvers[0].get("field") == "reviewer" else "cat")
    assert assignees(app, record["id"]) == [("bob", "open")]


@pytest.mark.parametrize("approvers", [CHECKERS, [{"field": "owner"}, {"user": "bob"}]], ids=["role", "field"])
def test_the_owner_is_barred_when_someone_else_submits(assignees, build, approvers):
    app, cast = build([step(approvers)])
    record = cast["clerk"].create("claim", subject="For ann", owner="ann")
    assert cast["clerk"].post(f"{URL}/{record['id']}/transitions/submit", json={}).status_code == 200
    assert assignees(app, record["id"]) == [("bob", "open")]


def test_allow_self_approval_lets_the_submitter_approve(assignees, submit_claim, build):
    app, cast = build([step(CHECKERS, allow_self_approval=True)])
    record = submit_claim(cast["ann"])
    assert assignees(app, record["id"]) == [("ann", "open"), ("bob", "open")]
    (task,) = cast["ann"].get("/api/tasks?status=open").get_json()
    assert cast["ann"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "approved"


def test_reassign_to_the_submitter_or_the_owner_is_refused(assignees, build):
    app, cast = build([step([{"user": "bob"}, {"user": "cat"}])])
    record = cast["clerk"].create("claim", subject="For ann", owner="ann")
    cast["clerk"].post(f"{URL}/{record['id']}/transitions/submit", json={})
    (task,) = cast["bob"].get("/api/tasks?status=open").get_json()
    for person in ("ann", "clerk"):  # the owner, the submitter
        refused = cast["bob"].post(f"/api/tasks/{task['id']}/reassign", json={"to": person})
        assert refused.status_code == 422, refused.get_json()
        assert "to" in refused.get_json()["error"]["fields"]
    assert assignees(app, record["id"]) == [("bob", "open"), ("cat", "open")]


def test_reassign_to_the_submitter_is_allowed_with_allow_self_approval(assignees, submit_claim, build):
    app, cast = build([step([{"user": "bob"}], allow_self_approval=True)])
    record = submit_claim(cast["ann"])
    (task,) = cast["bob"].get("/api/tasks?status=open").get_json()
    assert cast["bob"].post(f"/api/tasks/{task['id']}/reassign", json={"to": "ann"}).status_code == 200
    assert assignees(app, record["id"]) == [("bob", "reassigned"), ("ann", "open")]


def test_a_task_that_lands_with_the_owner_cannot_be_decided_alone_or_in_a_batch(submit_claim, build):
    app, cast = build([step([{"user": "bob"}])])
    record = submit_claim(cast["ann"])
    with app.extensions["engine"].db.transaction() as session:  # e.g. a task from before the rule
        session.execute(update(tasks).where(tasks.c.record_id == record["id"]).values(assignee="ann"))
    (task,) = cast["ann"].get("/api/tasks?status=open").get_json()
    assert cast["ann"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 403
    batch = cast["ann"].post("/api/tasks/approve", json={"ids": [task["id"]]}).get_json()["results"]
    assert [r["ok"] for r in batch] == [False]
    # handing it on (to someone who reads the whole record) is still possible, so the record is not stuck
    assert cast["ann"].post(f"/api/tasks/{task['id']}/reassign", json={"to": "cat"}).status_code == 200
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "review"


def test_an_approval_started_by_the_scheduler_bars_the_owner(assignees, build):
    app, cast = build([step(CHECKERS)])
    record = cast["ann"].create("claim", subject="Parked")
    assert cast["ann"].post(f"{URL}/{record['id']}/transitions/park", json={}).status_code == 200
    state = app.extensions["engine"]
    due = cast["ann"].get(f"{URL}/{record['id']}").get_json()["due_at"]
    run_pass(state.db, state.holder, state.settings, datetime.fromisoformat(due) + timedelta(minutes=1))
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "review"
    assert assignees(app, record["id"]) == [("bob", "open")]


def test_skip_if_approved_before_does_not_pass_the_submitter(assignees, submit_claim, build):
    app, cast = build([step(CHECKERS, allow_self_approval=True),
                       {**step(CHECKERS, skip_if_approved_before=True), "name": "again", "title": "Again"}])
    record = submit_claim(cast["ann"])
    (task,) = cast["ann"].get("/api/tasks?status=open").get_json()
    assert cast["ann"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    # the second step does not allow it: ann's earlier approval does not pass it for her
    assert [a for a in assignees(app, record["id"])][2:] == [("bob", "open")]
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "review"


def test_the_record_page_does_not_offer_to_hand_on_to_the_submitter_or_the_owner(login, build):

    app, cast = build([step([{"user": "bob"}, {"user": "cat"}])])
    record = cast["clerk"].create("claim", subject="For ann", owner="ann")
    cast["clerk"].post(f"{URL}/{record['id']}/transitions/submit", json={})
    browser = app.test_client()
    assert login(browser, "bob", "bob-password").status_code == 302
    page = browser.get(f"/f/claim/{record['id']}").get_data(as_text=True)
    offered = set(re.findall(r'<option value="(\w+)">', page.split('name="to"', 1)[1].split("</select>", 1)[0]))
    assert "cat" in offered and not offered & {"ann", "clerk", "bob"}
