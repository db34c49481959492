"""In-process profile of the record page and the create page (GET + POST), for the
`page_profile_records` section of docs/benchmarks.md (not a timed test).

Through the Flask test client (no HTTP server), on SQLite files under --dir, as the admin:

- `bench`: the peer yardstick's module (bench/peer/product-configs: customer + sales_order)
  with --customers / --orders rows seeded by the yardstick's seed (--peer): the record page
  of a random order, and creating an order (the create page, then its POST with the CSRF token);
- `followup`: the shipped configs/crm.json + configs/order_followup.json (of the checkout whose
  engine runs): a sales order with two lines (serial number, workflow, a date reminder timer
  on `payment_due`, line fill and formulas, history) created on its page, its record page, and
  a payment created on its page (which refreshes the order's `collected` rollup).

For each: SQL statements per request (the first measured one listed with --statements), wall
and process CPU milliseconds per request (mean and median of --requests after --warmup).
With --baseline also the yardstick's hand-written app (peers/baseline, in this venv) on the
same rows, detail and create. With --write the figures go into docs/benchmarks.md; runs of
older checkouts are given as --before LABEL=FILE (the --json of this script run there).

    # an older checkout's engine (git archive COMMIT | tar -x -C /tmp/old), then this one:
    PYTHONPATH=/tmp/old .venv/bin/python bench/record_pages.py --json /tmp/before.json
    .venv/bin/python bench/record_pages.py --baseline --json /tmp/after.json --write --before before=/tmp/before.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH, so that an older checkout's engine can be profiled

from sqlalchemy import event  # noqa: E402

SECTION = "page_profile_records"
PEER = ROOT.parent / "shared" / "peer-bench"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def machine() -> str:
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    name = cpu.group(1).strip() if cpu else "?"
    return f"{len(os.sched_getaffinity(0))} CPUs ({name}), Python {sys.version.split()[0]}"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def make_app(folder: Path, url: str):
    from engine.app import create_app
    from engine.auth.users import create_user
    from engine.definitions import load_directory
    from engine.store.db import Database
    from engine.store.sync import sync_schema

    db = Database(url)
    try:
        sync_schema(db, load_directory(folder))
        with db.transaction() as session:
            create_user(session, "admin", "admin", {"admin"}, enforce_rules=False)
    finally:
        db.dispose()
    app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(folder), "ENGINE_SECRET_KEY": "bench"})
    return app


def login(app):
    client = app.test_client()
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "admin", "password": "admin", "csrf_token": token})
    assert response.status_code in (302, 303), response.status_code
    return client


class Statements:
    """SQL statements run on the engines."""

    def __init__(self, engines) -> None:
        self.seen: list[str] = []
        for engine in {id(e): e for e in engines}.values():
            event.listen(engine, "before_cursor_execute", self._note)

    def _note(self, conn, cursor, statement, *args) -> None:
        self.seen.append(" ".join(statement.split())[:140])


def measure(engines, op, requests: int, warmup: int) -> dict[str, Any]:
    sql = Statements(engines)
    for _ in range(warmup):
        op()
    walls, cpus, counts, first = [], [], [], None
    for _ in range(requests):
        sql.seen = []
        w0, c0 = time.perf_counter(), time.process_time()
        op()
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
        counts.append(len(sql.seen))
        first = first or list(sql.seen)
    return {"statements": statistics.median(counts), "statements_max": max(counts),
            "wall_ms_mean": 1000 * statistics.fmean(walls), "wall_ms_median": 1000 * statistics.median(walls),
            "cpu_ms_mean": 1000 * statistics.fmean(cpus), "cpu_ms_median": 1000 * statistics.median(cpus),
            "first": first}


def bench_module(work: Path, peer: Path, configs: Path, customers: int, orders: int, requests: int,
                 warmup: int) -> dict:
    folder = work / "bench-configs"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(configs, folder)
    db_file = work / "bench.db"
    for path in work.glob("bench.db*"):
        path.unlink()
    app = make_app(folder, f"sqlite:///{db_file}")
    subprocess.run([sys.executable, str(peer / "targets" / "product_seed.py"), "--url", f"sqlite:///{db_file}",
                    "--customers", str(customers), "--orders", str(orders),
                    "--map", str(ROOT / "bench" / "peer" / "product.map.json")], check=True, capture_output=True)
    return _bench_pages(app, [app.extensions["engine"].db.engine, app.extensions["engine"].db.read_engine],
                        "/f/sales_order", "customer", customers, orders, requests, warmup)


def baseline_module(work: Path, peer: Path, customers: int, orders: int, requests: int, warmup: int) -> dict:
    """The peer yardstick's hand-written app (peers/baseline) on the same rows, the same two pages."""
    db_file = work / "baseline.db"
    for path in work.glob("baseline.db*"):
        path.unlink()
    url = f"sqlite:///{db_file}"
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(peer / "peers" / "baseline"))
    from app import create_app  # type: ignore[import-not-found]
    from db import db  # type: ignore[import-not-found]
    from models import Base, User  # type: ignore[import-not-found]
    from werkzeug.security import generate_password_hash

    app = create_app()
    Base.metadata.create_all(db.get_bind())
    db.add(User(username="admin", password_hash=generate_password_hash("admin")))
    db.commit()
    db.remove()
    subprocess.run([sys.executable, str(peer / "seed.py"), "--url", url, "--customers", str(customers),
                    "--orders", str(orders)], check=True, capture_output=True)
    return _bench_pages(app, [db.get_bind()], "/orders", "customer_id", customers, orders, requests, warmup)


