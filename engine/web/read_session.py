"""One reading transaction per page: the session check's read of the user is the page's first read.

The session check (Flask-Login's user loader) reads the signed-in user, with their roles, at the
start of every request. Instead of a transaction of its own, that read opens the request's reading
session and leaves its transaction open; the request's first reading use case (`use_case()`)
carries on in it, so a page that reads is one BEGIN, the user's row included. The user is still
read on every request, so a deactivated user, a new password or new roles count at once.

The kept session is closed, never reused, as soon as the request begins writing anything (a
writing use case, `db.transaction()`, e.g. the language switch): a later read must see what was
written, which a snapshot taken before it (SQLite's) would not. Reads elsewhere in the request
(a definitions check) leave it be: they change nothing. It is closed at the end of the request
too, and it holds no row locks (it only read; PostgreSQL reads take none).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy.orm import Session

from engine.store.db import Database

_KEY = "engine_read_session"


def keep(session: Session, runtime: Any) -> None:
    """Keep `session` (inside the transaction that read the user) for the request's first read;
    `runtime`: the definitions in use when its transaction began (their tables are all in its
    snapshot). Outside a request, close it."""
    if not has_request_context():
        session.close()
        return
    release()
    setattr(g, _KEY, (session, runtime))


def take(runtime: Any = None) -> tuple[Session, Any] | None:
    """The kept session, now the caller's to commit and close, with the definitions it began under
    (use those: a reload since may have added tables or columns its snapshot lacks); None if there
    is none (any more), or if `runtime` is given and is not those (then it is closed)."""
    kept = g.pop(_KEY, None) if has_request_context() else None
    if kept is None:
        return None
    if runtime is not None and kept[1] is not runtime:
        kept[0].close()
        return None
    session, began_under = kept
    return session, began_under


def release() -> None:
    """Close the kept session, if any (its transaction only read)."""
    kept = g.pop(_KEY, None) if has_request_context() else None
    if kept is not None:
        kept[0].close()


def init_app(app: Flask, db: Database) -> None:
    def on_write(_session: Session) -> None:
        if has_request_context():
            release()  # something is being written: later reads must not use an older snapshot

    db.on_writing_begin(on_write)

    @app.teardown_request
    def close_read_session(_exc: Any = None) -> None:
        release()
