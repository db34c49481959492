"""A field hidden from someone gives them no sign that it exists or changed: importing a
column titled like it is the same as importing a made-up column (ignored, listed the same
way, page and `engine import` alike), and an edit of hidden fields only is not in their
history (API and page), while other entries stay."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MODULE: dict[str, Any] = {
    "module": "vault",
    "title": "Vault",
    "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "boss", "title": "Boss"}],
    "forms": [{
        "name": "deal", "title": "Deal", "title_field": "name",
        "fields": [
            {"name": "name", "type": "text", "label": "Name", "required": True},
            {"name": "secret", "type": "decimal", "label": "Floor price"},
        ],
        "permissions": {
            "clerk": {"create": True, "read": "all", "update": "all", "hide": ["secret"]},
            "boss": {"create": True, "read": "all", "update": "all"},
        },
        "workflow": {
            "initial": "draft",
            "stages": [{"name": "draft", "title": "Draft", "editable": ["*"]},
                       {"name": "done", "title": "Done", "final": True}],
            "transitions": [{"name": "finish", "title": "Finish", "from": "draft", "to": "done",
                             "roles": ["boss"]}],
        },
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "vault"
    write_module(folder, MODULE)
    return make_app(folder)


def _page_import(app, login, token_of, data: bytes) -> tuple[int, str]:
    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    token = token_of(browser, "/f/deal/import")
    response = browser.post("/f/deal/import", data={"csrf_token": token, "file": (io.BytesIO(data), "deals.csv")},
                            content_type="multipart/form-data")
    page = re.sub(r'(csrf[^"]*" (?:content|value)=)"[^"]*"', r"\1", response.get_data(as_text=True))
    return response.status_code, page


def test_a_hidden_column_imports_like_a_made_up_one_on_the_page(app, login, token_of, make_user):
    make_user("clerk", "clerk")
    hidden = _page_import(app, login, token_of, b"Name,Floor price\nAlpha,5\n")
    made_up = _page_import(app, login, token_of, b"Name,Shoe size\nBeta,5\n")
    assert (hidden[0], made_up[0]) == (200, 200), hidden[1]
    assert "unknown field" not in hidden[1]
    assert hidden[1].replace("Floor price", "X").replace("Alpha", "Y") == \
        made_up[1].replace("Shoe size", "X").replace("Beta", "Y")
    records = make_user("boss", "boss").get("/api/forms/deal/records").get_json()["items"]
    assert sorted((r["fields"]["name"], r["fields"]["secret"]) for r in records) == [("Alpha", None), ("Beta", None)]


def test_a_hidden_column_imports_like_a_made_up_one_by_the_command(app, make_user, db_url, tmp_path):
    make_user("clerk", "clerk")
    config_dir = str(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_CONFIG_DIR": config_dir, "ENGINE_SECRET_KEY": "x"}
    engine_cmd = str(Path(sys.executable).with_name("engine"))
    answers = []
    for column, name in (("secret", "Alpha"), ("shoe_size", "Beta")):
        sheet = tmp_path / f"{name}.csv"
        sheet.write_text(f"Name,{column}\n{name},5\n", encoding="utf-8")
        done = subprocess.run([engine_cmd, "import", "deal", str(sheet), "--as", "clerk", "--lang", "en"],
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        answers.append(done.stdout.replace(column, "X"))
    assert answers[0] == answers[1] and "ignored columns: X" in answers[0]


def _page_entries(app, login, name: str, record_id: int) -> list[str]:
    browser = app.test_client()
    assert login(browser, name, f"{name}-password").status_code == 302
    page = browser.get(f"/f/deal/{record_id}").get_data(as_text=True)
    return re.findall(r'<li class="list-group-item" data-action="(\w+)"', page)


def test_an_edit_of_hidden_fields_only_is_not_in_the_readers_history(app, login, make_user):
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    deal = boss.create("deal", name="Alpha", secret="5")
    url = f"/api/forms/deal/records/{deal['id']}"
    edited = boss.patch(url, json={"version": deal["version"], "fields": {"secret": "6"}})
    assert edited.status_code == 200, edited.get_json()
    assert [e["action"] for e in boss.get(f"{url}/history").get_json()] == ["create", "update"]
    assert [e["action"] for e in clerk.get(f"{url}/history").get_json()] == ["create"]
    assert _page_entries(app, login, "boss", deal["id"]) == ["update", "create"]
    assert _page_entries(app, login, "clerk", deal["id"]) == ["create"]

    assert boss.post(f"{url}/transitions/finish", json={}).status_code == 200
    assert boss.post(f"{url}/comments", json={"comment": "looks fine"}).status_code in (200, 201)
    shown = [e["action"] for e in clerk.get(f"{url}/history").get_json()]
    assert "update" not in shown and "create" in shown and "comment" in shown and len(shown) == 3
