"""The `engine` command exactly as SPEC §1 documents it, run as a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SHIPPED

ENGINE = str(Path(sys.executable).with_name("engine"))


def test_init_creates_schema_and_admin_and_is_idempotent(engine_cli, env, tmp_path):
    first = engine_cli(env, "init", "--admin-password", "secret-admin", cwd=tmp_path)
    assert "created user admin" in first.stdout
    second = engine_cli(env, "init", cwd=tmp_path)
    assert "created user admin" not in second.stdout
    assert "create table" not in second.stdout


def test_init_on_sqlite_creates_the_instance_folder(engine_cli, tmp_path):
    env = {**os.environ, "ENGINE_CONFIG_DIR": str(SHIPPED), "ENGINE_SECRET_KEY": "x"}
    env.pop("DATABASE_URL", None)
    engine_cli(env, "init", "--admin-password", "pw", cwd=tmp_path)
    assert (tmp_path / "instance" / "engine.db").exists()


def test_users_add_and_token_give_working_api_access(engine_cli, free_port, get_json, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "secret-admin", cwd=tmp_path)
    engine_cli(env, "users", "add", "mgr", "--password", "mgr-password", "--roles", "sales_manager", cwd=tmp_path)
    added = engine_cli(env, "users", "add", "zhang", "--password", "zhang-password", "--roles", "sales,finance",
                "--manager", "mgr", "--email", "zhang@example.cn", cwd=tmp_path)
    assert "zhang" in added.stdout
    token = engine_cli(env, "users", "token", "zhang", cwd=tmp_path).stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([ENGINE, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        forms = get_json(port, "/api/forms", token)
        assert "customer" in [f["name"] for f in forms]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_users_add_refuses_unknown_roles_and_duplicates(engine_cli, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    bad = engine_cli(env, "users", "add", "u1", "--password", "password1", "--roles", "wizard",
                     check=False, cwd=tmp_path)
    assert bad.returncode == 1 and "wizard" in bad.stderr
    engine_cli(env, "users", "add", "u1", "--password", "password1", "--roles", "sales", cwd=tmp_path)
    again = engine_cli(env, "users", "add", "u1", "--password", "password1", check=False, cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_token_for_unknown_user_fails(engine_cli, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    result = engine_cli(env, "users", "token", "ghost", check=False, cwd=tmp_path)
    assert result.returncode == 1


def test_init_refuses_invalid_definitions(engine_cli, env, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "m.json").write_text('{"module": "m", "title": "M", "forms": [{"name": "f", "title": "F", '
                                '"fields": [{"name": "x", "type": "nope"}]}]}')
    result = engine_cli({**env, "ENGINE_CONFIG_DIR": str(bad)}, "init", check=False, cwd=tmp_path)
    assert result.returncode == 1
    assert "m.json: /forms/0/fields/0/type" in result.stderr


def test_serve_with_several_workers_uses_gunicorn(engine_cli, free_port, get_json, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    token = engine_cli(env, "users", "token", "admin", cwd=tmp_path).stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([ENGINE, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert get_json(port, "/api/forms", token)
        time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "gunicorn" in output.lower() or "Booting worker" in output


@pytest.mark.parametrize(("threads", "worker"), [(None, "gthread"), ("1", "sync"), ("3", "gthread")],
                         ids=["default", "1 with a timeout", "3"])
def test_serve_threads_picks_gunicorn_sync_or_gthread_workers(engine_cli, free_port, get_json, env, tmp_path,
                                                              threads, worker):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    token = engine_cli(env, "users", "token", "admin", cwd=tmp_path).stdout.strip().splitlines()[-1]
    port = free_port()
    chosen = ["--threads", threads] if threads else []  # the default: gthread, 4 threads (docs/benchmarks.md)
    if threads == "1":
        chosen += ["--timeout", "900"]  # a sync worker's request limit, for long exports
    server = subprocess.Popen([ENGINE, "serve", "--port", str(port), *chosen, "--no-scheduler"],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert get_json(port, "/api/forms", token)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"Using worker: {worker}" in output, output
    assert ("(sync, requests end after 900 s)" if worker == "sync"
            else f"(gthread, {threads or 4} threads each)") in output, output


def test_serve_refuses_zero_threads(engine_cli, env, tmp_path):
    result = engine_cli(env, "serve", "--threads", "0", check=False, cwd=tmp_path)
    assert result.returncode == 2 and "--threads" in result.stderr


def test_serve_refuses_a_zero_timeout(engine_cli, env, tmp_path):
    result = engine_cli(env, "serve", "--timeout", "0", check=False, cwd=tmp_path)
    assert result.returncode == 2 and "--timeout" in result.stderr


def test_reminders_run_once_and_with_a_bad_time(engine_cli, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "secret-admin", cwd=tmp_path)
    done = engine_cli(env, "reminders", "run", "--now", "2030-01-01T09:00", cwd=tmp_path)
    assert "0 fired" in done.stdout and "2030-01-01T01:00:00+00:00" in done.stdout  # read in Asia/Shanghai
    bad = engine_cli(env, "reminders", "run", "--now", "tomorrow", check=False, cwd=tmp_path)
    assert bad.returncode == 1 and "ISO 8601" in bad.stderr


def test_serve_with_one_worker_runs_the_scheduler_and_stops_it(engine_cli, free_port, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "secret-admin", cwd=tmp_path)
    port = free_port()
    server = subprocess.Popen([ENGINE, "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = server.stdout.readline()
        assert "scheduler running (process" in first, first
        child = int(first.split("process ")[1].rstrip(")\n"))
        os.kill(child, 0)  # alive
    finally:
        server.terminate()
        server.communicate(timeout=20)
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the scheduler outlived engine serve")


@pytest.mark.parametrize("text", ['{"records": ' + "[" * 50_000 + "]" * 50_000 + "}", "[1, 2]", "{ broken",
                                  '{"records": {"nope": [{"name": ' + "[" * 900 + "]" * 900 + "}]}}"],
                         ids=["nested", "not_an_object", "invalid", "nested_value"])
def test_demo_with_a_bad_data_file_is_one_line(engine_cli, env, tmp_path, text):
    import shutil

    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    for old in (folder / "demo").glob("*.json"):
        old.unlink()
    (folder / "demo" / "bad.json").write_text(text, encoding="utf-8")
    env = {**env, "ENGINE_CONFIG_DIR": str(folder)}
    engine_cli(env, "init", "--admin-password", "pw", cwd=tmp_path)
    result = engine_cli(env, "demo", check=False, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.stderr.strip().count("\n") == 0 and "demo data error" in result.stderr


def test_validate_speaks_english_unless_lang_is_given(engine_cli, env, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "m.json").write_text('{"module": "m", "title": "M", "forms": [{"name": "f", "title": "F", '
                                '"fields": [{"name": "x", "label": "X", "type": "text", "required": "yes"}]}]}')
    english = engine_cli(env, "validate", str(bad), check=False, cwd=tmp_path)
    assert english.returncode == 1
    assert "m.json: /forms/0/fields/0/required: \"yes\" is not of type 'boolean'" in english.stdout
    chinese = engine_cli(env, "validate", str(bad), "--lang", "zh_CN", check=False, cwd=tmp_path)
    assert chinese.returncode == 1
    assert "m.json: /forms/0/fields/0/required: \"yes\" 不是 是/否 类型" in chinese.stdout
