"""Hot reload: a changed definition goes live without a restart; a broken one never does;
several worker processes serve the same set and report the same problems."""
from __future__ import annotations

import copy
import json
import os

import pytest

from tests.conftest import ApiClient

BASE = {
    "module": "notes",
    "title": "Notes",
    "roles": [{"name": "writer", "title": "Writer"}],
    "forms": [{
        "name": "note", "title": "Note", "title_field": "title",
        "fields": [{"name": "title", "type": "text", "label": "Title", "required": True}],
        "permissions": {"writer": {"create": True, "read": "all", "update": "all", "delete": "all"}},
    }],
}


@pytest.fixture
def notes(write_module, make_app, tmp_path):
    folder = tmp_path / "configs"
    write_module(folder, BASE)
    app = make_app(folder)
    from engine.auth.users import create_user, issue_token

    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, "wendy", "wendy-password", {"writer", "admin"}))
    return app, folder, ApiClient(app, token, "wendy")


def edited(mutate):
    doc = copy.deepcopy(BASE)
    mutate(doc)
    return doc


def field_names(client):
    forms = client.get("/api/forms").get_json()
    return [f["name"] for f in forms[0]["fields"]]


def test_a_new_field_is_served_without_restart(write_module, notes):
    app, folder, wendy = notes
    assert field_names(wendy) == ["title"]
    write_module(folder, edited(lambda d: d["forms"][0]["fields"].append(
        {"name": "body", "type": "textarea", "label": "Body"})))
    assert field_names(wendy) == ["title", "body"]
    assert wendy.create("note", title="t", body="b")["fields"]["body"] == "b"


def test_an_invalid_definition_is_reported_and_the_old_one_keeps_serving(notes):
    app, folder, wendy = notes
    wendy.create("note", title="before")
    (folder / "notes.json").write_text(json.dumps(edited(
        lambda d: d["forms"][0]["fields"][0].update(type="nonsense"))))
    assert field_names(wendy) == ["title"]
    assert wendy.create("note", title="still works")["fields"]["title"] == "still works"
    status = wendy.get("/api/admin/definitions").get_json()
    assert status["valid"] is False
    assert any("notes.json: /forms/0/fields/0/type" in p for p in status["problems"])


def test_broken_json_is_reported_too(notes):
    app, folder, wendy = notes
    (folder / "notes.json").write_text("{ this is not json")
    assert field_names(wendy) == ["title"]
    assert "invalid JSON" in wendy.get("/api/admin/definitions").get_json()["problems"][0]


def test_a_refused_schema_change_keeps_the_old_definition(write_module, notes):
    app, folder, wendy = notes
    wendy.create("note", title="data")
    write_module(folder, edited(lambda d: d["forms"][0]["fields"][0].update(type="integer")))
    assert wendy.get("/api/forms/note/records").get_json()["items"][0]["fields"]["title"] == "data"
    problems = wendy.get("/api/admin/definitions").get_json()["problems"]
    assert "note.title" in problems[0] and "1 stored values" in problems[0]


def test_fixing_the_file_clears_the_problem(write_module, notes):
    app, folder, wendy = notes
    (folder / "notes.json").write_text("{")
    field_names(wendy)
    write_module(folder, edited(lambda d: d["forms"][0].update(title="Notes!")))
    assert wendy.get("/api/forms").get_json()[0]["title"] == "Notes!"
    assert wendy.get("/api/admin/definitions").get_json()["valid"] is True


def test_a_second_process_picks_up_the_change(write_module, notes, make_app):
    """Two app instances on one database stand in for two worker processes."""
    app, folder, wendy = notes
    other_app = make_app(folder)
    other = ApiClient(other_app, wendy.token, "wendy")
    write_module(folder, edited(lambda d: d["forms"][0]["fields"].append(
        {"name": "tag", "type": "text", "label": "Tag"})))
    assert field_names(wendy) == ["title", "tag"]
    assert field_names(other) == ["title", "tag"]
    assert other.create("note", title="x", tag="y")["fields"]["tag"] == "y"


def test_status_is_for_admins_only(notes):
    app, folder, wendy = notes
    from engine.auth.users import create_user, issue_token

    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, "walt", "walt-password", {"writer"}))
    assert ApiClient(app, token, "walt").get("/api/admin/definitions").status_code == 403


def test_a_restart_with_broken_files_serves_the_last_applied_definitions(notes, make_app):
    app, folder, wendy = notes
    wendy.create("note", title="kept")
    (folder / "notes.json").write_text("{ broken")
    restarted = make_app(folder)  # a new process starting while the files are broken
    client = ApiClient(restarted, wendy.token, "wendy")
    assert client.get("/api/forms/note/records").get_json()["items"][0]["fields"]["title"] == "kept"
    status = client.get("/api/admin/definitions").get_json()
    assert status["valid"] is False and "invalid JSON" in status["problems"][0]


# -- several worker processes: the database decides what every one of them serves ----------

EXTRA = {
    "module": "extra",
    "title": "Extra",
    "forms": [{
        "name": "memo", "title": "Memo", "title_field": "title",
        "fields": [{"name": "title", "type": "text", "label": "Title", "required": True}],
        "permissions": {"writer": {"create": True, "read": "all", "update": "all", "delete": "all"}},
    }],
}


@pytest.fixture
def workers(notes, make_app):
    """Two app instances on one database and one config directory stand in for two worker
    processes; a test that sends a worker no request leaves it idle."""
    app, folder, wendy = notes
    other = ApiClient(make_app(folder), wendy.token, "wendy")
    return folder, wendy, other


