"""Start-up and reload of a large app (not a timed test): 50 forms of 40 fields each.

Generates the definitions (bench/startup_defs.py: mixed field types, links between forms,
line-item tables, formulas, lists with filters and views, a workflow with an approval on every
third form) and measures, each in a fresh process:

- `engine validate` of the set;
- start-up on an empty database: `engine init` (creates the 100 tables), then the app is created
  and serves its first request (a logged-in list page);
- start-up on a database already migrated: app creation and the first request;
- a definition reload seen by requests: a server process (`engine serve`, 1 sync worker) is asked
  for a list page by one client in a loop while another process changes the files (a field added to one
  form), RELOADS times, each time until the server serves the new set (its signature, asked between two
  timed requests) and one second more; every request's time is recorded, and the slowest during the
  reloads is compared with the slowest before them.

on SQLite and PostgreSQL, and writes `<!-- section:startup -->` of docs/benchmarks.md. Wall times
on a loaded 2-CPU machine vary: each figure also gives the process's CPU time.

    .venv/bin/python bench/startup.py                  # both databases, ~1 minute
    .venv/bin/python bench/startup.py --databases sqlite --no-write
    .venv/bin/python bench/startup.py --reload-only --baseline /tmp/base --no-write   # an extracted older tree
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import replace_section  # noqa: E402
from bench.startup_defs import FIELDS, FORMS, write  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
ENGINE = str(ROOT / ".venv" / "bin" / "engine")


def engine_of(root: Path | None) -> list[str]:
    """The `engine` command of this tree, or of another checkout (`--compare`)."""
    if root is None:
        return [ENGINE]
    return [PY, "-c", f"import sys; sys.path.insert(0, {str(root)!r}); from engine.cli import main; main()"]
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "bench-password-1"
RUNS = 3
RELOADS = 3


def loadavg() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    cpu = platform.processor()
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


# -- the child: one start-up, timed from inside ------------------------------------------------

def child(folder: str, url: str, root: str | None = None) -> None:
    """Create the app (of the checkout `root`, else this one) and serve one logged-in list page;
    print the phases as JSON."""
    started = time.perf_counter()
    if root:
        sys.path.insert(0, root)
    from engine.app import create_app

    imported = time.perf_counter()
    app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": folder, "ENGINE_SECRET_KEY": "bench"})
    created = time.perf_counter()
    client = app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    client.post("/login", data={"username": "admin", "password": PASSWORD,
                                "csrf_token": token.group(1) if token else ""})
    logged_in = time.perf_counter()
    response = client.get("/f/form03")
    assert response.status_code == 200, response.status_code
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"import": imported - started, "create_app": created - imported,
                      "login": logged_in - created, "first_page": done - logged_in,
                      "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))


def run_child(folder: Path, url: str, root: Path | None = None) -> dict[str, float]:
    began = time.perf_counter()
    out = subprocess.run([PY, __file__, "--child", str(folder), url, *([str(root)] if root else [])],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - began
    return result


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a command in a fresh process."""
    began = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - began, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# -- databases ---------------------------------------------------------------------------------

