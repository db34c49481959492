"""What the list-view and search benchmarks (bench/views.py, bench/search.py) share: a scratch
schema in a database of their own, and EXPLAIN ANALYZE of one captured statement."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, text

from bench.run import _walk

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@contextmanager
def scratch_schema(database: str) -> Iterator[str]:
    """A fresh schema in `database` (created when missing); its URL, dropped after."""
    server = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}).first() is None:
            conn.execute(text(f"CREATE DATABASE {database}"))
    server.dispose()
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{SERVER}/{database}", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{SERVER}/{database}?options=-csearch_path%3D{quote(schema)}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def explain(url: str, sql: str, params: Any) -> tuple[float, str]:
    """EXPLAIN ANALYZE of one statement (rolled back): milliseconds with planning, and its plan's nodes."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        doc = cur.fetchone()[0][0]
        nodes: list[str] = []
        _walk(doc["Plan"], nodes)
        raw.driver_connection.rollback()
        return doc["Execution Time"] + doc.get("Planning Time", 0), "; ".join(nodes)
    finally:
        raw.close()
        engine.dispose()
