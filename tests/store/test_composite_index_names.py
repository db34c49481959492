"""Composite index names over 63 characters (PostgreSQL's limit) are truncated with a hash:
created on both databases, stable across syncs, dropped when removed."""
from __future__ import annotations

import copy

from sqlalchemy import inspect

from engine.definitions import load_directory
from engine.store.sync import plan_sync, sync_schema
from engine.store.tables import composite_index_name

from .test_schema_sync import BASE, db_of

LONG_A = "a_rather_long_field_name_for_the_customer_grade"
LONG_B = "another_rather_long_field_name_for_the_owner"


def doc_with(indexes):
    doc = copy.deepcopy(BASE)
    doc["forms"][0]["fields"] += [{"name": LONG_A, "type": "integer", "label": "A"},
                                  {"name": LONG_B, "type": "integer", "label": "B"}]
    doc["forms"][0]["indexes"] = indexes
    return doc


def test_long_composite_index_names_are_created_kept_and_dropped(write_module, make_app, tmp_path):
    folder = tmp_path / "configs"
    write_module(folder, doc_with([[LONG_A, LONG_B], [LONG_B, "-" + LONG_A]]))
    app = make_app(folder)
    n1 = composite_index_name("rec_item", (LONG_A, LONG_B))
    n2 = composite_index_name("rec_item", (LONG_B, "-" + LONG_A))
    assert len(n1) <= 63 and len(n2) <= 63 and n1 != n2
    with db_of(app).transaction() as session:
        found = {ix["name"]: ix["column_names"] for ix in inspect(session.connection()).get_indexes("rec_item")}
    assert found[n1] == [LONG_A, LONG_B] and n2 in found
    # a second sync with the same definitions changes nothing (the names match what the DB holds)
    write_module(folder, doc_with([[LONG_A, LONG_B], [LONG_B, "-" + LONG_A]]))
    assert plan_sync(db_of(app), load_directory(folder)).changes == []
    write_module(folder, doc_with([[LONG_A, LONG_B]]))
    plan = sync_schema(db_of(app), load_directory(folder))
    assert f"drop index {n2}" in plan.changes
    with db_of(app).transaction() as session:
        found = {ix["name"] for ix in inspect(session.connection()).get_indexes("rec_item")}
    assert n1 in found and n2 not in found
