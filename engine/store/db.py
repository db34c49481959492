"""Engines and sessions.

SQLite: WAL, a busy timeout (30 s, or the URL's `?timeout=SECONDS`), and pysqlite's
own transaction handling switched off so that we emit BEGIN ourselves: `BEGIN IMMEDIATE`
for writing sessions (one writer at a time, no lock upgrade failures) and plain `BEGIN`
for reads. SQLite does not queue writers fairly, so a busy writer can still starve
another past the timeout: long-running jobs retry with `retry_busy` (busy.py).
PostgreSQL: one engine; writers lock rows with FOR UPDATE.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

#: Seconds to wait for a PostgreSQL server to answer a new connection (unless the URL says).
CONNECT_TIMEOUT = 5


def _sqlite_engine(url: str, immediate: bool, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)
    timeout = make_url(url).query.get("timeout")
    busy_ms = int(float(timeout) * 1000) if isinstance(timeout, str) else 30000

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def describe_url(url: str | URL) -> str:
    """The URL to show a person: no password, no query (options may hold secrets too)."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except Exception:  # noqa: BLE001 - a malformed URL is shown as far as it is safe
        return "(an invalid DATABASE_URL)"
    shown = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database)
    return shown.render_as_string(hide_password=False)


def unreachable_reason(exc: BaseException) -> str | None:
    """Why the database could not be reached, when that is what `exc` says; None for every
    other error (a failed statement, a constraint, a lock). A connection that could not be
    opened (no statement yet) or was lost on the way counts; SQL errors do not."""
    if not isinstance(exc, DBAPIError):
        return None
    if exc.statement is not None and not exc.connection_invalidated:
        return None
    text = str(exc.orig or exc).strip()
    first = text.splitlines()[0] if text else ""
    if "unable to open database file" in first:
        return "cannot open the database file: does its directory exist and may this user write there?"
    reason = first.rsplit("failed: ", 1)[-1].strip()
    reason = reason.removeprefix("FATAL:").strip()
    return (reason[:1].lower() + reason[1:])[:200] or type(exc.orig or exc).__name__


def unreachable_message(url: str | URL, reason: str) -> str:
    return f"cannot reach the database at {describe_url(url)} ({reason})"


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. `Session.execute` is typed as returning a plain
    Result; for these statements it is a CursorResult, which carries the count."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected the result of an UPDATE or DELETE, got {type(result).__name__}")
    return result.rowcount


class Database:
    """The application's database: `session()` to read, `session(write=True)` to change."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url, immediate=True, **engine_options)
            self.read_engine = _sqlite_engine(url, immediate=False, **engine_options)
        else:
            options = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20, **engine_options}
            if self.dialect == "postgresql" and "connect_timeout" not in self.url.query:
                # an unreachable host fails within seconds instead of the system's TCP timeout
                options.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT})
            self.engine = create_engine(url, **options)
            self.read_engine = self.engine
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def session(self, write: bool = False) -> Session:
        return (self._writer if write else self._reader)()

    def on_writing_begin(self, listener: Callable[[Session], None]) -> None:
        """Call `listener(session)` whenever a writing session (`session(write=True)`,
        `transaction()`) begins its transaction."""
        event.listen(self._writer, "after_begin", lambda session, _transaction, _connection: listener(session))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One writing transaction: commit on success, roll back on any error."""
        with self.session(write=True) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
