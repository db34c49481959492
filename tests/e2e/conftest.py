"""Browser tests: the real app served on 127.0.0.1 by a werkzeug server in a thread,
driven by Playwright with Debian's Chromium (no browser downloads). SQLite by default: the
browser layer is the same whatever the database, which the API tests cover twice; a module
that imports tests.conftest's `db_url` runs on both."""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from werkzeug.serving import make_server

from engine.auth.users import create_user
from tests.conftest import CHROMIUM, SHIPPED

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 780}
# The catalogue of the `live` app: (name, unit, list price); order and quotation lines link to it.
CATALOGUE = [("工业控制器 IC-200", "台", "3200.00"), ("伺服电机 SM-750", "台", "1850.00"),
             ("安装调试服务", "套", "2000.00"), ("数控机床 CNC-600", "台", "86000.00"),
             ("剑杆织机改造套件", "套", "24000.00"), ("气动阀门 PV-40", "个", "420.00")]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")


def pytest_collection_modifyitems(items) -> None:
    """A browser test that fails is run once more before it counts as failed (pytest reports it as
    rerun, `R`): on a loaded 2-CPU machine a browser's timing varies far more than the product's
    answers, and these tests wait on the browser. The API and page tests, which check the same
    rules without a browser, are never rerun."""
    for item in items:
        if "tests/e2e/" in item.nodeid or item.nodeid.startswith("e2e/"):
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture
def db_url(tmp_path):  # SQLite unless the module imports tests.conftest's db_url (see the docstring)
    return f"sqlite:///{tmp_path / 'e2e.db'}"


