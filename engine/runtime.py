"""The live definitions of a process, and hot reload.

The database is the arbiter: the set last applied to it (`engine_definition_state`) is
the one every process serves, and a refusal recorded there is the one every process
reports. Each process checks at most every ENGINE_RELOAD_INTERVAL seconds:

1. its definition files (a stat per file; when anything changed, the contents are read
   and hashed, so a file put back as it was is noticed too);
2. if the files differ from the live set and it has not tried this pair yet (or the files
   changed), it tries to apply them: validate, then bring the database in line under the
   database lock, which makes them the live set; a set that fails is recorded as refused;
3. the live set and its refusal, one query: a process serving another set switches to the
   live one (loaded from the database), whatever it saw in between.

So processes that were idle, busy, or saw a half-written file all converge on the same
set and the same problems within one interval.

Files and the database (docs/reference.md, Designer, drafts and versions): the live set may
also change in the designer, without the files. The database remembers the signature of
the files the live set last matched (`files_signature`: applied from them, or exported to
them), and a process applies its files only when they changed since. When they changed
while the live set has designer changes that are not in the files, they are refused, with
the way out (`engine config export` or `engine config import`), and every process says so.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

from sqlalchemy import inspect, select

from engine.access import Gate
from engine.definitions import AppDef, checked_elsewhere, load_sources, read_sources, signature_of
from engine.errors import DefinitionError, SchemaChangeRefused, bounded_lines
from engine.i18n import N_
from engine.records.context import Runtime
from engine.store.db import Database
from engine.store.definition_state import (
    LiveSet,
    LiveSetMoved,
    Publish,
    clear_refusal,
    live_set,
    publication_row,
    record_refusal,
    version_sources,
)
from engine.store.offload import OffloadFailed, in_child
from engine.store.sync import sync_schema
from engine.store.system import definition_versions
from engine.store.tables import build_schema

log = logging.getLogger(__name__)
RACY_NS = 2_000_000_000  # file times are coarse: a file this young may still change unseen
FILES_BEHIND = N_("the files in %(folder)s changed while the live definitions have changes made in the "
                  "designer (version %(version)s by %(by)s at %(at)s) that are not in the files: run `engine "
                  "config export` to write the live set to the files and merge, or `engine config import` to "
                  "replace the live set with the files")


def files_behind(db: Database, config_dir: str | Path, live: LiveSet) -> str:
    """Why changed files are not applied over designer changes (one line, English msgid)."""
    row = publication_row(db, live.publication_id)
    at = row["published_at"] if row is not None else None
    return FILES_BEHIND % {
        "folder": config_dir, "version": live.publication_id or live.version_id,
        "by": (row["published_by"] if row is not None else None) or "-",
        "at": at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if at is not None else "-"}


class NotInitialised(RuntimeError):
    pass


#: The interpreter's switch interval while a reload builds a set beside the requests: a request
#: waiting for the interpreter lock gets it within this many seconds (the default is 5 ms, and a
#: request that waits that long after each of its database round trips is slowed many times over).
BUILD_SWITCH_INTERVAL = 0.0005
_switch_lock = threading.Lock()
_switch_users = 0
_switch_before = 0.0


_frozen = False


def freeze_startup_heap() -> None:
    """Once per process, at its first reload beside the requests: exempt every object it holds so far
    (its imports, templates, the set it started with) from the cyclic garbage collector. A full
    collection holds the interpreter lock for as long as it scans (about 0.1 s for a process serving
    50 forms of 40 fields, more after each reload), and the allocations of building a new set start
    one in whichever thread comes next, usually a request. Afterwards a full collection scans only
    what came later. The price: the set the process started with, once replaced, is freed only as
    far as reference counting frees it (once per process)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


@contextmanager
def yielding_to_requests() -> Iterator[None]:
    """Run the block with a short switch interval (process-wide, so counted: the interval in force
    before the first of several overlapping blocks is put back after the last)."""
    global _switch_users, _switch_before
    with _switch_lock:
        if _switch_users == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_before, BUILD_SWITCH_INTERVAL))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)


def build_runtime(app: AppDef, db: Database) -> Runtime:
    from engine.workflows.machine import build_machine

    schema = build_schema(app)
    machines = {name: build_machine(form.workflow) for name, form in app.forms.items() if form.workflow}
    return Runtime(app=app, schema=schema, gate=Gate(app, schema, db.dialect), dialect=db.dialect,
                   machines=machines)


def last_applied(db: Database) -> tuple[str, dict[str, str]] | None:
    """(signature, file texts) of the live definitions of this database; None before `engine init`."""
    live = live_set(db)
    if live is not None:
        return live.signature, version_sources(db, live.version_id)
    with db.session() as session:  # a database applied by an engine without the live-set row
        if not inspect(session.connection()).has_table(definition_versions.name):
            return None
        row = session.execute(
            select(definition_versions.c.signature, definition_versions.c.sources)
            .order_by(definition_versions.c.id.desc()).limit(1)
        ).first()
        return (row.signature, dict(row.sources)) if row else None


