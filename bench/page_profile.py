"""Profile of the list page and the layout around it (section `page_profile` of docs/benchmarks.md):
SQL statements, CPU and Jinja time per request for the peer yardstick's three list scenarios (first
page, page 2000, `status=shipped`), with the yardstick's one user and with 50 more users with roles
(the per-user costs of loading users only show with many), for one checkout of the engine.

    # a seeded database: the yardstick's 20,000 customers / 100,000 orders, plus 50 users with roles
    BENCH=../shared/peer-bench .venv/bin/python bench/page_profile.py seed /tmp/pp
    # measure a checkout (default: this one; --engine-root DIR for another, e.g. `git archive` of a commit)
    BENCH=../shared/peer-bench .venv/bin/python bench/page_profile.py run /tmp/pp after --out /tmp/pp/after.json
    # the section from two runs
    .venv/bin/python bench/page_profile.py write /tmp/pp/before.json /tmp/pp/after.json

Each run uses a fresh copy of the seeded database; the in-process figures come from
bench/peer/product_profile.py (wall time, statements, Jinja render, named steps) and from a CPU
count of our own (time.process_time per request, steadier than wall time on a busy machine).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # last: a checkout on PYTHONPATH (--engine-root) provides `engine`
from bench.report import replace_section  # noqa: E402
from bench.run import machine  # noqa: E402

SCENARIOS = {"list_first": "/f/sales_order?page=1", "list_deep": "/f/sales_order?page=2000",
             "list_filtered": "/f/sales_order?status=shipped&page=1"}
ROLES = ["viewer", "sales", "manager", "finance", "support", "warehouse"]
USERS = 50


def bench_dir() -> Path:
    path = Path(os.environ.get("BENCH", ROOT.parent / "shared" / "peer-bench"))
    if not (path / "load.py").is_file():
        sys.exit("page_profile.py: set BENCH to the peer yardstick's folder (the one with load.py)")
    return path


def env_for(db: Path, engine_root: Path | None) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", ENGINE_SECRET_KEY="bench-not-secret",
               # the yardstick's own module: the same definitions for every checkout measured
               ENGINE_CONFIG_DIR=str(bench_dir() / "targets" / "product-configs"), BENCH=str(bench_dir()))
    if engine_root is not None:
        env["PYTHONPATH"] = str(engine_root)
    return env


def seed(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for users in (0, USERS):
        db = folder / f"seeded-{users}.db"
        for stale in folder.glob(f"seeded-{users}.db*"):
            stale.unlink()
        env = env_for(db, None)
        subprocess.run([str(ROOT / ".venv/bin/engine"), "init", "--admin-password", "admin"], env=env, check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, str(bench_dir() / "targets" / "product_seed.py"), "--url", env["DATABASE_URL"],
                        "--customers", "20000", "--orders", "100000", "--map",
                        str(bench_dir() / "targets" / "product.map.json")], env=env, check=True, cwd=ROOT)
        if users:
            subprocess.run([sys.executable, __file__, "add-users", str(users)], env=env, check=True, cwd=ROOT)


def add_users(count: int) -> None:
    """`count` users with display names, emails, managers and one to three roles each."""
    from engine.app import create_app
    from engine.auth.users import create_user, get_user

    app = create_app()
    with app.extensions["engine"].db.transaction() as session:
        for i in range(1, count + 1):
            name = f"staff{i:03d}"
            if get_user(session, name) is None:
                create_user(session, name, None, {ROLES[i % 6], ROLES[(i * 7) % 6], ROLES[(i // 3) % 6]},
                            display_name=f"Staff {i:03d}", email=f"{name}@example.test",
                            manager=f"staff{(i - 1) // 8 + 1:03d}" if i > 8 else None, enforce_rules=False)


def cpu(requests: int) -> None:
    """Print, as JSON, CPU ms per request, CPU ms inside Jinja's render and SQL statements per request."""
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    from engine.app import create_app

    sys.path.insert(0, str(bench_dir()))
    from load import find_csrf

    app = create_app()
    state = app.extensions["engine"]
    count, render, starts = [0], [0.0], []
    for engine in {id(e): e for e in (state.db.engine, state.db.read_engine)}.values():
        event.listen(engine, "after_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    before_render_template.connect(lambda sender, **kw: starts.append(time.process_time()), app, weak=False)
    template_rendered.connect(lambda sender, **kw: render.__setitem__(0, render[0] + time.process_time()
                                                                      - starts.pop()), app, weak=False)
    client = app.test_client()
    body = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"username": "admin", "password": "admin",
                                         "csrf_token": find_csrf(body, "csrf_token")})
    assert answer.status_code in (302, 303), answer.status_code
    import engine

    out = {"engine": engine.__file__}
    for name, url in SCENARIOS.items():
        for _ in range(20):
            assert client.get(url).status_code == 200
        spent, jinja, statements = [], [], []
        for _ in range(requests):
            count[0], render[0] = 0, 0.0
            t0 = time.process_time()
            client.get(url)
            spent.append(time.process_time() - t0)
            jinja.append(render[0])
            statements.append(count[0])
        out[name] = {"cpu_ms": 1000 * statistics.median(spent), "jinja_cpu_ms": 1000 * statistics.median(jinja),
                     "statements": statistics.mean(statements)}
    print(json.dumps(out))


