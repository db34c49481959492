"""A database made before per-user channel addresses existed gets their table on upgrade;
its users and their email addresses stay as they were."""
from __future__ import annotations

from sqlalchemy import inspect

from engine.notify.addresses import addresses_of, set_addresses
from engine.store.system import user_addresses
from engine.store.system_upgrade import system_tables_outdated, upgrade_system_tables


def test_an_older_database_gets_the_addresses_table(store, pager):
    with store.db.transaction() as session:
        al = store.user(session, "al", "staff", email="al@example.com")
    user_addresses.drop(store.db.engine)  # as a database from before the table
    with store.db.engine.begin() as conn:
        assert system_tables_outdated(conn)
        assert upgrade_system_tables(conn) == ["create table engine_user_addresses"]
        assert not system_tables_outdated(conn)
        assert "engine_user_addresses" in inspect(conn).get_table_names()
    with store.db.transaction() as session:
        assert addresses_of(session, [al.id]) == {al.id: {"email": "al@example.com"}}
        set_addresses(session, al.id, {"pager": "4711"})
        assert addresses_of(session, [al.id]) == {al.id: {"email": "al@example.com", "pager": "4711"}}
