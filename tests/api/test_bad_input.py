"""Bad input costs little and never 500: bounded bodies, bounded error lists, text that a
database can store, bounded nesting. Nothing is written by a refused request."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from engine.auth.tokens import issue_token
from engine.auth.users import create_user
from engine.store.system import files

JSON = {"Content-Type": "application/json"}


def _count(app, form: str) -> int:
    state = app.extensions["engine"]
    table = state.runtime().tables(form).table
    with state.db.session() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def _post(client, url: str, body) -> object:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, headers=JSON)


def test_a_json_body_over_the_limit_is_413_with_the_error_envelope(app, make_user):
    alice = make_user("alice", "sales")
    body = json.dumps({"fields": {f"k{i}": 1 for i in range(200_000)}})
    assert len(body) > app.config["ENGINE"]["ENGINE_MAX_JSON_BODY"]
    response = _post(alice, "/api/forms/customer/records", body)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert len(response.data) < 500
    assert _count(app, "customer") == 0


def test_the_json_limit_is_a_setting_separate_from_the_upload_limit(make_app, config_dir):
    app = make_app(config_dir, ENGINE_MAX_JSON_BODY=2000)
    with app.extensions["engine"].db.transaction() as session:
        token = issue_token(session, create_user(session, "alice", "alice-password", {"sales"}))
    client = app.test_client()
    response = client.post("/api/forms/customer/records", data=json.dumps({"fields": {"name": "x" * 3000}}),
                           headers={**JSON, "Authorization": f"Bearer {token}"})
    assert response.status_code == 413
    assert "2 KB" in response.get_json()["error"]["message"]  # 2000 bytes, as people read it


def test_many_unknown_fields_are_refused_early_with_a_bounded_list(app, make_user):
    alice = make_user("alice", "sales")
    unknown = {f"k{i}": 1 for i in range(60_000)}
    response = _post(alice, "/api/forms/customer/records", {"fields": {"name": "ACME", **unknown}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert len(error["fields"]) == 20
    assert error["fields_omitted"] == 60_000 - 20
    assert len(response.data) < 2000
    assert _count(app, "customer") == 0


def test_unknown_table_columns_are_refused_with_a_bounded_list(app, make_user):
    alice = make_user("alice", "sales")
    customer = alice.create("customer", name="ACME")
    rows = [{"product": "x", "qty": 1, "price": "1", **{f"c{i}": 1 for i in range(50)}} for _ in range(500)]
    response = _post(alice, "/api/forms/sales_order/records",
                     {"fields": {"customer": customer["id"], "delivery_date": "2030-01-31", "items": rows}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert len(error["fields"]) == 20 and error["fields_omitted"] == 500 * 50 - 20
    assert len(response.data) < 2000
    assert _count(app, "sales_order") == 0


def test_a_patch_with_unknown_fields_changes_nothing(app, make_user):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME")
    response = alice.patch(f"/api/forms/customer/records/{created['id']}",
                           json={"version": 1, "fields": {"name": "B", **{f"k{i}": 1 for i in range(5000)}}})
    assert response.status_code == 422
    assert len(response.data) < 2000
    assert alice.get(f"/api/forms/customer/records/{created['id']}").get_json()["fields"]["name"] == "ACME"


def test_an_unknown_form_answers_404_whatever_the_fields(app, make_user):
    alice = make_user("alice", "sales")
    response = _post(alice, "/api/forms/no_such_form/records", {"fields": {"k": 1}})
    assert response.status_code == 404


@pytest.mark.parametrize("url", [
    "/api/forms/customer/records",
    "/api/forms/customer/records/1/transitions/x",
    "/api/forms/customer/records/1/comments",
    "/api/tasks/1/approve",
    "/api/tasks/approve",
])
def test_unknown_body_keys_are_refused_with_a_bounded_message_on_every_endpoint(app, make_user, url):
    alice = make_user("alice", "sales")
    response = _post(alice, url, {f"k{i}": 1 for i in range(50_000)})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and "49980 more" in error["message"]
    assert len(response.data) < 1000


def test_a_batch_is_bounded(app, make_user):
    alice = make_user("alice", "sales")
    response = _post(alice, "/api/tasks/approve", {"ids": list(range(1, 5000))})
    assert response.status_code == 400


@pytest.mark.parametrize("body", [
    '{"fields": {"name": "\\ud800"}}',
    '{"fields": {"name": "ok \\udfff"}}',
    '{"fields": {"\\ud800": "x"}}',
    '{"fields": {"name": "a\\u0000b"}}',
    '{"fields": {"name": "x"}, "comment": "\\ud800"}',
    "[" * 100_000 + "]" * 100_000,
    '{"fields": {"name": ' + "[" * 900 + "]" * 900 + "}}",
    '{"fields": {"name": NaN}}',
    '{"fields": {"name": 1e999}}',
    b'{"fields": {"name": "\xff\xfe"}}',
])
def test_unstorable_text_and_deep_nesting_are_400_and_write_nothing(app, make_user, body):
    alice = make_user("alice", "sales")
    response = _post(alice, "/api/forms/customer/records", body)
    assert response.status_code == 400, response.data[:300]
    assert response.get_json()["error"]["code"] == "bad_request"
    assert _count(app, "customer") == 0


def test_surrogate_pairs_are_fine(app, make_user):
    alice = make_user("alice", "sales")
    response = _post(alice, "/api/forms/customer/records", '{"fields": {"name": "\\ud83d\\ude00"}}')
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["fields"]["name"] == "\U0001f600"


@pytest.mark.parametrize("endpoint", ["comments", "transitions/x"])
def test_bad_text_in_comments_and_transitions_is_400(app, make_user, endpoint):
    alice = make_user("alice", "sales")
    created = alice.create("customer", name="ACME")
    response = _post(alice, f"/api/forms/customer/records/{created['id']}/{endpoint}", '{"comment": "\\ud800"}')
    assert response.status_code == 400


def test_a_file_name_with_nul_is_refused(app, make_user):
    import io

    alice = make_user("alice", "sales")
    response = alice.post("/api/files", data={"file": (io.BytesIO(b"data"), "a\x00.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 400
    with app.extensions["engine"].db.session() as session:
        assert session.execute(select(func.count()).select_from(files)).scalar_one() == 0


def test_bad_text_in_search_and_filters_never_500(app, make_user):
    alice = make_user("alice", "sales")
    for query in ("q=%ED%A0%80", "q=%00", "name=%ED%A0%80", "name__contains=%C0%80", "grade=%00"):
        response = alice.get(f"/api/forms/customer/records?{query}")
        assert response.status_code in (200, 400), (query, response.data[:200])


def test_openapi_documents_413_for_bodies_and_429_and_503_everywhere(app, make_user):
    doc = make_user("alice", "sales").get("/api/openapi.json").get_json()
    operations = [op for ops in doc["paths"].values() for op in ops.values()]
    assert all("503" in op["responses"] and "429" in op["responses"] for op in operations)
    assert all("413" in op["responses"] for op in operations if "requestBody" in op)
    assert "fields_omitted" in doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