@pytest.fixture
def serve(make_app):
    """serve(app) → the base URL of app served on 127.0.0.1 in a thread, stopped after the test.

    It takes `make_app` so that it stops first: the server ends, and the requests still running
    (a late fetch of the page) finish, before the apps' connections are closed; a connection
    still checked out at that point would be left open."""
    running = []

    def start(app) -> str:
        busy = _InFlight(app)
        server = make_server("127.0.0.1", 0, busy, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((server, thread, busy))
        return f"http://127.0.0.1:{server.server_port}"
    yield start
    for server, thread, busy in running:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        busy.wait_idle(timeout=10)


class _InFlight:
    """A WSGI app counting the requests still running: werkzeug's request threads are daemons
    that the server does not wait for. Each answer is read whole and its body closed here,
    before werkzeug sends it: werkzeug skips the close when the client goes away while it
    drains the request, which would leave a static file open (and a streamed export's
    connection checked out) until the garbage collector finds it inside a later test."""

    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.active = 0

    def __call__(self, environ, start_response):
        with self.lock:
            self.active += 1
        try:
            body = self.app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            with self.lock:
                self.active -= 1

    def wait_idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.active and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def live(serve, make_app, tmp_path):
    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    app = make_app(folder)
    with app.extensions["engine"].db.transaction() as session:
        create_user(session, "lisa", "lisa-password", {"sales_manager"}, display_name="李莎")
        create_user(session, "zhangwei", "zhangwei-password", {"sales"}, display_name="张伟", manager="lisa")
        create_user(session, "wangfang", "wangfang-password", {"sales"}, display_name="王芳", manager="lisa")
        create_user(session, "zhaolei", "zhaolei-password", {"finance"}, display_name="赵磊")
        create_user(session, "sunli", "sunli-password", {"production"}, display_name="孙丽")
        create_user(session, "zhouqiang", "zhouqiang-password", {"warehouse"}, display_name="周强")
    _catalogue(app)
    return serve(app)


def _catalogue(app) -> None:
    from zoneinfo import ZoneInfo

    from engine.auth.users import SYSTEM_USER
    from engine.records.context import open_context
    from engine.services.records import create_record

    state = app.extensions["engine"]
    with open_context(state.db, state.runtime(), SYSTEM_USER, tzinfo=ZoneInfo("Asia/Shanghai"), write=True) as ctx:
        for index, (name, unit, price) in enumerate(CATALOGUE):
            create_record(ctx, "product", {"code": f"P-{1001 + index}", "name": name, "unit": unit, "price": price},
                          system=True)


def pick(page, select_id: str, text: str) -> None:
    """Choose the option containing `text` in the link picker of the <select> with this id
    (`customer`, or `items-0-product` in a line of a table), and check that the choice took:
    on a busy machine a late search answer can redraw the list under the click, which then
    chooses nothing, so the pick is tried once more before failing."""
    for _attempt in range(2):
        _pick_once(page, select_id, text)
        chosen = page.locator(f"#{select_id}").evaluate(
            "select => Array.from(select.selectedOptions).map(option => option.text).join(' ')")
        if " ".join(text.split()).lower() in " ".join(chosen.split()).lower():
            return
    raise AssertionError(f"picker {select_id}: {text!r} was not chosen (it holds {chosen!r})")


def _pick_once(page, select_id: str, text: str) -> None:
    from playwright.sync_api import expect

    page.click(f"#{select_id}-ts-control")
    page.keyboard.type(text.split()[0])
    # the search answers (the preload on focus, then the typed words) redraw the list: click once
    # they are in, not in between
    page.wait_for_load_state("networkidle")
    page.locator(".ts-dropdown:visible .option", has_text=text).first.click()
    # leave the picker as a person moving on would: a search answer arriving late (a busy machine)
    # opens the list again only while the picker has the focus, and then over the next control
    page.locator(f"#{select_id}-ts-control").evaluate("control => control.blur()")
    dropdown = page.locator(f"#{select_id}-ts-dropdown")
    try:
        expect(dropdown).to_be_hidden(timeout=3_000)
    except AssertionError:  # reopened by a late answer while the blur was on its way: close it for good
        page.evaluate("id => { const picker = document.getElementById(id).tomselect; picker.blur(); picker.close(); }",
                      select_id)
        expect(dropdown).to_be_hidden()


@pytest.fixture
def open_page(chromium, live):
    contexts = []

    def open_page(user: str | None = None, viewport: dict | None = None):
        context = chromium.new_context(viewport=viewport or DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        questions: list[str] = []  # confirmation dialogs are answered "yes" and remembered

        def answer(dialog) -> None:
            questions.append(dialog.message)
            dialog.accept()
        page.on("dialog", answer)
        page.questions = questions  # type: ignore[attr-defined]
        if user:
            _log_in(page, live, user)
        return page

    yield open_page
    for context in contexts:
        context.close()


#: Page and Locator methods that act on an element: each first waits for the page's `load` event.
ACTIONS = ("click", "dblclick", "tap", "check", "uncheck", "set_checked", "fill", "type", "press",
           "select_option", "hover", "drag_and_drop", "drag_to", "set_input_files")


def _after_load(action):
    def act(self, *args, **kwargs):
        (self if isinstance(self, Page) else self.page).wait_for_load_state()
        return action(self, *args, **kwargs)
    act.__wrapped__ = action  # type: ignore[attr-defined]
    return act


# A click on a link goes on as soon as the new page is committed, and an `expect` on its markup passes
# as soon as it is parsed, before its scripts have run: a dropdown clicked then stays shut. A person
# cannot click that fast; the wait returns at once on a loaded page. For every page and locator of
# the browser tests (this process only drives browsers here).
for _kind in (Page, Locator):
    for _name in ACTIONS:
        if hasattr(_kind, _name) and not hasattr(getattr(_kind, _name), "__wrapped__"):
            setattr(_kind, _name, _after_load(getattr(_kind, _name)))


def _log_in(page, base: str, user: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", f"{user}-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _shoot(page, name: str) -> None:
    """Keep the latest screenshot of a page in docs/screenshots (linked from the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(150)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def log_in():
    """log_in(page, base, user) → the page logged in as user (password: user + "-password")."""
    return _log_in


@pytest.fixture
def shoot():
    """shoot(page, name) → docs/screenshots/<name>.png, the page as it looks now."""
    return _shoot


@pytest.fixture
def create_customer():
    """create_customer(page, base, name) → a grade A customer created through its form, its page open."""
    from playwright.sync_api import expect

    def create(page, base: str, name: str) -> None:
        page.goto(f"{base}/f/customer/new")
        page.fill("#name", name)
        page.select_option("#grade", "A")
        page.fill("#phone", "13812345678")
        # the click leaves the phone field, whose duplicate check may show its hint between mouse
        # down and up: the hint's line is kept from the start, so the click still lands on Save
        page.click("[data-testid=save]")
        expect(page.locator("h1")).to_contain_text(name)
    return create
