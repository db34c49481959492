"""Approvals (SPEC §5): steps with `when`, any/all, reject, send back, reassign, withdraw,
cc, 去重, self-approval, no approver, batch approve, the inbox."""
from __future__ import annotations

from sqlalchemy import select

from engine.store.system import incidents
from tests.workflows.conftest import URL


def stage_of(client, record_id):
    return client.get(f"{URL}/{record_id}").get_json()["stage"]


def act(client, task_id, action, **body):
    return client.post(f"/api/tasks/{task_id}/{action}", json=body)


def test_any_mode_first_approval_completes_the_step_and_closes_the_others(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    assert act(people["fin1"], task["id"], "approve").status_code == 200
    assert open_tasks(people["fin2"]) == []
    assert stage_of(people["rita"], body["id"]) == "approved"


def test_second_approver_on_a_closed_any_task_gets_409(open_tasks, submit, people):
    submit(people["rita"], amount="10")
    first, second = open_tasks(people["fin1"])[0], open_tasks(people["fin2"])[0]
    assert act(people["fin1"], first["id"], "approve").status_code == 200
    late = act(people["fin2"], second["id"], "approve")
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "task_closed"


def test_steps_run_in_order_with_when(open_tasks, submit, people):
    body = submit(people["rita"], amount="2000")  # finance, then manager (>= 1000), no gm
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    assert stage_of(people["rita"], body["id"]) == "review"
    manager_tasks = open_tasks(people["boss"])
    assert [t["step"] for t in manager_tasks] == ["manager"]  # manager_of requested_by
    act(people["boss"], manager_tasks[0]["id"], "approve")
    assert stage_of(people["rita"], body["id"]) == "approved"


def test_all_mode_needs_every_approver_and_skip_if_approved_before(open_tasks, submit, people):
    body = submit(people["rita"], amount="9000")  # finance, manager, then gm step: gm + manager (all)
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    act(people["boss"], open_tasks(people["boss"])[0]["id"], "approve")
    # gm step: boss already approved the manager step, so his gm task passes by itself (去重)
    assert open_tasks(people["boss"]) == []
    gm_tasks = open_tasks(people["gm"])
    assert [t["step"] for t in gm_tasks] == ["gm"]
    act(people["gm"], gm_tasks[0]["id"], "approve")
    assert stage_of(people["rita"], body["id"]) == "approved"
    progress = people["rita"].get(f"{URL}/{body['id']}/approvals").get_json()[0]
    assert sorted((t["step"], t["assignee"], t["status"]) for t in progress["tasks"] if t["step"] == "gm") == \
        [("gm", "boss", "skipped"), ("gm", "gm", "approved")]


def test_reject_needs_a_comment_and_returns_to_the_rejected_stage(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    refused = act(people["fin1"], task["id"], "reject")
    assert refused.status_code == 422 and "comment" in refused.get_json()["error"]["fields"]
    assert act(people["fin1"], task["id"], "reject", comment="too expensive").status_code == 200
    assert stage_of(people["rita"], body["id"]) == "draft"
    assert open_tasks(people["fin2"]) == []
    history = people["rita"].get(f"{URL}/{body['id']}/history").get_json()
    assert any(h["action"] == "reject" and h["comment"] == "too expensive" for h in history)


def test_resubmitting_after_rejection_starts_a_new_approval(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "reject", comment="no")
    people["rita"].post(f"{URL}/{body['id']}/transitions/submit", json={})
    assert len(open_tasks(people["fin1"])) == 1
    assert len(people["rita"].get(f"{URL}/{body['id']}/approvals").get_json()) == 2


def test_send_back_from_the_first_step_returns_to_the_submitters_stage(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    assert act(people["fin1"], task["id"], "send_back", comment="add details").status_code == 200
    assert stage_of(people["rita"], body["id"]) == "draft"


def test_send_back_from_a_later_step_reruns_the_previous_one(open_tasks, submit, people):
    body = submit(people["rita"], amount="2000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    act(people["boss"], open_tasks(people["boss"])[0]["id"], "send_back", comment="check again")
    assert stage_of(people["rita"], body["id"]) == "review"
    assert [t["step"] for t in open_tasks(people["fin1"])] == ["finance"]
    assert [t["step"] for t in open_tasks(people["fin2"])] == ["finance"]


def test_reassign_hands_the_task_on(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    response = act(people["fin1"], task["id"], "reassign", to="buyer", comment="on leave")
    assert response.status_code == 200 and response.get_json()["status"] == "reassigned"
    assert open_tasks(people["fin1"]) == []
    assert act(people["fin1"], task["id"], "approve").status_code == 409
    handed = open_tasks(people["buyer"])
    assert [(t["step"], t["reassigned_from"]) for t in handed] == [("finance", "fin1")]
    assert act(people["buyer"], handed[0]["id"], "approve").status_code == 200
    assert stage_of(people["rita"], body["id"]) == "approved"
    history = people["rita"].get(f"{URL}/{body['id']}/history").get_json()
    assert any(h["action"] == "reassign" and h["to"] == "buyer" and h["actor"] == "fin1" for h in history)


def test_reassign_to_someone_already_in_the_step_is_409(open_tasks, submit, people):
    submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    response = act(people["fin1"], task["id"], "reassign", to="fin2")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "duplicate_approver"


def test_withdraw_before_anyone_acted(open_tasks, submit, people):
    body = submit(people["rita"], amount="10")
    response = people["rita"].post(f"{URL}/{body['id']}/withdraw", json={})
    assert response.status_code == 200 and response.get_json()["stage"] == "draft"
    assert open_tasks(people["fin1"]) == []


def test_withdraw_after_an_approval_is_refused(open_tasks, submit, people):
    body = submit(people["rita"], amount="2000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    response = people["rita"].post(f"{URL}/{body['id']}/withdraw", json={})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "already_acted"


def test_only_the_submitter_may_withdraw(submit, people):
    body = submit(people["rita"], amount="10")
    assert people["fin1"].post(f"{URL}/{body['id']}/withdraw", json={}).status_code == 403


def test_cc_recipients_see_the_record_under_cc(open_tasks, submit, people):
    body = submit(people["rita"], amount="2000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    copies = people["buyer"].get("/api/tasks?status=cc").get_json()
    assert [(c["record_id"], c["step"]) for c in copies] == [(body["id"], "manager")]


def test_nobody_approves_their_own_record(open_tasks, submit, people, make_user):
    both = make_user("fiona", "requester", "finance", manager="boss")
    body = submit(both, amount="10")
    assert open_tasks(both) == []
    assert stage_of(both, body["id"]) == "review"


def test_a_step_without_approver_blocks_and_is_reported(open_tasks, people, app):
    # manager_of requested_by: a requester without a manager finds nobody for the manager step
    from engine.auth.users import create_user, issue_token
    from tests.conftest import ApiClient

    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, "solo", "solo-password", {"requester"}))
    solo = ApiClient(app, token, "solo")
    record = solo.create("request", subject="big", amount="3000")
    response = solo.post(f"{URL}/{record['id']}/transitions/submit", json={})
    assert response.status_code == 200  # finance step found approvers
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    # the manager step has nobody: the finance approval is refused and rolled back as a whole
    assert stage_of(solo, record["id"]) == "review"
    assert len(open_tasks(people["fin1"])) == 1
    with app.extensions["engine"].db.session() as session:
        messages = session.execute(select(incidents.c.message)).scalars().all()
    assert any("found no approver" in m for m in messages)


def test_batch_approve_reports_per_task(open_tasks, submit, people):
    first = submit(people["rita"], subject="a", amount="10")
    second = submit(people["rita"], subject="b", amount="10")
    ids = [t["id"] for t in open_tasks(people["fin1"])]
    others = [t["id"] for t in open_tasks(people["fin2"])]
    response = people["fin1"].post("/api/tasks/approve", json={"ids": [*ids, ids[0], others[0], 999999]})
    results = response.get_json()["results"]
    assert [r["ok"] for r in results] == [True, True, False, False]
    assert stage_of(people["rita"], first["id"]) == stage_of(people["rita"], second["id"]) == "approved"


def test_inbox_shape(open_tasks, submit, people):
    submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    assert {"id", "form", "record_id", "title", "step", "status", "due_at"} <= set(task)
    assert task["title"] == "Laptops" and task["status"] == "open"


def test_overdue_tasks_come_first_and_are_flagged(open_tasks, submit, people, app):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from engine.store.system import tasks

    submit(people["rita"], subject="early", amount="10")
    late = submit(people["rita"], subject="late", amount="10")
    with app.extensions["engine"].db.transaction() as session:  # the second one fell due yesterday
        session.execute(update(tasks).where(tasks.c.record_id == late["id"])
                        .values(due_at=datetime.now(UTC) - timedelta(days=1)))
    inbox = open_tasks(people["fin1"])
    assert [(t["title"], t["overdue"]) for t in inbox] == [("late", True), ("early", False)]


def test_approvers_may_read_the_record_they_approve(submit, people, make_user):
    auditor = make_user("aud", "gm")  # gm reads all anyway; use an outsider role-less user via a user approver
    body = submit(people["rita"], amount="10")
    assert people["fin1"].get(f"{URL}/{body['id']}").status_code == 200
    assert auditor.get(f"{URL}/{body['id']}").status_code == 200


def test_done_lists_what_i_decided(open_tasks, submit, people):
    submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    act(people["fin1"], task["id"], "approve", comment="ok")
    done = people["fin1"].get("/api/tasks?status=done").get_json()
    assert [(d["id"], d["status"], d["comment"]) for d in done] == [(task["id"], "approved", "ok")]


def test_approval_notifications(open_tasks, submit, people):
    def kinds(client):
        return [n["kind"] for n in client.get("/api/notifications").get_json()][::-1]

    body = submit(people["rita"], amount="2000")  # finance, then the manager (boss), cc buyer
    assert kinds(people["fin1"]) == ["task"] and kinds(people["fin2"]) == ["task"]
    assert kinds(people["boss"]) == []  # not his step yet
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    assert kinds(people["boss"]) == ["task"] and kinds(people["buyer"]) == ["cc"]
    task = open_tasks(people["boss"])[0]
    act(people["boss"], task["id"], "reassign", to="gm")
    assert kinds(people["gm"]) == ["handed_on"]
    act(people["gm"], open_tasks(people["gm"])[0]["id"], "approve")
    assert kinds(people["rita"]) == ["approved"]
    text = people["rita"].get("/api/notifications").get_json()[0]["text"]
    assert text == "Approved: Purchase request Laptops" and body["id"]


def test_the_submitter_hears_of_a_rejection(open_tasks, submit, people):
    submit(people["rita"], amount="10")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "reject", comment="too dear")
    (note,) = people["rita"].get("/api/notifications").get_json()
    assert note["kind"] == "rejected" and "too dear" in note["text"]
