"""Workflow races with real threads on a real database (SQLite file and PostgreSQL):
row locks and version checks, never in-process locks, decide who wins."""
from __future__ import annotations

import pytest

from tests.workflows.conftest import URL

pytestmark = pytest.mark.kitchen


def actions(client, record_id):
    return [e["action"] for e in client.get(f"{URL}/{record_id}/history").get_json()]


def test_twenty_concurrent_fires_apply_once(open_tasks, race, people):
    rita = people["rita"]
    record = rita.create("request", subject="Race", amount="10")
    results = race(20, lambda i: rita.post(f"{URL}/{record['id']}/transitions/submit", json={}))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [409] * 19, statuses
    assert actions(rita, record["id"]) == ["create", "transition"]
    assert len(open_tasks(people["fin1"])) == 1 and len(open_tasks(people["fin2"])) == 1
    final = rita.get(f"{URL}/{record['id']}").get_json()
    assert final["stage"] == "review" and final["version"] == 2


def test_two_approvers_of_an_any_step_one_wins(open_tasks, submit, race, people):
    body = submit(people["rita"], amount="10")
    who = [people["fin1"], people["fin2"]]
    task_ids = [open_tasks(c)[0]["id"] for c in who]
    results = race(2, lambda i: who[i].post(f"/api/tasks/{task_ids[i]}/approve", json={}))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 409], [r.get_json() for r in results]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.get_json()["error"]["code"] == "task_closed"
    assert actions(people["rita"], body["id"]) == ["create", "transition", "approve", "approval"]
    assert people["rita"].get(f"{URL}/{body['id']}").get_json()["stage"] == "approved"


def test_the_last_two_of_a_countersign_step_both_count_and_it_completes_once(
        open_tasks, submit, race, people, make_user):
    boss2 = make_user("boss2", "manager")
    body = submit(people["rita"], amount="6000")  # finance → manager (boss) → gm step (gm + managers, all)
    people["fin1"].post(f"/api/tasks/{open_tasks(people['fin1'])[0]['id']}/approve", json={})
    people["boss"].post(f"/api/tasks/{open_tasks(people['boss'])[0]['id']}/approve", json={})
    # boss approved before: 去重 skips his gm-step task; gm and boss2 remain.
    last = [people["gm"], boss2]
    task_ids = [open_tasks(c)[0]["id"] for c in last]
    results = race(2, lambda i: last[i].post(f"/api/tasks/{task_ids[i]}/approve", json={}))
    assert [r.status_code for r in results] == [200, 200], [r.get_json() for r in results]
    history = actions(people["rita"], body["id"])
    assert history.count("approval") == 1 and history.count("approve") == 4
    assert people["rita"].get(f"{URL}/{body['id']}").get_json()["stage"] == "approved"


def test_approve_against_withdraw_exactly_one_happens(open_tasks, submit, race, people):
    body = submit(people["rita"], amount="10")
    task_id = open_tasks(people["fin1"])[0]["id"]
    calls = [lambda: people["fin1"].post(f"/api/tasks/{task_id}/approve", json={}),
             lambda: people["rita"].post(f"{URL}/{body['id']}/withdraw", json={})]
    approve, withdraw = race(2, lambda i: calls[i]())
    stage = people["rita"].get(f"{URL}/{body['id']}").get_json()["stage"]
    history = actions(people["rita"], body["id"])
    if approve.status_code == 200:
        assert withdraw.status_code == 409 and stage == "approved" and "withdraw" not in history
    else:
        assert approve.status_code == 409 and withdraw.status_code == 200
        assert stage == "draft" and "approve" not in history
    assert open_tasks(people["fin1"]) == [] and open_tasks(people["fin2"]) == []
