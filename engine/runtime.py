"""The live definitions of a process, and hot reload.

Each process looks at the definition files at most every ENGINE_RELOAD_INTERVAL
seconds (a stat per file). When they change, the new set is validated and the
database brought in line (under a database lock, so several processes and hosts
may race safely); only then does the process switch to it. A set that fails is
reported in `problems` and the running one keeps serving.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from sqlalchemy import inspect, select

from engine.access import Gate
from engine.definitions import AppDef, load_sources, read_sources, signature_of
from engine.errors import DefinitionError, SchemaChangeRefused
from engine.records.context import Runtime
from engine.store.db import Database
from engine.store.sync import sync_schema
from engine.store.system import definition_versions
from engine.store.tables import build_schema

log = logging.getLogger(__name__)


class NotInitialised(RuntimeError):
    pass


def build_runtime(app: AppDef, db: Database) -> Runtime:
    from engine.workflows.machine import build_machine

    schema = build_schema(app)
    machines = {name: build_machine(form.workflow) for name, form in app.forms.items() if form.workflow}
    return Runtime(app=app, schema=schema, gate=Gate(app, schema, db.dialect), dialect=db.dialect,
                   machines=machines)


def last_applied(db: Database) -> tuple[str, dict[str, str]] | None:
    """(signature, file texts) of the definitions last applied to this database;
    None before `engine init`."""
    with db.session() as session:
        if not inspect(session.connection()).has_table(definition_versions.name):
            return None
        row = session.execute(
            select(definition_versions.c.signature, definition_versions.c.sources)
            .order_by(definition_versions.c.id.desc()).limit(1)
        ).first()
        return (row.signature, dict(row.sources)) if row else None


def _missing_system_tables(db: Database) -> bool:
    from engine.store.system import system_metadata

    with db.session() as session:
        present = set(inspect(session.connection()).get_table_names())
    return not set(system_metadata.tables) <= present


def _problems_of(exc: DefinitionError | SchemaChangeRefused) -> list[str]:
    if isinstance(exc, DefinitionError):
        return [str(p) for p in exc.problems]
    return list(exc.reasons)


class RuntimeHolder:
    def __init__(self, config_dir: str | Path, db: Database, interval: float = 1.0) -> None:
        self.config_dir = Path(config_dir)
        self.db = db
        self.interval = interval
        self.problems: list[str] = []
        self.reloaded_at: float | None = None
        self._lock = threading.Lock()
        self._fingerprint = self._files_fingerprint()
        self._checked = time.monotonic()
        applied = last_applied(db)
        if applied is None:
            raise NotInitialised("the database is not initialised: run `engine init` first")
        try:
            app = load_sources(read_sources(self.config_dir))
            if applied[0] != app.signature or _missing_system_tables(db):
                sync_schema(db, app)  # the reload path: definitions or the engine changed while stopped
        except (DefinitionError, SchemaChangeRefused) as exc:
            # Broken files at start-up: serve what the database was last brought in line with.
            self.problems = _problems_of(exc)
            log.error("definitions in %s not applied; serving the last applied set:\n%s",
                      self.config_dir, "\n".join(self.problems))
            app = load_sources(applied[1])
        self._runtime = build_runtime(app, db)

    def _files_fingerprint(self) -> tuple:
        try:
            entries = sorted(os.scandir(self.config_dir), key=lambda e: e.name)
        except OSError:
            return ()
        return tuple((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries if e.name.endswith(".json"))

    def current(self) -> Runtime:
        if time.monotonic() - self._checked >= self.interval:
            self.refresh()
        return self._runtime

    def refresh(self, force: bool = False) -> bool:
        """Reload if the files changed; True when a new definition set went live."""
        self._checked = time.monotonic()
        fingerprint = self._files_fingerprint()
        if fingerprint == self._fingerprint and not force:
            return False
        with self._lock:
            if fingerprint == self._fingerprint and not force:
                return False
            self._fingerprint = fingerprint
            try:
                sources = read_sources(self.config_dir)
                if signature_of(sources) == self._runtime.app.signature:
                    self.problems = []
                    return False
                app = load_sources(sources)
                sync_schema(self.db, app)
            except (DefinitionError, SchemaChangeRefused) as exc:
                self.problems = _problems_of(exc)
            except Exception as exc:  # noqa: BLE001 - keep serving the old set whatever happened
                log.exception("reloading definitions failed")
                self.problems = [f"reload failed: {exc}"]
            else:
                self._runtime = build_runtime(app, self.db)
                self.problems = []
                self.reloaded_at = time.time()
                log.info("definitions reloaded (%s)", app.signature[:12])
                return True
            log.error("definitions not reloaded; still serving %s:\n%s",
                      self._runtime.app.signature[:12], "\n".join(self.problems))
            return False
