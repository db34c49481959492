"""engine.services.workflow and engine.services.tasks without HTTP: transitions, approvals, decisions."""
from __future__ import annotations

import pytest

from engine.errors import Forbidden, NotFound, ValidationFailed
from engine.services.inbox import list_tasks
from engine.services.records import create_record, get_record, record_history, update_record
from engine.services.tasks import decide
from engine.services.workflow import available_transitions, fire_transition


def test_a_transition_whose_condition_fails_is_not_offered(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "No points"})
    with act_as("lea") as ctx:
        assert available_transitions(ctx, "ticket", record["id"]) == []


def test_firing_moves_the_stage_bumps_the_version_and_is_in_history(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 1})
    with act_as("lea") as ctx:
        assert [t["name"] for t in available_transitions(ctx, "ticket", record["id"])] == ["close"]
        moved = fire_transition(ctx, "ticket", record["id"], "close")
    assert (moved["stage"], moved["version"]) == ("closed", 2)
    with act_as("lea") as ctx:
        assert record_history(ctx, "ticket", record["id"])[-1]["action"] == "transition"


def test_a_role_without_the_transition_may_not_fire_it(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 1})
    with pytest.raises(Forbidden), act_as("ann") as ctx:
        fire_transition(ctx, "ticket", record["id"], "close")
    with act_as("ann") as ctx:
        assert get_record(ctx, "ticket", record["id"])["stage"] == "open"


def test_a_field_not_editable_in_the_stage_is_refused(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 1})
    with act_as("lea") as ctx:
        moved = fire_transition(ctx, "ticket", record["id"], "close")
    with pytest.raises(ValidationFailed) as refused, act_as("lea") as ctx:
        update_record(ctx, "ticket", record["id"], moved["version"], {"subject": "Renamed"})
    assert list(refused.value.fields) == ["subject"]


def test_submitting_opens_one_task_per_first_step_approver(flow_act_as, cast):
    with flow_act_as("rita") as ctx:
        record = create_record(ctx, "request", {"subject": "Laptops", "amount": "500"})
        fire_transition(ctx, "request", record["id"], "submit")
    with flow_act_as("fin1", write=False) as ctx:
        tasks = list_tasks(ctx)
    assert [(t["record_id"], t["step"]) for t in tasks] == [(record["id"], "finance")]


def test_the_last_approval_moves_the_record_to_the_approved_stage(flow_act_as, cast):
    with flow_act_as("rita") as ctx:
        record = create_record(ctx, "request", {"subject": "Laptops", "amount": "500"})
        fire_transition(ctx, "request", record["id"], "submit")
    with flow_act_as("fin1") as ctx:
        task = list_tasks(ctx)[0]
        decide(ctx, task["id"], "approve", "fine")
    with flow_act_as("rita", write=False) as ctx:
        assert get_record(ctx, "request", record["id"])["stage"] == "approved"
    with flow_act_as("fin1", write=False) as ctx:
        assert list_tasks(ctx) == []
        assert [t["id"] for t in list_tasks(ctx, "done")] == [task["id"]]


def test_a_rejection_returns_the_record_to_the_rejected_stage(flow_act_as, cast):
    with flow_act_as("rita") as ctx:
        record = create_record(ctx, "request", {"subject": "Laptops", "amount": "500"})
        fire_transition(ctx, "request", record["id"], "submit")
    with flow_act_as("fin1") as ctx:
        decide(ctx, list_tasks(ctx)[0]["id"], "reject", "too dear")
    with flow_act_as("rita", write=False) as ctx:
        assert get_record(ctx, "request", record["id"])["stage"] == "draft"


def test_a_task_is_not_found_for_anyone_but_its_assignee(flow_act_as, cast):
    with flow_act_as("rita") as ctx:
        record = create_record(ctx, "request", {"subject": "Laptops", "amount": "500"})
        fire_transition(ctx, "request", record["id"], "submit")
    with flow_act_as("fin1", write=False) as ctx:
        task_id = list_tasks(ctx)[0]["id"]
    with pytest.raises(NotFound), flow_act_as("gm") as ctx:
        decide(ctx, task_id, "approve")
    with flow_act_as("rita", write=False) as ctx:
        assert get_record(ctx, "request", record["id"])["stage"] == "review"
