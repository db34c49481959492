"""How values read on the pages: only an absent value shows as "—"; 0 is a value (0, 0.00)."""
from __future__ import annotations

import re

import pytest

from engine.definitions.model import FieldDef
from engine.ui.display import display_value

MODULE = {
    "module": "tally", "title": "计数", "roles": [{"name": "clerk", "title": "文员"}],
    "forms": [{
        "name": "tally", "title": "计数", "title_field": "name",
        "fields": [
            {"name": "name", "type": "text", "label": "名称", "required": True},
            {"name": "count", "type": "integer", "label": "件数"},
            {"name": "amount", "type": "decimal", "label": "金额"},
            {"name": "double", "type": "formula", "label": "两倍", "formula": "count * 2"},
            {"name": "note", "type": "text", "label": "备注"},
        ],
        "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}},
        "list": {"columns": ["name", "count", "amount", "double", "note"]},
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "tally"
    write_module(folder, MODULE)
    return make_app(folder)


def shown(page: str, name: str) -> str:
    found = re.search(rf'data-value="{name}">\s*(.*?)\s*</dd>', page, re.S)
    assert found, name
    return found.group(1)


def test_zero_reads_as_zero_and_only_an_absent_value_as_a_dash(login, app, make_user):
    clerk = make_user("clerk", "clerk")
    record = clerk.create("tally", name="零", count=5, amount="0")
    assert clerk.patch(f"/api/forms/tally/records/{record['id']}",
                       json={"version": record["version"], "fields": {"count": 0}}).status_code == 200
    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    page = browser.get(f"/f/tally/{record['id']}").get_data(as_text=True)
    assert (shown(page, "count"), shown(page, "amount"), shown(page, "double"), shown(page, "note")) == \
        ("0", "0.00", "0.00", "—")
    assert re.search(r"件数: <span[^>]*>5</span> → 0", page)  # the history of the edit to 0
    listing = browser.get("/f/tally").get_data(as_text=True)
    assert ">0.00<" in listing and re.search(r">\s*0\s*<", listing)


def test_display_value_keeps_zero():
    integer = FieldDef(name="n", type="integer", label="n", pointer="")
    decimal = FieldDef(name="d", type="decimal", label="d", pointer="")
    assert display_value(integer, 0) == "0" and display_value(decimal, 0) == "0.00"
    assert display_value(integer, None) == "" and display_value(decimal, "") == ""
