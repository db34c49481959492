"""Database errors map to answers by what they mean: a lock or conflict is 409, a database
that cannot be reached is 503 with Retry-After, anything else 500; pages get pages and the
API gets the JSON envelope."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError


def _raiser(exc: Exception):
    def view():
        raise exc
    return view


ERRORS = {
    "locked": (OperationalError("UPDATE x", {}, Exception("database is locked")), 409, "busy"),
    "integrity": (IntegrityError("INSERT x", {}, Exception("duplicate key")), 409, "conflict"),
    "refused": (OperationalError(None, None, Exception("connection failed: Connection refused")), 503,
                "database_unavailable"),
    "lost": (OperationalError("SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True),
             503, "database_unavailable"),
    "sql": (OperationalError("SELECT nope", {}, Exception("no such column: nope")), 500, "server_error"),
}


@pytest.fixture
def mapped_app(make_app, config_dir):
    app = make_app(config_dir)
    for name, (exc, _status, _code) in ERRORS.items():
        app.add_url_rule(f"/api/boom/{name}", f"api_boom_{name}", _raiser(exc))
        app.add_url_rule(f"/boom/{name}", f"page_boom_{name}", _raiser(exc))
    return app


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_database_errors_map_to_statuses_for_the_api_and_for_pages(mapped_app, name):
    _exc, status, code = ERRORS[name]
    client = mapped_app.test_client()
    api = client.get(f"/api/boom/{name}")
    assert api.status_code == status and api.get_json()["error"]["code"] == code
    page = client.get(f"/boom/{name}", headers={"Accept": "text/html"})
    assert page.status_code == status and page.mimetype == "text/html"
    if status == 503:
        assert api.headers["Retry-After"] and page.headers["Retry-After"]
