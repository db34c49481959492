"""Running a use case from a request: one session, one transaction, the acting user."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from flask import current_app, g

from engine.errors import EngineError, Unauthorized
from engine.records.context import Context, Runtime, open_context
from engine.runtime import RuntimeHolder
from engine.store.db import Database

from .login import resolve_user
from .startup import PendingHolder


@dataclass
class EngineState:
    """What the app factory hangs on `app.extensions["engine"]`."""

    db: Database
    holder: RuntimeHolder | PendingHolder  # pending while the database cannot be reached
    settings: dict
    tzinfo: tzinfo

    def runtime(self) -> Runtime:
        return self.holder.current()

    def ready_holder(self) -> RuntimeHolder:
        """The real holder: a pending one is built by the time a request is served (else 503)."""
        return self.holder.ready() if isinstance(self.holder, PendingHolder) else self.holder


def engine_state() -> EngineState:
    return current_app.extensions["engine"]


@contextmanager
def use_case(write: bool = False) -> Iterator[Context]:
    """A Context for the request's user inside one transaction (committed on success)."""
    user = g.get("user") or resolve_user()
    if user is None:
        raise Unauthorized("log in or send an API token")
    state = engine_state()
    runtime = g.get("runtime") or state.runtime()
    now = datetime.now(UTC)
    try:
        with open_context(state.db, runtime, user, tzinfo=state.tzinfo, now=now, write=write) as ctx:
            yield ctx
    except EngineError as exc:
        if exc.incident is not None:  # the action was rolled back; what admins must see is kept
            from engine.services.workflow import record_incident

            record_incident(state.db, *exc.incident, now=now)
        raise
