"""Test databases prepared once per worker and definition set, instead of once per test.

`initialise` (create the tables for a definitions folder, add the admin) costs 30-40 ms on
SQLite and about 150 ms on PostgreSQL, and most tests ask for one of a handful of
definition sets. So each worker keeps, per definition texts:

- SQLite: the initialised file, copied into each test's (not yet existing) database path;
- PostgreSQL: one initialised schema parked under a private name. A test's empty schema
  is swapped for it (a rename); when the test ends, a schema whose tables, columns,
  indexes and constraints are still those of the prepared one has its rows put back as
  `initialise` left them (TRUNCATE, the admin's rows, the sequences) and is parked again;
  any other is dropped. A definition set is parked from its second use on, so a set
  written by one test only costs no more than before.

Any test still gets a database that looks freshly initialised; nothing is shared while
a test runs.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sqlalchemy import Connection, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from engine.auth.users import create_user
from engine.definitions import load_directory, read_sources
from engine.errors import DefinitionError
from engine.store.db import Database
from engine.store.sync import sync_schema

PG_BASE = os.environ.get("ENGINE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PARKED = f"p{os.getpid()}_"  # parked schemas: this process's prefix
SEEDS = f"s{os.getpid()}_"  # the rows `initialise` left, one schema per definition set


def initialise(url: str, folder: Path) -> None:
    """What `engine init` does: the tables for the definitions in `folder`, and an admin."""
    db = Database(url)
    try:
        sync_schema(db, load_directory(folder))
        with db.transaction() as session:
            create_user(session, "admin", "admin-password", {"admin"}, enforce_rules=False)
    finally:
        db.dispose()


def definitions_key(folder: Path) -> str | None:
    """The definition texts of a folder, hashed; None when they cannot be read."""
    try:
        sources = read_sources(folder)
    except DefinitionError:
        return None
    digest = hashlib.sha256()
    for name, source in sources.items():
        digest.update(f"{name}\0{source}\0".encode())
    return digest.hexdigest()[:16]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_SHAPE = text("""
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = CAST(:s AS text)),
rel AS (SELECT oid, relname, relkind FROM pg_class WHERE relnamespace = (SELECT oid FROM ns))
SELECT string_agg(item, E'\\n' ORDER BY item) FROM (
  SELECT 'r ' || relname || ' ' || relkind::text AS item FROM rel
  UNION ALL
  SELECT 'c ' || rel.relname || ' ' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE rel.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'i ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN rel ON rel.oid = i.indrelid
  UNION ALL
  SELECT 'k ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
   WHERE connamespace = (SELECT oid FROM ns)
) AS shape""")


class _Prepared:
    """What a parked PostgreSQL schema must look like, and the statements that put it back."""

    def __init__(self, conn: Connection, schema: str, seeds: str) -> None:
        self.shape = _shape(conn, schema)
        q = _quote
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname::text = CAST(:s AS text)"),
                              {"s": schema}).scalars()
        conn.execute(text(f"CREATE SCHEMA {q(seeds)}"))
        edges = conn.execute(text(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            "AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = CAST(:s AS text))"), {"s": schema}).all()
        self.tables = _parents_first(sorted(tables), edges, f"{schema}.")
        self.seeded: list[str] = []
        for table in self.tables:
            if conn.execute(text(f"SELECT EXISTS (SELECT 1 FROM {q(schema)}.{q(table)})")).scalar():
                conn.execute(text(f"CREATE TABLE {q(seeds)}.{q(table)} AS TABLE {q(schema)}.{q(table)}"))
                self.seeded.append(table)
        self.sequences = conn.execute(text(
            "SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname::text = CAST(:s AS text)"), {"s": schema}).all()
        self.seeds = seeds

    def reset_sql(self, schema: str) -> str:
        q = _quote
        # DELETE, children first: TRUNCATE makes new files for every table, ~50 ms each
        lines = ["SET LOCAL lock_timeout = '5s'"]
        lines += [f"DELETE FROM {q(schema)}.{q(t)}" for t in reversed(self.tables)]
        lines += [f"INSERT INTO {q(schema)}.{q(t)} SELECT * FROM {q(self.seeds)}.{q(t)}" for t in self.seeded]
        lines += [f"SELECT setval('{q(schema)}.{q(name)}', {int(value)}, {bool(called)})"
                  for name, value, called in self.sequences]
        return ";\n".join(lines)


def _parents_first(tables: list[str], edges: list[tuple[str, str]], prefix: str) -> list[str]:
    """Tables ordered so that each comes after the tables its foreign keys point to."""
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in edges:
        child, parent = child.removeprefix(prefix).strip('"'), parent.removeprefix(prefix).strip('"')
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, ps in parents.items() if not ps - set(ordered)) or sorted(parents)
        ordered += ready
        for t in ready:
            parents.pop(t)
    return ordered


def _shape(conn: Connection, schema: str) -> str:
    return (conn.execute(_SHAPE, {"s": schema}).scalar() or "").replace(schema, "@")


class PreparedDatabases:
    """This worker's prepared databases (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[str] = set()  # PostgreSQL definition sets used once already
        self.prepared: dict[str, _Prepared] = {}  # ... whose shape and seeds are known
        self.parked: set[str] = set()  # ... with a schema parked, ready to hand out
        self.lent: dict[str, str] = {}  # a test's schema → the definition set it was filled with
        self._admin = None

    # PostgreSQL ---------------------------------------------------------------------------
    @property
    def admin(self):
        if self._admin is None:
            self._admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
            self._install_trigrams()
        return self._admin

    def _install_trigrams(self) -> None:
        """pg_trgm once in `public`: created inside a test's schema, it would go (with every
        trigram index of other tests' and parked schemas) when that schema is dropped."""
        with self._admin.connect() as conn, conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(4711)"))
            where = conn.execute(text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                      "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar()
            try:
                with conn.begin_nested():
                    if where is None:
                        conn.execute(text("CREATE EXTENSION pg_trgm SCHEMA public"))
                    elif where != "public":
                        conn.execute(text("ALTER EXTENSION pg_trgm SET SCHEMA public"))
            except DBAPIError:
                pass  # not available here: sync_schema does without trigram indexes

    def create_schema(self, schema: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {_quote(schema)}"))

    def release(self, schema: str) -> None:
        """The end of a test: park its schema again if it can be, else drop it."""
        key = self.lent.pop(schema, None)
        with self.admin.connect() as conn:
            if key is not None and key in self.prepared and key not in self.parked:
                try:
                    with conn.begin():
                        prepared = self.prepared[key]
                        if _shape(conn, schema) == prepared.shape:
                            conn.exec_driver_sql(prepared.reset_sql(schema))
                            conn.execute(text(f"ALTER SCHEMA {_quote(schema)} RENAME TO {_quote(PARKED + key)}"))
                            self.parked.add(key)
                            return
                except DBAPIError:
                    pass
            conn.execute(text(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE"))

    def _initialise_postgres(self, url: str, folder: Path) -> None:
        schema = make_url(url).query["options"].removeprefix("-csearch_path=")
        key = definitions_key(folder)
        if key is not None and key in self.parked:
            with self.admin.connect() as conn, conn.begin():
                empty = not conn.execute(text(
                    "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = CAST(:s AS text))"), {"s": schema}).scalar()
                if empty:
                    conn.execute(text(f"DROP SCHEMA {_quote(schema)}"))
                    conn.execute(text(f"ALTER SCHEMA {_quote(PARKED + key)} RENAME TO {_quote(schema)}"))
                    self.parked.discard(key)
                    self.lent[schema] = key
                    return
        initialise(url, folder)
        if key is None:
            return
        if key in self.seen and key not in self.prepared:
            with self.admin.connect() as conn, conn.begin():
                self.prepared[key] = _Prepared(conn, schema, SEEDS + key)
        self.seen.add(key)
        self.lent[schema] = key

    # SQLite --------------------------------------------------------------------------------
    def _initialise_sqlite(self, url: str, folder: Path) -> None:
        target = Path(make_url(url).database or "")
        key = definitions_key(folder)
        if key is None or not target.name or target.exists():
            initialise(url, folder)
            return
        ready = self.folder / f"{key}.db"
        if not ready.exists():
            building = self.folder / f"{key}.building.db"
            initialise(f"sqlite:///{building}", folder)  # the last connection's close checkpoints the WAL
            building.rename(ready)
        shutil.copyfile(ready, target)

    def initialise(self, url: str, folder: Path) -> None:
        """`initialise(url, folder)` from a prepared copy where there is one."""
        if url.startswith("sqlite:///"):
            self._initialise_sqlite(url, folder)
        elif url.startswith(PG_BASE + "?options=-csearch_path"):
            self._initialise_postgres(url, folder)
        else:
            initialise(url, folder)

    def close(self) -> None:
        if self._admin is None:
            return
        with self._admin.connect() as conn:
            for key in self.parked:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {_quote(PARKED + key)} CASCADE"))
            for key in self.prepared:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {_quote(SEEDS + key)} CASCADE"))
        self._admin.dispose()
