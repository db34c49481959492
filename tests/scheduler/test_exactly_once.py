"""Two `engine reminders run` processes started at the same moment over many due timers:
every timer fires exactly once between them (SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engine.store.system import notifications, timers
from tests.scheduler.conftest import rows

pytestmark = pytest.mark.kitchen
ENGINE = str(Path(sys.executable).with_name("engine"))
TICKETS = 120


def test_two_processes_fire_each_timer_once(app, desk, db_url):
    for i in range(TICKETS):
        desk["ann"].create("ticket", title=f"T{i}")
    now = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_SECRET_KEY": "x",
           "ENGINE_CONFIG_DIR": app.config["ENGINE"]["ENGINE_CONFIG_DIR"]}
    procs = [subprocess.Popen([ENGINE, "reminders", "run", "--now", now], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _out, err in outputs]
    fired = [int(re.search(r"^(\d+) fired", out, re.M).group(1)) for out, _err in outputs]
    assert sum(fired) == 2 * TICKETS, fired  # a reminder and a due timer each
    lines = [line for out, _ in outputs for line in out.splitlines() if line.startswith("fired")]
    assert len(lines) == len(set(lines)) == 2 * TICKETS
    assert {t["status"] for t in rows(app, timers)} == {"fired"}
    got = rows(app, notifications, user_name="ann")
    assert sorted(n["kind"] for n in got) == ["due_soon"] * TICKETS + ["overdue"] * TICKETS
    assert len(rows(app, notifications, user_name="leo")) == TICKETS