def _bench_pages(app, engines, base: str, customer_field: str, customers: int, orders: int, requests: int,
                 warmup: int) -> dict:
    client = login(app)
    rng = random.Random(7)
    counter = iter(range(1, 10**9))

    def detail():
        oid = rng.randint(1, orders)
        response = client.get(f"{base}/{oid}")
        assert response.status_code == 200, response.status_code

    def create():
        token = csrf(client.get(f"{base}/new").get_data(as_text=True))
        response = client.post(f"{base}/new", data={
            "csrf_token": token, "order_no": f"PF{next(counter):08d}", customer_field: str(rng.randint(1, customers)),
            "amount": f"{rng.uniform(100, 100000):.2f}", "status": "draft", "delivery_date": "2027-01-15"})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[-800:]

    return {"detail": measure(engines, detail, requests, warmup), "create": measure(engines, create, requests, warmup)}


def followup_module(work: Path, configs: Path, requests: int, warmup: int) -> dict:
    folder = work / "followup-configs"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in ("crm.json", "order_followup.json"):
        shutil.copy(configs / name, folder / name)
    for path in work.glob("followup.db*"):
        path.unlink()
    app = make_app(folder, f"sqlite:///{work / 'followup.db'}")
    from engine.auth.users import create_user

    with app.extensions["engine"].db.transaction() as session:  # the order's salesperson
        create_user(session, "zhang", "zhang-password", {"sales"}, enforce_rules=False)
    client = login(app)

    def api(form: str, **fields) -> int:
        token = csrf(client.get(f"/f/{form}/new").get_data(as_text=True))
        response = client.post(f"/f/{form}/new", data={"csrf_token": token, **fields})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[-800:]
        return int(response.headers["Location"].rsplit("/", 1)[1])

    customer = api("customer", name="杭州恒达机械")
    products = [api("product", code=f"P{i}", name=f"气动阀门 {i}", unit="台", price="1200.00",
                    enabled="y") for i in range(2)]
    orders: list[int] = []

    def create_order():
        orders.append(api("sales_order", customer=str(customer), order_date="2026-03-01",
                          delivery_date="2026-04-01", payment_due="2026-05-01", salesperson="zhang",
                          **{"items-0-product": str(products[0]), "items-0-qty": "3",
                             "items-1-product": str(products[1]), "items-1-qty": "2"}))

    def detail():
        response = client.get(f"/f/sales_order/{random.choice(orders)}")
        assert response.status_code == 200

    def create_payment():
        api("payment", order=str(orders[-1]), amount="100.00", paid_on="2026-03-02", method="银行转账")

    engines = [app.extensions["engine"].db.engine, app.extensions["engine"].db.read_engine]
    out = {"create_order": measure(engines, create_order, requests, warmup),
           "detail_order": measure(engines, detail, requests, warmup),
           "create_payment": measure(engines, create_payment, requests, warmup)}
    with app.extensions["engine"].db.session() as session:
        from sqlalchemy import text
        out["checks"] = {
            "timers": session.execute(text("SELECT count(*) FROM engine_timers")).scalar_one(),
            "history": session.execute(text("SELECT count(*) FROM engine_history")).scalar_one(),
            "last_collected": str(session.execute(text(
                "SELECT collected FROM rec_sales_order ORDER BY id DESC LIMIT 1")).scalar_one()),
        }
    app.extensions["engine"].db.dispose()
    return out


ROWS = [("bench", "detail", "record page of an order (bench module)"),
        ("bench", "create", "create an order: page + POST (bench module)"),
        ("followup", "detail_order", "record page of a sales order (order_followup)"),
        ("followup", "create_order", "create a sales order with 2 lines, reminder, history (order_followup)"),
        ("followup", "create_payment", "create a payment, refreshing the order's rollup (order_followup)")]


