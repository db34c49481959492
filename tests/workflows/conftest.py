from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from engine.store.system import tasks
from tests.conftest import TEST_CONFIGS
from tests.workflows.claims import URL as CLAIMS
from tests.workflows.claims import cast_of, module


@pytest.fixture
def app(make_app, tmp_path):
    folder = tmp_path / "flow"
    shutil.copytree(TEST_CONFIGS / "flow", folder)
    return make_app(folder)


@pytest.fixture
def people(make_user):
    """The cast: a requester with a manager, finance, a gm, a buyer."""
    boss = make_user("boss", "manager")
    return {
        "boss": boss,
        "rita": make_user("rita", "requester", manager="boss"),
        "fin1": make_user("fin1", "finance"),
        "fin2": make_user("fin2", "finance"),
        "gm": make_user("gm", "gm"),
        "buyer": make_user("buyer", "buyer"),
    }


URL = "/api/forms/request/records"


@pytest.fixture
def submit():
    """submit(client, **fields) → a purchase request created by client and submitted (the answer)."""

    def create_and_submit(client, **fields):
        record = client.create("request", **{"subject": "Laptops", **fields})
        response = client.post(f"{URL}/{record['id']}/transitions/submit", json={})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return create_and_submit


@pytest.fixture
def open_tasks():
    """open_tasks(client) → the open tasks of the client's user."""
    return lambda client: client.get("/api/tasks?status=open").get_json()


@pytest.fixture
def submit_claim():
    """submit_claim(client, **fields) → a claim (claims.py) created by client and submitted."""

    def create_and_submit(client, **fields):
        record = client.create("claim", **{"subject": "Trip", **fields})
        response = client.post(f"{CLAIMS}/{record['id']}/transitions/submit", json={})
        assert response.status_code == 200, response.get_json()
        return record
    return create_and_submit


@pytest.fixture
def assignees():
    """assignees(app, record_id) → [(assignee, status)] of the record's tasks, oldest first."""

    def of(app, record_id):
        with app.extensions["engine"].db.session() as session:
            rows = session.execute(select(tasks).where(tasks.c.record_id == record_id).order_by(tasks.c.id))
            return [(r.assignee, r.status) for r in rows]
    return of


@pytest.fixture
def build(write_module, make_app, tmp_path):
    """build(steps) → (app, cast) for the claims module with these approval steps."""

    def make(steps: list[dict], review: dict | None = None):
        folder = tmp_path / "claims"
        write_module(folder, module(steps, review))
        app = make_app(folder)
        return app, cast_of(app)

    return make


@pytest.fixture
def page(login, app, people):
    """page("rita") → a logged-in browser session for one of the cast."""
    sessions = {}

    def open_as(name: str):
        if name not in sessions:
            client = app.test_client()
            assert login(client, name, f"{name}-password").status_code == 302
            sessions[name] = client
        return sessions[name]
    return open_as


@pytest.fixture
def post(token_of):
    """post(client, url, back, **fields) → a page form posted with the CSRF token of the page
    it sits on (`back`), the redirect followed."""

    def send(client, url, back, **data):
        return client.post(url, data={"csrf_token": token_of(client, back), **data}, follow_redirects=True)
    return send
