"""Fixtures: an app built with `create_app` on a real database, SQLite (a temp file)
or PostgreSQL (a schema of its own in database `test`), from the shipped or test configs.
The database starts as `initialise` leaves it, copied from one this worker prepared for
the same definition texts (tests/databases.py).

Every test that takes `app` runs on both backends; set ENGINE_TEST_DATABASES=sqlite
to run only one.

The clock: every test runs at a fixed time of day (UTC, `ENGINE_TEST_CLOCK`, default 17:30)
on today's UTC date, with time ticking on from there. At 17:30 UTC it is already the next
day in Shanghai (the engine's zone) but not in UTC or the Americas, so a test that mixes
the machine's date with the engine's fails on every run instead of 8 hours a day. Expected
dates come from `engine_today()`, in the engine's named zone. CI runs the `dates` tests a
second time under another `TZ` and clock (see .ci/run).
"""
from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.app import create_app
from engine.auth import users as users_module
from engine.auth.users import create_user, issue_token
from tests.databases import PG_BASE, PreparedDatabases
from tests.databases import initialise as _initialise

pytest_plugins = [
    "tests.cli_fixtures",  # env, engine_cli, free_port, get_json
    "tests.page_fixtures",  # csrf_from, token_of, login, browser, admin_browser
]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "configs"
TEST_CONFIGS = Path(__file__).resolve().parent / "configs"
# Hashing cost is not what the suite tests; scrypt would spend ~0.15 s per user.
users_module.PASSWORD_METHOD = "pbkdf2:sha256:1000"

ENGINE_ZONE = ZoneInfo("Asia/Shanghai")  # the engine's default ENGINE_TIMEZONE
_CLOCK = time.fromisoformat(os.environ.get("ENGINE_TEST_CLOCK", "17:30"))


def frozen_instant() -> datetime:
    """Today (UTC) at the test clock's time of day: where every test starts."""
    return datetime.combine(datetime.now(UTC).date(), _CLOCK, tzinfo=UTC)


FROZEN_NOW = frozen_instant()


@pytest.fixture(autouse=True)
def _test_clock() -> Iterator[datetime]:
    with time_machine.travel(FROZEN_NOW, tick=True):
        yield FROZEN_NOW


def _engine_today() -> date:
    return datetime.now(ENGINE_ZONE).date()


@pytest.fixture
def engine_today() -> Callable[[], date]:
    """engine_today() → today's date where the engine lives (Asia/Shanghai), never the machine's."""
    return _engine_today


BACKENDS = [b.strip() for b in os.environ.get("ENGINE_TEST_DATABASES", "sqlite,postgres").split(",") if b.strip()]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, prepared: PreparedDatabases) -> Iterator[str]:
    """An empty database: a SQLite file not yet created, or a new PostgreSQL schema. `make_app`
    fills it from a database prepared once per worker for the same definition texts."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'engine.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    prepared.create_schema(schema)
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        prepared.release(schema)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped configs; tests may rewrite files in it."""
    target = tmp_path / "configs"
    shutil.copytree(SHIPPED, target)
    return target


def _write_module(folder: Path, doc: dict[str, Any], name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or doc['module']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def write_module() -> Callable[..., Path]:
    """write_module(folder, doc, name=None) → folder/<name or doc's module>.json holding doc."""
    return _write_module


@pytest.fixture
def initialise() -> Callable[[str, Path], None]:
    """initialise(url, folder): what `engine init` does, on any database (the tables, an admin)."""
    return _initialise


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreparedDatabases]:
    """This worker's databases as `initialise` leaves them, one per definition set and backend."""
    keeper = PreparedDatabases(tmp_path_factory.mktemp("prepared"))
    yield keeper
    keeper.close()


@pytest.fixture
def make_app(db_url: str, tmp_path: Path, prepared: PreparedDatabases) -> Iterator[Callable[..., Any]]:
    apps = []

    def make(folder: Path | None = None, **settings: Any):
        folder = folder or tmp_path / "configs"
        if not apps:
            prepared.initialise(db_url, folder)
        app = create_app({
            "DATABASE_URL": db_url,
            "ENGINE_CONFIG_DIR": str(folder),
            "ENGINE_SECRET_KEY": "test-secret",
            "ENGINE_RELOAD_INTERVAL": 0,
            **settings,
        })
        app.testing = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["engine"].db.dispose()


@pytest.fixture
def app(make_app: Callable[..., Any], config_dir: Path):
    return make_app(config_dir)


