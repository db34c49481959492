"""Every `engine` command meets an unreachable or uninitialised database with one clear line
on standard error (no password, no traceback) and exit status 1."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHIPPED

ENGINE = str(Path(sys.executable).with_name("engine"))
COMMANDS = [("init",), ("demo",), ("reminders", "run"), ("users", "add", "bob", "--password", "bob-password-1"),
            ("users", "token", "admin"), ("export", "customer")]


def run(url: str, *args: str, cwd: Path):
    env = {**os.environ, "DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(SHIPPED), "ENGINE_SECRET_KEY": "cli-test"}
    return subprocess.run([ENGINE, *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_closed_postgres_port_is_one_line_without_the_password(tmp_path, args):
    result = run("postgresql+psycopg://someone:s3cret@127.0.0.1:1/engine", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == ("engine: cannot reach the database at "
                                     "postgresql+psycopg://someone@127.0.0.1:1/engine (connection refused)")
    assert "s3cret" not in result.stdout + result.stderr


@pytest.mark.parametrize("args", COMMANDS[:3], ids=lambda a: " ".join(a[:2]))
def test_sqlite_in_a_missing_directory_is_one_line(tmp_path, args):
    result = run(f"sqlite:///{tmp_path / 'missing' / 'engine.db'}", *args, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("engine: cannot reach the database at sqlite:///"), result.stderr
    assert "cannot open the database file" in lines[0]


def test_a_relative_sqlite_path_under_a_file_is_one_line(tmp_path):
    (tmp_path / "blocker").write_text("not a directory")
    result = run("sqlite:///blocker/engine.db", "init", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("users", "token", "admin"), ("users", "add", "bob", "--password", "bob-pw-123")],
                         ids=lambda a: a[1])
def test_an_uninitialised_database_is_one_line(tmp_path, args):
    result = run(f"sqlite:///{tmp_path / 'empty.db'}", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "engine: the database is not initialised or not up to date: run `engine init` first"


def test_the_scheduler_loop_waits_for_the_database_and_then_works(initialise, tmp_path):
    """`engine reminders run --loop` (what `engine serve` starts) outlives a database that is
    not there yet: one line, then it waits, then it runs passes once the database is back."""
    import time
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, insert, select

    from engine.store.db import Database
    from engine.store.system import files

    url = f"sqlite:///{tmp_path / 'later' / 'engine.db'}"
    env = {**os.environ, "DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(SHIPPED), "ENGINE_SECRET_KEY": "cli-test"}
    loop = subprocess.Popen([ENGINE, "reminders", "run", "--loop", "--interval", "0.2"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = loop.stderr.readline()
        assert first.startswith("engine: cannot reach the database at sqlite:///") and "waiting" in first
        time.sleep(1)
        assert loop.poll() is None  # still waiting, not ended

        # made elsewhere and moved into place at once, so the waiting loop never opens a half-made file
        (tmp_path / "staging").mkdir()
        initialise(f"sqlite:///{tmp_path / 'staging' / 'engine.db'}", SHIPPED)
        (tmp_path / "staging").rename(tmp_path / "later")
        db = Database(url)
        try:
            with db.transaction() as session:
                session.execute(insert(files).values(
                    name="old.txt", size=1, content_type="text/plain", sha256="0" * 64, data=b"x",
                    uploaded_by="admin", uploaded_at=datetime.now(UTC) - timedelta(days=3)))
            for _ in range(300):  # the loop's next passes clean the stale upload up
                with db.session() as session:
                    if not session.execute(select(func.count()).select_from(files)).scalar_one():
                        break
                time.sleep(0.1)
            else:
                raise AssertionError("the scheduler loop never ran a pass")
        finally:
            db.dispose()
    finally:
        loop.terminate()
        _out, err = loop.communicate(timeout=30)
    assert "Traceback" not in err


def test_an_output_file_that_cannot_be_written_is_one_line(initialise, tmp_path):

    url = f"sqlite:///{tmp_path / 'engine.db'}"
    initialise(url, SHIPPED)
    result = run(url, "export", "customer", "-o", str(tmp_path / "missing" / "out.csv"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"engine: {tmp_path / 'missing' / 'out.csv'}: No such file or directory"


@pytest.mark.parametrize("args", [("config", "versions"), ("users", "tokens", "admin"), ("export", "customer")],
                         ids=lambda a: " ".join(a[:2]))
def test_a_command_run_in_process_closes_its_connections(initialise, tmp_path, monkeypatch, args):
    """A command's database is disposed when the command ends, also when it runs inside another
    process (a test, a script calling `main`): no connection is left to be closed by the GC."""
    from click.testing import CliRunner

    from engine.cli import main
    from engine.store.db import Database

    opened: list[Database] = []
    closed: list[Database] = []
    real_init, real_dispose = Database.__init__, Database.dispose

    def init(self, *a, **k):
        real_init(self, *a, **k)
        opened.append(self)

    def dispose(self):
        closed.append(self)
        real_dispose(self)
    monkeypatch.setattr(Database, "__init__", init)
    monkeypatch.setattr(Database, "dispose", dispose)
    url = f"sqlite:///{tmp_path / 'engine.db'}"
    initialise(url, SHIPPED)
    env = {"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(SHIPPED), "ENGINE_SECRET_KEY": "cli-test"}
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    assert opened and all(db in closed for db in opened)
