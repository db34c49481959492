"""A million records like ten thousand (not a timed test): the salesperson's lists under the row rule, the
dashboard chart by chart and the board, on PostgreSQL at 10,000 and 1,000,000 records.

Both shipped modules are loaded (configs/). Each size gets a schema of its own in the `bench_million`
database, seeded with COPY: N customers (`customer`, 50 salespeople, 5 % in the public pool, stage
`active`/`pool`), N sales orders (`sales_order`, spread over the stages, amounts, dates), approvals with
one task for every tenth order (assigned to salespeople and managers, 3 % still open) and a carbon copy
for every fiftieth, so the approver/participant part of the row rule has rows to look at.

Requests run in-process through the WSGI app (Flask test client, pages logged in as a browser is): the
figure is the median wall time of `--repeat` requests after one warm-up, with every SQL statement a
request issues timed, and the slowest ones EXPLAIN ANALYZEd. A dashboard page of chart frames is also
timed complete: each frame's figures (`data-src`) fetched alone and all of them at once (see `complete`).

    .venv/bin/python bench/million.py --label before --keep     # seed (once), measure, keep the schemas
    .venv/bin/python bench/million.py --label after --reuse     # measure again on the kept data
    .venv/bin/python bench/million.py --render                  # write the section from bench/million-*.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402

from bench.common import SERVER, explain  # noqa: E402
from bench.report import replace_section  # noqa: E402
from bench.run import (  # noqa: E402
    BATCH,
    COPY_COLUMNS,
    SALES_USERS,
    customer_options,
    machine,
    pg_info,
    seed_rows,
)
from engine.auth.users import create_user, get_user  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.runtime import build_runtime  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

CONFIGS = ROOT / "configs"
DATABASE = "bench_million"
MANAGERS = ["manager1", "manager2", "manager3"]
PASSWORD = "Bench-password-1"
STAGES = ["draft", "review", "scheduling", "production", "shipped", "invoicing", "collecting", "done", "cancelled"]
STAGE_WEIGHTS = [3, 1, 2, 3, 2, 2, 7, 75, 5]
TERMS = ["款到发货", "货到付款", "月结30天", "月结60天"]


def url_of(schema: str) -> str:
    return f"{SERVER}/{DATABASE}?options=-csearch_path%3D{schema}"


def ensure_schema(schema: str, fresh: bool) -> None:
    server = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}).first() is None:
            conn.execute(text(f"CREATE DATABASE {DATABASE}"))
    server.dispose()
    admin = create_engine(f"{SERVER}/{DATABASE}", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if fresh:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    admin.dispose()


def drop_schema(schema: str) -> None:
    admin = create_engine(f"{SERVER}/{DATABASE}", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


# -- seeding ----------------------------------------------------------------------------

def customer_lines(size: int, now: datetime):
    """bench/run.py's customers, placed where the workflow keeps them: a pool customer has
    no owner and stage `pool`, the others stage `active`."""
    pool = COPY_COLUMNS.index("in_pool")
    owner = COPY_COLUMNS.index("owner")
    for line in seed_rows(size, now, random.Random(20261123 + size), customer_options()):
        values = line.rstrip("\n").split("\t")
        values[0] = "pool" if values[pool] == "t" else "active"
        if values[pool] == "t":
            values[owner] = "\\N"
        yield "\t".join(values) + "\n"


ORDER_COLUMNS = ["stage", "version", "created_by", "created_at", "updated_at", "order_no", "customer",
                 "salesperson", "order_date", "delivery_date", "payment_terms", "amount", "discount", "total",
                 "collected", "outstanding", "shipped_on", "payment_due", "on_time", "collection_days",
                 "has_exception"]


def order_lines(size: int, now: datetime):
    rng = random.Random(7 + size)
    start = now - timedelta(days=730)
    step = (now - start) / size
    today = now.date()
    for i in range(size):
        created = start + step * i
        stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
        seller = SALES_USERS[rng.randrange(50)]
        amount = rng.randrange(1_000, 500_000)
        discount = rng.randrange(0, amount // 10 + 1)
        total = amount - discount
        ordered = created.date()
        shipped = ordered + timedelta(days=rng.randrange(3, 40)) \
            if STAGES.index(stage) >= STAGES.index("shipped") and stage != "cancelled" else None
        collected = total if stage == "done" else (rng.randrange(0, total + 1) if stage == "collecting" else 0)
        due = (shipped + timedelta(days=30)) if shipped else None
        values = [
            stage, "1", seller, created.isoformat(), created.isoformat(), f"SO{i:08d}",
            str(rng.randrange(1, size + 1)), seller, ordered.isoformat(),
            (ordered + timedelta(days=rng.randrange(10, 60))).isoformat(), rng.choice(TERMS),
            f"{amount}.00", f"{discount}.00", f"{total}.00", f"{collected}.00", f"{total - collected}.00",
            shipped.isoformat() if shipped else None, due.isoformat() if due else None,
            ("t" if rng.random() < 0.85 else "f") if shipped else None,
            str(rng.randrange(10, 90)) if stage == "done" else None,
            "t" if rng.random() < 0.04 else "f",
        ]
        if due and due > today and stage == "collecting":
            values[ORDER_COLUMNS.index("payment_due")] = (today - timedelta(days=rng.randrange(1, 30))).isoformat()
        yield "\t".join("\\N" if v is None else v for v in values) + "\n"


def _copy(cur: Any, table: str, columns: list[str], lines: Any) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= BATCH:
                copy.write("".join(chunk))
                chunk = []
        if chunk:
            copy.write("".join(chunk))


def approval_lines(size: int, now: datetime):
    """(approvals, tasks, carbon copies) lines: an approval of every tenth order, one task each."""
    rng = random.Random(11 + size)
    approvals, tasks, copies = [], [], []
    people = SALES_USERS + MANAGERS
    approval_id = 0
    for order_id in range(1, size + 1, 10):
        approval_id += 1
        at = (now - timedelta(days=rng.randrange(1, 700))).isoformat()
        open_task = rng.random() < 0.03
        finished = "\\N" if open_task else at
        approvals.append(f"{approval_id}\tsales_order\t{order_id}\treview\tdraft\t{SALES_USERS[0]}\t"
                         f"{'pending' if open_task else 'approved'}\t0\t1\t{at}\t{finished}\n")
        who = rng.choice(people)
        status = "open" if open_task else rng.choice(["approved", "approved", "closed"])
        acted = "\\N" if status != "approved" else who
        tasks.append(f"{approval_id}\tsales_order\t{order_id}\tmanager\t0\t1\t{who}\t{status}\t{acted}\t{at}\n")
        if rng.random() < 0.2:
            copies.append(f"{approval_id}\tsales_order\t{order_id}\t{rng.choice(SALES_USERS)}\tmanager\t{at}\n")
    return approvals, tasks, copies


def seed(url: str, size: int) -> dict[str, Any]:
    started = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    db = Database(url)
    app_def = load_directory(CONFIGS)
    sync_schema(db, app_def)
    runtime = build_runtime(app_def, db)
    customers = runtime.tables("customer").table.name
    orders = runtime.tables("sales_order").table.name
    with db.transaction() as session:
        if get_user(session, "admin") is None:
            create_user(session, "admin", PASSWORD, {"admin"}, enforce_rules=False)
            for name in SALES_USERS:
                create_user(session, name, PASSWORD, {"sales"}, enforce_rules=False)
            for name in MANAGERS:
                create_user(session, name, PASSWORD, {"sales_manager"}, enforce_rules=False)
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute(f"TRUNCATE {customers}, {orders}, engine_approvals, engine_tasks, engine_carbon_copies "
                        "RESTART IDENTITY CASCADE")
            _copy(cur, customers, COPY_COLUMNS, customer_lines(size, now))
            _copy(cur, orders, ORDER_COLUMNS, order_lines(size, now))
            approvals, tasks, copies = approval_lines(size, now)
            _copy(cur, "engine_approvals", ["id", "form", "record_id", "stage", "return_stage", "submitter", "status",
                                            "step_index", "round", "started_at", "finished_at"], approvals)
            _copy(cur, "engine_tasks", ["approval_id", "form", "record_id", "step", "step_index", "round",
                                        "assignee", "status", "acted_by", "created_at"], tasks)
            _copy(cur, "engine_carbon_copies", ["approval_id", "form", "record_id", "user_name", "step",
                                                "created_at"], copies)
            cur.execute("SELECT setval(pg_get_serial_sequence('engine_approvals', 'id'), %s)", (len(approvals),))
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            for table in (customers, orders, "engine_approvals", "engine_tasks", "engine_carbon_copies"):
                cur.execute(f"VACUUM (ANALYZE) {table}")
        conn.autocommit = False
    finally:
        raw.close()
        db.dispose()
    return {"seconds": time.perf_counter() - started, "tasks": len(tasks), "copies": len(copies)}


def prepare(url: str) -> list[str]:
    """Bring a kept schema up to this engine (`engine init`'s sync: system tables and their
    indexes, form tables and theirs); what it did."""
    db = Database(url)
    try:
        sync_schema(db, load_directory(CONFIGS))
        with db.engine.connect() as conn:
            return [r[0] for r in conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"))]
    finally:
        db.dispose()


# -- measuring --------------------------------------------------------------------------

SCENARIOS = [
    # key, who, method path, title
    ("list", "sales", "/api/forms/customer/records", "salesperson: customers, first page (row rule)"),
    ("filtered", "sales", "/api/forms/customer/records?grade=A", "salesperson: customers grade=A (row rule)"),
    ("orders", "sales", "/api/forms/sales_order/records", "salesperson: orders, first page (own + approver/cc)"),
    ("orders_filtered", "sales", "/api/forms/sales_order/records?stage=collecting",
     "salesperson: orders stage=collecting (own + approver/cc)"),
    ("dashboard_admin", "admin", "/dashboard", "dashboard page, admin (every chart)"),
    ("dashboard_manager", "manager1", "/dashboard", "dashboard page, sales manager"),
    ("dashboard_sales", "sales", "/dashboard", "dashboard page, salesperson"),
    ("dashboard_admin_inline", "admin", "/dashboard?inline=1", "dashboard computed on the server (inline=1), admin"),
    ("board_customers", "admin", "/f/customer?view=board", "board of customers, admin"),
    ("board_orders", "admin", "/f/sales_order?view=board", "board of sales orders, admin"),
    ("board_orders_sales", "sales", "/f/sales_order?view=board", "board of sales orders, salesperson"),
]


def login(client: Any, name: str) -> None:
    import re
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert token, html[:300]
    answer = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token.group(1)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]


def complete(app: Any, name: str, page: str, repeat: int, page_ms: float) -> dict[str, Any]:
    """The dashboard as a browser completes it: after the page (its chart frames), every frame's
    `data-src` fetched at once. Each piece is timed alone (median of `repeat`), then all of them
    together from one thread per piece (as a browser's parallel requests on as many server workers;
    a client of its own each, logged in), `repeat` times: the page plus the slowest of them is when
    the user sees the last chart. A page that computes its charts itself (no frames) adds nothing."""
    import re
    from concurrent.futures import ThreadPoolExecutor
    from html import unescape

    srcs = list(dict.fromkeys(unescape(s) for s in re.findall(r'data-src="([^"]+)"', page)))
    if not srcs:
        return {}
    headers = {"Accept": "application/json"}
    clients = []
    for _src in srcs:
        client = app.test_client()
        login(client, name)
        clients.append(client)

    def fetch(pair: tuple[Any, str]) -> float:
        client, src = pair
        start = time.perf_counter()
        answer = client.get(src, headers=headers)
        assert answer.status_code == 200, (src, answer.status_code)
        return (time.perf_counter() - start) * 1000

    each = {src: statistics.median(fetch((clients[0], src)) for _ in range(repeat)) for src in srcs}
    together = []
    with ThreadPoolExecutor(len(srcs)) as pool:
        for _ in range(repeat):
            start = time.perf_counter()
            list(pool.map(fetch, zip(clients, srcs, strict=True)))
            together.append((time.perf_counter() - start) * 1000)
    return {"pieces": each, "pieces_sum_ms": sum(each.values()), "slowest_piece_ms": max(each.values()),
            "parallel_ms": statistics.median(together), "complete_ms": page_ms + statistics.median(together)}


def measure(url: str, size: int, repeat: int, plans: int) -> list[dict[str, Any]]:
    from engine.app import create_app

    app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS), "ENGINE_SECRET_KEY": "bench",
                      "ENGINE_RELOAD_INTERVAL": 3600})
    engine = app.extensions["engine"].db.engine
    captured: list[list[Any]] = []
    starts: list[float] = []
    event.listen(engine, "before_cursor_execute", lambda *a: starts.append(time.perf_counter()))
    event.listen(engine, "after_cursor_execute",
                 lambda conn, cur, sql, params, ctx, many: captured.append(
                     [sql, params, (time.perf_counter() - starts.pop()) * 1000]))
    clients: dict[str, Any] = {}
    rows = []
    try:
        for key, who, path, title in SCENARIOS:
            name = SALES_USERS[0] if who == "sales" else who
            if name not in clients:
                clients[name] = app.test_client()
                login(clients[name], name)
            client = clients[name]
            headers = {"Accept": "application/json"}
            if path.startswith("/api/"):
                headers["X-Requested-With"] = "bench"
            answer = client.get(path, headers=headers)
            if answer.status_code != 200:  # recorded as such (before a fix, a page may fail at a size)
                rows.append({"key": key, "who": name, "path": path, "title": title, "error": answer.status_code,
                             "ms": 0.0, "statements": 0, "slowest": []})
                print(f"  {size:>9,} {key:20s} HTTP {answer.status_code}", flush=True)
                continue
            walls, cpus = [], []
            for _ in range(repeat):
                captured.clear()
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(path, headers=headers)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            statements = [list(s) for s in captured]
            row: dict[str, Any] = {"key": key, "who": name, "path": path, "title": title,
                                   "ms": statistics.median(walls), "cpu_ms": statistics.median(cpus),
                                   "statements": len(statements), "sql_ms": sum(s[2] for s in statements)}
            if path.startswith("/api/"):
                body = answer.get_json()
                row["total"] = body.get("total")
                row["total_exact"] = body.get("total_exact", True)
            row["each"] = [[" ".join(sql.split())[:2000], ms] for sql, _params, ms in statements
                           if " rec_" in sql or "engine_approvals" in sql]
            slow = sorted(statements, key=lambda s: -s[2])[:plans]
            row["slowest"] = []
            for sql, params, ms in slow:
                entry = {"ms": ms, "sql": " ".join(sql.split())[:600]}
                if sql.lstrip().upper().startswith("SELECT"):
                    entry["plan_ms"], entry["plan"] = explain(url, sql, params)
                row["slowest"].append(entry)
            if key.startswith("dashboard") and path == "/dashboard":
                row.update(complete(app, name, answer.get_data(as_text=True), repeat, row["ms"]))
            rows.append(row)
            print(f"  {size:>9,} {key:20s} {row['ms']:8.1f} ms wall {row['cpu_ms']:7.1f} ms cpu "
                  f"{row['statements']:3d} statements, {row['sql_ms']:7.1f} ms SQL", flush=True)
            if "complete_ms" in row:
                print(f"  {size:>9,} {key + ' complete':20s} {row['complete_ms']:8.1f} ms (pieces: slowest "
                      f"{row['slowest_piece_ms']:.1f}, in parallel {row['parallel_ms']:.1f}, one by one "
                      f"{row['pieces_sum_ms']:.1f})", flush=True)
    finally:
        app.extensions["engine"].db.dispose()
    return rows


# -- report -----------------------------------------------------------------------------

def size_name(size: int) -> str:
    return f"{size // 1000:,}k" if size < 1_000_000 else f"{size / 1_000_000:g}M"


def _chart_of(sql: str) -> str:
    """A short name for a dashboard statement: its table and what it groups by."""
    import re
    table = re.search(r"FROM (\w+)", sql)
    group = re.search(r"GROUP BY (.+?)(?: ORDER| LIMIT|$)", sql)
    name = table.group(1) if table else "?"
    if "FILTER (WHERE" in sql:
        return f"`{name}` single figures"
    if "engine_approvals" in sql:
        return "`engine_approvals` lead time"
    return f"`{name}`" + (f" by `{group.group(1)[:40]}`" if group else " figure")


def render(output: Path) -> None:
    runs = {}
    for label in ("before", "after"):
        path = ROOT / "bench" / f"million-{label}.json"
        if path.exists():
            runs[label] = json.loads(path.read_text(encoding="utf-8"))
    if not runs:
        raise SystemExit("no bench/million-*.json to render")
    first = next(iter(runs.values()))
    lines = ["## A million records: row rules, dashboard, board (`bench/million.py`)", ""]
    for label, run in runs.items():
        lines += [f"- **{label}**: {run['date']}, commit `{run['commit']}`; load average (1/5/15) "
                  + " → ".join("/".join(f"{x:.2f}" for x in load) for load in run["loads"])
                  + f"; command `{run['command']}`"]
    mach, pg = first["machine"], first["pg"]
    lines += [
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram']} RAM; PostgreSQL {pg['version']} "
        f"(shared_buffers {pg['shared_buffers']}, work_mem {pg['work_mem']}, jit {pg['jit']}); "
        f"Python {mach['python']}. Other sessions ran tests and benchmarks on the same 2 CPUs.",
        "- Data per size N: N customers, N sales orders, N/10 approvals with one task each, N/50 carbon "
        "copies (see the script's docstring). In-process requests (Flask test client, logged in); "
        f"median of {first['repeat']} after a warm-up; wall time includes PostgreSQL.",
        "",
    ]
    sizes = sorted({int(s) for run in runs.values() for s in run["sizes"]})
    small, large = sizes[0], sizes[-1]
    header = "| scenario | " + " | ".join(f"{label} {size_name(s)}" for label in runs for s in sizes) + \
        " | " + " | ".join(f"{label} {size_name(large)}/{size_name(small)}" for label in runs) + " |"
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for key, _who, _path, title in SCENARIOS:
        cells, ratios = [], []
        for run in runs.values():
            by = {s: next((r for r in run["rows"][str(s)] if r["key"] == key), None) for s in sizes}
            for s in sizes:
                r = by[s]
                cells.append("–" if r is None else f"HTTP {r['error']}" if r.get("error")
                             else f"{r['ms']:.1f} ms ({r['statements']} st.)")
            a, b = by[small], by[large]
            ratios.append("–" if not a or not b or not a["ms"] or not b["ms"] else f"{b['ms'] / a['ms']:.1f}×")
        lines.append(f"| {title} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    for label, run in runs.items():
        lines += ["", f"The slowest statement of each list at {size_name(large)}, {label} (time as issued; "
                  "EXPLAIN ANALYZE nodes: actual rows × loops, time):", ""]
        for r in run["rows"][str(large)]:
            if r["key"].startswith("dashboard"):
                continue
            for st in [st for st in r["slowest"] if st.get("plan")][:1]:
                lines.append(f"- **{r['key']}** {st['ms']:.1f} ms, `{st['sql'][:70]}…`: {st['plan'][:420]}")
    lines += ["", "The dashboard as the user sees it complete: the page, then (where the page is chart frames) "
              "every chart's `data-src` fetched at once, one thread and client per request, as a browser's "
              "parallel requests on as many workers. *complete* = page + the parallel fetch (median); "
              "*one by one* = the pieces' times added (the server's work):", "",
              "| dashboard | run | size | page | slowest piece alone | pieces in parallel | complete | one by one |",
              "|---|---|---|---|---|---|---|---|"]
    for key, _who, path, title in SCENARIOS:
        if not key.startswith("dashboard") or path != "/dashboard":
            continue
        for label, run in runs.items():
            for s in sizes:
                r = next((r for r in run["rows"][str(s)] if r["key"] == key), None)
                if r is None or r.get("error"):
                    continue
                if "complete_ms" in r:
                    lines.append(f"| {title} | {label} | {size_name(s)} | {r['ms']:.1f} ms | "
                                 f"{r['slowest_piece_ms']:.1f} ms | {r['parallel_ms']:.1f} ms | "
                                 f"**{r['complete_ms']:.1f} ms** | {r['pieces_sum_ms']:.1f} ms |")
                else:
                    lines.append(f"| {title} | {label} | {size_name(s)} | {r['ms']:.1f} ms | – | – | "
                                 f"**{r['ms']:.1f} ms** | – |")
    last = runs.get("after") or first
    lines += ["", f"Every statement on record tables of the dashboard at {size_name(large)}, "
              f"{'after' if 'after' in runs else 'as measured'} (one request, ms as issued; a chart is one "
              "statement, the single figures of a form one statement together):", ""]
    for r in last["rows"][str(large)]:
        if r["key"].startswith("dashboard") and r.get("each"):
            lines.append(f"- **{r['key']}**: " + "; ".join(
                f"{_chart_of(sql)} {ms:.0f} ms" for sql, ms in r["each"]))
    notes = ROOT / "bench" / "million-notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    body = "\n".join(lines)
    replace_section(output, "million", body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--label", default="after", help="before | after: which JSON the figures go to")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plans", type=int, default=3, help="EXPLAIN ANALYZE this many slowest statements")
    parser.add_argument("--keep", action="store_true", help="keep the seeded schemas (bench_million.m<size>)")
    parser.add_argument("--reuse", action="store_true", help="measure on kept schemas without seeding again")
    parser.add_argument("--render", action="store_true", help="only write the section from the saved JSON")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    if args.render:
        render(Path(args.output))
        return 0
    import subprocess
    loads = [os.getloadavg()]
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    results: dict[str, Any] = {}
    seeds: dict[str, Any] = {}
    pg: dict[str, str] = {}
    for size in sizes:
        schema = f"m{size}"
        ensure_schema(schema, fresh=not args.reuse)
        url = url_of(schema)
        if not args.reuse:
            print(f"seeding {size:,} …", flush=True)
            seeds[str(size)] = seed(url, size)
            print(f"  {seeds[str(size)]['seconds']:.0f} s", flush=True)
        prepare(url)
        db = Database(url)
        pg = pg_info(db)
        db.dispose()
        results[str(size)] = measure(url, size, args.repeat, args.plans)
        if not args.keep and not args.reuse:
            drop_schema(schema)
    loads.append(os.getloadavg())
    commit = os.environ.get("BENCH_COMMIT") or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    state = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit, "loads": loads,
             "command": "bench/million.py " + " ".join(sys.argv[1:]), "machine": machine(), "pg": pg,
             "repeat": args.repeat, "sizes": sizes, "seeds": seeds, "rows": results}
    (ROOT / "bench" / f"million-{args.label}.json").write_text(
        json.dumps(state, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    render(Path(args.output))
    print(f"wrote {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
