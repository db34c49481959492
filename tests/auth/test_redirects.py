"""Redirect targets (`next=` after login, a task action's return page) stay on this site."""
from __future__ import annotations

import pytest

from engine.auth.redirects import is_safe_target

EVIL = [
    "//evil.example", "//evil.example/x", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "/%09/evil.example", "/\t/evil.example", "/%0a/evil.example", "/%0d/evil.example", "/\n/evil.example",
    "/%2F%2Fevil.example", "/%2f/evil.example", "%2F%2Fevil.example", "/%252F%252Fevil.example",
    "/%5Cevil.example", "/%5C%5Cevil.example", "https://evil.example", "http:/evil.example",
    "javascript:alert(1)", "/%00/evil.example", "/ /evil.example", "/%20/evil.example",
    "/\u3000/evil.example", "evil.example", "", " /", "/%E2%80%A8/evil.example",
    "/%25252525252F%2F/evil", "data:text/html,x", "/" + "a" * 3000,
]
SAFE = ["/", "/forms/customer/records", "/forms/customer/records?page=2&q=%E5%AE%A2",
        "/inbox?tab=done", "/records/1#history"]


@pytest.mark.parametrize("target", EVIL)
def test_off_site_targets_are_refused(target):
    assert not is_safe_target(target)


@pytest.mark.parametrize("target", SAFE)
def test_same_site_paths_pass(target):
    assert is_safe_target(target)


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example",
                                    "/%2F%2Fevil.example", "https://evil.example"])
def test_login_never_redirects_off_site(csrf_from, app, make_user, target):
    make_user("alice", "sales")
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", query_string={"next": target},
                           data={"username": "alice", "password": "alice-password", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_same_site_next(csrf_from, app, make_user):
    make_user("alice", "sales")
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", query_string={"next": "/inbox?tab=done"},
                           data={"username": "alice", "password": "alice-password", "csrf_token": token})
    assert response.headers["Location"] == "/inbox?tab=done"
