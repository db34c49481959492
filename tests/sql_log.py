"""The SQL an app runs: `with statements(app) as seen:` collects every statement run inside the
block on either of the app's engines, whitespace folded, for tests that count or inspect them."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(app) -> Iterator[list[str]]:
    db = app.extensions["engine"].db
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))
    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)
