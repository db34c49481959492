"""Which definition set is live, kept in the database so that every process agrees.

Applying a set (`sync_schema`, under its lock) makes it the live one. A process whose
files were refused (invalid, or a change that would strand data) records the refusal
against the live set, so the other processes report the same problems; a later apply
clears it. Each process compares its set with this row at every reload check and loads
the live set from `engine_definition_versions` when they differ (reload.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError

from .db import Database
from .system import definition_state, definition_versions

ROW = 1


@dataclass(frozen=True)
class LiveSet:
    version_id: int
    signature: str
    refused_signature: str | None  # files tried against this set and refused
    problems: tuple[str, ...]


def mark_applied(conn: Connection, signature: str) -> None:
    """Make the recorded version `signature` the live set (inside the applying transaction)."""
    version_id = conn.execute(select(definition_versions.c.id).where(
        definition_versions.c.signature == signature)).scalar_one()
    values = {"version_id": version_id, "signature": signature, "refused_signature": None, "problems": [],
              "changed_at": datetime.now(UTC)}
    if conn.execute(select(definition_state.c.id).where(definition_state.c.id == ROW).with_for_update()).first():
        conn.execute(update(definition_state).where(definition_state.c.id == ROW).values(**values))
    else:
        conn.execute(insert(definition_state).values(id=ROW, **values))


def live_set(db: Database) -> LiveSet | None:
    """The live set; None for a database not yet initialised by this engine version."""
    try:
        with db.session() as session:
            row = session.execute(select(definition_state).where(definition_state.c.id == ROW)).mappings().first()
    except DBAPIError:
        with db.session() as session:
            if inspect(session.connection()).has_table(definition_state.name):
                raise
        return None
    if row is None:
        return None
    return LiveSet(row["version_id"], row["signature"], row["refused_signature"], tuple(row["problems"] or ()))


def record_refusal(db: Database, live_signature: str, refused_signature: str, problems: list[str]) -> None:
    """Note that `refused_signature` was refused while `live_signature` was live (a no-op if
    another process applied something else meanwhile: the refusal would be out of date)."""
    with db.transaction() as session:
        session.execute(update(definition_state).where(
            definition_state.c.id == ROW, definition_state.c.signature == live_signature)
            .values(refused_signature=refused_signature, problems=list(problems), changed_at=datetime.now(UTC)))


def clear_refusal(db: Database, live_signature: str) -> None:
    """The files are the live set again: nothing is refused any more."""
    with db.transaction() as session:
        session.execute(update(definition_state).where(
            definition_state.c.id == ROW, definition_state.c.signature == live_signature,
            definition_state.c.refused_signature.is_not(None))
            .values(refused_signature=None, problems=[], changed_at=datetime.now(UTC)))


def version_sources(db: Database, version_id: int) -> dict[str, str]:
    with db.session() as session:
        return dict(session.execute(select(definition_versions.c.sources).where(
            definition_versions.c.id == version_id)).scalar_one())
