"""API tokens: named, expiring, listed and revoked one by one (own page, admin page, CLI);
a password change, reset or deactivation revokes them; expired/revoked → 401."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, select, text

from engine.auth.tokens import issue_token, list_tokens, parse_lifetime
from engine.auth.users import get_user, update_user
from engine.cli import main as engine_cli
from engine.errors import ValidationFailed
from engine.store.system import api_tokens


def _api(app, token: str):
    return app.test_client().get("/api/forms", headers={"Authorization": f"Bearer {token}"})


def _issue(app, user: str, **kw) -> str:
    with app.extensions["engine"].db.transaction() as session:
        return issue_token(session, get_user(session, user), **kw)


def _tokens(app, name: str):
    with app.extensions["engine"].db.session() as session:
        return list_tokens(session, get_user(session, name).id)


def test_expired_token_is_401(app, make_user):
    make_user("alice", "sales")
    token = _issue(app, "alice", name="nightly sync", expires_in=timedelta(days=30))
    assert _api(app, token).status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(days=30, seconds=1), tick=False):
        assert _api(app, token).status_code == 401
    [info] = [t for t in _tokens(app, "alice") if t.name == "nightly sync"]
    assert info.expires_at is not None


def test_revoking_one_token_leaves_the_others(csrf_from, login, app, make_user):
    alice = make_user("alice", "sales")
    other = _issue(app, "alice", name="laptop")
    [laptop] = [t for t in _tokens(app, "alice") if t.name == "laptop"]
    client = app.test_client()
    login(client, "alice", "alice-password")
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "laptop" in page and other not in page  # listed by name, never shown again
    response = client.post(f"/account/tokens/{laptop.id}/revoke", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert _api(app, other).status_code == 401
    assert alice.get("/api/forms").status_code == 200
    assert [t.status() for t in _tokens(app, "alice") if t.name == "laptop"] == ["revoked"]


def test_a_user_cannot_revoke_someone_elses_token(csrf_from, login, app, make_user):
    bob = make_user("bob", "sales")
    make_user("alice", "sales")
    [bobs] = _tokens(app, "bob")
    client = app.test_client()
    login(client, "alice", "alice-password")
    token = csrf_from(client.get("/account/tokens").get_data(as_text=True))
    assert client.post(f"/account/tokens/{bobs.id}/revoke", data={"csrf_token": token}).status_code == 404
    assert bob.get("/api/forms").status_code == 200


def test_user_issues_a_named_expiring_token_shown_once(csrf_from, login, app, make_user):
    make_user("alice", "sales")
    client = app.test_client()
    login(client, "alice", "alice-password")
    csrf = csrf_from(client.get("/account/tokens").get_data(as_text=True))
    page = client.post("/account/tokens", data={"name": "report script", "expires": "7d", "csrf_token": csrf})
    assert page.status_code == 200
    token = re.search(r'data-testid="token">(eng_[^<]+)<', page.get_data(as_text=True)).group(1)
    assert _api(app, token).status_code == 200
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    [info] = [t for t in _tokens(app, "alice") if t.name == "report script"]
    assert info.expires_at is not None and info.status() == "active"


@pytest.mark.parametrize("change", [{"password": "a-new-password"}, {"active": False}])
def test_password_change_or_deactivation_revokes_every_token(app, make_user, change):
    alice = make_user("alice", "sales")
    second = _issue(app, "alice", name="second")
    with app.extensions["engine"].db.transaction() as session:
        update_user(session, "alice", **change)
    assert alice.get("/api/forms").status_code == 401
    assert _api(app, second).status_code == 401
    assert {t.status() for t in _tokens(app, "alice")} == {"revoked"}


def test_admin_reset_password_on_the_page_revokes_tokens(csrf_from, login, app, make_user):
    alice = make_user("alice", "sales")
    client = app.test_client()
    login(client, "admin", "admin-password")
    page = client.get("/admin/users/alice").get_data(as_text=True)
    assert 'data-testid="tokens"' in page
    response = client.post("/admin/users/alice", data={
        "csrf_token": csrf_from(page), "name": "alice", "roles": ["sales"], "active": "y",
        "password": "reset-password-1"})
    assert response.status_code == 302
    assert alice.get("/api/forms").status_code == 401


def test_admin_sees_and_revokes_any_users_token(csrf_from, login, app, make_user):
    alice = make_user("alice", "sales")
    [info] = _tokens(app, "alice")
    client = app.test_client()
    login(client, "admin", "admin-password")
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert f'data-token-id="{info.id}"' in page
    response = client.post(f"/admin/tokens/{info.id}/revoke?back=tokens", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/tokens"
    assert alice.get("/api/forms").status_code == 401
    issued = client.post("/admin/users/alice/token", data={"csrf_token": csrf_from(page), "name": "ci",
                                                           "expires": "30d"})
    token = re.search(r'data-testid="token">(eng_[^<]+)<', issued.get_data(as_text=True)).group(1)
    assert _api(app, token).status_code == 200


def test_token_pages_need_the_right_user(login, app, make_user):
    alice = make_user("alice", "sales")
    assert app.test_client().get("/account/tokens").status_code == 302  # to the login page
    client = app.test_client()
    login(client, "alice", "alice-password")
    assert client.get("/admin/tokens").status_code == 403
    assert alice.get("/admin/tokens").status_code in (302, 403)


def test_cli_lists_names_expires_and_revokes(app, make_user, db_url, config_dir):
    alice = make_user("alice", "sales")
    runner = CliRunner()
    env = {"DATABASE_URL": db_url, "ENGINE_CONFIG_DIR": str(config_dir), "ENGINE_SECRET_KEY": "x"}
    issued = runner.invoke(engine_cli, ["users", "token", "alice", "--name", "backup job", "--expires", "30d"],
                           env=env)
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[-1]  # SPEC: the last line is the token
    assert token.startswith("eng_") and _api(app, token).status_code == 200
    listed = runner.invoke(engine_cli, ["users", "tokens", "alice"], env=env)
    assert listed.exit_code == 0 and token not in listed.output
    line = next(li for li in listed.stdout.splitlines() if "backup job" in li)
    assert "active" in line and "expires 20" in line
    token_id = line.split("\t")[0]
    revoked = runner.invoke(engine_cli, ["users", "revoke-token", token_id], env=env)
    assert revoked.exit_code == 0, revoked.output
    assert _api(app, token).status_code == 401
    assert alice.get("/api/forms").status_code == 200
    assert runner.invoke(engine_cli, ["users", "revoke-token", "999999"], env=env).exit_code == 1
    bad = runner.invoke(engine_cli, ["users", "token", "alice", "--expires", "soon"], env=env)
    assert bad.exit_code == 1 and "12h, 30d or 2w" in bad.output


@pytest.mark.parametrize("text", ["0d", "30", "d", "-1d", "1y", "99999999d"])
def test_bad_lifetimes_are_refused(text):
    with pytest.raises(ValidationFailed):
        parse_lifetime(text)


def test_init_upgrades_an_old_token_table_and_old_tokens_keep_working(db_url, make_app, config_dir, tmp_path):
    """A database from before token names/expiry: `engine init` adds the columns and the
    token issued then still authenticates."""
    from engine.auth.tokens import digest

    app = make_app(config_dir)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for column in ("name", "expires_at", "revoked_at"):
            conn.execute(text(f"ALTER TABLE engine_api_tokens DROP COLUMN {column}"))
        admin_id = conn.execute(text("SELECT id FROM engine_users WHERE name = 'admin'")).scalar_one()
        conn.execute(text("INSERT INTO engine_api_tokens (user_id, token_hash, created_at, revoked) "
                          "VALUES (:u, :h, CURRENT_TIMESTAMP, :r)"),
                     {"u": admin_id, "h": digest("eng_old"), "r": False})
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_CONFIG_DIR": str(config_dir), "ENGINE_SECRET_KEY": "x"}
    result = subprocess.run([str(Path(sys.executable).with_name("engine")), "init"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("engine_api_tokens")}
        assert {"name", "expires_at", "revoked_at"} <= columns
        assert conn.execute(select(api_tokens.c.name)).all() == [(None,)]
    engine.dispose()
    assert _api(app, "eng_old").status_code == 200


def test_a_bad_token_name_is_shown_next_to_the_field(csrf_from, login, app, make_user):
    make_user("alice", "sales")
    client = app.test_client()
    login(client, "alice", "alice-password")
    csrf = csrf_from(client.get("/account/tokens").get_data(as_text=True))
    page = client.post("/account/tokens", data={"name": "two\nlines", "expires": "7d", "csrf_token": csrf})
    assert page.status_code == 422
    assert "invalid-feedback" in page.get_data(as_text=True)
    assert [t.name for t in _tokens(app, "alice")] == [None]  # only make_user's token


def test_a_server_started_on_an_old_database_adds_the_token_columns(db_url, make_app, config_dir):
    from engine.auth.tokens import digest

    make_app(config_dir)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE engine_login_throttle"))
        for column in ("name", "expires_at", "revoked_at"):
            conn.execute(text(f"ALTER TABLE engine_api_tokens DROP COLUMN {column}"))
        admin_id = conn.execute(text("SELECT id FROM engine_users WHERE name = 'admin'")).scalar_one()
        conn.execute(text("INSERT INTO engine_api_tokens (user_id, token_hash, created_at, revoked) "
                          "VALUES (:u, :h, CURRENT_TIMESTAMP, :r)"),
                     {"u": admin_id, "h": digest("eng_old"), "r": False})
    engine.dispose()
    restarted = make_app(config_dir)
    assert _api(restarted, "eng_old").status_code == 200
    assert _api(restarted, "eng_unknown").status_code == 401  # the throttle table is back too
