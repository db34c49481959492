"""Which definition set is live, kept in the database so that every process agrees.

Applying a set (`sync_schema`, under its lock) makes it the live one and records a
publication (who, when, why: `Publish`). A process whose files were refused (invalid, a
change that would strand data, or changed while the live set has designer changes not in
the files) records the refusal against the live set, so the other processes report the
same problems; a later apply clears it. Each process compares its set with this row at
every reload check and loads the live set from `engine_definition_versions` when they
differ (runtime.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError

from .db import Database
from .system import definition_publications, definition_state, definition_versions

ROW = 1
#: Where a publication came from.
ORIGINS = ("init", "files", "designer", "editor", "restore", "import")
#: Origins that apply the config directory's files: the files are then in step with the live set.
FROM_FILES = ("init", "files", "import")
MAX_NOTE = 500


@dataclass(frozen=True)
class LiveSet:
    version_id: int
    signature: str
    refused_signature: str | None  # files tried against this set and refused
    problems: tuple[str, ...]
    publication_id: int | None = None
    files_signature: str | None = None  # the files the live lineage last matched (None: the live set)

    @property
    def files_in_step(self) -> str:
        """The signature of the files that are in step with the database."""
        return self.files_signature or self.signature


@dataclass
class Publish:
    """Who applies a definition set, and why (recorded as a publication when it goes live).

    `base_signature`: the live set the change was made against; when the live set is another
    one by the time the lock is held, nothing is applied (`LiveSetMoved`). `files_signature`:
    set the files' signature to this (the set was applied from, or written to, the files).
    After the apply, `publication_id` is the publication that made it live (the one already
    live when nothing changed)."""

    origin: str = "files"
    by: str | None = None
    note: str | None = None
    restored_from: int | None = None
    base_signature: str | None = None
    files_signature: str | None = None
    publication_id: int | None = None


class LiveSetMoved(Exception):
    """The live set is no longer the one a change was made against."""

    def __init__(self, live_signature: str | None) -> None:
        super().__init__(f"the live definitions changed meanwhile (now {str(live_signature)[:12]})")
        self.live_signature = live_signature


def check_base(conn: Connection, publish: Publish | None) -> None:
    """Inside the applying transaction, under the lock: refuse when the live set moved."""
    if publish is None or publish.base_signature is None:
        return
    live = conn.execute(select(definition_state.c.signature).where(definition_state.c.id == ROW)).scalar()
    if live != publish.base_signature:
        raise LiveSetMoved(live)


def mark_applied(conn: Connection, signature: str, publish: Publish | None = None) -> int | None:
    """Make the recorded version `signature` the live set (inside the applying transaction) and
    record its publication; the live publication's id. Applying the set that is already live
    records nothing new."""
    publish = publish or Publish()
    version_id = conn.execute(select(definition_versions.c.id).where(
        definition_versions.c.signature == signature)).scalar_one()
    now = datetime.now(UTC)
    state = conn.execute(select(definition_state).where(definition_state.c.id == ROW).with_for_update()
                         ).mappings().first()
    publication_id = state["publication_id"] if state is not None and state["signature"] == signature else None
    if publication_id is None and state is None:  # the state row was lost (upgrade): keep the last publication
        publication_id = conn.execute(select(definition_publications.c.id).where(
            definition_publications.c.version_id == version_id)
            .order_by(definition_publications.c.id.desc()).limit(1)).scalar()
    if publication_id is None:
        note = (publish.note or "").strip()[:MAX_NOTE] or None
        key = conn.execute(insert(definition_publications).values(
            version_id=version_id, published_at=now, published_by=publish.by, origin=publish.origin,
            note=note, restored_from=publish.restored_from)).inserted_primary_key
        assert key is not None
        publication_id = key[0]
    values = {"version_id": version_id, "signature": signature, "refused_signature": None, "problems": [],
              "changed_at": now, "publication_id": publication_id}
    if publish.files_signature is not None:
        values["files_signature"] = publish.files_signature
    elif state is not None and state["signature"] != signature:
        # from the files: they are the live set (NULL); else the files stay where they were
        values["files_signature"] = None if publish.origin in FROM_FILES else \
            state["files_signature"] or state["signature"]
    if state is not None:
        conn.execute(update(definition_state).where(definition_state.c.id == ROW).values(**values))
    else:
        conn.execute(insert(definition_state).values(id=ROW, **values))
    publish.publication_id = publication_id
    return publication_id


def publication_row(db: Database, publication_id: int | None) -> Any:
    """One publication (id, version_id, published_at, published_by, origin, note, restored_from)."""
    if publication_id is None:
        return None
    with db.session() as session:
        return session.execute(select(definition_publications).where(
            definition_publications.c.id == publication_id)).mappings().first()


def set_files_signature(db: Database, signature: str) -> None:
    """The config files now hold the live set `signature` (written by `engine config export`);
    a no-op when another set went live meanwhile."""
    with db.transaction() as session:
        session.execute(update(definition_state).where(
            definition_state.c.id == ROW, definition_state.c.signature == signature)
            .values(files_signature=signature, changed_at=datetime.now(UTC)))


def live_set(db: Database) -> LiveSet | None:
    """The live set; None for a database not yet initialised by this engine version."""
    try:
        with db.session() as session:
            row = session.execute(select(definition_state).where(definition_state.c.id == ROW)).mappings().first()
    except DBAPIError:
        with db.session() as session:
            if not inspect(session.connection()).has_table(definition_state.name):
                return None
            # a database from before publications (its columns are added at the next apply)
            earlier = [c for c in definition_state.c if c.name not in ("publication_id", "files_signature")]
            row = session.execute(select(*earlier).where(definition_state.c.id == ROW)).mappings().first()
    if row is None:
        return None
    return LiveSet(row["version_id"], row["signature"], row["refused_signature"], tuple(row["problems"] or ()),
                   row.get("publication_id"), row.get("files_signature"))


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