def status(client):
    return client.get("/api/admin/definitions").get_json()


def test_an_idle_worker_serves_a_form_it_never_saw_and_refuses_its_removal_like_the_others(write_module, workers):
    folder, busy, idle = workers
    assert field_names(idle) == ["title"]
    write_module(folder, EXTRA)
    busy.create("memo", title="kept")  # only the busy worker saw the new file
    (folder / "extra.json").unlink()  # …and it is gone before the idle one looks
    for worker in (idle, busy, idle):
        response = worker.get("/api/forms/memo/records")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["items"][0]["fields"]["title"] == "kept"
    assert status(idle)["problems"] == status(busy)["problems"]
    assert status(idle)["signature"] == status(busy)["signature"]
    assert any("memo" in p and "1" in p for p in status(idle)["problems"]), status(idle)["problems"]
    write_module(folder, EXTRA)  # putting the file back ends the refusal everywhere
    assert status(idle)["valid"] is True and status(busy)["valid"] is True


def test_a_quick_broken_write_then_the_fix_converges_every_worker(workers):
    folder, first, second = workers
    path = folder / "notes.json"
    fixed = json.dumps(edited(lambda d: d["forms"][0]["fields"].append(
        {"name": "tag", "type": "text", "label": "Tag"})))
    broken = fixed[:-1] + " "  # the same size: only its contents tell the two apart
    stamp = path.stat().st_mtime_ns + 1_000_000
    path.write_text(broken)
    os.utime(path, ns=(stamp, stamp))
    assert field_names(first) == ["title"] and status(first)["valid"] is False  # saw the broken one
    path.write_text(fixed)
    os.utime(path, ns=(stamp, stamp))  # within the same tick of the file system's clock
    assert field_names(first) == ["title", "tag"]
    assert field_names(second) == ["title", "tag"]
    assert status(first)["problems"] == status(second)["problems"] == []


def test_a_worker_that_saw_only_the_broken_write_follows_the_one_that_applied_the_fix(write_module, workers):
    folder, first, second = workers
    (folder / "notes.json").write_text("{ broken")
    assert status(first)["valid"] is False  # the second worker is idle meanwhile
    write_module(folder, edited(lambda d: d["forms"][0]["fields"].append(
        {"name": "tag", "type": "text", "label": "Tag"})))
    assert field_names(second) == ["title", "tag"]
    assert status(first)["valid"] is True and field_names(first) == ["title", "tag"]


def test_every_worker_reports_the_same_refusal_whichever_saw_it_first(write_module, workers):
    folder, first, second = workers
    first.create("note", title="data")
    write_module(folder, edited(lambda d: d["forms"][0]["fields"][0].update(type="integer")))
    assert status(first)["valid"] is False
    assert status(second)["problems"] == status(first)["problems"]
    assert "note.title" in status(second)["problems"][0]


def test_reverting_a_file_to_an_earlier_state_makes_that_state_live_again(write_module, workers, make_app):
    folder, first, second = workers
    original = (folder / "notes.json").read_text()
    write_module(folder, edited(lambda d: d["forms"][0]["fields"].append(
        {"name": "tag", "type": "text", "label": "Tag"})))
    assert field_names(first) == ["title", "tag"]
    (folder / "notes.json").write_text(original)
    assert field_names(second) == ["title"] and field_names(first) == ["title"]
    restarted = ApiClient(make_app(folder), first.token, "wendy")
    assert field_names(restarted) == ["title"]


def test_a_database_from_before_the_live_set_row_is_upgraded_at_start(notes, make_app):
    app, folder, wendy = notes
    wendy.create("note", title="kept")
    from sqlalchemy import text

    with app.extensions["engine"].db.engine.begin() as conn:
        conn.execute(text("DROP TABLE engine_definition_state"))
    (folder / "notes.json").write_text("{ broken")  # and the files are broken when it starts
    restarted = ApiClient(make_app(folder), wendy.token, "wendy")
    assert restarted.get("/api/forms/note/records").get_json()["items"][0]["fields"]["title"] == "kept"
    assert "invalid JSON" in status(restarted)["problems"][0]
    assert status(wendy)["problems"] == status(restarted)["problems"]


def test_the_admin_page_marks_the_version_in_use_after_a_revert(write_module, login, notes):
    import re


    app, folder, wendy = notes
    original = (folder / "notes.json").read_text()
    write_module(folder, edited(lambda d: d["forms"][0]["fields"].append({"name": "tag", "type": "text",
                                                                          "label": "Tag"})))
    assert field_names(wendy) == ["title", "tag"]
    (folder / "notes.json").write_text(original)
    assert field_names(wendy) == ["title"]
    browser = app.test_client()
    assert login(browser, "wendy", "wendy-password").status_code == 302
    page = browser.get("/admin/definitions").get_data(as_text=True)
    # three publications (the first start, the tag, the revert); the revert is the live one and
    # publishes the first start's version again
    rows = re.findall(r'href="/admin/definitions/publications/(\d+)" data-testid="publication-link">[^<#]*#(\d+)</a>'
                      r'( <span class="badge[^"]*" data-testid="live-version">)?', page)
    assert [(number, bool(live)) for link, number, live in rows if link == number] == \
        [("3", True), ("2", False), ("1", False)]
    def files_of(number: int) -> str:  # a version's page without its heading and who/when line
        page = browser.get(f"/admin/definitions/publications/{number}").get_data(as_text=True)
        return page.split('<p class="text-secondary small mb-3">')[1].split("</p>", 1)[1]
    assert files_of(3) == files_of(1) != files_of(2)
