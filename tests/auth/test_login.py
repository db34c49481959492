"""Browser login (Flask-Login), session-authenticated API calls with CSRF, Bearer tokens."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.store.system import api_tokens, users


@pytest.fixture
def alice(make_user):
    return make_user("alice", "sales")


def test_login_page_renders(app):
    response = app.test_client().get("/login")
    assert response.status_code == 200
    assert "csrf_token" in response.get_data(as_text=True)


def test_login_then_home_lists_readable_forms(login, app, alice):
    client = app.test_client()
    assert login(client, "alice", "alice-password").status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "客户" in page  # the customer form's title, from the shipped config


def test_wrong_password_and_unknown_user_answer_alike(login, app, alice):
    wrong = login(app.test_client(), "alice", "nope-nope")
    unknown = login(app.test_client(), "nobody", "nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    def normalise(html: str, name: str) -> str:
        return re.sub(r'(csrf[-_]token[^>]*(?:value|content)=)"[^"]*"', r"\1", html).replace(name, "")

    assert normalise(wrong.get_data(as_text=True), "alice") == normalise(unknown.get_data(as_text=True), "nobody")


def test_login_without_csrf_token_is_refused(app, alice):
    response = app.test_client().post("/login", data={"username": "alice", "password": "alice-password"})
    assert response.status_code in (400, 401)
    assert "Set-Cookie" not in response.headers or "remember" not in response.headers["Set-Cookie"]


def test_pages_need_login(app):
    response = app.test_client().get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_api_needs_csrf_for_writes(csrf_from, login, app, alice):
    client = app.test_client()
    login(client, "alice", "alice-password")
    assert client.get("/api/forms").status_code == 200
    refused = client.post("/api/forms/customer/records", json={"fields": {"name": "X"}})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    assert client.get("/api/forms/customer/records").get_json()["total"] == 0
    token = csrf_from(client.get("/").get_data(as_text=True))
    accepted = client.post("/api/forms/customer/records", json={"fields": {"name": "X"}},
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 201


def test_bearer_token_needs_no_csrf(alice):
    assert alice.post("/api/forms/customer/records", json={"fields": {"name": "X"}}).status_code == 201


def test_logout_invalidates_the_old_cookie(csrf_from, login, app, alice):
    client = app.test_client()
    login(client, "alice", "alice-password")
    cookie = client.get_cookie("session").value
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/api/forms").status_code == 401


def test_session_changes_at_login(login, app, alice):
    client = app.test_client()
    client.get("/login")
    before = client.get_cookie("session").value
    login(client, "alice", "alice-password")
    assert client.get_cookie("session").value != before


def test_api_without_credentials_is_401(app):
    response = app.test_client().get("/api/forms")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_bad_bearer_token_is_401(app):
    response = app.test_client().get("/api/forms", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_passwords_and_tokens_are_stored_hashed(app, alice):
    with app.extensions["engine"].db.session() as session:
        stored = session.execute(select(users.c.password_hash).where(users.c.name == "alice")).scalar_one()
        digests = session.execute(select(api_tokens.c.token_hash)).scalars().all()
    assert stored.startswith(("scrypt:", "pbkdf2:")) and "alice-password" not in stored
    assert alice.token not in digests and all(len(d) == 64 for d in digests)


def test_long_passwords_work(login, app, make_user):
    from engine.auth.users import update_user

    make_user("bob", "sales")
    with app.extensions["engine"].db.transaction() as session:
        update_user(session, "bob", password="p" * 64)
    assert login(app.test_client(), "bob", "p" * 64).status_code == 302


def test_unsafe_next_url_is_ignored(csrf_from, app, alice):
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/x",
                           data={"username": "alice", "password": "alice-password", "csrf_token": token})
    assert response.headers["Location"] == "/"
