"""A refused value is quoted cut in the error (select, multiselect, user): a long value
sent is not sent back whole."""
from __future__ import annotations

import io

import pytest

LONG = "g" * 200_000


@pytest.mark.parametrize("fields", [{"grade": LONG}, {"industry": LONG}])
def test_a_long_unknown_option_is_quoted_cut(app, make_user, fields):
    alice = make_user("alice", "sales")
    answer = alice.post("/api/forms/customer/records", json={"fields": {"name": "Acme", **fields}})
    assert answer.status_code == 422
    message = answer.get_json()["error"]["fields"][next(iter(fields))][0]
    assert len(message) < 200 and "…" in message
    assert len(answer.get_data()) < 2000


def test_an_import_link_cell_naming_no_record_is_quoted_cut(csrf_from, login, app, make_user):
    make_user("sam", "sales")
    client = app.test_client()
    assert login(client, "sam", "sam-password").status_code == 302
    token = csrf_from(client.get("/f/contact/import?lang=en").get_data(as_text=True))
    body = ("姓名,所属客户\n张三," + "q" * 200_000 + "\n").encode()
    answer = client.post("/f/contact/import", content_type="multipart/form-data",
                         data={"csrf_token": token, "file": (io.BytesIO(body), "contacts.csv")})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "no Customer record " + "q" * 60 + "…" in page
    assert "q" * 61 not in page


def test_a_long_unknown_user_is_quoted_cut(app, make_user):
    alice = make_user("alice", "sales")
    answer = alice.post("/api/forms/customer/records", json={"fields": {"name": "Acme", "owner": "u" * 200_000}})
    assert answer.status_code == 422
    assert len(answer.get_data()) < 2000 and "…" in answer.get_json()["error"]["fields"]["owner"][0]
