"""The API knows who is asking before it reads what they sent: a caller without a valid
token or session gets 401 whatever the body holds (its JSON is never parsed, its upload
never unpacked); text no database can store is refused (400) for a known caller, in the
path, query, form, file names and JSON alike, and on the pages before any view runs."""
from __future__ import annotations

import io

import pytest

BAD_JSON = '{"fields": {"name": "a\\u0000b"}, "x": ' + "[" * 900 + "]" * 900 + "}"


def test_a_strangers_bad_json_is_401_not_400(app):
    response = app.test_client().post("/api/forms/customer/records", data=BAD_JSON,
                                      headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_strangers_upload_with_a_nul_file_name_is_401_not_400(app):
    response = app.test_client().post("/api/files", data={"file": (io.BytesIO(b"x"), "a\x00.pdf")},
                                      content_type="multipart/form-data")
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["/api/forms/customer/records?q=%00", "/api/forms/customer/records?na%00me=x",
                                 "/api/forms/customer/records%ED%A0%80"])
def test_a_known_caller_gets_400_for_unstorable_text_in_the_address(app, make_user, url):
    response = make_user("alice", "sales").get(url)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert response.get_json()["error"]["code"] == "bad_request"


def test_unstorable_text_on_a_page_is_refused_before_the_view(app, browser):
    client = browser("bob", "sales")
    response = client.get("/f/customer?q=%00")
    assert response.status_code == 400
