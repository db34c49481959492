"""An unreachable database: the app still starts, answers 503 with Retry-After (JSON on the
API, a page for people), and serves again once the database is back, without a restart.
PostgreSQL is reached through a TCP relay this test opens and closes; SQLite through a
file in a directory that is missing at first."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from engine.app import create_app
from engine.auth.users import get_user, issue_token
from engine.store.db import Database
from engine.web import startup

CLOSED = "postgresql+psycopg://someone:s3cret@127.0.0.1:1/engine"


class Relay:
    """A TCP relay to a real server that can be switched off (listener and every connection)
    and on again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def start(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def stop(self) -> None:
        for sock in [self._listener, *self._open]:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
        self._open.clear()
        self._listener = None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _app(url: str, config_dir: Path):
    app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(config_dir),
                      "ENGINE_SECRET_KEY": "test-secret", "ENGINE_RELOAD_INTERVAL": 0})
    app.testing = True
    return app


def _token(url: str) -> str:
    db = Database(url)
    try:
        with db.transaction() as session:
            return issue_token(session, get_user(session, "admin"))
    finally:
        db.dispose()


def _assert_503(response, *, json: bool) -> None:
    assert response.status_code == 503, response.data[:300]
    assert int(response.headers["Retry-After"]) > 0
    if json:
        assert response.get_json()["error"]["code"] == "database_unavailable"
    else:
        assert response.mimetype == "text/html"
    assert b"Traceback" not in response.data and b"s3cret" not in response.data


@pytest.fixture(autouse=True)
def _retry_at_once(monkeypatch):
    monkeypatch.setattr(startup, "RETRY_SECONDS", 0.0)


def test_the_app_starts_with_the_database_down_and_answers_503(config_dir):
    app = _app(CLOSED, config_dir)
    client = app.test_client()
    _assert_503(client.get("/api/forms", headers={"Authorization": "Bearer x"}), json=True)
    _assert_503(client.get("/api/forms/customer/records", headers={"Authorization": "Bearer x"}), json=True)
    login = client.post("/login", data={"username": "admin", "password": "x"})
    assert login.status_code in (400, 503)  # the CSRF check may refuse first; never 500
    app.config["WTF_CSRF_ENABLED"] = False
    _assert_503(client.post("/login", data={"username": "admin", "password": "x"}), json=False)


def test_sqlite_in_a_missing_directory_answers_503_then_serves_once_it_exists(initialise, tmp_path, config_dir):
    url = f"sqlite:///{tmp_path / 'later' / 'engine.db'}"
    app = _app(url, config_dir)
    client = app.test_client()
    _assert_503(client.get("/api/forms", headers={"Authorization": "Bearer x"}), json=True)

    (tmp_path / "later").mkdir()
    initialise(url, config_dir)
    token = _token(url)
    response = client.get("/api/forms", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    app.extensions["engine"].db.dispose()


def test_postgres_down_at_start_then_up_then_down_then_up_without_restart(initialise, db_url, config_dir):
    if not db_url.startswith("postgresql"):
        pytest.skip("the relay is for a server database")
    real = make_url(db_url)
    initialise(db_url, config_dir)
    token = _token(db_url)
    headers = {"Authorization": f"Bearer {token}"}
    relay = Relay((real.host, real.port or 5432))
    app = _app(real.set(port=relay.port).render_as_string(hide_password=False), config_dir)
    client = app.test_client()
    try:
        _assert_503(client.get("/api/forms", headers=headers), json=True)  # down at start

        relay.start()
        assert client.get("/api/forms", headers=headers).status_code == 200  # back: no restart

        browser = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        assert browser.post("/login", data={"username": "admin", "password": "admin-password"}).status_code == 302
        assert browser.get("/").status_code == 200

        relay.stop()
        _assert_503(client.get("/api/forms/customer/records", headers=headers), json=True)  # lost on the way
        page = browser.get("/")  # a signed-in person gets a page saying so
        _assert_503(page, json=False)
        assert "503" in page.get_data(as_text=True)

        relay.start()
        response = client.get("/api/forms/customer/records", headers=headers)
        assert response.status_code == 200, response.data[:300]
        assert browser.get("/").status_code == 200
    finally:
        app.extensions["engine"].db.dispose()
        relay.stop()


def test_an_uninitialised_database_answers_503_until_engine_init_has_run(initialise, tmp_path, config_dir):
    url = f"sqlite:///{tmp_path / 'engine.db'}"
    app = _app(url, config_dir)
    client = app.test_client()
    _assert_503(client.get("/api/forms", headers={"Authorization": "Bearer x"}), json=True)
    initialise(url, config_dir)
    response = client.get("/api/forms", headers={"Authorization": f"Bearer {_token(url)}"})
    assert response.status_code == 200
    app.extensions["engine"].db.dispose()
