"""Timers as data (SPEC §6): stage SLAs with reminders and escalation, date reminders,
re-arming on every stage entry, re-scheduling on date change, catch-up, exactly once."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.scheduler.conftest import URL

SHANGHAI = ZoneInfo("Asia/Shanghai")


def created(client, **fields):
    record = client.create("ticket", **{"title": "Printer", **fields})
    return record, datetime.fromisoformat(record["created_at"]).astimezone(UTC)


@pytest.fixture
def kinds(told):
    """kinds(app, user) → the kinds of the notifications the user got, oldest first."""
    return lambda app, user: [k for k, _p in told(app, user)]


def test_stage_reminder_then_overdue_then_escalation_each_once(kinds, told, app, desk, run):
    record, t0 = created(desk["ann"])
    assert run(t0 + timedelta(hours=1)).fired == []
    first = run(t0 + timedelta(hours=1, minutes=31))
    assert [(f.kind, f.status) for f in first.fired] == [("remind", "fired")]
    assert kinds(app, "ann") == ["due_soon"] and told(app, "ann")[0][1]["title"] == "Ticket Printer"
    assert run(t0 + timedelta(hours=1, minutes=45)).fired == []  # exactly once
    due = run(t0 + timedelta(hours=2, minutes=1))
    assert [(f.kind, f.status) for f in due.fired] == [("due", "fired")]
    assert kinds(app, "ann") == ["due_soon", "overdue"]
    assert kinds(app, "leo") == ["escalation"] and kinds(app, "lia") == ["escalation"]
    assert run(t0 + timedelta(days=3)).fired == []


def test_catch_up_fires_everything_that_fell_due_while_nothing_ran(kinds, app, desk, run):
    _record, t0 = created(desk["ann"])
    created(desk["ann"], title="Scanner")
    late = run(t0 + timedelta(days=2))  # the scheduler was down for two days
    assert sorted((f.kind, f.status) for f in late.fired) == [("due", "fired")] * 2 + [("remind", "fired")] * 2
    assert sorted(kinds(app, "ann")) == ["due_soon", "due_soon", "overdue", "overdue"]
    assert run(t0 + timedelta(days=2)).fired == []


def test_leaving_the_stage_cancels_its_timers(kinds, timer, app, desk, run):
    record, t0 = created(desk["ann"])
    assert desk["ann"].post(f"{URL}/{record['id']}/transitions/park", json={}).status_code == 200
    assert timer(app, record["id"], "due", "open")["status"] == "cancelled"
    assert timer(app, record["id"], "due", "parked")["status"] == "pending"
    fired = run(t0 + timedelta(hours=3))
    assert [(f.kind, f.name) for f in fired.fired] == [("due", "parked")]
    assert "due_soon" not in kinds(app, "ann")


def test_escalation_transition_is_fired_by_the_system(timer, app, desk, run):
    record, t0 = created(desk["ann"], due_date="2031-05-20")
    desk["ann"].post(f"{URL}/{record['id']}/transitions/park", json={})
    run(t0 + timedelta(hours=1, minutes=5))
    after = desk["leo"].get(f"{URL}/{record['id']}").get_json()
    assert after["stage"] == "open"
    history = desk["leo"].get(f"{URL}/{record['id']}/history").get_json()
    last = history[-1]
    assert (last["action"], last["actor"], last["transition"]) == ("transition", "system", "unpark")
    # back in "open": its timers are armed again from the new entry
    assert timer(app, record["id"], "due", "open")["status"] == "pending"


def test_escalation_action_approves_in_the_name_of_the_system(kinds, app, desk, run):
    record, t0 = created(desk["ann"])
    desk["ann"].post(f"{URL}/{record['id']}/transitions/submit", json={})
    run(t0 + timedelta(days=1, minutes=5))
    assert desk["leo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "done"
    history = desk["leo"].get(f"{URL}/{record['id']}/history").get_json()
    assert [(h["action"], h["actor"]) for h in history if h["action"] in ("approve", "approval")] == \
        [("approve", "system"), ("approval", "system")]
    assert "approved" in kinds(app, "ann")  # the submitter hears the outcome


def test_timers_are_rearmed_after_a_rejection(kinds, timer, app, desk, run):
    """The bug class peers have: re-entering a stage must arm its timer again."""
    record, t0 = created(desk["ann"])
    run(t0 + timedelta(hours=1, minutes=31))  # the first entry's reminder fires
    assert kinds(app, "ann") == ["due_soon"]
    desk["ann"].post(f"{URL}/{record['id']}/transitions/submit", json={})
    task = desk["leo"].get("/api/tasks").get_json()[0]
    assert desk["leo"].post(f"/api/tasks/{task['id']}/reject", json={"comment": "incomplete"}).status_code == 200
    rearmed = timer(app, record["id"], "remind", "open")
    assert rearmed["status"] == "pending" and timer(app, record["id"], "due", "review")["status"] == "cancelled"
    later = rearmed["fire_at"].astimezone(UTC) + timedelta(minutes=1)
    assert [(f.kind, f.name) for f in run(later).fired] == [("remind", "open")]
    assert kinds(app, "ann") == ["due_soon", "rejected", "due_soon"]


def test_timers_are_rearmed_after_a_send_back(timer, app, desk, run):
    record, _t0 = created(desk["ann"])
    desk["ann"].post(f"{URL}/{record['id']}/transitions/submit", json={})
    task = desk["leo"].get("/api/tasks").get_json()[0]
    assert desk["leo"].post(f"/api/tasks/{task['id']}/send_back", json={"comment": "again"}).status_code == 200
    assert desk["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] == "open"
    assert timer(app, record["id"], "due", "open")["status"] == "pending"
    assert timer(app, record["id"], "due", "review")["status"] == "cancelled"


def reminder_moment(day: date, offset_days: int) -> datetime:
    return datetime.combine(day + timedelta(days=offset_days), time(9, 0), tzinfo=SHANGHAI).astimezone(UTC)


def test_date_reminder_fires_the_day_before_with_the_message(timer, told, app, desk, run):
    due = date(2031, 5, 20)
    record, _t0 = created(desk["ann"], due_date=due.isoformat(), level="high")
    at = reminder_moment(due, -1)
    assert timer(app, record["id"], "date", "due_warning")["fire_at"].astimezone(UTC) == at
    assert [f.name for f in run(at - timedelta(minutes=1)).fired if f.kind == "date"] == []
    fired = [f for f in run(at).fired if f.kind == "date"]
    assert [(f.name, f.status) for f in fired] == [("due_warning", "fired")]
    message = [p for k, p in told(app, "ann") if k == "reminder"][0]["message"]
    assert message == "工单 Printer 明天到期（2031-05-20，high）"


def test_changing_the_date_reschedules_and_clearing_it_cancels(timer, told, app, desk, run):
    due = date(2031, 5, 20)
    record, _t0 = created(desk["ann"], due_date=due.isoformat())
    url = f"{URL}/{record['id']}"
    run(reminder_moment(due, -1))  # fired for the 20th
    version = desk["ann"].get(url).get_json()["version"]
    desk["ann"].patch(url, json={"version": version, "fields": {"title": "Printer 2"}})  # not the date
    assert timer(app, record["id"], "date", "due_warning")["status"] == "fired"
    new_due = date(2031, 6, 1)
    desk["ann"].patch(url, json={"version": version + 1, "fields": {"due_date": new_due.isoformat()}})
    moved = timer(app, record["id"], "date", "due_warning")
    assert moved["status"] == "pending" and moved["fire_at"].astimezone(UTC) == reminder_moment(new_due, -1)
    assert len([f for f in run(reminder_moment(new_due, -1)).fired if f.kind == "date"]) == 1
    desk["ann"].patch(url, json={"version": version + 2, "fields": {"due_date": "2031-07-01"}})
    desk["ann"].patch(url, json={"version": version + 3, "fields": {"due_date": None}})
    assert timer(app, record["id"], "date", "due_warning")["status"] == "cancelled"
    assert [k for k, _ in told(app, "ann") if k == "reminder"] == ["reminder", "reminder"]


def test_a_false_condition_skips_the_reminder(kinds, app, desk, run):
    due = date(2031, 5, 20)
    record, _t0 = created(desk["ann"], due_date=due.isoformat())
    desk["leo"].post(f"{URL}/{record['id']}/transitions/close", json={})
    fired = [f for f in run(reminder_moment(due, -1)).fired if f.kind == "date"]
    assert [(f.name, f.status) for f in fired] == [("due_warning", "skipped")]
    assert "reminder" not in kinds(app, "ann")


def test_a_date_reminder_may_fire_a_transition(app, desk, run):
    due = date(2031, 5, 20)
    record, _t0 = created(desk["ann"], due_date=due.isoformat(), level="high")
    run(reminder_moment(due, 2))
    assert desk["leo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "done"
    history = desk["leo"].get(f"{URL}/{record['id']}/history").get_json()
    assert (history[-1]["actor"], history[-1]["transition"]) == ("system", "close")


def test_deleting_the_record_cancels_its_timers(stored_rows, app, desk, run, make_user):
    boss = make_user("root", "admin")
    record, t0 = created(desk["ann"], due_date="2031-05-20")
    assert boss.delete(f"{URL}/{record['id']}").status_code == 204
    assert {t["status"] for t in stored_rows(app, __import__("engine.store.system", fromlist=["timers"]).timers)} == \
        {"cancelled"}
    assert run(t0 + timedelta(days=3650)).fired == []


def test_a_timed_transition_that_cannot_fire_is_reported_and_changes_nothing(kinds, stored_rows, app, desk, run):
    from engine.store.system import incidents

    record, t0 = created(desk["ann"])  # no due date: "unpark" requires one
    desk["ann"].post(f"{URL}/{record['id']}/transitions/park", json={})
    result = run(t0 + timedelta(hours=1, minutes=5))
    assert [(f.kind, f.name, f.status) for f in result.fired] == [("due", "parked", "failed")]
    assert desk["leo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "parked"
    assert "overdue" not in kinds(app, "ann")  # the pass's work on it was rolled back as a whole
    problems = stored_rows(app, incidents)
    assert len(problems) == 1 and "could not fire" in problems[0]["message"] and "due_date" in str(problems)
    assert run(t0 + timedelta(hours=5)).fired == []  # reported once, not retried forever
