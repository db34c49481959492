"""`engine demo` run again on a database that has the demo records adds no users and changes
no password: the roles the demo people cover get no user named after the role then either."""
from __future__ import annotations

from sqlalchemy import create_engine, select

from engine.store.system import users


def _people(db_url: str) -> dict[str, str]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(select(users.c.name, users.c.password_hash)).all())
    finally:
        engine.dispose()


def test_demo_twice_adds_no_users_and_changes_no_passwords(engine_cli, env, db_url, tmp_path):
    engine_cli(env, "init", "--admin-password", "secret-admin", cwd=tmp_path)
    engine_cli(env, "demo", cwd=tmp_path)
    before = _people(db_url)
    again = engine_cli(env, "demo", cwd=tmp_path)
    assert "records exist already" in again.stdout
    assert "password:" not in again.stdout, again.stdout
    assert _people(db_url) == before
