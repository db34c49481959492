"""A database made before saved views existed gets their table on upgrade, and views work."""
from __future__ import annotations

from sqlalchemy import inspect

from engine.store.system import saved_views
from engine.store.system_upgrade import system_tables_outdated, upgrade_system_tables


def test_an_older_database_gets_the_saved_views_table(app, make_user):
    ann = make_user("ann", "staff")
    engine = app.extensions["engine"].db.engine
    saved_views.drop(engine)  # as a database from before the table
    with engine.begin() as conn:
        assert system_tables_outdated(conn)
        assert upgrade_system_tables(conn) == ["create table engine_saved_views"]
        assert "engine_saved_views" in inspect(conn).get_table_names()
    created = ann.post("/api/forms/job/views", json={"name": "Mine", "filters": {"quick": "mine"}})
    assert created.status_code == 201, created.get_json()
    assert [v["name"] for v in ann.get("/api/forms/job/views").get_json()["items"] if not v["shared"]] == ["Mine"]
