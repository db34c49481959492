"""Bring the engine's own tables up to this version of the engine (`engine init`, startup).

`create_all` creates a missing table but leaves an existing one alone, so a column added
to a system table in a later version is added here with ALTER TABLE ADD COLUMN. Such
columns are nullable (or carry a server default), which keeps the rows already there
valid: an API token issued before `name`/`expires_at` existed keeps working, unnamed and
without an expiry. An index added to an existing system table is created here too.
"""
from __future__ import annotations

from sqlalchemy import Connection, Index, insert, inspect, select, text, update
from sqlalchemy.schema import Column

from .system import definition_publications, definition_state, definition_versions, system_metadata


def _missing(conn: Connection) -> tuple[list[str], list[tuple[str, Column]], list[Index]]:
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    tables = [name for name in system_metadata.tables if name not in present]
    existing = [name for name in system_metadata.tables if name in present]
    # one catalogue query for every table's columns (PostgreSQL), not one round per table
    found = inspector.get_multi_columns(filter_names=existing) if existing else {}
    have = {(table, c["name"]) for (_schema, table), cols in found.items() for c in cols}
    columns = [(name, column) for name in existing for column in system_metadata.tables[name].columns
               if (name, column.name) not in have]
    indexed = inspector.get_multi_indexes(filter_names=existing) if existing else {}
    named = {index["name"] for found_indexes in indexed.values() for index in found_indexes}
    indexes = [index for name in existing for index in system_metadata.tables[name].indexes
               if index.name not in named]
    return tables, columns, indexes


def system_tables_outdated(conn: Connection) -> bool:
    """True when a system table, one of its columns or one of its indexes is missing."""
    tables, columns, indexes = _missing(conn)
    return bool(tables or columns or indexes)


def upgrade_system_tables(conn: Connection) -> list[str]:
    """Create missing system tables, add missing columns and indexes; what was done, one line
    each. Runs inside the caller's transaction (DDL is transactional on both databases)."""
    tables, columns, indexes = _missing(conn)
    system_metadata.create_all(conn)
    done = [f"create table {name}" for name in tables]
    quote = conn.dialect.identifier_preparer.quote
    for table_name, column in columns:
        if not column.nullable and column.server_default is None:
            raise RuntimeError(f"system column {table_name}.{column.name} must be nullable to be added")
        column_type = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {quote(table_name)} ADD COLUMN {quote(column.name)} {column_type}"))
        done.append(f"add column {table_name}.{column.name}")
    for index in indexes:  # after the columns it may cover
        index.create(conn)
        done.append(f"create index {index.name}")
    if definition_publications.name in tables and definition_versions.name not in tables:
        done += _publish_earlier_versions(conn)
    return done


def _publish_earlier_versions(conn: Connection) -> list[str]:
    """A database from before publications: each version it applied becomes a publication
    from the files (when it was applied, by nobody), and the live one is marked."""
    rows = conn.execute(select(definition_versions.c.id, definition_versions.c.applied_at)
                        .order_by(definition_versions.c.id)).all()
    latest: dict[int, int] = {}
    for version_id, applied_at in rows:
        key = conn.execute(insert(definition_publications).values(
            version_id=version_id, published_at=applied_at, published_by=None, origin="files")).inserted_primary_key
        assert key is not None
        latest[version_id] = key[0]
    live = conn.execute(select(definition_state.c.version_id).where(definition_state.c.id == 1)).scalar()
    if live is not None and live in latest:
        conn.execute(update(definition_state).where(definition_state.c.id == 1)
                     .values(publication_id=latest[live]))
    return [f"record {len(rows)} earlier definition versions as publications"] if rows else []
