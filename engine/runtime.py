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
    schema = build_schema(app)
    return Runtime(app=app, schema=schema, gate=Gate(app, schema, db.dialect), dialect=db.dialect)


def applied_signature(db: Database) -> str | None:
    """Signature of the definitions last applied to this database (None before `engine init`)."""
    with db.session() as session:
        if not inspect(session.connection()).has_table(definition_versions.name):
            return None
        return session.execute(
            select(definition_versions.c.signature).order_by(definition_versions.c.id.desc()).limit(1)
        ).scalar()


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
        sources = read_sources(self.config_dir)
        app = load_sources(sources)  # invalid definitions at start-up: nothing to serve
        applied = applied_signature(db)
        if applied is None:
            raise NotInitialised("the database is not initialised: run `engine init` first")
        if applied != app.signature:
            sync_schema(db, app)  # the reload path: definitions changed while stopped
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
            except DefinitionError as exc:
                self.problems = [str(p) for p in exc.problems]
            except SchemaChangeRefused as exc:
                self.problems = list(exc.reasons)
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
