from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.scheduler import run_pass
from engine.store.system import notifications, timers
from tests.conftest import TEST_CONFIGS

URL = "/api/forms/ticket/records"


@pytest.fixture
def app(make_app, tmp_path):
    folder = tmp_path / "desk"
    shutil.copytree(TEST_CONFIGS / "timers", folder)
    return make_app(folder)


@pytest.fixture
def desk(make_user):
    return {"ann": make_user("ann", "agent", email="ann@example.com"), "leo": make_user("leo", "lead"),
            "lia": make_user("lia", "lead")}


@pytest.fixture
def run(app):
    """run(now, **settings) → one scheduler pass at `now`, as `engine reminders run --now`."""
    state = app.extensions["engine"]

    def run_at(now: datetime, **settings):
        return run_pass(state.db, state.holder, {**state.settings, **settings}, now)
    return run_at


def _rows(app, table, **where):
    with app.extensions["engine"].db.session() as session:
        stmt = select(table).order_by(table.c.id)
        for key, value in where.items():
            stmt = stmt.where(table.c[key] == value)
        return [dict(r) for r in session.execute(stmt).mappings()]


def _told(app, user):
    """(kind, params) of the notifications a user got, oldest first."""
    return [(n["kind"], n["params"]) for n in _rows(app, notifications, user_name=user)]


def _timer(app, record_id, kind, name):
    found = [t for t in _rows(app, timers, record_id=record_id) if t["kind"] == kind and t["name"] == name]
    return found[0] if found else None


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@pytest.fixture
def stored_rows():
    """stored_rows(app, table, **where) → the table's rows (dicts) matching where, by id."""
    return _rows


@pytest.fixture
def told():
    """told(app, user) → (kind, params) of the notifications the user got, oldest first."""
    return _told


@pytest.fixture
def timer():
    """timer(app, record_id, kind, name) → that timer of the record (a dict), or None."""
    return _timer
