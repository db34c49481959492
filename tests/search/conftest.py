"""Global search and dashboard filters: one small module with row rules, a hidden search field,
owners, a workflow and charts, and a second form only the boss may read."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import time_machine

MODULE = {
    "module": "desk", "title": "Desk",
    "roles": [{"name": "boss", "title": "Boss"}, {"name": "clerk", "title": "Clerk"},
              {"name": "auditor", "title": "Auditor"}, {"name": "viewer", "title": "Viewer"}],
    "forms": [
        {
            "name": "ticket", "title": "Ticket", "title_field": "subject", "owner_field": "owner",
            "fields": [
                {"name": "subject", "type": "text", "label": "Subject", "required": True},
                {"name": "secret", "type": "text", "label": "Secret"},
                {"name": "kind", "type": "select", "label": "Kind",
                 "options": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}]},
                {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
                {"name": "on", "type": "date", "label": "On"},
            ],
            "list": {"search": ["subject", "secret"], "columns": ["subject", "kind", "owner"]},
            "summary": ["kind", "secret"],
            "permissions": {
                "boss": {"create": True, "read": "all", "update": "all"},
                "clerk": {"create": True, "read": "own", "update": "own", "hide": ["secret"]},
                "auditor": {"read": {"where": "kind == 'a'"}},
                "viewer": {"read": "all", "hide": ["owner"]},
            },
            "workflow": {
                "initial": "open",
                "stages": [{"name": "open", "title": "Open", "editable": ["*"]}, {"name": "closed", "title": "Closed"}],
                "transitions": [{"name": "close", "title": "Close", "from": "open", "to": "closed",
                                 "roles": ["boss", "clerk"]}],
            },
            "charts": [
                {"name": "by_kind", "title": "By kind", "type": "bar", "group_by": "kind"},
                {"name": "count", "title": "All tickets", "type": "number"},
                {"name": "a_by_stage", "title": "A by stage", "type": "pie", "group_by": "stage",
                 "where": "kind == 'a'"},
                {"name": "by_on", "title": "By kind (on)", "type": "bar", "group_by": "kind", "date_field": "on"},
                {"name": "per_month", "title": "Per month", "type": "line", "group_by": "created_at",
                 "interval": "month"},
                {"name": "by_secret", "title": "By secret", "type": "bar", "group_by": "secret"},
            ],
        },
        {
            "name": "ledger", "title": "Ledger", "title_field": "name",
            "fields": [{"name": "name", "type": "text", "label": "Name", "required": True}],
            "permissions": {"boss": {"create": True, "read": "all"}},
        },
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "desk", MODULE)
    return make_app(tmp_path / "desk", ENGINE_TIMEZONE="Asia/Shanghai")  # named: the date range's days are its


@pytest.fixture
def create_at() -> Callable[..., dict[str, Any]]:
    """create_at(client, "2026-03-05T10:00:00+08:00", form="ticket", **fields) → the record created then."""

    def create(client: Any, when: str, form: str = "ticket", **fields: Any) -> dict[str, Any]:
        with time_machine.travel(datetime.fromisoformat(when), tick=False):
            return client.create(form, **fields)
    return create


@pytest.fixture
def act_as(app):
    """act_as("ann", write=False) → a Context for ann in one transaction."""
    from tests.services.conftest import context_opener

    return context_opener(app)
