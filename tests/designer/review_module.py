"""A small module for the review and preview tests: 客户 with a workflow, two roles, a field
hidden from one of them; helpers to change it, load it and put records in it."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.auth.users import create_user, issue_token
from engine.definitions import AppDef, load_sources
from tests.conftest import ApiClient

MODULE: dict[str, Any] = {
    "module": "shop",
    "title": "门店",
    "roles": [{"name": "sales", "title": "销售"}, {"name": "boss", "title": "经理"}],
    "forms": [{
        "name": "client",
        "title": "客户",
        "title_field": "name",
        "fields": [
            {"name": "name", "type": "text", "label": "名称", "required": True},
            {"name": "phone", "type": "text", "label": "电话"},
            {"name": "email", "type": "email", "label": "邮箱"},
            {"name": "level", "type": "select", "label": "等级", "options": ["A", "B"]},
            {"name": "note", "type": "text", "label": "备注"},
        ],
        "permissions": {
            "sales": {"create": True, "read": "all", "update": "all", "delete": False, "hide": ["email"]},
            "boss": {"create": True, "read": "all", "update": "all", "delete": "all"},
        },
        "list": {"columns": ["name", "phone", "email", "level"], "filters": ["level"], "search": ["name"]},
        "workflow": {
            "initial": "new",
            "stages": [
                {"name": "new", "title": "新建", "editable": ["*"]},
                {"name": "making", "title": "生产中", "editable": ["phone"]},
                {"name": "done", "title": "完成", "final": True},
            ],
            "transitions": [
                {"name": "start", "title": "开工", "from": "new", "to": "making", "roles": ["sales", "boss"]},
                {"name": "finish", "title": "完工", "from": "making", "to": "done", "roles": ["boss"]},
            ],
        },
    }],
}


def text_of(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def module() -> dict[str, Any]:
    return copy.deepcopy(MODULE)


def client_form(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["forms"][0]


def field_of(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in client_form(doc)["fields"] if f["name"] == name)


def load(doc: dict[str, Any]) -> AppDef:
    return load_sources({"shop.json": text_of(doc)})


def changed(mutate: Callable[[dict[str, Any]], Any]) -> AppDef:
    doc = module()
    mutate(doc)
    return load(doc)


def write(folder: Path, doc: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shop.json").write_text(text_of(doc), encoding="utf-8")


def api_user(app: Any, name: str, *roles: str) -> ApiClient:
    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, name, f"{name}-password", set(roles)))
    return ApiClient(app, token, name)
