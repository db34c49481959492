"""`list.views` in a definition: every filter parameter, column, sort and role is checked, and a
mistake is a problem at its JSON pointer."""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from engine.definitions import load_directory
from engine.errors import DefinitionError

from .conftest import JOBS

VIEWS = "/forms/0/list/views"


def load(tmp_path, views: list[dict[str, Any]]):
    doc = copy.deepcopy(JOBS)
    doc["forms"][0]["list"]["views"] = views
    (tmp_path / "desk.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return load_directory(tmp_path)


def test_the_shipped_example_views_load(tmp_path):
    app = load(tmp_path, JOBS["forms"][0]["list"]["views"])
    form = app.form("job")
    assert [v.name for v in form.list.views] == ["my_open", "big_this_month", "boss_only"]
    assert dict(form.list.view("my_open").filters) == {"quick": "mine", "stage": "open"}
    assert form.list.view("boss_only").roles == ("boss",)


@pytest.mark.parametrize(("view", "pointer", "words"), [
    ({"filters": {"nope": "1"}}, f"{VIEWS}/0/filters/nope", "nope"),
    ({"filters": {"owner__contains": "a"}}, f"{VIEWS}/0/filters/owner__contains", "owner__contains"),
    ({"filters": {"stage": "closed"}}, f"{VIEWS}/0/filters/stage", "closed"),
    ({"filters": {"quick": "mine,someday"}}, f"{VIEWS}/0/filters/quick", "someday"),
    ({"filters": {"close_day__gte": "$yesterday"}}, f"{VIEWS}/0/filters/close_day__gte", "$yesterday"),
    ({"columns": ["title", "ghost"]}, f"{VIEWS}/0/columns/1", "ghost"),
    ({"order_by": "-ghost"}, f"{VIEWS}/0/order_by", "ghost"),
    ({"roles": ["nobody"]}, f"{VIEWS}/0/roles/0", "nobody"),
])
def test_bad_views_are_problems_at_their_pointer(tmp_path, view, pointer, words):
    with pytest.raises(DefinitionError) as info:
        load(tmp_path, [{"name": "v", "title": "V", **view}])
    found = [(p.pointer, p.message) for p in info.value.problems]
    assert any(p == pointer and words in m for p, m in found), found


def test_duplicate_view_names(tmp_path):
    with pytest.raises(DefinitionError) as info:
        load(tmp_path, [{"name": "v", "title": "V"}, {"name": "v", "title": "W"}])
    assert [p.pointer for p in info.value.problems] == [f"{VIEWS}/1/name"]


def test_schema_refuses_unknown_keys_and_bad_parameter_names(tmp_path):
    with pytest.raises(DefinitionError) as info:
        load(tmp_path, [{"name": "v", "title": "V", "colour": "red", "filters": {"Bad Name": "x"}}])
    pointers = {p.pointer for p in info.value.problems}
    assert any(p.startswith(f"{VIEWS}/0") for p in pointers), pointers
