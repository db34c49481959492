"""Composite indexes (`indexes`) are created when declared and dropped when no longer declared,
on SQLite and PostgreSQL, with their columns in order and descending columns kept."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import inspect

from engine.definitions import load_directory
from engine.store.sync import plan_sync, sync_schema

from .test_schema_sync import BASE, db_of


def indexes_of(app, table="rec_item") -> dict[str, list[str]]:
    with db_of(app).transaction() as session:  # the writer's connection sees its own DDL
        return {ix["name"]: ix["column_names"] for ix in inspect(session.connection()).get_indexes(table)}


@pytest.fixture
def shop_with(write_module, make_app, tmp_path):
    folder = tmp_path / "configs"

    def write(indexes):
        doc = copy.deepcopy(BASE)
        doc["forms"][0]["indexes"] = indexes
        write_module(folder, doc)
        return load_directory(folder)
    return folder, write


def test_declared_indexes_are_created_with_the_form(shop_with, make_app):
    folder, write = shop_with
    write([["stage", "-created_at", "id"], ["qty", "name"]])
    app = make_app(folder)
    found = indexes_of(app)
    assert found["cx_rec_item_stage_created_at_desc_id"] == ["stage", "created_at", "id"]
    assert found["cx_rec_item_qty_name"] == ["qty", "name"]


def test_an_added_index_is_created_and_a_removed_one_dropped(shop_with, make_app):
    folder, write = shop_with
    write([["qty", "name"]])
    app = make_app(folder)
    assert "cx_rec_item_qty_name" in indexes_of(app)
    plan = sync_schema(db_of(app), write([["stage", "created_at"]]))
    assert "drop index cx_rec_item_qty_name" in plan.changes
    assert "create index cx_rec_item_stage_created_at" in plan.changes
    found = indexes_of(app)
    assert "cx_rec_item_qty_name" not in found
    assert found["cx_rec_item_stage_created_at"] == ["stage", "created_at"]
    assert "ix_rec_item_stage" in found  # the engine's own indexes stay
    assert plan_sync(db_of(app), write([["stage", "created_at"]])).changes == []
    sync_schema(db_of(app), write([]))
    assert not [name for name in indexes_of(app) if name.startswith("cx_")]


def test_the_review_of_a_change_names_added_and_dropped_indexes(shop_with):
    from engine.definitions.diff import summarize, texts

    _folder, write = shop_with
    old = write([["qty", "name"]])
    new = write([["stage", "-created_at"]])
    said = texts(summarize(old, new))
    assert "Item: added index (stage, created_at ↓)" in said
    assert "Item: dropped index (Qty, Name)" in said
