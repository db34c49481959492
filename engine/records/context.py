"""What one use case runs with: the loaded definitions, a session, the acting user, the time."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from engine.access import Gate
from engine.auth.users import User
from engine.definitions.model import AppDef, FormDef
from engine.store.db import Database
from engine.store.system import files, user_roles, users
from engine.store.tables import FormTables, Schema


@dataclass(frozen=True)
class Runtime:
    """Everything compiled from one AppDef; swapped as a whole on reload."""

    app: AppDef
    schema: Schema
    gate: Gate
    dialect: str
    #: form name → its stage machine (transitions.Machine), shared by all records
    machines: Mapping[str, Any] = field(default_factory=dict)

    def form(self, name: str) -> FormDef | None:
        return self.app.form(name)

    def tables(self, name: str) -> FormTables:
        return self.schema[name]


@dataclass
class Context:
    runtime: Runtime
    session: Session
    user: User
    now: datetime  # aware UTC
    tzinfo: tzinfo
    #: Id of the record being edited, so its own files count as usable.
    editing: tuple[str, int] | None = None
    _cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def app(self) -> AppDef:
        return self.runtime.app

    @property
    def gate(self) -> Gate:
        return self.runtime.gate

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.tzinfo)

    def acting_as(self, user: User, now: datetime | None = None) -> Context:
        """Another person acting in this same transaction (demo data plays several people)."""
        return Context(self.runtime, self.session, user, now=now or self.now, tzinfo=self.tzinfo)

    # -- CheckContext --------------------------------------------------------------

    def user_exists(self, name: str, role: str | None) -> bool:
        key = ("user", name, role)
        if key not in self._cache:
            stmt = select(func.count()).select_from(users).where(users.c.name == name, users.c.active.is_(True))
            if role:
                stmt = stmt.where(users.c.id.in_(select(user_roles.c.user_id).where(user_roles.c.role == role)))
            self._cache[key] = bool(self.session.execute(stmt).scalar_one())
        return self._cache[key]

    def known_readable(self, form: str, record_id: int) -> None:
        """Note that the user may read this record (found with the read rule in a bulk
        lookup), so checking links to it costs no query."""
        self._cache[("readable", form, record_id)] = True

    def knows_readable(self, form: str, record_id: int) -> bool:
        """Whether a lookup already found that the user may read this record (`known_readable`)."""
        return ("readable", form, record_id) in self._cache

    def link_readable(self, form: str, record_id: int) -> bool:
        if self.knows_readable(form, record_id):
            return True
        target = self.app.form(form)
        if target is None:
            return False
        table = self.runtime.tables(form).table
        condition = self.gate.row_filter(self.user, target, "read", self.local_now)
        stmt = select(func.count()).select_from(table).where(and_(table.c.id == record_id, condition))
        return bool(self.session.execute(stmt).scalar_one())

    def file_info(self, file_id: int) -> dict[str, Any] | None:
        row = self.session.execute(
            select(files.c.id, files.c.name, files.c.size, files.c.uploaded_by, files.c.form, files.c.record_id)
            .where(files.c.id == file_id)).first()
        if row is None:
            return None
        own_upload = row.record_id is None and row.uploaded_by == self.user.name
        attached_here = self.editing is not None and (row.form, row.record_id) == self.editing
        if not (own_upload or attached_here):
            return None
        return {"id": row.id, "name": row.name, "size": row.size}


#: Opens a Context in a transaction of its own (`open_context` with everything but `write` bound).
ContextOpener = Callable[..., AbstractContextManager[Context]]


@contextmanager
def open_context(db: Database, runtime: Runtime, user: User, *, tzinfo: tzinfo, now: datetime | None = None,
                 write: bool = False) -> Iterator[Context]:
    """A Context for `user` in one transaction of its own, committed when the block ends without
    an error: how a request, a CLI command, a scheduler pass and demo data all run use cases."""
    with db.session(write=write) as session, session.begin():
        yield Context(runtime, session, user, now=now or datetime.now(UTC), tzinfo=tzinfo)
