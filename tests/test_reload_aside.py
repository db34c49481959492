"""With ENGINE_RELOAD_INTERVAL above 0 a reload runs beside the requests: while a changed set is
being applied and built, requests are answered with the set the process has (they do not wait
for it), and the new set is served once it is built."""
from __future__ import annotations

import threading
import time

import pytest

import engine.runtime as runtime_module

BASE = {
    "module": "notes", "title": "Notes", "roles": [{"name": "writer", "title": "Writer"}],
    "forms": [{"name": "note", "title": "Note", "title_field": "title",
               "fields": [{"name": "title", "type": "text", "label": "Title"}],
               "permissions": {"writer": {"create": True, "read": "all"}}}],
}


@pytest.fixture
def slow_apply(monkeypatch):
    """The check and schema sync of a reload (in a child process) wait until the test lets them go."""
    release, entered = threading.Event(), threading.Event()
    real = runtime_module.in_child

    def held(*args, **kwargs):
        entered.set()
        assert release.wait(30)
        return real(*args, **kwargs)
    monkeypatch.setattr(runtime_module, "in_child", held)
    return entered, release


def test_requests_keep_the_old_set_while_a_new_one_is_applied(write_module, make_app, tmp_path, slow_apply):
    entered, release = slow_apply
    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder, ENGINE_RELOAD_INTERVAL=0.05)
    holder = app.extensions["engine"].holder
    old = holder.current()
    changed = {**BASE, "forms": [{**BASE["forms"][0], "fields": [
        *BASE["forms"][0]["fields"], {"name": "body", "type": "text", "label": "Body"}]}]}
    write_module(folder, changed)
    time.sleep(0.1)  # past the interval: the next look starts the reload
    try:
        assert holder.current() is old
        assert entered.wait(30)  # the reload is applying the files, in its own thread
        assert holder.current() is old  # and a request meanwhile is answered at once, with the old set
        assert old.app.form("note").field("body") is None
    finally:
        release.set()
    deadline = time.monotonic() + 30
    while holder.current().app.form("note").field("body") is None:
        assert time.monotonic() < deadline, "the new set was never served"
        time.sleep(0.05)
    assert holder.current() is not old
    holder.refresh(force=True)  # waits for the reload thread's lock: nothing runs after the test


def _changed(extra: str) -> dict:
    return {**BASE, "forms": [{**BASE["forms"][0], "fields": [
        *BASE["forms"][0]["fields"], {"name": extra, "type": "text", "label": extra.title()}]}]}


def _wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + 60
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def checks_in_process(monkeypatch):
    """Counts what the reload thread itself validates (the JSON Schema check, the semantic checks)
    and applies (the schema sync) in this process."""
    import engine.definitions.loader as loader

    counts = {"schema": 0, "checks": 0, "sync": 0}
    loader._load_cached.cache_clear()  # a set another test loaded (or had checked) is not checked again
    loader._CHECKED_ELSEWHERE.clear()

    def counting(name, real):
        def run(*args, **kwargs):
            if threading.current_thread().name == "definitions-reload":
                counts[name] += 1
            return real(*args, **kwargs)
        return run
    monkeypatch.setattr(loader, "_schema_problems", counting("schema", loader._schema_problems))
    monkeypatch.setattr(loader, "check_app", counting("checks", loader.check_app))
    monkeypatch.setattr(runtime_module, "sync_schema", counting("sync", runtime_module.sync_schema))
    return counts


def test_a_reload_beside_the_requests_is_checked_and_applied_in_a_child_process(
        write_module, make_app, tmp_path, checks_in_process):
    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder, ENGINE_RELOAD_INTERVAL=0.05)
    holder = app.extensions["engine"].holder
    old = holder.current()
    write_module(folder, _changed("body"))
    _wait_for(lambda: holder.current().app.form("note").field("body") is not None, "the new set was never served")
    holder.refresh(force=True)  # waits for the reload thread
    assert holder.offloaded == 1  # the child checked and applied the files; the set it applied is not checked again
    assert checks_in_process == {"schema": 0, "checks": 0, "sync": 0}
    assert holder.current() is not old and not holder.problems
    # what this process built without checking is what the checks would have built
    from engine.definitions.loader import _load
    assert holder.current().app == _load(dict(holder.current().app.texts))


