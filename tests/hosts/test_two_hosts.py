"""Two hosts, one truth: two `engine serve` masters (separate gunicorn processes on their own
ports, as two hosts would run them) on one PostgreSQL database and one config dir, behind a
local nginx that sends requests round robin. Writes through both and reads through both see
the same records; two updates of one version from both hosts give one 200 and one 409 (no lost
update); a definition published through host A is what host B serves on the next request
(ENGINE_RELOAD_INTERVAL=0, see README "Deploying several hosts"); reminders due while the
scheduler loops on both hosts fire exactly once. Every process is ended by the fixtures."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from engine.store.system import notifications, timers
from tests.conftest import TEST_CONFIGS
from tests.hosts.cluster import (
    ENGINE,
    UPSTREAM_HEADER,
    Process,
    nginx_binary,
    start_host,
    start_nginx,
    wait_until,
)

pytestmark = pytest.mark.postgres_only

FORM = "/api/forms/memo"
RECORDS = f"{FORM}/records"


@dataclass
class Answer:
    status: int
    body: Any
    upstream: str  # the host (127.0.0.1:port) nginx sent the request to; "" for a direct call


def call(port: int, method: str, path: str, token: str, body: dict | None = None) -> Answer:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, json.load(response), response.headers.get(UPSTREAM_HEADER, ""))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, json.load(exc), exc.headers.get(UPSTREAM_HEADER, ""))


@dataclass
class Cluster:
    a: int  # host A's port
    b: int  # host B's port
    nginx: int  # the port of nginx in front of both
    token: str  # admin's API token
    env: dict[str, str]
    folder: Path
    processes: list[Process]

    def start(self, name: str, *args: str) -> Process:
        """Another process of the hosts' environment (e.g. a scheduler loop), ended with the cluster."""
        proc = Process([ENGINE, *args], {**self.env, "PYTHONUNBUFFERED": "1"}, self.folder / f"{name}.log",
                       self.folder)
        self.processes.append(proc)
        return proc


@pytest.fixture
def cluster(db_url: str, engine_cli, tmp_path: Path) -> Iterator[Cluster]:
    if db_url.startswith("sqlite"):
        pytest.skip("several hosts share one PostgreSQL database (an SQLite file belongs to one host)")
    if nginx_binary() is None:
        pytest.skip("nginx is not installed: run scripts/ensure-services.sh")
    configs = tmp_path / "configs"
    shutil.copytree(TEST_CONFIGS / "hosts", configs)
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_CONFIG_DIR": str(configs),
           "ENGINE_SECRET_KEY": "one-key-for-every-host", "ENGINE_RELOAD_INTERVAL": "0", "ENGINE_PROXY_COUNT": "1"}
    for key in ("ENGINE_SMTP_URL", "ENGINE_WEBHOOK_URL", "ENGINE_SCHEDULER"):
        env.pop(key, None)
    engine_cli(env, "init", "--admin-password", "admin-password", cwd=tmp_path)
    token = engine_cli(env, "users", "token", "admin", cwd=tmp_path).stdout.strip().splitlines()[-1]
    processes: list[Process] = []
    try:
        host_a, port_a = start_host(env, tmp_path, "a")
        processes.append(host_a)
        host_b, port_b = start_host(env, tmp_path, "b")
        processes.append(host_b)
        proxy, port = start_nginx(tmp_path / "nginx", [port_a, port_b])
        processes.append(proxy)
        yield Cluster(port_a, port_b, port, token, env, tmp_path, processes)
    finally:
        for proc in reversed(processes):
            proc.stop()


