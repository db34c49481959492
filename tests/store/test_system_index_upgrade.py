"""A database made before a system table's index existed gets it on upgrade (`engine init`, startup):
the participation index the row filter reads (engine.access.gate.participation)."""
from __future__ import annotations

from sqlalchemy import inspect, text

from engine.store.system_upgrade import system_tables_outdated, upgrade_system_tables


def test_an_older_database_gets_the_participation_index(app):
    engine = app.extensions["engine"].db.engine
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_engine_tasks_participant"))  # as a database from before it
    with engine.begin() as conn:
        assert system_tables_outdated(conn)
        assert upgrade_system_tables(conn) == ["create index ix_engine_tasks_participant"]
    with engine.begin() as conn:
        columns = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("engine_tasks")}
        assert columns["ix_engine_tasks_participant"] == ["assignee", "form", "status", "acted_by", "record_id"]
        assert not system_tables_outdated(conn)
        assert upgrade_system_tables(conn) == []