def _missing_system_tables(db: Database) -> bool:
    """A system table or column this engine version needs is missing (upgraded while stopped)."""
    from engine.store.system_upgrade import system_tables_outdated

    with db.session() as session:
        return system_tables_outdated(session.connection())


def _problems_of(exc: DefinitionError | SchemaChangeRefused) -> list[str]:
    if isinstance(exc, DefinitionError):
        return exc.lines()
    return bounded_lines(exc.reasons)


class DefinitionFiles:
    """The definition directory as this process last read it: texts and their signature,
    re-read only when a file's stat changes (name, size, mtime, ctime, inode)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: tuple | None = None
        self._trusted = False
        self.sources: dict[str, str] | None = None
        self.signature = ""
        self.unreadable: list[str] = []  # problems reading them (not UTF-8, no directory)

    def _stat_all(self) -> tuple:
        try:
            entries = sorted(os.scandir(self.folder), key=lambda e: e.name)
            return tuple((e.name, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)
                         for e in entries if e.name.endswith(".json") for s in [e.stat()])
        except OSError:
            return ()

    def check(self) -> bool:
        """Re-read the files if they may have changed since the last check; True when their
        contents differ from what this process had. A new stat alone (a file saved unchanged, or
        stat taken while a file was being written and its contents read once it was whole) is
        not a change: the same texts are not tried again."""
        seen = self._stat_all()
        if self._trusted and seen == self._seen:
            return False
        before = self.signature
        try:
            self.sources, self.unreadable = read_sources(self.folder), []
            self.signature = signature_of(self.sources)
        except DefinitionError as exc:
            self.sources, self.unreadable = None, _problems_of(exc)
            self.signature = hashlib.sha256("\n".join(self.unreadable).encode()).hexdigest()
        # A file written while we read it, or so recently that another write in the same
        # timestamp tick would not show in its stat: read it again at the next check.
        settled = time.time_ns() - RACY_NS > max((s[2] for s in seen), default=0)
        changed = self.signature != before
        self._seen, self._trusted = seen, settled and self._stat_all() == seen
        return changed


class RuntimeHolder:
    def __init__(self, config_dir: str | Path, db: Database, interval: float = 1.0, offload: bool = True) -> None:
        self.config_dir = Path(config_dir)
        self.db = db
        self.interval = interval
        #: a reload beside the requests checks (and applies) the new set in a child process
        self.offload = offload
        self.offloaded = 0  # sets this process had checked by a child (tests, diagnostics)
        self._child_checked: set[str] = set()  # signatures a child checked for this process
        self.problems: list[str] = []
        self.reloaded_at: float | None = None
        self._lock = threading.Lock()
        self._aside_lock = threading.Lock()
        self._aside: threading.Thread | None = None  # the reload running beside the requests
        self._files = DefinitionFiles(self.config_dir)
        self._tried: set[tuple[str, str]] = set()  # (files, live set) pairs this process tried
        applied = last_applied(db)
        if applied is None:
            raise NotInitialised("the database is not initialised: run `engine init` first")
        self._files.check()
        if _missing_system_tables(db) or live_set(db) is None:
            # The engine changed while stopped: bring its own tables in line, with the files
            # if they apply, else with the set the database already has.
            if not self._apply(applied[0], record=False):
                sync_schema(db, load_sources(applied[1]))
        live = live_set(db)
        assert live is not None
        if self._wants_to_apply(live, changed=True):
            self._apply(live.signature, live=live)
            live = live_set(db)
            assert live is not None
        self._runtime = build_runtime(load_sources(version_sources(db, live.version_id)), db)
        self._adopt(live)
        self._checked = time.monotonic()
        if self.problems:
            log.error("definitions in %s not applied; serving the last applied set:\n%s",
                      self.config_dir, "\n".join(self.problems))

    def current(self) -> Runtime:
        """The set to serve. With an interval of 0 the check runs before every answer (each request
        sees the live set: tests, several hosts). Otherwise it runs in a thread of its own at most
        once per interval, and requests go on with the set they have until the next one is built:
        validating, applying and building a large set takes a second or more, which no request
        should wait for (docs/benchmarks.md, startup)."""
        if time.monotonic() - self._checked >= self.interval:
            if self.interval <= 0:
                self.refresh()
            else:
                self._refresh_aside()
        return self._runtime

    def _refresh_aside(self) -> None:
        with self._aside_lock:
            if self._aside is not None and self._aside.is_alive():
                return
            self._aside = threading.Thread(target=self.refresh, kwargs={"aside": True}, name="definitions-reload",
                                           daemon=True)
            self._aside.start()

    def refresh(self, force: bool = False, aside: bool = False) -> bool:
        """Apply changed files, then serve the live set; True when this process switched sets.
        `aside`: beside the requests (the reload thread): the set is checked and applied in a child
        process (with `offload`) and built here while yielding to the requests."""
        offload = aside and self.offload
        with self._lock:
            if not force and time.monotonic() - self._checked < self.interval:
                return False  # another thread has just checked
            self._checked = time.monotonic()
            try:
                changed = self._files.check()
                live = live_set(self.db)
                if live is None:
                    return False
                if self._wants_to_apply(live, changed or force):
                    self._apply(live.signature, live=live, offload=offload)
                    live = live_set(self.db) or live
                elif self._in_step(live) and live.refused_signature is not None:
                    clear_refusal(self.db, live.signature)  # the files are back to the live set
                    live = live_set(self.db) or live
                return self._adopt(live, offload=offload, aside=aside)
            except Exception as exc:  # noqa: BLE001 - keep serving the old set whatever happened
                log.exception("reloading definitions failed")
                self.problems = [f"reload failed: {exc}"]
                return False

    def _in_step(self, live: LiveSet) -> bool:
        """The files are the live set, or the files the live set last matched (not changed since)."""
        return self._files.signature in (live.signature, live.files_in_step)

    def _wants_to_apply(self, live: LiveSet, changed: bool) -> bool:
        """Try the files unless they are the live set or have not changed since the live set
        last matched them, or this process already tried them against it (or another process
        did and they were refused) and they have not changed."""
        if self._in_step(live):
            return False
        if changed:
            return True
        return (self._files.signature, live.signature) not in self._tried \
            and live.refused_signature != self._files.signature

    def _apply(self, live_signature: str, record: bool = True, live: LiveSet | None = None,
               offload: bool = False) -> bool:
        """Validate the files and bring the database in line (which makes them the live set);
        a refusal is recorded for every process. True when they applied. Refused without
        trying when the live set has designer changes the files do not have. `offload`: in a child
        process (in this one if the child cannot run)."""
        if len(self._tried) > 256:  # a memory of recent tries, not a history
            self._tried.clear()
        self._tried.add((self._files.signature, live_signature))
        if live is not None and live.signature != live.files_in_step:
            if record:
                record_refusal(self.db, live_signature, self._files.signature,
                               [files_behind(self.db, self.config_dir, live)])
            return False
        if offload and self._files.sources is not None:
            applied = self._apply_in_child(live_signature, record, live)
            if applied is not None:
                return applied
        try:
            if self._files.sources is None:
                raise DefinitionError([])
            sync_schema(self.db, load_sources(self._files.sources),
                        Publish(origin="files", files_signature=self._files.signature,
                                base_signature=live.signature if live is not None else None))
        except (DefinitionError, SchemaChangeRefused) as exc:
            problems = self._files.unreadable if self._files.sources is None else _problems_of(exc)
            if record:
                record_refusal(self.db, live_signature, self._files.signature, problems)
            return False
        except LiveSetMoved:  # another process published meanwhile: look again at the next check
            self._tried.discard((self._files.signature, live_signature))
            return False
        return True

    def _apply_in_child(self, live_signature: str, record: bool, live: LiveSet | None) -> bool | None:
        """_apply's check and apply in a child process; None when the child could not do it."""
        assert self._files.sources is not None
        job = {"live_signature": live_signature, "files_signature": self._files.signature,
               "base_signature": live.signature if live is not None else None, "record": record}
        try:
            answer = in_child(self.db, self._files.sources, job)
        except OffloadFailed as exc:
            log.warning("%s; checking in this process", exc)
            return None
        self.offloaded += 1
        if answer["outcome"] == "moved":  # another process published meanwhile: look again next time
            self._tried.discard((self._files.signature, live_signature))
            return False
        if answer["outcome"] in ("applied", "refused"):  # refused: valid, but it would strand data
            self._checked_by_child(self._files.signature)
        return answer["outcome"] == "applied"

    def _adopt(self, live: LiveSet, offload: bool = False, aside: bool = False) -> bool:
        """Serve the live set (loading it from the database if it is not ours) and report its
        refusal; True when the set changed. `offload`: a set this process has not loaded is checked
        in a child process first; `aside`: the set is built while yielding to the requests."""
        self.problems = list(live.problems) if live.refused_signature is not None else []
        if self._runtime.app.signature == live.signature:
            return False
        sources = version_sources(self.db, live.version_id)
        if offload and live.signature not in self._child_checked:
            self._check_in_child(sources, live.signature)
        if aside:
            freeze_startup_heap()
        with yielding_to_requests() if aside else _nothing():
            app = load_sources(sources)
            runtime = build_runtime(app, self.db)
        self._runtime = runtime
        self.reloaded_at = time.time()
        log.info("definitions now %s", live.signature[:12])
        return True

    def _check_in_child(self, sources: dict[str, str], signature: str) -> None:
        """Have a child process check the live set's texts, so that loading them here only builds
        them; a RuntimeError with the problems when they fail (the set being served stays). When the
        child cannot run, loading them here checks them."""
        try:
            answer = in_child(self.db, sources)
        except OffloadFailed as exc:
            log.warning("%s; checking in this process", exc)
            return
        self.offloaded += 1
        if answer["outcome"] != "valid":
            raise RuntimeError("the live definitions do not pass this engine's checks:\n"
                               + "\n".join(answer["problems"]))
        self._checked_by_child(signature)

    def _checked_by_child(self, signature: str) -> None:
        if len(self._child_checked) > 64:
            self._child_checked.clear()
        self._child_checked.add(signature)
        checked_elsewhere(signature)


@contextmanager
def _nothing() -> Iterator[None]:
    yield