class Scratch:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema (dropped at the end)."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind, self.tmp, self.schemas = kind, tmp, []

    def new(self) -> str:
        if self.kind == "sqlite":
            path = self.tmp / f"db{len(self.schemas)}.sqlite"
            self.schemas.append(str(path))
            return f"sqlite:///{path}"
        from sqlalchemy import create_engine, text

        schema = f"bench_startup_{os.getpid()}_{len(self.schemas)}"
        engine = create_engine(PG, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        self.schemas.append(schema)
        return f"{PG}?options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        if self.kind != "postgres":
            return
        from sqlalchemy import create_engine, text

        engine = create_engine(PG, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for schema in self.schemas:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def env_for(url: str, folder: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(folder), "ENGINE_SECRET_KEY": "bench",
            "ENGINE_ADMIN_PASSWORD": PASSWORD}


# -- reload ------------------------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reload_run(folder: Path, url: str, root: Path | None = None, reloads: int = RELOADS) -> dict[str, Any]:
    """Serve with one sync worker; a client asks for a list page in a loop (logged in) while the
    files change `reloads` times, each time until the server serves the new set; the request times
    before and during the reloads, and how long each reload took to be served."""
    port = free_port()
    env = {**env_for(url, folder), "ENGINE_RELOAD_INTERVAL": "1"}
    server = subprocess.Popen([*engine_of(root), "serve", "--port", str(port), "--workers", "1", "--no-scheduler"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn = _connect(port)
        cookie = _login(conn)
        times: list[tuple[float, float]] = []  # (started, seconds)
        served: list[str] = [_signature(conn, cookie)]  # the set the server serves, asked between requests
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                began = time.perf_counter()
                conn.request("GET", "/f/form03", headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                assert response.status == 200, response.status
                times.append((began, time.perf_counter() - began))
                if len(times) % 5 == 0:  # not timed
                    served.append(_signature(conn, cookie))

        worker = threading.Thread(target=loop)
        worker.start()
        time.sleep(4)
        changes, took = [], []
        path = folder / "mod4.json"
        for n in range(reloads):
            serving = served[-1]
            changes.append(time.perf_counter())
            doc = json.loads(path.read_text(encoding="utf-8"))
            doc["forms"][0]["fields"].append({"name": f"added{n}", "type": "text", "label": "Added"})
            path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            deadline = time.perf_counter() + 120
            while served[-1] == serving and time.perf_counter() < deadline:
                time.sleep(0.05)
            assert served[-1] != serving, "the server did not switch to the changed files"
            took.append(time.perf_counter() - changes[-1])
            time.sleep(1)
        stop.set()
        worker.join()
        before = [t for began, t in times if began < changes[0]]
        during = [t for began, t in times if began >= changes[0]]
        return {"before_max": max(before), "before_median": sorted(before)[len(before) // 2],
                "during_max": max(during), "during_median": sorted(during)[len(during) // 2],
                "during_over_100ms": sum(1 for t in during if t > 0.1), "reloads": reloads,
                "reload_seconds": took, "requests": len(times)}
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave it behind
            server.kill()
            server.wait(10)


def _connect(port: int) -> http.client.HTTPConnection:
    deadline = time.time() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/login")
            conn.getresponse().read()
            return conn
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def _signature(conn: http.client.HTTPConnection, cookie: str) -> str:
    conn.request("GET", "/api/admin/definitions", headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, response.status
    return json.loads(body)["signature"]


def _login(conn: http.client.HTTPConnection) -> str:
    conn.request("GET", "/login")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    from urllib.parse import urlencode

    form = urlencode({"username": "admin", "password": PASSWORD, "csrf_token": token.group(1) if token else ""})
    conn.request("POST", "/login", body=form, headers={"Cookie": cookie,
                                                      "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    return (response.getheader("Set-Cookie") or cookie).split(";")[0]


# -- main --------------------------------------------------------------------------------------

def measure(kind: str, tmp: Path, root: Path | None = None, reload_only: bool = False) -> dict[str, Any]:
    """The figures of one database kind, with this tree's engine or that of checkout `root` (which
    may not know `indexes`: the generated set then goes without them)."""
    scratch = Scratch(kind, tmp)
    figures: dict[str, Any] = {"kind": kind if root is None else f"{kind}-before"}
    engine, tag = engine_of(root), "before" if root else "now"
    try:
        fresh, migrated = [], []
        for _ in range(0 if reload_only else RUNS):
            folder = write(tmp / f"defs-{kind}-{tag}-{len(fresh)}", indexes=root is None)
            url = scratch.new()
            env = env_for(url, folder)
            init_wall, init_cpu = timed([*engine, "init"], env)
            first = run_child(folder, url, root)
            fresh.append({"init_wall": init_wall, "init_cpu": init_cpu, **first})
            migrated.append(run_child(folder, url, root))
        figures["fresh"], figures["migrated"] = fresh, migrated
        folder = write(tmp / f"defs-{kind}-{tag}-reload", indexes=root is None)
        url = scratch.new()
        timed([*engine, "init"], env_for(url, folder))
        figures["reload"] = reload_run(folder, url, root, RELOADS)
    finally:
        scratch.drop()
    return figures


def compare(kind: str, tmp: Path, rev: str) -> dict[str, Any]:
    """The figures of the engine at commit `rev`, checked out in a temporary worktree."""
    tree = tmp / f"engine-{rev[:12]}"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT, check=True)
    try:
        return measure(kind, tmp, tree)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)


def best(rows: list[dict[str, float]], key: str) -> float:
    return min((r[key] for r in rows), default=float("nan"))


def report(results: list[dict[str, Any]], validate: list[tuple[float, float]], loads: list[str],
           command: str, compared: str = "") -> str:
    lines = [
        f"Start-up of a generated app of {FORMS} forms × {FIELDS} fields (bench/startup_defs.py: mixed types, "
        "links, line items, formulas, lists, a workflow with an approval on every third form).",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}",
        f"- Load average (1/5/15): {loads[0]} at the start, {loads[-1]} at the end",
        f"- Command: `{command}`",
        "",
        f"Best of {RUNS} fresh processes, seconds (wall; CPU of the process in brackets):",
        "",
    ]
    by = {r["kind"]: r for r in results}
    kinds = [k for k in ("sqlite-before", "sqlite", "postgres-before", "postgres") if k in by]
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL", "sqlite-before": "SQLite, before",
             "postgres-before": "PostgreSQL, before"}
    lines += ["| step | " + " | ".join(names[k] for k in kinds) + " |", "|---|" + "---|" * len(kinds)]

    def cell(kind: str, fn: Any) -> str:
        return fn(by[kind]) if kind in by else "—"

    v_wall, v_cpu = min(w for w, _ in validate), min(c for _, c in validate)
    lines.append(f"| `engine validate` (whole process, this tree) | {v_wall:.2f} ({v_cpu:.2f}) |"
                 + " |" * (len(kinds) - 1))
    rows = [
        ("`engine init` on an empty database (whole process: creates 100 tables)",
         lambda r: f"{best(r['fresh'], 'init_wall'):.2f} ({best(r['fresh'], 'init_cpu'):.2f})"),
        ("then start + first page (whole process)",
         lambda r: f"{best(r['fresh'], 'wall'):.2f} ({best(r['fresh'], 'cpu'):.2f})"),
        ("start + first page, database already migrated (whole process)",
         lambda r: f"{best(r['migrated'], 'wall'):.2f} ({best(r['migrated'], 'cpu'):.2f})"),
        ("… of which imports", lambda r: f"{best(r['migrated'], 'import'):.2f}"),
        ("… create_app (load + validate the live set, build tables)",
         lambda r: f"{best(r['migrated'], 'create_app'):.2f}"),
        ("… login", lambda r: f"{best(r['migrated'], 'login'):.2f}"),
        ("… first list page", lambda r: f"{best(r['migrated'], 'first_page'):.2f}"),
        ("peak RSS, MB", lambda r: f"{best(r['migrated'], 'rss_mb'):.0f}"),
        ("reload: requests (list page, 1 client) seen", lambda r: f"{r['reload']['requests']}"),
        ("reload: slowest request before the change, ms", lambda r: f"{r['reload']['before_max'] * 1000:.0f}"),
        ("reload: slowest request during the reloads, ms", lambda r: f"{r['reload']['during_max'] * 1000:.0f}"),
        ("reload: requests over 100 ms during the reloads",
         lambda r: f"{r['reload']['during_over_100ms']}"),
        ("reload: median before / during, ms",
         lambda r: f"{r['reload']['before_median'] * 1000:.0f} / {r['reload']['during_median'] * 1000:.0f}"),
        ("reload: seconds from the change to the new set served",
         lambda r: " / ".join(f"{t:.1f}" for t in r["reload"]["reload_seconds"])),
    ]
    for title, fn in rows:
        lines.append(f"| {title} | " + " | ".join(cell(k, fn) for k in kinds) + " |")
    if any(k.endswith("-before") for k in kinds):
        lines += ["", f"\"before\": the engine at {compared}, same machine, same run, "
                  "the same generated set without `indexes` (unknown to it)."]
    return "\n".join(lines)


def main() -> None:
    global RELOADS
    parser = argparse.ArgumentParser()
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--compare", metavar="REV", help="also measure the engine of this commit (a git worktree)")
    parser.add_argument("--baseline", metavar="DIR", help="also measure the engine of this extracted tree")
    parser.add_argument("--reload-only", action="store_true", help="only the reload (no start-up figures)")
    parser.add_argument("--reloads", type=int, default=RELOADS)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    loads = [loadavg()]
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as name:
        tmp = Path(name)
        folder = write(tmp / "defs")
        validate = [timed([ENGINE, "validate", str(folder)], dict(os.environ))
                    for _ in range(1 if args.reload_only else RUNS)]
        results = []
        RELOADS = args.reloads
        for kind in args.databases.split(","):
            if args.compare:
                results.append(compare(kind, tmp, args.compare))
            if args.baseline:
                results.append(measure(kind, tmp, Path(args.baseline).resolve(), args.reload_only))
            results.append(measure(kind, tmp, reload_only=args.reload_only))
    loads.append(loadavg())
    command = ".venv/bin/python bench/startup.py" + (f" --databases {args.databases}"
                                                      if args.databases != "sqlite,postgres" else "") + (
        f" --compare {args.compare}" if args.compare else "") + (
        f" --baseline {args.baseline}" if args.baseline else "") + (" --reload-only" if args.reload_only else "") + (
        f" --reloads {args.reloads}" if args.reloads != 3 else "")
    compared = (f"commit {args.compare} (`--compare {args.compare}`)" if args.compare
                else f"`{args.baseline}` (`--baseline`)" if args.baseline else "")
    text = report(results, validate, loads, command, compared)
    print(text)
    print(json.dumps(results, indent=1), file=sys.stderr)
    if not args.no_write:
        replace_section(ROOT / "docs" / "benchmarks.md", "startup", text)


if __name__ == "__main__":
    main()