def test_writes_and_reads_through_both_hosts_see_one_truth(cluster: Cluster):
    c = cluster
    hosts = {f"127.0.0.1:{c.a}", f"127.0.0.1:{c.b}"}
    created = [call(c.nginx, "POST", RECORDS, c.token, {"fields": {"title": f"M{i}", "amount": i}})
               for i in range(6)]
    assert [a.status for a in created] == [201] * 6, [a.body for a in created]
    assert {a.upstream for a in created} == hosts  # round robin: written through both
    for answer in created:
        record = answer.body
        seen = [call(port, "GET", f"{RECORDS}/{record['id']}", c.token) for port in (c.a, c.b, c.nginx, c.nginx)]
        assert [s.status for s in seen] == [200] * 4
        assert {(s.body["fields"]["title"], s.body["fields"]["amount"], s.body["version"]) for s in seen} \
            == {(record["fields"]["title"], record["fields"]["amount"], record["version"])}
    lists = [call(c.nginx, "GET", f"{RECORDS}?per_page=50", c.token) for _ in range(2)]
    assert {a.upstream for a in lists} == hosts  # read through both
    assert [sorted(i["id"] for i in a.body["items"]) for a in lists] == [sorted(a.body["id"] for a in created)] * 2


def race(c: Cluster, record_id: int, version: int, amounts: dict[int, int]) -> dict[int, Answer]:
    """PATCH one record with the same version through each host (port → amount) at the same moment."""
    gate = threading.Barrier(len(amounts))
    answers: dict[int, Answer] = {}

    def update(port: int) -> None:
        gate.wait(timeout=10)
        answers[port] = call(port, "PATCH", f"{RECORDS}/{record_id}", c.token,
                             {"version": version, "fields": {"amount": amounts[port]}})
    threads = [threading.Thread(target=update, args=(port,)) for port in amounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return answers


def test_one_version_updated_through_both_hosts_at_once_is_one_200_and_one_409(cluster: Cluster):
    c = cluster
    record = call(c.nginx, "POST", RECORDS, c.token, {"fields": {"title": "shared", "amount": 0}}).body
    for round_ in range(1, 4):  # a few races, each through both hosts at the same moment
        version = call(c.nginx, "GET", f"{RECORDS}/{record['id']}", c.token).body["version"]
        answers = race(c, record["id"], version, {port: port * 10 + round_ for port in (c.a, c.b)})
        assert sorted(a.status for a in answers.values()) == [200, 409], {p: a.body for p, a in answers.items()}
        winner = next(port for port, a in answers.items() if a.status == 200)
        for port in (c.a, c.b, c.nginx, c.nginx):  # every host tells the winner's value, once counted
            now = call(port, "GET", f"{RECORDS}/{record['id']}", c.token).body
            assert (now["fields"]["amount"], now["version"]) == (winner * 10 + round_, version + 1)
    # Through nginx as well: the same stale version sent twice, once to each host.
    version = call(c.nginx, "GET", f"{RECORDS}/{record['id']}", c.token).body["version"]
    first, second = (call(c.nginx, "PATCH", f"{RECORDS}/{record['id']}", c.token,
                          {"version": version, "fields": {"amount": n}}) for n in (1, 2))
    assert (first.status, second.status) == (200, 409)
    assert first.upstream != second.upstream


def test_a_field_published_through_host_a_is_served_by_host_b_on_the_next_request(cluster: Cluster):
    c = cluster
    state = call(c.a, "GET", "/api/admin/designer", c.token).body
    files = state["files"]
    memo = next(f for f in files["hosts.json"]["forms"] if f["name"] == "memo")
    memo["fields"].append({"name": "room", "type": "text", "label": "Room"})
    base = state["live"]["signature"]
    saved = call(c.a, "PUT", "/api/admin/designer/draft", c.token, {"base_signature": base, "sources": files})
    assert (saved.status, saved.body["problems"]) == (200, [])
    assert "room" not in [f["name"] for f in call(c.b, "GET", FORM, c.token).body["fields"]]
    published = call(c.a, "POST", "/api/admin/designer/publish", c.token, {"base_signature": base, "note": "room"})
    assert published.status == 200, published.body
    # No polling: the very next requests to host B, directly and through nginx, know the field.
    assert "room" in [f["name"] for f in call(c.b, "GET", FORM, c.token).body["fields"]]
    forms = [call(c.nginx, "GET", FORM, c.token) for _ in range(2)]
    assert {a.upstream for a in forms} == {f"127.0.0.1:{c.a}", f"127.0.0.1:{c.b}"}
    assert all("room" in [f["name"] for f in a.body["fields"]] for a in forms)
    written = call(c.b, "POST", RECORDS, c.token, {"fields": {"title": "in B", "room": "B-204"}})
    assert written.status == 201, written.body
    assert call(c.a, "GET", f"{RECORDS}/{written.body['id']}", c.token).body["fields"]["room"] == "B-204"
    # and the hosts' config dir, which lacks the field, never takes it back
    assert "room" not in (c.folder / "configs" / "hosts.json").read_text(encoding="utf-8")


def test_reminders_due_while_both_hosts_run_the_scheduler_fire_once(cluster: Cluster):
    c = cluster
    count = 20
    db = create_engine(c.env["DATABASE_URL"])
    with db.connect() as conn:  # the real clock, which the servers read (this test's is frozen)
        due = conn.execute(select(func.now())).scalar_one() + timedelta(seconds=3)  # due while both loops run
    for i in range(count):
        answer = call(c.nginx, "POST", RECORDS, c.token,
                      {"fields": {"title": f"R{i}", "remind_at": due.isoformat(timespec="seconds")}})
        assert answer.status == 201, answer.body
    # What `engine serve` runs beside its workers (its scheduler), here every 0.2 s on each host.
    loops = [c.start(f"scheduler-{host}", "reminders", "run", "--loop", "--interval", "0.2") for host in "ab"]
    try:
        def fired() -> int:
            with db.connect() as conn:
                return conn.execute(select(func.count()).select_from(timers)
                                    .where(timers.c.status == "fired")).scalar_one()

        def reported() -> list[str]:
            return [line for loop in loops for line in loop.output().splitlines() if line.startswith("fired")]
        wait_until(lambda: fired() == count, 60, "every reminder fired", interval=0.2, watch=loops)
        # a pass prints what it fired after its commit: wait for the print before ending the loops
        wait_until(lambda: len(reported()) >= count, 30, "the schedulers reported every firing", watch=loops)
        for loop in loops:  # a pass still running finishes or rolls back: nothing can fire after this
            loop.stop()
        with db.connect() as conn:
            statuses = Counter(conn.execute(select(timers.c.status)).scalars())
            told = Counter(conn.execute(select(notifications.c.record_id, notifications.c.kind)
                                        .where(notifications.c.user_name == "admin")).all())
    finally:
        db.dispose()
    assert statuses == {"fired": count}
    assert len(told) == count and set(told.values()) == {1}, told  # each reminder once, none lost
    assert len(reported()) == count, [loop.output()[-2000:] for loop in loops]  # the two reports: one firing each


def test_a_login_and_a_form_from_one_host_are_good_on_the_other(cluster: Cluster):
    """Sessions and CSRF tokens are signed cookies (the shared ENGINE_SECRET_KEY): no sticky sessions."""
    c = cluster
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def page(port: int, path: str, form: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with browser.open(f"http://127.0.0.1:{port}{path}", data=data, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def csrf(html: str) -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) \
            or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
        assert found, html[:500]
        return found.group(1)

    _status, _url, login = page(c.a, "/login")
    status, url, _html = page(c.a, "/login", {"username": "admin", "password": "admin-password",
                                              "csrf_token": csrf(login)})
    assert status == 200 and "/login" not in url
    status, url, _html = page(c.b, "/f/memo")  # host B knows host A's session
    assert status == 200 and url.endswith("/f/memo"), url
    _status, _url, form = page(c.a, "/f/memo/new")
    status, url, _html = page(c.b, "/f/memo/new", {"title": "posted to B", "csrf_token": csrf(form)})
    assert status == 200 and re.search(r"/f/memo/\d+$", url), url
    record = int(url.rsplit("/", 1)[1])
    assert call(c.a, "GET", f"{RECORDS}/{record}", c.token).body["fields"]["title"] == "posted to B"
