"""Who may download a stored file (GET /api/files/ID), decided by the access gate: the
uploader alone while no record has taken it; then whoever may read the record, unless the
file's field, its table, or its table column is hidden from them. Anything else is 404."""
from __future__ import annotations

import io

import pytest

MODULE = {
    "module": "docs",
    "title": "Docs",
    "roles": [{"name": name, "title": name} for name in ("clerk", "no_parts", "no_sheet", "no_scan")],
    "forms": [{
        "name": "doc",
        "title": "Doc",
        "title_field": "title",
        "fields": [
            {"name": "title", "type": "text", "label": "Title", "required": True},
            {"name": "scan", "type": "file", "label": "Scan"},
            {"name": "parts", "type": "table", "label": "Parts", "fields": [
                {"name": "label", "type": "text", "label": "Label"},
                {"name": "sheet", "type": "file", "label": "Sheet"},
            ]},
        ],
        "permissions": {
            "clerk": {"create": True, "read": "all", "update": "all"},
            "no_parts": {"read": "all", "hide": ["parts"]},
            "no_sheet": {"read": "all", "hide": ["parts.sheet"]},
            "no_scan": {"read": "all", "hide": ["scan"]},
        },
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "configs"
    write_module(folder, MODULE)
    return make_app(folder)


def upload(client, data: bytes) -> int:
    response = client.post("/api/files", data={"file": (io.BytesIO(data), "a.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_file_is_downloaded_only_where_its_field_is_visible(app, make_user):
    clerk = make_user("clerk1", "clerk")
    scan, sheet = upload(clerk, b"scan"), upload(clerk, b"sheet")
    created = clerk.post("/api/forms/doc/records", json={"fields": {
        "title": "T", "scan": scan, "parts": [{"label": "p", "sheet": sheet}]}})
    assert created.status_code == 201, created.get_json()
    seen = {}
    for role in ("clerk", "no_parts", "no_sheet", "no_scan"):
        reader = make_user(f"{role}_reader", role)
        seen[role] = {name: reader.get(f"/api/files/{file_id}").status_code
                      for name, file_id in (("scan", scan), ("sheet", sheet))}
    assert seen == {
        "clerk": {"scan": 200, "sheet": 200},
        "no_parts": {"scan": 200, "sheet": 404},  # the whole table is hidden: its files too
        "no_sheet": {"scan": 200, "sheet": 404},
        "no_scan": {"scan": 404, "sheet": 200},
    }


def test_an_unattached_upload_is_the_uploaders_alone(app, make_user):
    clerk, other = make_user("clerk1", "clerk"), make_user("clerk2", "clerk")
    mine = upload(clerk, b"draft")
    assert clerk.get(f"/api/files/{mine}").data == b"draft"
    assert other.get(f"/api/files/{mine}").status_code == 404
    assert clerk.get("/api/files/999999").status_code == 404
