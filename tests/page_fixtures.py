"""Fixtures for tests that use the pages as a browser would, with a test client (a pytest
plugin of tests/conftest.py): CSRF tokens, logging in, a logged-in session."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest


def _csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def _login(client: Any, name: str, password: str) -> Any:
    token = _csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token})


@pytest.fixture
def csrf_from() -> Callable[[str], str]:
    """csrf_from(html) → the CSRF token of a page (its meta tag, or a form's hidden field)."""
    return _csrf_from


@pytest.fixture
def token_of() -> Callable[[Any, str], str]:
    """token_of(client, url) → the CSRF token of the page at url, fetched with that client."""
    return lambda client, url: _csrf_from(client.get(url).get_data(as_text=True))


@pytest.fixture
def login() -> Callable[..., Any]:
    """login(client, name, password) → the response to posting the login form with that client."""
    return _login


@pytest.fixture
def browser(app: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """A logged-in browser session (test client with cookies) for a new user:
    browser("alice", "sales")."""

    def open_as(name: str, *roles: str):
        make_user(name, *roles)
        client = app.test_client()
        assert _login(client, name, f"{name}-password").status_code == 302
        return client
    return open_as


@pytest.fixture
def admin_browser(browser: Callable[..., Any]) -> Any:
    return browser("root9", "admin")