def test_a_broken_set_checked_in_the_child_is_reported_and_never_served(
        write_module, make_app, tmp_path, db_url, checks_in_process):
    from engine.store.db import Database
    from engine.store.definition_state import live_set

    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder, ENGINE_RELOAD_INTERVAL=0.05)
    holder = app.extensions["engine"].holder
    old = holder.current()
    broken = {**BASE, "forms": [{**BASE["forms"][0], "fields": [
        *BASE["forms"][0]["fields"], {"name": "body", "type": "no-such-type", "label": "Body"}]}]}
    write_module(folder, broken)
    _wait_for(lambda: holder.current() and holder.problems, "the broken set was never reported")
    holder.refresh(force=True)
    assert holder.current() is old
    assert any("notes.json" in line and "/fields/1" in line for line in holder.problems), holder.problems
    assert holder.offloaded == 1
    assert checks_in_process == {"schema": 0, "checks": 0, "sync": 0}
    db = Database(db_url)
    try:  # recorded for every process, as when checked in-process
        assert live_set(db).refused_signature == holder._files.signature
    finally:
        db.dispose()


def test_a_set_published_by_another_process_is_checked_in_a_child_before_it_is_built(
        write_module, make_app, tmp_path, checks_in_process):
    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder, ENGINE_RELOAD_INTERVAL=3600)
    holder = app.extensions["engine"].holder
    other = runtime_module.RuntimeHolder(folder, holder.db, interval=0)  # another process
    write_module(folder, _changed("body"))
    assert other.refresh(force=True)  # applies the files: the live set moves
    holder._files = runtime_module.DefinitionFiles(folder)  # this process has not seen the files change
    holder._files.check()
    thread = threading.Thread(target=holder.refresh, kwargs={"force": True, "aside": True}, name="definitions-reload")
    thread.start()
    thread.join(60)
    assert holder.current().app.form("note").field("body") is not None
    assert holder.offloaded == 1 and checks_in_process == {"schema": 0, "checks": 0, "sync": 0}


def test_without_a_child_process_the_reload_is_checked_in_process(write_module, make_app, tmp_path, monkeypatch,
                                                                     checks_in_process):
    import engine.store.offload as offload

    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder, ENGINE_RELOAD_INTERVAL=0.05)
    holder = app.extensions["engine"].holder
    monkeypatch.setattr(offload.sys, "executable", str(tmp_path / "no-such-python"))
    write_module(folder, _changed("body"))
    _wait_for(lambda: holder.current().app.form("note").field("body") is not None, "the new set was never served")
    holder.refresh(force=True)
    assert holder.offloaded == 0 and checks_in_process["sync"] == 1 and checks_in_process["schema"] >= 1


def test_the_switch_interval_is_short_while_a_set_is_built_and_put_back_after():
    import sys

    before = sys.getswitchinterval()
    with runtime_module.yielding_to_requests():
        assert sys.getswitchinterval() == runtime_module.BUILD_SWITCH_INTERVAL
        with runtime_module.yielding_to_requests():  # two holders of one process at once
            assert sys.getswitchinterval() == runtime_module.BUILD_SWITCH_INTERVAL
        assert sys.getswitchinterval() == runtime_module.BUILD_SWITCH_INTERVAL
    assert sys.getswitchinterval() == before


def test_files_saved_again_unchanged_are_no_change(write_module, tmp_path):
    """A new stat with the same texts (a file saved unchanged; or a stat taken while a file was being
    written, its texts read once whole) is not tried again: only other texts are a change."""
    import os

    folder = tmp_path / "configs"
    path = write_module(folder, BASE)
    files = runtime_module.DefinitionFiles(folder)
    assert files.check()  # first read
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert not files.check() and not files.check()
    write_module(folder, _changed("body"))
    assert files.check()
    write_module(folder, BASE)  # put back as it was: a change again
    assert files.check()
