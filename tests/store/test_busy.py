"""retry_busy: a transaction that only lost a race for a lock runs again; any other error
is raised at once."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from engine.store.busy import is_busy, retry_busy


def failing(times: int, exc: Exception):
    calls = []

    def work():
        calls.append(1)
        if len(calls) <= times:
            raise exc
        return len(calls)
    return work


def locked() -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def test_a_locked_database_is_waited_for_not_fatal():
    pauses = []
    assert retry_busy(failing(3, locked()), sleep=pauses.append) == 4
    assert len(pauses) == 3


def test_other_errors_are_raised_at_once():
    broken = IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
    assert not is_busy(broken)
    with pytest.raises(IntegrityError):
        retry_busy(failing(1, broken), sleep=lambda _s: None)


def test_patience_runs_out_with_the_last_error():
    with pytest.raises(OperationalError):
        retry_busy(failing(1000, locked()), patience=0.0, sleep=lambda _s: None)
