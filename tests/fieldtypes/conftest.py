"""Fixtures for the field-type unit tests: fields built from definitions (no app, no database)
and stand-ins for what the hooks ask of the world."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine.definitions.loader import load_directory, load_sources
from engine.definitions.model import AppDef, FieldDef
from engine.fieldtypes import FieldError, Refs

KITCHEN = Path(__file__).parent.parent / "configs" / "kitchen"
SHANGHAI = ZoneInfo("Asia/Shanghai")

ROLLUP_MODULE = {
    "module": "sums", "title": "Sums", "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {"name": "account", "title": "Account", "title_field": "name", "fields": [
            {"name": "name", "type": "text", "label": "Name"},
            {"name": "paid", "type": "rollup", "label": "Paid", "form": "payment", "link": "account",
             "value": "sum(amount)"},
            {"name": "payments", "type": "rollup", "label": "Payments", "form": "payment", "link": "account",
             "value": "count()"},
        ], "permissions": {"clerk": {"read": "all"}}},
        {"name": "payment", "title": "Payment", "title_field": "memo", "fields": [
            {"name": "memo", "type": "text", "label": "Memo"},
            {"name": "account", "type": "link", "form": "account", "label": "Account"},
            {"name": "amount", "type": "decimal", "label": "Amount", "precision": 2},
        ], "permissions": {"clerk": {"read": "all"}}},
    ],
}


@pytest.fixture(scope="session")
def kitchen() -> AppDef:
    """Every field type but rollup (tests/configs/kitchen)."""
    return load_directory(KITCHEN)


@pytest.fixture(scope="session")
def sums() -> AppDef:
    return load_sources({"sums.json": json.dumps(ROLLUP_MODULE)})


@pytest.fixture
def thing(kitchen: AppDef):
    """The kitchen's `thing` field called `name` ("lines.qty" for a table column)."""
    form = kitchen.form("thing")

    def get(name: str) -> FieldDef:
        head, _, column = name.partition(".")
        found = form.field(head)
        assert found is not None, name
        if column:
            found = found.subfield(column)
            assert found is not None, name
        return found
    return get


@dataclass
class World:
    """A CheckContext for decode and encode, and a CellReader for import: company time in
    Shanghai, users 张伟 (zhangwei) and 李娜 (lina), party records 7 "Acme" and 8 "Beta"."""

    tzinfo: Any = SHANGHAI
    app: Any = None
    people: dict[str, str] = field(default_factory=lambda: {"张伟": "zhangwei", "李娜": "lina"})
    records: dict[str, int] = field(default_factory=lambda: {"Acme": 7, "Beta": 8})

    def user_exists(self, name: str, role: str | None) -> bool:
        return name in self.people.values()

    def link_readable(self, form: str, record_id: int) -> bool:
        return record_id in self.records.values()

    def file_info(self, file_id: int) -> dict[str, Any] | None:
        return {"name": "plan.pdf", "size": 10}

    def user(self, text: str) -> str:
        return self.people.get(text, text)

    def link(self, fdef: FieldDef, text: str) -> int:
        if text.isdigit():
            return int(text)
        if text not in self.records:
            raise FieldError(f"no {fdef.form} record {text}")
        return self.records[text]


@pytest.fixture
def world(kitchen: AppDef) -> World:
    return World(app=kitchen)


@pytest.fixture
def refs(world: World) -> Refs:
    """What export passes: user labels, the zone and the app."""
    return Refs(users={"zhangwei": "张伟", "lina": "李娜"}, ctx=world)
