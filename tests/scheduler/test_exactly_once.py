"""Exactly once across real `engine reminders run` processes (SQLite and PostgreSQL):
two passes started at the same moment over thousands of due timers fire each timer once
and lose none; a pass killed with SIGKILL half-way leaves claims that a later pass takes
over, and that pass fires every timer the dead one had not fired, once."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from engine.scheduler.timers import CLAIM_TIMEOUT
from engine.store.system import notifications, timers

ENGINE = str(Path(sys.executable).with_name("engine"))
TICKETS = 1000
TIMERS = 3  # per ticket: the stage's reminder and due timer, and the date reminder due_warning


def seed(app, desk, count: int):
    """One ticket through the API (so its row and stage timers are real), then count-1
    copies of both straight in SQL, and a due date reminder for each. Returns the moment
    every timer is due (UTC)."""
    first = desk["ann"].create("ticket", title="T0")
    state = app.extensions["engine"]
    table = state.holder.current().tables("ticket").table
    with state.db.transaction() as session:
        row = dict(session.execute(select(table).where(table.c.id == first["id"])).mappings().one())
        row.pop("id")
        session.execute(insert(table), [{**row, "title": f"T{i}"} for i in range(1, count)])
        ids = list(session.execute(select(table.c.id).where(table.c.id != first["id"])).scalars())
        armed = [dict(t) for t in session.execute(select(timers).where(timers.c.record_id == first["id"]))
                 .mappings()]
        assert len(armed) == 2
        latest = max(t["fire_at"] for t in armed)
        armed.append({**armed[0], "kind": "date", "name": "due_warning", "fire_at": latest})
        session.execute(insert(timers), [
            {**{k: v for k, v in t.items() if k != "id"}, "record_id": record_id}
            for record_id in [first["id"], *ids] for t in armed if t["kind"] == "date" or record_id != first["id"]])
    assert latest.tzinfo is not None
    return latest + timedelta(minutes=1)


def start_pass(app, db_url: str, now) -> subprocess.Popen:
    if db_url.startswith("sqlite"):  # a short busy timeout: contention shows at once, not after 30 s
        db_url += "?timeout=0.01"
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_SECRET_KEY": "x",
           "ENGINE_CONFIG_DIR": app.config["ENGINE"]["ENGINE_CONFIG_DIR"]}
    for key in ("ENGINE_SMTP_URL", "ENGINE_WEBHOOK_URL"):
        env.pop(key, None)
    return subprocess.Popen([ENGINE, "reminders", "run", "--now", now.isoformat()], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(procs: list[subprocess.Popen]) -> list[int]:
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), [err[-2000:] for _out, err in outputs]
    return [int(re.search(r"^(\d+) fired", out, re.M).group(1)) for out, _err in outputs]


@pytest.fixture
def assert_each_fired_once(stored_rows):
    """assert_each_fired_once(app, count): every timer is marked fired, and each record got each
    notification exactly once."""

    def check(app, count: int) -> None:
        assert Counter(t["status"] for t in stored_rows(app, timers)) == {"fired": TIMERS * count}
        told = Counter((n["user_name"], n["kind"], n["record_id"]) for n in stored_rows(app, notifications))
        records = {n["record_id"] for n in stored_rows(app, notifications)}
        assert len(records) == count
        expected = {(user, kind, r) for r in records
                    for user, kind in (("ann", "due_soon"), ("ann", "overdue"), ("ann", "reminder"),
                                       ("leo", "escalation"), ("lia", "escalation"))}
        assert set(told) == expected  # none lost
        assert set(told.values()) == {1}  # none twice
    return check


def fired_count(app) -> int:
    with app.extensions["engine"].db.session() as session:
        return session.execute(select(func.count()).select_from(timers).where(timers.c.status == "fired")).scalar()


def test_two_processes_at_once_fire_each_of_thousands_of_timers_once(assert_each_fired_once, app, desk, db_url):
    now = seed(app, desk, TICKETS)
    fired = finish([start_pass(app, db_url, now), start_pass(app, db_url, now)])
    assert sum(fired) == TIMERS * TICKETS, fired
    assert_each_fired_once(app, TICKETS)


def test_a_pass_killed_half_way_is_taken_over_and_every_remaining_timer_fires_once(
        assert_each_fired_once, stored_rows, app, desk, db_url):
    now = seed(app, desk, TICKETS)
    doomed = start_pass(app, db_url, now)
    deadline = time.monotonic() + 120
    while fired_count(app) < 150 and doomed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate()
    before = fired_count(app)
    assert 0 < before < TIMERS * TICKETS, before  # killed half-way, not before or after its work
    statuses = Counter(t["status"] for t in stored_rows(app, timers))
    assert statuses["claimed"] > 0, statuses  # it died holding claims
    # Within the lease the claims are left alone: a pass now fires only unclaimed timers.
    early = finish([start_pass(app, db_url, now)])
    assert Counter(t["status"] for t in stored_rows(app, timers))["claimed"] == statuses["claimed"]
    # After the lease two passes at once take the dead claims over and fire the rest.
    later = now + CLAIM_TIMEOUT + timedelta(minutes=1)
    taken = finish([start_pass(app, db_url, later), start_pass(app, db_url, later)])
    assert before + sum(early) + sum(taken) == TIMERS * TICKETS, (before, early, taken)
    assert_each_fired_once(app, TICKETS)