class ApiClient:
    """A test client that sends one user's Bearer token."""

    def __init__(self, app: Any, token: str, name: str) -> None:
        self.client = app.test_client()
        self.token = token
        self.name = name

    def _call(self, method: str, url: str, **kwargs: Any):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return getattr(self.client, method)(url, headers=headers, **kwargs)

    def get(self, url: str, **kw: Any):
        return self._call("get", url, **kw)

    def post(self, url: str, **kw: Any):
        return self._call("post", url, **kw)

    def patch(self, url: str, **kw: Any):
        return self._call("patch", url, **kw)

    def delete(self, url: str, **kw: Any):
        return self._call("delete", url, **kw)

    def create(self, form: str, **fields: Any) -> dict[str, Any]:
        response = self.post(f"/api/forms/{form}/records", json={"fields": fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def make_user(app: Any) -> Callable[..., ApiClient]:
    """make_user("alice", "sales", manager=None, email=None) → an ApiClient acting as alice."""

    def make(name: str, *roles: str, manager: str | None = None, email: str | None = None) -> ApiClient:
        db = app.extensions["engine"].db
        with db.transaction() as session:
            user = create_user(session, name, f"{name}-password", set(roles), manager=manager, email=email)
            token = issue_token(session, user)
        return ApiClient(app, token, name)

    return make


@pytest.fixture
def admin(make_user: Callable[..., ApiClient], app: Any) -> ApiClient:
    db = app.extensions["engine"].db
    from engine.auth.users import get_user

    with db.transaction() as session:
        token = issue_token(session, get_user(session, "admin"))
    return ApiClient(app, token, "admin")


@pytest.fixture
def catalogue(admin: ApiClient) -> Callable[..., int]:
    """catalogue("阀门", price="420.00", unit="个") → the id of an enabled product of the shipped
    catalogue with that name (made once per test by admin), for the line items that link to it."""
    made: dict[str, int] = {}

    def product(name: str, price: str = "100.00", unit: str = "个", **fields: Any) -> int:
        if name not in made:
            made[name] = admin.create("product", code=f"T-{len(made) + 1:03d}", name=name, price=price, unit=unit,
                                      **fields)["id"]
        return made[name]
    return product


@pytest.fixture
def race() -> Callable[[int, Callable[[int], Any]], list[Any]]:
    """race(n, action) → [action(0), ..., action(n-1)], run by n threads released at once."""

    def run(n: int, action: Callable[[int], Any]) -> list[Any]:
        barrier = threading.Barrier(n)

        def start(i: int) -> Any:
            barrier.wait()
            return action(i)

        with ThreadPoolExecutor(n) as pool:
            return list(pool.map(start, range(n)))
    return run


@pytest.fixture
def approve_for_production(make_user: Callable[..., ApiClient]) -> Callable[[ApiClient, int], None]:
    """approve_for_production(seller, order_id): a shipped sales order submitted and passed by
    finance, so that warehouse and production see it (from 生产排期 on)."""

    def approve(seller: ApiClient, order_id: int) -> None:
        finance = make_user(f"fin{order_id}", "finance")
        assert seller.post(f"/api/forms/sales_order/records/{order_id}/transitions/submit",
                           json={}).status_code == 200
        task = finance.get("/api/tasks").get_json()[0]
        assert finance.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    return approve


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium per test process (Playwright allows one sync driver)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Tests whose results depend on today's date or the time of day; CI runs them a second
# time under another TZ and clock. A test elsewhere can take @pytest.mark.dates itself.
DATE_SENSITIVE = ("modules/", "scheduler/", "expressions/test_expr_evaluate.py",
                  "expressions/test_expr_sql_parity.py", "ui/test_expr_js.py",
                  "test_cli.py::test_reminders_run_once_and_with_a_bad_time")  # a --now without an offset
# ... except these, whose results depend on neither: a second run would only repeat them.
NOT_DATE_SENSITIVE = (
    "modules/test_openapi.py",  # the API's schema, and fuzzing it
    "modules/test_demo_users.py",  # demo people and roles
    "modules/test_import_unstorable_text.py",  # NUL and lone surrogates in imported text
    "scheduler/test_exactly_once.py",  # two processes, one explicit instant; timers' dates: test_timers
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests_dir = Path(__file__).resolve().parent
    for item in items:
        relative = Path(str(item.fspath)).resolve().relative_to(tests_dir).as_posix()
        test = f"{relative}::{item.name}"
        if test.startswith(DATE_SENSITIVE) and not test.startswith(NOT_DATE_SENSITIVE):
            item.add_marker(pytest.mark.dates)


class SmtpInbox:
    """What a real SMTP server (aiosmtpd) received: (recipients, message) per mail."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        from email import message_from_bytes

        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[str, SmtpInbox]]:
    """A real SMTP server on a free local port: (ENGINE_SMTP_URL, inbox)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


class Hook:
    """A webhook receiver that fails the first `failures` calls with 500."""

    def __init__(self, failures: int) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.failures = failures
        self.calls: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                hook.headers.append(dict(self.headers))
                hook.calls.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(500 if len(hook.calls) <= hook.failures else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hook_factory() -> Iterator[Callable[[int], Hook]]:
    """hook_factory(failures) → a running webhook receiver (stopped after the test)."""
    made: list[Hook] = []

    def make(failures: int) -> Hook:
        made.append(Hook(failures))
        return made[-1]
    yield make
    for hook in made:
        hook.server.shutdown()
        hook.server.server_close()
