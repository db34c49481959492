"""Fixtures of the designer API tests: a small module with a workflow in its own config
directory, an app on it (SQLite and PostgreSQL), an admin and a writer with API tokens."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from engine.auth.users import create_user, issue_token
from tests.conftest import ApiClient

NOTES: dict[str, Any] = {
    "module": "notes",
    "title": "Notes",
    "roles": [{"name": "writer", "title": "Writer"}],
    "forms": [{
        "name": "note", "title": "Note", "title_field": "title",
        "fields": [{"name": "title", "type": "text", "label": "Title", "required": True},
                   {"name": "body", "type": "textarea", "label": "Body"}],
        "permissions": {"writer": {"create": True, "read": "all", "update": "all", "delete": "all"}},
        "workflow": {
            "initial": "open",
            "stages": [{"name": "open", "title": "Open"}, {"name": "done", "title": "Done"}],
            "transitions": [{"name": "finish", "from": "open", "to": "done", "title": "Finish",
                             "roles": ["writer"]}],
        },
    }],
}
EXTRA: dict[str, Any] = {
    "module": "extra",
    "title": "Extra",
    "forms": [{
        "name": "memo", "title": "Memo", "title_field": "title",
        "fields": [{"name": "title", "type": "text", "label": "Title", "required": True}],
        "permissions": {"writer": {"create": True, "read": "all", "update": "all", "delete": "all"}},
    }],
}


def canonical(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def docs() -> dict[str, Any]:
    return {"extra.json": copy.deepcopy(EXTRA), "notes.json": copy.deepcopy(NOTES)}


class Designer:
    """The app, its config folder, and API clients of an admin (`ada`) and a writer (`walt`)."""

    def __init__(self, app: Any, folder: Path, ada: ApiClient, walt: ApiClient) -> None:
        self.app, self.folder, self.ada, self.walt = app, folder, ada, walt

    @property
    def db(self):
        return self.app.extensions["engine"].db

    def admin(self, name: str) -> ApiClient:
        with self.db.transaction() as session:
            token = issue_token(session, create_user(session, name, f"{name}-password", {"admin", "writer"}))
        return ApiClient(self.app, token, name)

    def client(self, app: Any, who: ApiClient) -> ApiClient:
        return ApiClient(app, who.token, who.name)


def write_files(folder: Path, sources: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in sources.items():
        (folder / name).write_text(canonical(doc), encoding="utf-8")


@pytest.fixture
def designer(make_app, tmp_path) -> Designer:
    folder = tmp_path / "configs"
    write_files(folder, docs())
    app = make_app(folder)
    with app.extensions["engine"].db.transaction() as session:
        ada = issue_token(session, create_user(session, "ada", "ada-password", {"admin", "writer"}))
        walt = issue_token(session, create_user(session, "walt", "walt-password", {"writer"}))
    return Designer(app, folder, ApiClient(app, ada, "ada"), ApiClient(app, walt, "walt"))