def render(runs: list[tuple[str, dict]], note: str = "") -> str:
    """The section: each run's conditions, then every row as before → ... → after, then the
    last run against the hand-written app measured in that same run."""
    last = runs[-1][1]
    lines = ["## Record page and create page: in-process profile (issue 15)", "",
             "SQL statements and milliseconds per request through the Flask test client (no HTTP server) on "
             "SQLite, as the admin: `bench/record_pages.py` (its docstring says what each row does). "
             "CPU is the process's CPU time per request (the test client's share included), the steadier "
             "figure on a loaded machine; read wall times with the load average.", ""]
    for label, run in runs:
        lines.append(f"- {label}: {run['date']}, commit {run['commit']}, {run['machine']}, load average "
                     f"{run['load_start']} at the start, {run['load_end']} at the end; "
                     f"{run['requests']} requests per row after {run['warmup']} warm-up ones; "
                     f"`{run['command']}`")
    names = " → ".join(label for label, _run in runs)
    lines += ["", f"| request | statements ({names}) | CPU ms, median ({names}) | wall ms, median ({names}) |",
              "|---|---:|---:|---:|"]
    for setup, key, title in ROWS:
        cells = [r["results"][setup][key] for _label, r in runs]
        statements = " → ".join(format(c["statements"], "g") for c in cells)
        cpu = " → ".join(format(c["cpu_ms_median"], ".1f") for c in cells)
        wall = " → ".join(format(c["wall_ms_median"], ".1f") for c in cells)
        lines.append(f"| {title} | {statements} | {cpu} | {wall} |")
    base = last["results"].get("baseline")
    if base:
        lines += ["", f"Against the hand-written app (the yardstick's peers/baseline, same rows, same pages) in the "
                  f"{runs[-1][0]} run:", "",
                  "| request | product statements | baseline statements | product CPU ms | baseline CPU ms | "
                  "CPU ratio |", "|---|---:|---:|---:|---:|---:|"]
        pairs = [("record page of an order (bench module)", last["results"]["bench"]["detail"], base["detail"]),
                 ("create an order (bench module)", last["results"]["bench"]["create"], base["create"]),
                 ("create a sales order with lines, reminder, history (order_followup) vs the baseline create",
                  last["results"]["followup"]["create_order"], base["create"]),
                 ("create a payment refreshing a rollup (order_followup) vs the baseline create",
                  last["results"]["followup"]["create_payment"], base["create"])]
        for title, product, peer in pairs:
            lines.append(f"| {title} | {product['statements']:g} | {peer['statements']:g} | "
                         f"{product['cpu_ms_median']:.1f} | {peer['cpu_ms_median']:.1f} | "
                         f"{product['cpu_ms_median'] / peer['cpu_ms_median']:.2f}× |")
    lines += ["", f"Statements of one create of an order (bench module, page + POST), {runs[-1][0]}:", "", "```"]
    lines += last["results"]["bench"]["create"]["first"]
    lines += ["```", "", f"Statements of one record page (bench module), {runs[-1][0]}:", "", "```"]
    lines += last["results"]["bench"]["detail"]["first"]
    lines += ["```"]
    if note:
        lines += ["", note]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="/tmp/record-pages", help="where the SQLite files go")
    ap.add_argument("--peer", default=str(PEER), help="the peer yardstick's folder (targets/product-configs)")
    ap.add_argument("--bench-configs", default=str(ROOT / "bench" / "peer" / "product-configs"),
                    help="the bench module's folder (an older engine: the yardstick's targets/product-configs)")
    ap.add_argument("--customers", type=int, default=20_000)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--before", action="append", default=[], metavar="LABEL=FILE",
                    help="the --json of a run on older code, shown before this one (repeatable, oldest first)")
    ap.add_argument("--label", default="after", help="this run's name in the section")
    ap.add_argument("--note", default="", help="a paragraph added at the end of the section")
    ap.add_argument("--baseline", action="store_true",
                    help="also profile the yardstick's hand-written app (--peer) on the same rows")
    ap.add_argument("--write", action="store_true", help="write the section into docs/benchmarks.md")
    ap.add_argument("--statements", action="store_true", help="print the statements of one request of each row")
    args = ap.parse_args()
    import engine

    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    source = Path(engine.__file__).resolve().parent.parent
    commit = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "(not a checkout)"
    run: dict[str, Any] = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                           "commit": f"{commit} ({source})", "load_start": loadavg(), "requests": args.requests,
                           "warmup": args.warmup, "command": " ".join(["bench/record_pages.py", *sys.argv[1:]])}
    run["results"] = {"bench": bench_module(work, Path(args.peer), Path(args.bench_configs), args.customers,
                                            args.orders, args.requests, args.warmup),
                      "followup": followup_module(work, source / "configs", args.requests, args.warmup)}
    if args.baseline:
        run["results"]["baseline"] = baseline_module(work, Path(args.peer), args.customers, args.orders,
                                                     args.requests, args.warmup)
    run["load_end"] = loadavg()
    for setup, key, title in ROWS:
        r = run["results"][setup][key]
        print(f"{title}: {r['statements']:g} statements (max {r['statements_max']}), CPU {r['cpu_ms_median']:.2f} ms, "
              f"wall {r['wall_ms_median']:.2f} ms (median)")
        if args.statements:
            print("    " + "\n    ".join(r["first"]))
    print("checks:", run["results"]["followup"]["checks"], "load", run["load_start"], "→", run["load_end"])
    if args.json:
        Path(args.json).write_text(json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write:
        from bench.report import replace_section

        runs = [(label, json.loads(Path(path).read_text(encoding="utf-8")))
                for label, path in (item.split("=", 1) for item in args.before)]
        replace_section(ROOT / "docs" / "benchmarks.md", SECTION, render([*runs, (args.label, run)], args.note))

if __name__ == "__main__":
    main()
