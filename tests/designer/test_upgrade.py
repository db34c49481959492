"""A database from before publications and drafts is brought up to date when a process
starts: each version it applied becomes a publication from the files, the live one marked."""
from __future__ import annotations

from sqlalchemy import text

from tests.designer.test_files_rule import add_field, edit_file
from tests.designer.test_publish import field_names, versions


def test_an_older_database_gets_its_versions_as_publications(designer, make_app):
    edit_file(designer.folder, add_field("color"))
    assert field_names(designer.walt) == ["title", "body", "color"]
    with designer.db.engine.begin() as conn:
        conn.execute(text("DROP TABLE engine_definition_publications"))
        conn.execute(text("DROP TABLE engine_definition_drafts"))
        conn.execute(text("ALTER TABLE engine_definition_state DROP COLUMN publication_id"))
        conn.execute(text("ALTER TABLE engine_definition_state DROP COLUMN files_signature"))
    restarted = make_app(designer.folder)
    ada = designer.client(restarted, designer.ada)
    listed = versions(ada)
    assert [(v["origin"], v["published_by"], v["live"]) for v in listed] == [
        ("files", None, True), ("files", None, False)]
    state = ada.get("/api/admin/designer").get_json()
    assert state["live"]["publication"] == listed[0]["publication"] and state["draft"] is None
    assert field_names(designer.client(restarted, designer.walt)) == ["title", "body", "color"]
    edit_file(designer.folder, add_field("size"))  # NULL files_signature: files apply as before
    assert field_names(ada) == ["title", "body", "color", "size"]
