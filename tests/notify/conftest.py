"""Notify without the web layer: a database (SQLite file or PostgreSQL schema, `db_url`)
synced to one small module, its runtime, and contexts to act in."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.auth.users import SYSTEM_USER, User, create_user, get_user
from engine.definitions import load_directory
from engine.notify import channel as channel_module
from engine.notify.channel import AddressError, Channel, Message, register, registered
from engine.records.context import Context, Runtime
from engine.runtime import build_runtime
from engine.store.db import Database
from engine.store.sync import sync_schema
from tests.conftest import ENGINE_ZONE

MODULE = {
    "module": "desk", "title": "Desk",
    "roles": [{"name": "staff", "title": "Staff"}, {"name": "guest", "title": "Guest"}],
    "forms": [{
        "name": "note", "title": "Note", "title_field": "subject", "owner_field": "owner",
        "fields": [{"name": "subject", "type": "text", "label": "Subject", "required": True},
                   {"name": "secret", "type": "text", "label": "Secret"},
                   {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
                   {"name": "level", "type": "select", "label": "Level",
                    "options": [{"value": "hi", "label": "高"}, {"value": "lo", "label": "低"}]},
                   {"name": "on", "type": "date", "label": "On"}],
        "permissions": {"staff": {"create": True, "read": "all", "update": "own"},
                        "guest": {"read": "all", "hide": ["secret"]}},
        "reminders": [{"name": "soon", "date_field": "on", "offset": "-1d", "notify": [{"field": "owner"}],
                       "message": "{subject}: {secret} ({level}, {owner})"}],
    }],
}


@dataclass
class Store:
    db: Database
    runtime: Runtime

    def context(self, session: Session, user: User = SYSTEM_USER, now: datetime | None = None) -> Context:
        return Context(self.runtime, session, user, now=now or datetime.now(UTC), tzinfo=ENGINE_ZONE)

    def user(self, session: Session, name: str, *roles: str, **options: Any) -> User:
        found = get_user(session, name)
        return found or create_user(session, name, None, set(roles), **options)

    def rows(self, table: Any, **where: Any) -> list[dict[str, Any]]:
        with self.db.session() as session:
            stmt = select(table).order_by(table.c.id)
            for key, value in where.items():
                stmt = stmt.where(table.c[key] == value)
            return [dict(r) for r in session.execute(stmt).mappings()]


@pytest.fixture(autouse=True)
def _no_channel_settings_from_the_environment(monkeypatch) -> None:
    """A channel reads a setting missing from the settings it is given from the environment."""
    for key in ("ENGINE_SMTP_URL", "ENGINE_WEBHOOK_URL", "ENGINE_MAIL_FROM", "ENGINE_BASE_URL",
                "ENGINE_WECOM_ROBOTS", "ENGINE_DINGTALK_ROBOTS", "ENGINE_FEISHU_ROBOTS"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def app(write_module, make_app, tmp_path):
    """The web app over MODULE, for the tests of pages and commands."""
    write_module(tmp_path / "desk", MODULE)
    return make_app(tmp_path / "desk")


@pytest.fixture
def store_of(write_module, db_url: str, tmp_path) -> Iterator[Callable[[dict[str, Any]], Store]]:
    """store_of(module) → a Store whose database is synced to that module, disposed after the test."""
    made: list[Database] = []

    def make(module: dict[str, Any]) -> Store:
        folder = tmp_path / "desk"
        write_module(folder, module)
        app = load_directory(folder)
        db = Database(db_url)
        sync_schema(db, app)
        made.append(db)
        return Store(db, build_runtime(app, db))
    yield make
    for db in made:
        db.dispose()


@pytest.fixture
def store(store_of) -> Store:
    return store_of(MODULE)


class Pager(Channel):
    """A channel made in the test: numbers of 3 to 8 digits; what it sends is kept."""

    name = "pager"
    address = "Pager number"
    sent: list[Message] = []
    failures = 0  # the first calls that fail

    @classmethod
    def check_address(cls, address: str) -> str:
        address = address.strip()
        if not (address.isdigit() and 3 <= len(address) <= 8):
            raise AddressError("3 to 8 digits")
        return address

    def send(self, message: Message) -> None:
        Pager.sent.append(message)
        if len(Pager.sent) <= Pager.failures:
            raise OSError("pager network down")


@pytest.fixture
def pager(monkeypatch) -> type[Pager]:
    """The Pager channel registered for this test only (the package is not touched)."""
    registered()  # the shipped channels first, then a private copy of the registry
    monkeypatch.setattr(channel_module, "CHANNELS", dict(channel_module.CHANNELS))
    monkeypatch.setattr(Pager, "sent", [])
    monkeypatch.setattr(Pager, "failures", 0)
    register(Pager)
    return Pager
