"""A form may leave out `title_field`: a link to one of its records then reads as "#id"
(in the API, in duplicate hints, and by id in imports) instead of failing."""
from __future__ import annotations

import io

import pytest

MODULE = {
    "module": "places", "title": "Places",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {"name": "place", "title": "Place",
         "fields": [{"name": "code", "type": "text", "label": "Code", "warn_duplicates": True}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}}},
        {"name": "visit", "title": "Visit", "title_field": "note",
         "fields": [
             {"name": "note", "type": "text", "label": "Note"},
             {"name": "place", "type": "link", "label": "Place", "form": "place"},
         ],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "places", MODULE)
    return make_app(tmp_path / "places")


@pytest.fixture
def clerk(make_user):
    return make_user("clerk", "clerk")


def test_a_link_to_a_record_of_an_untitled_form_reads_as_its_id(clerk):
    place = clerk.create("place", code="P-1")
    visit = clerk.create("visit", note="first", place=place["id"])
    response = clerk.get(f"/api/forms/visit/records/{visit['id']}")
    assert response.status_code == 200
    assert response.get_json()["links"] == {"place": f"#{place['id']}"}


def test_a_duplicate_hint_on_an_untitled_form_names_the_record_by_id(clerk):
    place = clerk.create("place", code="P-1")
    response = clerk.get("/api/forms/place/duplicates?field=code&value=P-1")
    assert response.status_code == 200
    assert response.get_json()["records"] == [{"id": place["id"], "title": f"#{place['id']}"}]


def test_an_import_links_a_record_of_an_untitled_form_by_id(csrf_from, login, app, clerk):
    place = clerk.create("place", code="P-1")
    client = app.test_client()
    assert login(client, "clerk", "clerk-password").status_code == 302
    token = csrf_from(client.get("/f/visit/import").get_data(as_text=True))
    data = f"Note,Place\nsecond,{place['id']}\n".encode()
    response = client.post("/f/visit/import", data={"csrf_token": token, "file": (io.BytesIO(data), "v.csv")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    [visit] = clerk.get("/api/forms/visit/records").get_json()["items"]
    assert visit["fields"] == {"note": "second", "place": place["id"]}