def run(folder: Path, label: str, engine_root: Path | None, out: Path, requests: int) -> None:
    result: dict[str, Any] = {"label": label, "engine_root": str(engine_root or ROOT),
                              "date": datetime.now(UTC).isoformat(timespec="minutes"), "machine": machine(),
                              "load_start": os.getloadavg(), "users": {}}
    for users in (0, USERS):
        db = folder / "run.db"
        for stale in folder.glob("run.db*"):
            stale.unlink()
        shutil.copy(folder / f"seeded-{users}.db", db)
        env = env_for(db, engine_root)
        profile_json = folder / f"profile-{label}-{users}.json"
        subprocess.run([sys.executable, str(ROOT / "bench/peer/product_profile.py"), "--app", "product",
                        "--target", str(ROOT / "bench/peer/product.json"), "--scenarios", ",".join(SCENARIOS),
                        "--requests", str(requests), "--warmup", "10", "--json", str(profile_json)],
                       env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        profile = json.loads(profile_json.read_text())["scenarios"]
        counted = json.loads(subprocess.run([sys.executable, __file__, "cpu", str(requests)], env=env, check=True,
                                            cwd=ROOT, capture_output=True, text=True).stdout)
        result.setdefault("engine", counted["engine"])
        result["users"][str(users)] = {
            name: {"wall_ms": profile[name]["wall_ms_median"], "statements": profile[name]["sql_statements"],
                   "jinja_ms": profile[name]["jinja_render_ms"], "cpu_ms": counted[name]["cpu_ms"],
                   "jinja_cpu_ms": counted[name]["jinja_cpu_ms"],
                   "statements_first_op": profile[name]["statements_first_op"]}
            for name in SCENARIOS}
    result["load_end"] = os.getloadavg()
    out.write_text(json.dumps(result, indent=1))
    print(f"wrote {out}")


def write(before: dict, after: dict, write_docs: bool, names: tuple[str | None, str | None] = (None, None)) -> str:
    def load(r: dict) -> str:
        return f"{' / '.join(f'{x:.2f}' for x in r['load_start'])} → {' / '.join(f'{x:.2f}' for x in r['load_end'])}"

    lines = ["## Page profile: list and layout (`bench/page_profile.py`)", "",
             f"- Date: {after['date'][:10]}; {after['machine']['nproc']} CPUs ({after['machine']['cpu']}), "
             f"Python {after['machine']['python']}, SQLite; other work on the machine (helpers' tests and benchmarks) "
             "skews wall times, CPU time per request less so",
             f"- Load average (1/5/15 min, start → end): before {load(before)}; after {load(after)}",
             "- Data: the peer yardstick's seed (20,000 customers, 100,000 orders) in its `product-configs` module, "
             f"signed in as admin; \"+{USERS} users\": 50 more users with display names, managers and 1–3 roles each",
             "- Method: Flask's test client in one process (no HTTP), the yardstick's three list pages, "
             "`bench/peer/product_profile.py` (wall median, statements, Jinja render incl. what templates read "
             "lazily) and `time.process_time` per request (CPU, median); each figure before → after",
             "- Commands: `BENCH=../shared/peer-bench .venv/bin/python bench/page_profile.py seed /tmp/pp`, then "
             "`... run /tmp/pp before --engine-root DIR --out before.json` (DIR: `git archive` of the commit before), "
             "`... run /tmp/pp after --out after.json`, `... write before.json after.json --before-name ... "
             "--after-name ...`",
             "",
             "| page | users | SQL statements | CPU ms | wall ms | Jinja ms (CPU) |", "|---|---|---|---|---|---|"]
    for users in ("0", str(USERS)):
        for name in SCENARIOS:
            b, a = before["users"][users][name], after["users"][users][name]
            who = "admin only" if users == "0" else f"+{users}"
            lines.append(f"| `{name}` | {who} | {b['statements']:.0f} → {a['statements']:.0f} | "
                         f"{b['cpu_ms']:.1f} → {a['cpu_ms']:.1f} | {b['wall_ms']:.1f} → {a['wall_ms']:.1f} | "
                         f"{b['jinja_cpu_ms']:.2f} → {a['jinja_cpu_ms']:.2f} |")
    first = after["users"]["0"]["list_first"]["statements_first_op"]
    lines += ["", f"Before: {names[0] or before['engine_root']}; after: {names[1] or after['engine_root']}. "
              "What changed for these pages: the user list was read twice per list page with one roles query per "
              "user (1 + 2 × (1 + users) statements), now the page looks up only the people its cells show, by "
              "name, in one statement, and a user filter's choices read every user with their roles in one; the "
              "session check reads the user with their roles in one statement instead of two; the top bar's three "
              "counts ran in a transaction of their own on every render, now they are one statement inside the "
              "page's transaction, read only when a template shows them; list cells are worked out in Python "
              "(`engine/ui/display.py` `list_cells`) instead of a macro with three calls per cell.", "",
              "Statements of the first page after (admin; the count is the bounded total):", "",
              *[f"    {s[:110].rstrip()}" for s in first], "",
              "Left: the session check's own read (BEGIN + the user, before the view's transaction), the saved views "
              "menu's read, and the layout's own Jinja cost (about 2 ms of CPU here: some 40 translated strings and "
              "30 `url_for` per page).", ""]
    body = "\n".join(lines)
    if write_docs:
        replace_section(ROOT / "docs/benchmarks.md", "page_profile", body)
    return body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("seed").add_argument("folder", type=Path)
    sub.add_parser("add-users").add_argument("count", type=int)
    sub.add_parser("cpu").add_argument("requests", type=int)
    r = sub.add_parser("run")
    r.add_argument("folder", type=Path)
    r.add_argument("label")
    r.add_argument("--engine-root", type=Path, help="a checkout to measure instead of this one")
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--requests", type=int, default=150)
    w = sub.add_parser("write")
    w.add_argument("before", type=Path)
    w.add_argument("after", type=Path)
    w.add_argument("--no-write", action="store_true", help="print the section without writing docs")
    w.add_argument("--before-name", help="what the before run measured (default: its engine root)")
    w.add_argument("--after-name", help="what the after run measured")
    args = ap.parse_args()
    if args.command == "seed":
        seed(args.folder)
    elif args.command == "add-users":
        add_users(args.count)
    elif args.command == "cpu":
        cpu(args.requests)
    elif args.command == "run":
        run(args.folder, args.label, args.engine_root, args.out, args.requests)
    else:
        print(write(json.loads(args.before.read_text()), json.loads(args.after.read_text()), not args.no_write,
                    (args.before_name, args.after_name)))


if __name__ == "__main__":
    main()
