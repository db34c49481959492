"""Retrying a transaction that lost a race for a lock, instead of dying.

SQLite lets one writer in at a time and does not queue the others: a process that runs
transaction after transaction can keep another out past its busy timeout, which then
fails with "database is locked". PostgreSQL may pick a transaction as a deadlock victim
or refuse to serialise it. In each case nothing was written, so the same work can run
again: `retry_busy` repeats it after a growing, jittered pause, for up to `patience`.
Use it for work that is safe to repeat (it re-reads what it changes), such as a
scheduler batch.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
T = TypeVar("T")

#: SQLite's words for a lock it could not get; PostgreSQL's SQLSTATEs for deadlock,
#: serialisation failure and lock timeout.
_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
_PG_RETRY = {"40P01", "40001", "55P03"}


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` means "someone else holds the lock, try again", nothing else."""
    if not isinstance(exc, DBAPIError):
        return False
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in _PG_RETRY:
        return True
    return any(words in str(exc.orig).lower() for words in _SQLITE_BUSY)


def retry_busy(work: Callable[[], T], patience: float = 600.0, first_pause: float = 0.05,
               longest_pause: float = 2.0, sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `work()`; while it fails only because of lock contention, wait and run it again
    (at most `patience` seconds in all, then the last error is raised)."""
    started = time.monotonic()
    pause = first_pause
    while True:
        try:
            return work()
        except DBAPIError as exc:
            if not is_busy(exc) or time.monotonic() - started + pause > patience:
                raise
            log.info("database busy (%s); retrying in %.2f s", str(exc.orig).strip()[:80], pause)
            sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not security
            pause = min(pause * 2, longest_pause)
