"""A table field's `min_rows` / `max_rows` (SPEC §3) hold on every way in: API create and
update, the page form and import; no rows at all (an empty list, or the field left out)
is fewer than `min_rows: 1`."""
from __future__ import annotations

import io
import re

import pytest

URL = "/api/forms/sheet/records"
MODULE = {
    "module": "sheets", "title": "Sheets",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [{
        "name": "sheet", "title": "Sheet", "title_field": "subject",
        "fields": [
            {"name": "subject", "type": "text", "label": "Subject", "required": True},
            {"name": "lines", "type": "table", "label": "Lines", "min_rows": 1, "max_rows": 2, "fields": [
                {"name": "item", "type": "text", "label": "Item"},
                {"name": "qty", "type": "integer", "label": "Qty"},
            ]},
        ],
        "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}},
    }],
}
ROW = {"item": "pen", "qty": 1}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "sheets", MODULE)
    return make_app(tmp_path / "sheets")


@pytest.fixture
def clerk(make_user):
    return make_user("clerk", "clerk")


def count(clerk) -> int:
    return clerk.get(URL).get_json()["total"]


@pytest.mark.parametrize("lines", [[], None, "absent", [ROW, ROW, ROW]], ids=["empty", "null", "absent", "too_many"])
def test_create_outside_the_row_bounds_is_refused(clerk, lines):
    fields = {"subject": "A", **({} if lines == "absent" else {"lines": lines})}
    response = clerk.post(URL, json={"fields": fields})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["error"]["fields"]) == ["lines"]
    assert count(clerk) == 0


def test_create_within_the_bounds_is_accepted(clerk):
    assert clerk.post(URL, json={"fields": {"subject": "A", "lines": [ROW]}}).status_code == 201
    assert clerk.post(URL, json={"fields": {"subject": "B", "lines": [ROW, ROW]}}).status_code == 201


@pytest.mark.parametrize("lines", [[], None, [ROW, ROW, ROW]], ids=["empty", "null", "too_many"])
def test_update_outside_the_row_bounds_is_refused(clerk, lines):
    record = clerk.create("sheet", subject="A", lines=[ROW])
    response = clerk.patch(f"{URL}/{record['id']}", json={"version": record["version"], "fields": {"lines": lines}})
    assert response.status_code == 422 and "lines" in response.get_json()["error"]["fields"]
    assert len(clerk.get(f"{URL}/{record['id']}").get_json()["fields"]["lines"]) == 1


def test_the_page_form_refuses_no_rows_and_keeps_the_input(csrf_from, login, app, clerk):
    client = app.test_client()
    login(client, "clerk", "clerk-password")
    token = csrf_from(client.get("/f/sheet/new").get_data(as_text=True))
    response = client.post("/f/sheet/new", data={"csrf_token": token, "subject": "Kept", "lines-0-item": ""})
    assert response.status_code in (200, 422)
    text = response.get_data(as_text=True)
    assert "至少需要 1 行" in text and 'value="Kept"' in text
    assert count(clerk) == 0


def test_import_refuses_a_row_without_lines(csrf_from, login, app, clerk):
    client = app.test_client()
    login(client, "clerk", "clerk-password")
    data = b'Subject,Lines\nNone,[]\nOne,"[{""item"": ""pen"", ""qty"": 1}]"\n'
    token = csrf_from(client.get("/f/sheet/import").get_data(as_text=True))
    response = client.post("/f/sheet/import", data={"csrf_token": token, "file": (io.BytesIO(data), "s.csv")},
                           content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422, text[-2000:]
    assert re.search(r"至少需要 1 行", text)
    assert count(clerk) == 0  # all or nothing


def test_the_form_description_states_the_row_bounds(clerk):
    (form,) = [f for f in clerk.get("/api/forms").get_json() if f["name"] == "sheet"]
    (lines,) = [f for f in form["fields"] if f["name"] == "lines"]
    assert (lines["schema"]["minItems"], lines["schema"]["maxItems"]) == (1, 2)


def test_the_openapi_document_states_the_row_bounds(clerk):
    schemas = clerk.get("/api/openapi.json").get_json()["components"]["schemas"]
    for schema in (schemas["sheet.input"], schemas["sheet.fields"]):
        lines = schema["properties"]["lines"]
        assert (lines.get("minItems"), lines.get("maxItems")) == (1, 2)
