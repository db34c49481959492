"""Running a use case from a request: one session, one transaction, the acting user."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from flask import current_app, g

from engine.auth.users import User
from engine.errors import EngineError, Unauthorized
from engine.records.context import Context, Runtime, open_context
from engine.runtime import RuntimeHolder
from engine.store.db import Database

from . import read_session
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


def open_use_case() -> Context | None:
    """The request's innermost use case still open (a page rendered inside its `with use_case()`),
    so what the layout reads joins that transaction instead of opening one of its own."""
    open_contexts = g.get("open_contexts")
    return open_contexts[-1] if open_contexts else None


@contextmanager
def _context(state: EngineState, runtime: Runtime | None, user: User, now: datetime, write: bool) -> Iterator[Context]:
    """The request's first reading use case carries on in the transaction that read the signed-in
    user (`read_session`), under the definitions checked then (`runtime`: unless the request chose
    its own); any other use case has a transaction of its own, under the definitions in use now."""
    kept = None if write else read_session.take(runtime)
    if kept is None:
        read_session.release()
        with open_context(state.db, runtime or state.runtime(), user, tzinfo=state.tzinfo, now=now,
                          write=write) as ctx:
            yield ctx
        return
    session, began_under = kept
    with session:  # closed at the end, like open_context's session
        try:
            yield Context(began_under, session, user, now=now, tzinfo=state.tzinfo)
        except BaseException:
            session.rollback()
            raise
        session.commit()


@contextmanager
def use_case(write: bool = False, now: datetime | None = None) -> Iterator[Context]:
    """A Context for the request's user inside one transaction (committed on success); `now`:
    the time of an earlier step of the same request (a page that checks, then writes)."""
    user = g.get("user") or resolve_user()
    if user is None:
        raise Unauthorized("log in or send an API token")
    state = engine_state()
    now = now or datetime.now(UTC)
    try:
        with _context(state, g.get("runtime"), user, now, write) as ctx:
            open_contexts = g.setdefault("open_contexts", [])
            open_contexts.append(ctx)
            try:
                yield ctx
            finally:
                open_contexts.remove(ctx)
    except EngineError as exc:
        if exc.incident is not None:  # the action was rolled back; what admins must see is kept
            from engine.services.workflow import record_incident

            record_incident(state.db, *exc.incident, now=now)
        raise
