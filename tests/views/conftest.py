"""A small module for list views, quick filters and bulk edit: jobs with an owner, a hidden
field, a read-only field, a table, a file, a row rule and a workflow (open → done, final)."""
from __future__ import annotations

from typing import Any

import pytest

JOBS: dict[str, Any] = {
    "module": "desk",
    "title": "Desk",
    "roles": [{"name": "staff", "title": "Staff"}, {"name": "boss", "title": "Boss"},
              {"name": "temp", "title": "Temp"}],
    "forms": [{
        "name": "job",
        "title": "Job",
        "title_field": "title",
        "owner_field": "owner",
        "fields": [
            {"name": "title", "type": "text", "label": "Title", "required": True},
            {"name": "amount", "type": "integer", "label": "Amount", "max": 1000},
            {"name": "level", "type": "select", "label": "Level", "options": ["low", "high"]},
            {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
            {"name": "secret", "type": "text", "label": "Secret"},
            {"name": "locked", "type": "text", "label": "Locked"},
            {"name": "close_day", "type": "date", "label": "Close day"},
            {"name": "lines", "type": "table", "label": "Lines",
             "fields": [{"name": "what", "type": "text", "label": "What"}]},
            {"name": "doc", "type": "file", "label": "Document"},
            {"name": "closed_at", "type": "datetime", "label": "Closed at"},
            {"name": "closing_day", "type": "formula", "label": "Closing day", "formula": "close_day",
             "result": "date"},
        ],
        "permissions": {
            "staff": {"create": True, "read": {"where": "owner == $user or level == 'high'"}, "update": "own",
                      "hide": ["secret"], "readonly": ["locked"]},
            "boss": {"create": True, "read": "all", "update": "all", "delete": "all"},
            "temp": {"read": "all", "hide": ["owner"]},
        },
        "workflow": {
            "initial": "open",
            "stages": [{"name": "open", "title": "Open", "editable": ["*"], "due": "24h"},
                       {"name": "done", "title": "Done", "final": True}],
            "transitions": [{"name": "finish", "title": "Finish", "from": "open", "to": "done",
                             "roles": ["$owner", "boss"]}],
        },
        "list": {
            "columns": ["title", "amount", "level", "owner"],
            "filters": ["level", "owner"],
            "search": ["title"],
            "order_by": "-created_at",
            "views": [
                {"name": "my_open", "title": {"zh-CN": "我的进行中", "en": "My open jobs"},
                 "filters": {"quick": "mine", "stage": "open"},
                 "columns": ["title", "amount", "secret"], "order_by": "-amount"},
                {"name": "big_this_month", "title": "Big this month",
                 "filters": {"amount__gte": "100", "close_day__gte": "$month_start",
                             "close_day__lte": "$month_end"}, "order_by": "amount"},
                {"name": "boss_only", "title": "Boss only", "filters": {"level": "high"}, "roles": ["boss"]},
            ],
        },
    }],
}


@pytest.fixture
def desk_dir(tmp_path, write_module):
    folder = tmp_path / "desk"
    write_module(folder, JOBS)
    return folder


@pytest.fixture
def app(make_app, desk_dir):
    return make_app(desk_dir)
