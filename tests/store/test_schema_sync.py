"""engine init / reload: additive schema changes, refusals that change nothing."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import inspect

from engine.definitions import load_directory
from engine.errors import SchemaChangeRefused
from engine.store.sync import plan_sync, sync_schema

BASE = {
    "module": "shop",
    "title": "Shop",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {
            "name": "item",
            "title": "Item",
            "title_field": "name",
            "fields": [
                {"name": "name", "type": "text", "label": "Name", "required": True},
                {"name": "note", "type": "text", "label": "Note"},
                {"name": "qty", "type": "integer", "label": "Qty"},
            ],
            "permissions": {"clerk": {"create": True, "read": "all", "update": "all", "delete": "all"}},
            "workflow": {
                "initial": "new",
                "stages": [{"name": "new", "title": "New", "editable": ["*"]},
                           {"name": "old", "title": "Old"}],
                "transitions": [{"name": "age", "title": "Age", "from": "new", "to": "old", "roles": ["clerk"]}],
            },
        }
    ],
}


@pytest.fixture
def shop(write_module, make_app, tmp_path):
    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder)
    return app, folder


def db_of(app):
    return app.extensions["engine"].db


@pytest.fixture
def change(write_module):
    """change(folder, mutate) → the definitions of folder after writing BASE changed by mutate(doc)."""

    def apply(folder, mutate):
        doc = copy.deepcopy(BASE)
        mutate(doc)
        write_module(folder, doc)
        return load_directory(folder)
    return apply


def item_fields(doc):
    return doc["forms"][0]["fields"]


def tables_of(app):
    with db_of(app).session() as session:
        return set(inspect(session.connection()).get_table_names())


def insert_item(app, form="item", **values):
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from engine.runtime import build_runtime

    db = db_of(app)
    runtime = build_runtime(load_directory(app.config["ENGINE"]["ENGINE_CONFIG_DIR"]), db)
    now = datetime.now(UTC)
    with db.transaction() as session:
        table = runtime.tables(form).table
        return session.execute(insert(table).values(
            stage=values.pop("stage", "new"), version=1, created_by="t", created_at=now, updated_at=now, **values,
        ).returning(table.c.id)).scalar_one()


def column_names(app, table):
    with db_of(app).transaction() as session:  # the writer's connection sees its own DDL
        return {c["name"] for c in inspect(session.connection()).get_columns(table)}


def read_rows(app, table):
    from sqlalchemy import text

    with db_of(app).session() as session:
        return [dict(r._mapping) for r in session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]


def test_second_sync_changes_nothing(shop):
    app, folder = shop
    assert plan_sync(db_of(app), load_directory(folder)).changes == []


def test_new_field_adds_a_column_and_keeps_rows(change, shop):
    app, folder = shop
    insert_item(app, name="a")
    sync_schema(db_of(app), change(folder, lambda d: item_fields(d).append(
        {"name": "price", "type": "decimal", "label": "Price", "index": True})))
    assert "price" in column_names(app, "rec_item")
    assert read_rows(app, "rec_item")[0]["name"] == "a"


def test_new_form_creates_its_tables_and_indexes(change, shop):
    app, folder = shop

    def add_form(doc):
        doc["forms"].append({"name": "order", "title": "Order", "fields": [
            {"name": "item", "type": "link", "form": "item", "label": "Item"},
            {"name": "code", "type": "text", "label": "Code", "index": True},
            {"name": "lines", "type": "table", "label": "Lines", "fields": [
                {"name": "x", "type": "integer", "label": "X"}]},
        ]})
    sync_schema(db_of(app), change(folder, add_form))
    with db_of(app).transaction() as session:
        insp = inspect(session.connection())
        indexes = {ix["name"] for ix in insp.get_indexes("rec_order")}
        assert {"ix_rec_order_item", "ix_rec_order_code", "ix_rec_order_stage"} <= indexes
        assert "parent_id" in {c["name"] for c in insp.get_columns("rec_order__lines")}


def test_removed_field_keeps_its_column_and_data(change, write_module, shop):
    app, folder = shop
    insert_item(app, name="a", note="keep me")
    sync_schema(db_of(app), change(folder, lambda d: item_fields(d).pop(1)))
    assert read_rows(app, "rec_item")[0]["note"] == "keep me"
    sync_schema(db_of(app), load_directory(write_module(folder, BASE).parent))  # re-added
    assert read_rows(app, "rec_item")[0]["note"] == "keep me"


def test_renamed_field_keeps_its_data(change, shop):
    app, folder = shop
    insert_item(app, name="a", note="moved")

    def rename(doc):
        item_fields(doc)[1] = {"name": "remark", "type": "text", "label": "Remark", "renamed_from": "note"}
    sync_schema(db_of(app), change(folder, rename))
    row = read_rows(app, "rec_item")[0]
    assert row["remark"] == "moved" and "note" not in row


def test_incompatible_type_change_is_refused_and_nothing_is_applied(change, shop):
    app, folder = shop
    insert_item(app, name="a", note="text value")

    def retype(doc):
        item_fields(doc)[1]["type"] = "integer"
        item_fields(doc).append({"name": "extra", "type": "text", "label": "Extra"})
    with pytest.raises(SchemaChangeRefused) as info:
        sync_schema(db_of(app), change(folder, retype))
    assert "item.note" in str(info.value) and "1 stored values" in str(info.value)
    assert "extra" not in column_names(app, "rec_item")  # all or nothing
    assert read_rows(app, "rec_item")[0]["note"] == "text value"


def test_type_change_of_an_empty_field_is_applied(change, shop):
    app, folder = shop
    insert_item(app, name="a")
    sync_schema(db_of(app), change(folder, lambda d: item_fields(d)[1].update(type="integer")))
    insert_item(app, name="b", note=5)
    assert [r["note"] for r in read_rows(app, "rec_item")] == [None, 5]


def test_removing_a_form_with_records_is_refused_with_the_count(change, shop):
    app, folder = shop
    insert_item(app, name="a")
    insert_item(app, name="b")

    def replace(doc):
        doc["forms"][0]["name"] = "article"
    with pytest.raises(SchemaChangeRefused) as info:
        sync_schema(db_of(app), change(folder, replace))
    assert "form 'item' has 2 records" in str(info.value)


def test_removing_an_empty_form_is_allowed_and_its_replacement_gets_a_table(change, shop):
    app, folder = shop
    plan = sync_schema(db_of(app), change(folder, lambda d: d["forms"][0].update(name="article")))
    assert plan.refusals == []
    assert "rec_article" in tables_of(app)
    insert_item(app, form="article", name="new")
    assert [row["name"] for row in read_rows(app, "rec_article")] == ["new"]
    assert plan_sync(db_of(app), load_directory(folder)).changes == []  # applied in full


def test_renamed_form_keeps_its_records(change, shop):
    app, folder = shop
    insert_item(app, name="kept")

    def rename(doc):
        doc["forms"][0].update(name="article", renamed_from="item")
    sync_schema(db_of(app), change(folder, rename))
    assert read_rows(app, "rec_article")[0]["name"] == "kept"
    # Applying the same definitions again is a no-op.
    assert plan_sync(db_of(app), load_directory(folder)).changes == []


def test_new_unique_with_duplicates_is_refused(change, shop):
    app, folder = shop
    insert_item(app, name="same")
    insert_item(app, name="same")
    with pytest.raises(SchemaChangeRefused) as info:
        sync_schema(db_of(app), change(folder, lambda d: item_fields(d)[0].update(unique=True)))
    assert "1 values occur more than once" in str(info.value)


def test_removing_a_stage_that_holds_records_is_refused(change, shop):
    app, folder = shop
    insert_item(app, name="a", stage="old")
    insert_item(app, name="b", stage="old")

    def drop_stage(doc):
        wf = doc["forms"][0]["workflow"]
        wf["stages"].pop(1)
        wf["transitions"] = []
    with pytest.raises(SchemaChangeRefused) as info:
        sync_schema(db_of(app), change(folder, drop_stage))
    assert "stage 'old' holds 2 records" in str(info.value)


def test_renamed_stage_moves_its_records(change, shop):
    app, folder = shop
    insert_item(app, name="a", stage="old")

    def rename(doc):
        wf = doc["forms"][0]["workflow"]
        wf["stages"][1] = {"name": "archived", "title": "Archived", "renamed_from": "old"}
        wf["transitions"][0]["to"] = "archived"
    sync_schema(db_of(app), change(folder, rename))
    assert read_rows(app, "rec_item")[0]["stage"] == "archived"


def test_list_order_and_search_columns_are_indexed(shop):
    """Newest-first lists read one (created_at, id) index; on PostgreSQL the search fields get
    trigram indexes and a substring search uses them instead of reading the whole table."""
    from sqlalchemy import text

    app, _folder = shop
    with db_of(app).transaction() as session:
        conn = session.connection()
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("rec_item")}
        assert indexes["ix_rec_item_created_at_id"] == ["created_at", "id"]
        if conn.dialect.name != "postgresql":
            assert "tg_rec_item_name" not in indexes
            return
        assert "tg_rec_item_name" in indexes
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(conn.execute(text("EXPLAIN SELECT id FROM rec_item WHERE name ILIKE '%客户%'")).scalars())
        assert "tg_rec_item_name" in plan
