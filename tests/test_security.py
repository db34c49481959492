"""Deployment behind HTTPS and reverse proxies: Secure cookies, HSTS, ProxyFix, no-store."""
from __future__ import annotations

import pytest


def _cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_plain_http_by_default(login, app, make_user):
    make_user("alice", "sales")
    client = app.test_client()
    response = login(client, "alice", "alice-password")
    assert all("Secure" not in c for c in _cookies(response))
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_https_setting_makes_cookies_secure_and_sends_hsts(csrf_from, make_app, config_dir, make_user):
    app = make_app(config_dir, ENGINE_HTTPS="1")
    make_user("alice", "sales")
    client = app.test_client()
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/login"}}
    token = csrf_from(client.get("/login", **https).get_data(as_text=True))
    response = client.post("/login", data={"username": "alice", "password": "alice-password", "csrf_token": token},
                           **https)
    assert response.status_code == 302
    session_cookies = [c for c in _cookies(response) if c.startswith("session=")]
    assert session_cookies and all("; Secure" in c and "HttpOnly" in c for c in session_cookies)
    language = client.get("/login?lang=en", **https)
    assert [c for c in _cookies(language) if c.startswith("lang")]
    assert all("; Secure" in c for c in _cookies(language) if c.startswith("lang"))
    assert client.get("/", **https).headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize("path", ["/", "/login", "/api/forms", "/forms/customer/records",
                                  "/forms/customer/export?format=csv", "/admin/users", "/account/tokens"])
def test_authenticated_answers_are_not_stored(login, app, admin, path):
    client = app.test_client()
    login(client, "admin", "admin-password")
    response = client.get(path) if not path.startswith("/api/") else admin.get(path)
    assert response.status_code in (200, 302, 404), path
    assert response.headers["Cache-Control"] == "no-store", path


def test_static_files_may_be_cached(app):
    response = app.test_client().get("/static/js/app.js")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_proxy_headers_are_ignored_without_trusted_proxies(csrf_from, app):
    client = app.test_client()
    for i in range(25):  # each from a "different" forwarded address: all one real address
        token = csrf_from(client.get("/login").get_data(as_text=True))
        last = client.post("/login", data={"username": f"u{i}", "password": "x" * 8, "csrf_token": token},
                           headers={"X-Forwarded-For": f"203.0.113.{i}"})
    assert last.status_code == 429


def test_one_trusted_proxy_gives_the_client_address_and_scheme(csrf_from, make_app, config_dir):
    app = make_app(config_dir, ENGINE_PROXY_COUNT=1, ENGINE_LOGIN_ADDRESS_MAX_FAILURES=3)
    client = app.test_client()

    def guess(address: str):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"username": address, "password": "x" * 8, "csrf_token": token},
                           headers={"X-Forwarded-For": address})

    assert [guess("203.0.113.1").status_code for _ in range(4)] == [401, 401, 429, 429]
    assert guess("203.0.113.2").status_code == 401  # another client behind the same proxy


def test_a_trusted_proxy_tells_the_scheme(csrf_from, make_app, config_dir):
    """Behind a proxy that ends TLS the app knows the request was https: CSRF then checks
    the Referer like on any https site."""
    app = make_app(config_dir, ENGINE_PROXY_COUNT=1)
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"username": "nobody", "password": "x" * 8, "csrf_token": token}
    forwarded = {"X-Forwarded-Proto": "https"}
    assert client.post("/login", data=data, headers=forwarded).status_code == 400  # no Referer over https
    ok = client.post("/login", data=data, headers={**forwarded, "Referer": "https://localhost/login"})
    assert ok.status_code == 401
