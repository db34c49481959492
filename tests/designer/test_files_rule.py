"""The rule between the config files and the database: files apply only when they changed
since the live set last matched them, and are refused when the live set has designer changes
that are not in the files; export writes the live set, import replaces it."""
from __future__ import annotations

import json

from engine.services import designer as service
from tests.designer.conftest import canonical, docs
from tests.designer.test_publish import field_names, publish, put_draft, state_of, versions, with_field


def status(client):
    return client.get("/api/admin/definitions").get_json()


def publish_tag(designer):
    state = state_of(designer.ada)
    put_draft(designer.ada, state["live"]["signature"], with_field(state["files"]))
    response = publish(designer.ada, state["live"]["signature"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def edit_file(folder, mutate, name="notes.json"):
    doc = json.loads((folder / name).read_text(encoding="utf-8"))
    mutate(doc)
    (folder / name).write_text(canonical(doc), encoding="utf-8")


def add_field(name):
    return lambda doc: doc["forms"][0]["fields"].append({"name": name, "type": "text", "label": name.title()})


def test_changed_files_apply_as_a_version_from_the_files(designer):
    edit_file(designer.folder, add_field("color"))
    assert field_names(designer.walt) == ["title", "body", "color"]
    top = versions(designer.ada)[0]
    assert top["origin"] == "files" and top["published_by"] is None and top["live"]


def test_unchanged_files_do_not_undo_a_publication_in_any_process(designer, make_app):
    publish_tag(designer)
    restarted = designer.client(make_app(designer.folder), designer.walt)
    assert field_names(restarted) == ["title", "body", "tag"]
    assert field_names(designer.walt) == ["title", "body", "tag"]
    assert status(designer.client(restarted.client.application, designer.ada))["valid"] is True


def test_files_changed_over_designer_changes_are_refused_with_the_way_out(designer, make_app):
    done = publish_tag(designer)
    edit_file(designer.folder, add_field("color"))
    assert field_names(designer.walt) == ["title", "body", "tag"]  # the live set keeps serving
    problems = status(designer.ada)["problems"]
    assert len(problems) == 1 and "engine config export" in problems[0] and "engine config import" in problems[0]
    assert f"version {done['publication']} by ada" in problems[0] and str(designer.folder) in problems[0]
    other = designer.client(make_app(designer.folder), designer.walt)
    assert field_names(other) == ["title", "body", "tag"]
    assert status(designer.client(other.client.application, designer.ada))["problems"] == problems


def test_the_refusal_reads_in_chinese_on_the_admin_page(designer, login):
    publish_tag(designer)
    edit_file(designer.folder, add_field("color"))
    field_names(designer.walt)
    browser = designer.app.test_client()
    assert login(browser, "ada", "ada-password").status_code == 302
    page = browser.get("/admin/definitions?lang=zh_CN").get_data(as_text=True)
    assert "engine config export" in page and "尚未写入文件的修改" in page, page[:2000]


def test_export_writes_the_live_set_and_puts_the_files_in_step(designer, make_app):
    publish_tag(designer)
    written, removed, signature = service.export_files(designer.db, designer.folder, designer.folder)
    assert written == ["notes.json"] and removed == []
    assert (designer.folder / "notes.json").read_text(encoding="utf-8") == canonical(with_field(docs())["notes.json"])
    assert {p.name: p.read_text(encoding="utf-8") for p in designer.folder.glob("*.json")} == {
        name: canonical(doc) for name, doc in with_field(docs()).items()}
    assert field_names(designer.walt) == ["title", "body", "tag"] and status(designer.ada)["valid"] is True
    # the files are in step again: a change of them applies
    edit_file(designer.folder, add_field("color"))
    assert field_names(designer.walt) == ["title", "body", "tag", "color"]
    assert status(designer.ada)["valid"] is True


def test_export_clears_a_refusal_and_removes_files_the_live_set_lacks(designer):
    publish_tag(designer)
    edit_file(designer.folder, add_field("color"))
    (designer.folder / "stray.json").write_text("{}\n")
    assert status(designer.ada)["valid"] is False
    written, removed, _ = service.export_files(designer.db, designer.folder, designer.folder)
    assert removed == ["stray.json"] and written == ["notes.json"]
    assert field_names(designer.walt) == ["title", "body", "tag"]
    assert status(designer.ada)["valid"] is True


def test_export_elsewhere_leaves_the_rule_as_it_was(designer, tmp_path):
    publish_tag(designer)
    service.export_files(designer.db, tmp_path / "copy", designer.folder)
    assert (tmp_path / "copy" / "notes.json").read_text() == canonical(with_field(docs())["notes.json"])
    edit_file(designer.folder, add_field("color"))
    assert field_names(designer.walt) == ["title", "body", "tag"]
    assert status(designer.ada)["valid"] is False


def test_import_replaces_designer_changes_with_the_files(designer):
    publish_tag(designer)
    edit_file(designer.folder, add_field("color"))
    field_names(designer.walt)
    done = service.import_files(designer.db, designer.folder, designer.folder, "files win", "en")
    assert done.publication is not None
    assert field_names(designer.walt) == ["title", "body", "color"]
    assert status(designer.ada)["valid"] is True
    top = versions(designer.ada)[0]
    assert top["origin"] == "import" and top["note"] == "files win" and top["live"]
    edit_file(designer.folder, add_field("size"))  # in step: the next change applies
    assert field_names(designer.walt) == ["title", "body", "color", "size"]


def test_the_json_editor_publishes_to_the_database_and_leaves_the_files(designer, login, csrf_from):
    browser = designer.app.test_client()
    assert login(browser, "ada", "ada-password").status_code == 302
    page = browser.get("/admin/definitions/notes.json/edit").get_data(as_text=True)
    before = (designer.folder / "notes.json").read_text(encoding="utf-8")
    text = canonical(with_field(docs())["notes.json"])
    unbased = browser.post("/admin/definitions/notes.json/edit", data={"csrf_token": csrf_from(page), "text": text})
    assert unbased.status_code == 422  # a post without the page's base is refused (nothing overwritten)
    assert field_names(designer.walt) == ["title", "body"]
    saved = browser.post("/admin/definitions/notes.json/edit", data={"csrf_token": csrf_from(page), "text": text,
                                                                    "base_signature": _base_of(page)})
    assert saved.status_code == 302
    assert field_names(designer.walt) == ["title", "body", "tag"]
    assert (designer.folder / "notes.json").read_text(encoding="utf-8") == before
    top = versions(designer.ada)[0]
    assert top["origin"] == "editor" and top["published_by"] == "ada"
    # a page opened before another admin published is refused, nothing overwritten
    stale_page = page
    state = state_of(designer.ada)
    put_draft(designer.ada, state["live"]["signature"], with_field(state["files"], "mood", "Mood"))
    assert publish(designer.ada).status_code == 200
    refused = browser.post("/admin/definitions/notes.json/edit", data={
        "csrf_token": csrf_from(stale_page), "text": before,
        "base_signature": state["live"]["signature"][:0] + _base_of(stale_page)})
    assert refused.status_code == 422
    assert field_names(designer.walt) == ["title", "body", "tag", "mood"]


def _base_of(page):
    import re

    return re.search(r'name="base_signature" value="(\w+)"', page).group(1)
