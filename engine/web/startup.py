"""Starting while the database is down.

A web process (a gunicorn worker) must come up even when the database cannot be reached
(or `engine init` has not run yet), answer 503 while that lasts, and serve as soon as the
database is ready, without a restart. The app
factory builds the definitions holder through `open_holder`: when the database is down it
gets a `PendingHolder`, which tries again (at most every RETRY_SECONDS) whenever a request
needs the definitions and from then on behaves as the real holder.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.errors import DatabaseUnavailable
from engine.runtime import NotInitialised, RuntimeHolder
from engine.store.db import Database, unreachable_message, unreachable_reason

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


def open_holder(config_dir: str | Path, db: Database, interval: float) -> RuntimeHolder | PendingHolder:
    """The definitions holder, or a PendingHolder when the database cannot be reached now."""
    try:
        return RuntimeHolder(config_dir, db, interval=interval)
    except NotInitialised as exc:  # e.g. workers started before `engine init` has run
        log.error("%s; serving 503 until it is", exc)
        reason = str(exc)
    except Exception as exc:
        unreachable = unreachable_reason(exc)
        if unreachable is None:
            raise
        reason = unreachable
        log.error("%s; serving 503 until it is back", unreachable_message(db.url, reason))
    return PendingHolder(lambda: RuntimeHolder(config_dir, db, interval=interval), config_dir, reason)


class PendingHolder:
    """Stands in for the RuntimeHolder until the database answers; then delegates to it."""

    def __init__(self, build: Callable[[], RuntimeHolder], config_dir: str | Path, reason: str) -> None:
        self._build = build
        self._holder: RuntimeHolder | None = None
        self._lock = threading.Lock()
        self._next_try = time.monotonic() + RETRY_SECONDS
        self.reason = reason
        self.config_dir = Path(config_dir)

    @property
    def problems(self) -> list[str]:
        return self._holder.problems if self._holder else []

    @property
    def reloaded_at(self) -> float | None:
        return self._holder.reloaded_at if self._holder else None

    def ready(self) -> RuntimeHolder:
        """The real holder, built now if the database answers; DatabaseUnavailable if not."""
        if self._holder is not None:
            return self._holder
        with self._lock:
            if self._holder is None:
                if time.monotonic() < self._next_try:
                    raise DatabaseUnavailable(self._unavailable())
                self._next_try = time.monotonic() + RETRY_SECONDS
                try:
                    self._holder = self._build()
                except NotInitialised as exc:
                    self.reason = str(exc)
                    raise DatabaseUnavailable(self._unavailable()) from None
                except Exception as exc:
                    reason = unreachable_reason(exc)
                    if reason is None:
                        raise
                    self.reason = reason
                    raise DatabaseUnavailable(self._unavailable()) from None
                log.info("database reachable again: definitions loaded")
        return self._holder

    def _unavailable(self) -> str:
        from engine.i18n import _

        return _("The database cannot be reached right now; try again in a moment.")

    def current(self) -> Any:
        return self.ready().current()

    def refresh(self, force: bool = False) -> bool:
        return self.ready().refresh(force)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ready(), name)


def wait_for_database() -> None:
    """Before every request while the holder is pending: 503 at once (static files excepted),
    so nothing else (sign-in, throttling) meets the missing or uninitialised database."""
    from flask import current_app, request

    holder = current_app.extensions["engine"].holder
    if isinstance(holder, PendingHolder) and not request.path.startswith("/static/") \
            and request.path != "/favicon.ico":
        holder.ready()
