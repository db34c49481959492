"""Benchmark of the record list and create API on PostgreSQL (not a timed test).

For each size (default 10,000 and 1,000,000) this seeds that many `customer` records
(configs/crm.json) with COPY, serves the real app with gunicorn (`engine serve
--workers 2`) and drives it over loopback with a small keep-alive HTTP client at
concurrency 1 and 4. It also runs each list scenario once in-process to count the SQL
statements a request issues and EXPLAIN ANALYZEs the SELECTs on the form table, then
writes everything to docs/benchmarks.md.

    .venv/bin/python bench/run.py                       # 10k and 1M, ~6-8 minutes
    .venv/bin/python bench/run.py --sizes 10000         # quick check, under a minute

By default it works in a fresh schema of the local `test` database (dropped at the end).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402

from bench.report import replace_section  # noqa: E402
from engine.auth.users import create_user, issue_token  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.runtime import build_runtime  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

CONFIGS = ROOT / "configs"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FORM = "customer"
SALES_USERS = [f"sales{i:02d}" for i in range(1, 51)]
BATCH = 10_000

# -- data ----------------------------------------------------------------------------

CITIES = ["苏州", "无锡", "常州", "南京", "杭州", "宁波", "上海", "深圳", "东莞", "佛山", "广州", "青岛",
          "济南", "天津", "北京", "武汉", "长沙", "成都", "重庆", "西安", "沈阳", "大连", "合肥", "厦门"]
WORDS = ["恒锐", "精工", "华盛", "瑞丰", "鼎新", "宏达", "联创", "东方", "金石", "天成", "博远", "鸿运",
         "新源", "中科", "永信", "嘉禾", "汇通", "明德", "安泰", "诚信", "卓越", "凯旋", "晨光", "德润"]
KINDS = ["精密机械", "汽车配件", "电子科技", "化工", "新能源", "医疗器械", "食品", "建材", "纺织", "贸易"]
ROADS = ["人民路", "中山路", "解放路", "建设路", "长江路", "科技大道", "工业园路", "金桥路"]
REMARKS = ["年度框架协议客户", "关注价格，需多次报价", "老板直接决策", "有竞品在跟进", "需要样品测试", "回款及时"]


def customer_options() -> dict[str, list[str]]:
    doc = json.loads((CONFIGS / "crm.json").read_text(encoding="utf-8"))
    form = next(f for f in doc["forms"] if f["name"] == FORM)
    options = {}
    for fdef in form["fields"]:
        if fdef["type"] == "select":
            options[fdef["name"]] = [o["value"] if isinstance(o, dict) else o for o in fdef["options"]]
    return options


def seed_rows(size: int, now: datetime, rng: random.Random, options: dict[str, list[str]]):
    """Yield COPY text lines for `size` customers, created over the two years before `now`
    (ids ascending with created_at, as inserts happen in real life)."""
    start = now - timedelta(days=730)
    step = (now - start) / size
    today = now.date()
    grades = ["A"] * 2 + ["B"] * 3 + ["C"] * 5
    for i in range(size):
        created = start + step * i + step * rng.random()
        updated = min(now, created + timedelta(days=rng.random() * 60))
        owner = SALES_USERS[rng.randrange(50)]
        city = rng.choice(CITIES)
        name = f"客户-{i:07d} {city}{rng.choice(WORDS)}{rng.choice(KINDS)}有限公司"
        if rng.random() < 0.8:
            phone = f"1{rng.choice('356789')}{rng.randrange(10**9):09d}"
        else:
            phone = f"0{rng.randrange(10, 999)}-{rng.randrange(10**7, 10**8)}"
        email = f"contact{i}@example.com" if rng.random() < 0.6 else None
        last = created.date() + timedelta(days=rng.randrange(max(1, (today - created.date()).days + 1)))
        last_fu = last.isoformat() if rng.random() < 0.7 else None
        next_fu = (today + timedelta(days=rng.randrange(-30, 61))).isoformat() if rng.random() < 0.8 else None
        values = [
            None, "1", owner, created.isoformat(), updated.isoformat(), None,  # stage, version, by, at, at, due
            name, rng.choice(grades), rng.choice(options["industry"]), rng.choice(options["source"]),
            rng.choice(options["region"]), phone, email,
            f"{city}市{rng.choice(ROADS)}{rng.randrange(1, 999)}号", owner, last_fu, next_fu,
            "t" if rng.random() < 0.05 else "f", rng.choice(REMARKS) if rng.random() < 0.3 else None,
        ]
        yield "\t".join("\\N" if v is None else v for v in values) + "\n"


COPY_COLUMNS = ["stage", "version", "created_by", "created_at", "updated_at", "due_at", "name", "grade",
                "industry", "source", "region", "phone", "email", "address", "owner", "last_follow_up",
                "next_follow_up", "in_pool", "remark"]


def seed(db: Database, table: str, size: int, options: dict[str, list[str]]) -> dict[str, float]:
    """Empty the form table and COPY `size` customers into it; VACUUM ANALYZE.
    Seconds taken, and the table's and its indexes' sizes in MiB."""
    started = time.perf_counter()
    rng = random.Random(20261123 + size)
    now = datetime.now(UTC).replace(microsecond=0)
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            cur.execute(f"TRUNCATE {table} RESTART IDENTITY")
            cur.execute("DELETE FROM engine_history WHERE form = %s", (FORM,))
            cols = ", ".join(COPY_COLUMNS)
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                chunk: list[str] = []
                for line in seed_rows(size, now, rng, options):
                    chunk.append(line)
                    if len(chunk) >= BATCH:
                        copy.write("".join(chunk))
                        chunk = []
                if chunk:
                    copy.write("".join(chunk))
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            # The steady state autovacuum reaches on its own: statistics and a visibility map.
            cur.execute(f"VACUUM (ANALYZE) {table}")
            seconds = time.perf_counter() - started
            cur.execute(f"SELECT pg_table_size('{table}'), pg_indexes_size('{table}'), "
                        f"(SELECT relpages FROM pg_class WHERE oid = '{table}'::regclass)")
            table_bytes, index_bytes, pages = cur.fetchone()
        conn.autocommit = False
    finally:
        raw.close()
    return {"seconds": seconds, "table_mb": table_bytes / 2**20, "indexes_mb": index_bytes / 2**20,
            "pages": pages}


# -- scenarios -----------------------------------------------------------------------

@dataclass
class Scenario:
    key: str
    title: str
    method: str
    user: str  # "admin" or "sales" (rotating over the 50 sales users)
    params: dict[str, Any] = field(default_factory=dict)

    def path(self) -> str:
        base = f"/api/forms/{FORM}/records"
        return base + ("?" + urlencode(self.params) if self.params else "")


def scenarios(size: int) -> list[Scenario]:
    page = max(1, size // 40)
    return [
        Scenario("a", "admin, first page", "GET", "admin"),
        Scenario("b", f"admin, deep page (page={page})", "GET", "admin", {"page": page}),
        Scenario("c", "admin, filtered grade=A&region=华东", "GET", "admin", {"grade": "A", "region": "华东"}),
        Scenario("d", "admin, search q=客户-0001", "GET", "admin", {"q": "客户-0001"}),
        Scenario("e", "sales, first page (row rule)", "GET", "sales"),
        Scenario("f", "sales, filtered grade=A (row rule)", "GET", "sales", {"grade": "A"}),
        Scenario("g", "sales, POST create", "POST", "sales"),
    ]


# -- HTTP client ---------------------------------------------------------------------

@dataclass
class Run:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] * 1000

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


class Driver:
    def __init__(self, port: int, tokens: dict[str, str], size: int) -> None:
        self.port = port
        self.tokens = tokens
        self.size = size
        self.counter = 0
        self.lock = threading.Lock()
        self.first_error: str | None = None

    def _next(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def request(self, conn: http.client.HTTPConnection, sc: Scenario) -> tuple[float, bool]:
        n = self._next()
        user = "admin" if sc.user == "admin" else SALES_USERS[n % len(SALES_USERS)]
        headers = {"Authorization": f"Bearer {self.tokens[user]}", "Accept": "application/json"}
        body = None
        if sc.method == "POST":
            rng = random.Random(n)
            body = json.dumps({"fields": {
                "name": f"基准新建客户-{self.size}-{n:06d}-{uuid.uuid4().hex[:6]}",
                "grade": rng.choice("ABC"), "industry": "机械制造", "source": "展会", "region": "华东",
                "phone": f"138{rng.randrange(10**8):08d}", "next_follow_up": date.today().isoformat(),
            }}, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        conn.request(sc.method, sc.path(), body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        ok = response.status == (201 if sc.method == "POST" else 200)
        if not ok and self.first_error is None:
            self.first_error = f"{sc.method} {sc.path()} → {response.status}: {payload[:300]!r}"
        return elapsed, ok

    def run(self, sc: Scenario, requests: int, concurrency: int, max_seconds: float) -> Run:
        latencies: list[float] = []
        errors = [0]
        remaining = [requests]
        deadline = time.perf_counter() + max_seconds

        def worker() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                while True:
                    with self.lock:
                        if remaining[0] <= 0 or time.perf_counter() > deadline:
                            return
                        remaining[0] -= 1
                    elapsed, ok = self.request(conn, sc)
                    with self.lock:
                        latencies.append(elapsed)
                        errors[0] += 0 if ok else 1
            finally:
                conn.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return Run(len(latencies), time.perf_counter() - started, latencies, errors[0])


# -- server --------------------------------------------------------------------------

@contextmanager
def scratch_schema() -> Iterator[str]:
    """A fresh schema in the local `test` database for one benchmark run; its URL, dropped after."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{quote(schema)}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workdir: Path, token: str, threads: int | None = None) -> subprocess.Popen:
    """`engine serve --workers 2` (with --threads N when N is given), once it answers the API."""
    env = {**os.environ, "DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS),
           "ENGINE_SECRET_KEY": secrets.token_hex(16)}
    extra = ["--threads", str(threads)] if threads else []
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([str(ROOT / ".venv/bin/engine"), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "2", *extra], env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {workdir / 'server.log'}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/forms", headers={"Authorization": f"Bearer {token}"})
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("server did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- SQL per request and EXPLAIN ANALYZE -----------------------------------------------

@dataclass
class Statement:
    sql: str
    params: Any
    ms: float  # as issued by the in-process request
    plan_text: str = ""
    plan_ms: float | None = None
    summary: str = ""


def trace_requests(url: str, tokens: dict[str, str], size: int) -> dict[str, list[Statement]]:
    """Each list scenario once through the WSGI app in-process, recording the SQL it issues."""
    from engine.app import create_app

    app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS),
                      "ENGINE_SECRET_KEY": "bench", "ENGINE_RELOAD_INTERVAL": 3600})
    engine = app.extensions["engine"].db.engine
    captured: list[Statement] = []
    starts: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        starts.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        captured.append(Statement(statement, parameters, (time.perf_counter() - starts.pop()) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    client = app.test_client()
    traces = {}
    try:
        for sc in scenarios(size):
            if sc.method != "GET":
                continue
            headers = {"Authorization": f"Bearer {tokens['admin' if sc.user == 'admin' else SALES_USERS[0]]}"}
            client.get(sc.path(), headers=headers)  # warm caches and the runtime
            captured.clear()
            response = client.get(sc.path(), headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)
            traces[sc.key] = list(captured)
    finally:
        app.extensions["engine"].db.dispose()
    return traces


def _walk(node: dict, out: list[str]) -> None:
    kind = node["Node Type"]
    if "Index Name" in node:
        kind += f" using {node['Index Name']}"
    elif "Relation Name" in node:
        kind += f" on {node['Relation Name']}"
    detail = f"{kind}: rows={node.get('Actual Rows')}×{node.get('Actual Loops')}"
    removed = node.get("Rows Removed by Filter") or node.get("Rows Removed by Index Recheck")
    if removed:
        detail += f", removed by filter={removed}"
    if node.get("Workers Launched"):
        detail += f", workers={node['Workers Launched']}"
    detail += f", {node.get('Actual Total Time', 0):.1f} ms"
    out.append(detail)
    for child in node.get("Plans", []):
        _walk(child, out)


def explain(url: str, traces: dict[str, list[Statement]], table: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) each SELECT on the form table, as issued."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        for statements in traces.values():
            for st in statements:
                if not st.sql.lstrip().upper().startswith("SELECT") or table not in st.sql:
                    continue
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + st.sql, st.params)
                doc = cur.fetchone()[0][0]
                st.plan_ms = doc["Execution Time"] + doc.get("Planning Time", 0)
                nodes: list[str] = []
                _walk(doc["Plan"], nodes)
                jit = doc.get("JIT")
                if jit:
                    nodes.append(f"JIT: {jit['Timing']['Total']:.1f} ms")
                st.summary = "; ".join(nodes)
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + st.sql, st.params)
                st.plan_text = "\n".join(r[0] for r in cur.fetchall())
        raw.driver_connection.rollback()
    finally:
        raw.close()
        engine.dispose()


def literal_sql(st: Statement) -> str:
    """The statement with its parameters inlined, for reading (not for running)."""
    sql = st.sql
    if isinstance(st.params, dict):
        for key, value in st.params.items():
            shown = str(value) if isinstance(value, int | float) and not isinstance(value, bool) \
                else "'" + str(value).replace("'", "''") + "'"
            sql = sql.replace(f"%({key})s", shown)
    return re.sub(r"\s+", " ", sql)


FIX_INDEXES = [
    ("bench_fix_grade_region", "CREATE INDEX bench_fix_grade_region ON {t} (grade, region)"),
    ("bench_fix_pool_owner", "CREATE INDEX bench_fix_pool_owner ON {t} (in_pool, owner)"),
]
CAP = 10_001


@dataclass
class Trial:
    key: str
    which: str  # count / page / keyset / count split
    cells: dict[str, float | None] = field(default_factory=dict)  # variant → ms
    after: str = ""  # plan summary with every fix


def _kind(st: Statement) -> str:
    return "count" if "count(" in st.sql.lower() else "page"


def capped(sql: str) -> str:
    """SELECT count(*) FROM t WHERE … → count over at most CAP rows."""
    head = re.match(r"\s*SELECT count\(\*\) AS \w+\s+FROM (\w+)", sql)
    assert head, sql
    return f"SELECT count(*) FROM (SELECT 1 FROM {head.group(1)}" + sql[head.end():] + f" LIMIT {CAP}) AS capped"


def timed(cur, sql: str, params: Any, repeat: int = 3) -> tuple[float, str]:
    """Median execution + planning time of EXPLAIN ANALYZE over `repeat` runs, and a plan summary."""
    times, summary = [], ""
    for _ in range(repeat):
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        doc = cur.fetchone()[0][0]
        times.append(doc["Execution Time"] + doc.get("Planning Time", 0))
        nodes: list[str] = []
        _walk(doc["Plan"], nodes)
        summary = "; ".join(nodes)
    return statistics.median(times), summary


def try_fixes(url: str, trace: dict[str, list[Statement]], table: str, size: int
              ) -> tuple[list[Trial], float]:
    """Measure candidate fixes on the seeded data with EXPLAIN ANALYZE (after the HTTP runs):
    a count capped at CAP rows, keyset pagination, and extra indexes. Only in our own schema;
    the indexes go away with it."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    raw = engine.raw_connection()
    trials: list[Trial] = []
    try:
        cur = raw.driver_connection.cursor()
        offset = max(1, size // 40) * 20 - 20
        cur.execute(f"SELECT created_at, id FROM {table} ORDER BY created_at DESC, id DESC "
                    f"OFFSET {max(0, offset - 1)} LIMIT 1")
        k_at, k_id = cur.fetchone()
        keyset = (f"SELECT * FROM {table} WHERE (created_at, id) < (%(k_at)s, %(k_id)s) "
                  "ORDER BY created_at DESC, id DESC LIMIT 20")
        keyset_params = {"k_at": k_at, "k_id": k_id}
        # The row rule `owner == $user or in_pool == true` counted as two disjoint parts.
        split = (f"SELECT (SELECT count(*) FROM {table} WHERE owner = %(u)s) + (SELECT count(*) FROM {table} "
                 "WHERE in_pool AND owner IS DISTINCT FROM %(u)s)")
        extra = {("b", "keyset"): (keyset, keyset_params), ("e", "count split"): (split, {"u": SALES_USERS[0]})}
        statements = {}
        for key, sts in trace.items():
            for st in sts:
                if st.plan_ms is not None:
                    statements[(key, _kind(st))] = st

        def measure(variant: str) -> None:
            for (key, which), st in statements.items():
                trial = next((t for t in trials if (t.key, t.which) == (key, which)), None)
                if trial is None:
                    trial = Trial(key, which)
                    trials.append(trial)
                trial.cells[variant], summary = timed(cur, st.sql, st.params)
                if variant == "indexes":
                    trial.after = summary
                if which == "count":
                    trial.cells[variant + "+cap"], _ = timed(cur, capped(st.sql), st.params)
            for (key, which), (sql, params) in extra.items():
                trial = next((t for t in trials if (t.key, t.which) == (key, which)), None)
                if trial is None:
                    trial = Trial(key, which)
                    trials.append(trial)
                trial.cells[variant], trial.after = timed(cur, sql, params)

        measure("as is")
        started = time.perf_counter()
        for _name, ddl in FIX_INDEXES:
            cur.execute(ddl.format(t=table))
        cur.execute(f"ANALYZE {table}")
        build = time.perf_counter() - started
        measure("indexes")
        for name, _ddl in FIX_INDEXES:
            cur.execute(f"DROP INDEX {name}")
    finally:
        raw.close()
        engine.dispose()
    return trials, build


# -- report --------------------------------------------------------------------------

def machine() -> dict[str, str]:
    info = {"nproc": str(len(os.sched_getaffinity(0)))}
    cpu = Path("/proc/cpuinfo").read_text()
    match = re.search(r"^model name\s*:\s*(.+)$", cpu, re.M)
    info["cpu"] = match.group(1).strip() if match else platform.processor()
    mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    info["ram"] = f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "?"
    info["python"] = platform.python_version()
    return info


def pg_info(db: Database) -> dict[str, str]:
    with db.engine.connect() as conn:
        out = {"version": conn.execute(text("SHOW server_version")).scalar()}
        for name in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather", "random_page_cost"):
            out[name] = conn.execute(text(f"SHOW {name}")).scalar()
    return out


def fmt_ratio(big: float, small: float) -> str:
    return f"{big / small:.1f}×" if small else "–"


def fixes_section(trials: list[Trial], build: float, name: str) -> list[str]:
    titles = {sc.key: sc.title for sc in scenarios(1_000_000)}
    lines = ["", f"## Candidate fixes, measured at {name}", "",
             "After the HTTP runs, on the same data: each statement under `EXPLAIN ANALYZE` (median of 3, "
             "execution + planning) as the service issues it; with its `count(*)` capped at "
             f"{CAP:,} rows (`SELECT count(*) FROM (SELECT 1 FROM … WHERE … LIMIT {CAP}) s`); and with these "
             f"extra indexes that the engine does not build (built in {build:.0f} s, dropped afterwards):", ""]
    lines += [f"- `{ddl.format(t='rec_customer')}`" for _n, ddl in FIX_INDEXES]
    lines += ["", "Row “b keyset” is the deep page fetched by key instead of OFFSET: "
              "`WHERE (created_at, id) < (:last_created_at, :last_id) ORDER BY created_at DESC, id DESC LIMIT 20`. "
              "Row “e count split” counts the sales row rule as two disjoint parts, "
              "`(SELECT count(*) … WHERE owner = :user) + (SELECT count(*) … WHERE in_pool AND owner IS DISTINCT "
              "FROM :user)`, which index-only scans can answer.",
              "", "| scenario | statement | as is | count capped | + indexes | + indexes, count capped |",
              "|---|---|---|---|---|---|"]
    def cell(v: float | None) -> str:
        return "–" if v is None else f"{v:.1f} ms"
    for t in sorted(trials, key=lambda t: (t.key, ["count", "count split", "page", "keyset"].index(t.which))):
        lines.append(f"| {t.key}. {titles[t.key].split(' (page=')[0]} | {t.which} | {cell(t.cells.get('as is'))} | "
                     f"{cell(t.cells.get('as is+cap'))} | {cell(t.cells.get('indexes'))} | "
                     f"{cell(t.cells.get('indexes+cap'))} |")
    lines += ["", "Plans with the extra indexes:", ""]
    for t in sorted(trials, key=lambda t: (t.key, t.which)):
        lines.append(f"- **{t.key} {t.which}**: {t.after}")
    return lines


def write_report(path: Path, sizes: list[int], results: dict, traces: dict, seeds: dict, mach: dict,
                 pg: dict, args: argparse.Namespace, elapsed: float, loads: list[tuple[float, ...]],
                 fixes: tuple[list[Trial], float] | None, when: str) -> None:
    small, large = sizes[0], sizes[-1]
    names = {s: f"{s // 1000:,}k" if s < 1_000_000 else f"{s / 1_000_000:g}M" for s in sizes}
    scs = {sc.key: sc for sc in scenarios(large)}
    lines = [
        "## Record lists and create (`bench/run.py`)",
        "",
        f"- Date: {when}; whole run {elapsed / 60:.1f} min",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram']} RAM; "
        f"PostgreSQL {pg['version']} (shared_buffers {pg['shared_buffers']}, work_mem {pg['work_mem']}, "
        f"jit {pg['jit']}, max_parallel_workers_per_gather {pg['max_parallel_workers_per_gather']}); "
        f"Python {mach['python']}",
        "- Load average (1/5/15 min) at start and end of the run: "
        + " → ".join("/".join(f"{x:.2f}" for x in load) for load in loads)
        + " (other work on the machine, e.g. test suites, skews the figures).",
        "- Server: `engine serve --workers 2` (gunicorn, 2 processes × 4 threads) on loopback; the client, "
        "the server and PostgreSQL share the same CPUs.",
        "- Data: `customer` form of `configs/crm.json`, seeded with COPY then `VACUUM (ANALYZE)`; "
        "50 sales users own the customers evenly, 5 % are in the pool (`in_pool`), created over two years. "
        "Seeding took " + ", ".join(f"{seeds[s]['seconds']:.0f} s for {names[s]}" for s in sizes) + "; "
        "table / indexes: " + ", ".join(f"{seeds[s]['table_mb']:.0f} MiB ({seeds[s]['pages']:,} pages) / "
                                         f"{seeds[s]['indexes_mb']:.0f} MiB at {names[s]}" for s in sizes) + ".",
        f"- Method: per scenario and size, {args.warmup} warm-up requests, then up to {args.requests} requests "
        f"(stopping after {args.max_seconds:g} s) at concurrency 1, then the same at concurrency 4. Latency is "
        "measured by the client (request sent → body read). Sales requests rotate over the 50 sales users.",
        "",
        "Scenarios (all `GET /api/forms/customer/records`, default order `-created_at`, 20 per page, "
        "except g):",
        "",
    ]
    for sc in scenarios(large):
        query = sc.path() if sc.method == "GET" else f"POST /api/forms/{FORM}/records"
        if sc.key == "b":
            query = query.replace(f"page={large // 40}", "page=N/40")
        lines.append(f"- **{sc.key}** {sc.title.replace(f'page={large // 40}', 'page=N/40')}: `{query}`")
    lines += ["", "## Latency at concurrency 1", ""]
    header = "| scenario | " + " | ".join(f"{names[s]} median | {names[s]} p95" for s in sizes)
    if len(sizes) > 1:
        header += f" | median {names[large]}/{names[small]} |"
    else:
        header += " |"
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for key, sc in scs.items():
        row = f"| {key}. {sc.title.replace(f'page={large // 40}', 'page=N/40')} | "
        row += " | ".join(f"{results[s][key][1].median:.1f} ms | {results[s][key][1].p95:.1f} ms" for s in sizes)
        if len(sizes) > 1:
            ratio = results[large][key][1].median / results[small][key][1].median
            row += f" | **{ratio:.1f}×**" + (" ✗" if ratio > 2 else "")
        lines.append(row + " |")
    lines += ["", "## Throughput (requests/s) at concurrency 1 and 4", ""]
    header = "| scenario | " + " | ".join(f"{names[s]} c=1 | {names[s]} c=4 | {names[s]} c=4 p95" for s in sizes)
    header += f" | c=4 {names[large]}/{names[small]} |" if len(sizes) > 1 else " |"
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for key in scs:
        row = f"| {key} | " + " | ".join(
            f"{results[s][key][1].rps:.1f} | {results[s][key][4].rps:.1f} | {results[s][key][4].p95:.0f} ms"
            for s in sizes)
        if len(sizes) > 1:
            row += f" | {fmt_ratio(results[large][key][4].rps, results[small][key][4].rps)}"
        lines.append(row + " |")
    lines += ["", "Requests measured per cell (c=1 / c=4): " + "; ".join(
        f"{names[s]}: " + ", ".join(f"{k} {results[s][k][1].requests}/{results[s][k][4].requests}" for k in scs)
        for s in sizes) + ". Errors: " + str(sum(r.errors for s in sizes for v in results[s].values()
                                                  for r in v.values())) + "."]

    lines += ["", "## Where the time goes (SQL per list request)", "",
              "Each list scenario run once in-process with the SQL recorded; the SELECTs on the form table "
              "then re-run under `EXPLAIN (ANALYZE, BUFFERS)` with the same parameters. "
              "“count” is the `SELECT count(*)` for `total`, “page” the `SELECT … ORDER BY … LIMIT 20 OFFSET …`. "
              "Times are PostgreSQL execution + planning time.", ""]
    header = "| scenario | SQL statements | " + " | ".join(f"{names[s]} count | {names[s]} page" for s in sizes) + " |"
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for key, sc in scs.items():
        if sc.method != "GET":
            continue
        cells = []
        for s in sizes:
            main = [st for st in traces[s][key] if st.plan_ms is not None]
            cnt = next((st for st in main if "count(" in st.sql.lower()), None)
            page = next((st for st in main if "LIMIT" in st.sql.upper() and st is not cnt), None)
            cells.append(f"{cnt.plan_ms:.1f} ms" if cnt else "–")
            cells.append(f"{page.plan_ms:.1f} ms" if page else "–")
        lines.append(f"| {key} | {len(traces[large][key])} | " + " | ".join(cells) + " |")
    lines += ["", f"Plans at {names[large]} (node: actual rows × loops, time):", ""]
    for key, sc in scs.items():
        if sc.method != "GET":
            continue
        for st in traces[large][key]:
            if st.plan_ms is None:
                continue
            which = "count" if "count(" in st.sql.lower() else "page"
            lines.append(f"- **{key} {which}** ({st.plan_ms:.1f} ms): {st.summary}")
    if fixes is not None:
        lines += fixes_section(fixes[0], fixes[1], names[large])
    analysis = ROOT / "bench" / "analysis.md"
    if analysis.exists() and large >= 1_000_000:
        lines += ["", analysis.read_text(encoding="utf-8").strip()]
    lines += ["", "## Appendix: statements and plans", ""]
    for key, sc in scs.items():
        if sc.method != "GET":
            continue
        lines += [f"<details><summary>{key}. {sc.title} — {names[large]}</summary>", "", "```sql"]
        lines += [f"-- {literal_sql(st)}" for st in traces[large][key]]
        lines += ["```", ""]
        for st in traces[large][key]:
            if st.plan_text:
                lines += ["```", st.plan_text, "```", ""]
        lines += ["</details>", ""]
    body = "\n".join(re.sub(r"^## ", "### ", line) if i else line for i, line in enumerate(lines))
    replace_section(path, "lists", body)


# -- saving and re-rendering -------------------------------------------------------------

def save(path: Path, state: dict) -> None:
    def plain(obj: Any) -> Any:
        if isinstance(obj, Run | Statement | Trial):
            return plain(obj.__dict__)
        if isinstance(obj, dict):
            return {str(k): plain(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [plain(v) for v in obj]
        return obj
    path.write_text(json.dumps(plain(state), ensure_ascii=False, default=str), encoding="utf-8")


def load(path: Path) -> dict:
    state = json.loads(path.read_text(encoding="utf-8"))
    state["args"] = argparse.Namespace(**state["args"])
    state["seeds"] = {int(k): v for k, v in state["seeds"].items()}
    state["results"] = {int(s): {k: {int(c): Run(**r) for c, r in v.items()} for k, v in per.items()}
                        for s, per in state["results"].items()}
    state["traces"] = {int(s): {k: [Statement(**st) for st in v] for k, v in per.items()}
                       for s, per in state["traces"].items()}
    if state["fixes"] is not None:
        state["fixes"] = ([Trial(**t) for t in state["fixes"][0]], state["fixes"][1])
    return state


def render(output: Path, state: dict) -> None:
    write_report(output, state["sizes"], state["results"], state["traces"], state["seeds"], state["mach"],
                 state["pg"], state["args"], state["elapsed"], state["loads"], state["fixes"], state["date"])


# -- main ----------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated record counts")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario and concurrency")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per scenario")
    parser.add_argument("--max-seconds", type=float, default=10.0,
                        help="stop a measurement after this many seconds even if fewer requests were sent")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL to use as is (default: a fresh schema in the local `test` "
                             "database, dropped at the end). Its customer records are replaced!")
    parser.add_argument("--no-fixes", action="store_true",
                        help="skip measuring the candidate fixes (extra indexes, capped count, keyset paging)")
    parser.add_argument("--render", metavar="JSON",
                        help="only rewrite the report from a saved run (bench/last-run.json), e.g. after "
                             "editing bench/analysis.md")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    if args.render:
        render(Path(args.output), load(Path(args.render)))
        print(f"wrote {args.output}")
        return 0
    run_started = time.perf_counter()
    loads = [os.getloadavg()]
    with ExitStack() as stack:
        url = args.database_url or stack.enter_context(scratch_schema())
        return _run(args, url, own_schema=args.database_url is None, run_started=run_started, loads=loads)


def prepare(db: Database) -> tuple[str, dict[str, str]]:
    """The shipped schema on `db`, the admin and the sales users: the customer table's name and
    an API token per user name."""
    from engine.auth.users import get_user

    app_def = load_directory(CONFIGS)
    sync_schema(db, app_def)
    table = build_runtime(app_def, db).tables(FORM).table.name
    tokens = {}
    with db.transaction() as session:
        admin = get_user(session, "admin") or create_user(session, "admin", None, {"admin"}, enforce_rules=False)
        tokens["admin"] = issue_token(session, admin)
        for name in SALES_USERS:
            user = get_user(session, name) or create_user(session, name, None, {"sales"})
            tokens[name] = issue_token(session, user)
    return table, tokens


def _run(args: argparse.Namespace, url: str, own_schema: bool, run_started: float, loads: list) -> int:
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    db = Database(url)
    proc = None
    workdir = Path(tempfile.mkdtemp(prefix="engine-bench-"))
    try:
        table, tokens = prepare(db)
        options = customer_options()
        mach, pg = machine(), pg_info(db)
        port = free_port()
        proc = start_server(url, port, workdir, tokens["admin"])
        print(f"server on 127.0.0.1:{port} (log {workdir / 'server.log'})", flush=True)
        results: dict[int, dict[str, dict[int, Run]]] = {}
        traces: dict[int, dict[str, list[Statement]]] = {}
        seeds: dict[int, float] = {}
        for size in sizes:
            print(f"seeding {size:,} customers …", flush=True)
            seeds[size] = seed(db, table, size, options)
            print(f"  {seeds[size]['seconds']:.1f} s", flush=True)
            traces[size] = trace_requests(url, tokens, size)
            explain(url, traces[size], table)
            driver = Driver(port, tokens, size)
            results[size] = {}
            for sc in scenarios(size):
                driver.run(sc, args.warmup, 1, args.max_seconds / 2)
                results[size][sc.key] = {}
                for concurrency in (1, 4):
                    run = driver.run(sc, args.requests, concurrency, args.max_seconds)
                    results[size][sc.key][concurrency] = run
                    print(f"  {size:>9,} {sc.key} c={concurrency}: n={run.requests:4d} median {run.median:8.1f} ms "
                          f"p95 {run.p95:8.1f} ms {run.rps:7.1f} req/s errors {run.errors}", flush=True)
                if driver.first_error:
                    raise RuntimeError(driver.first_error)
        fixes = None
        if own_schema and not args.no_fixes:
            print("measuring candidate fixes …", flush=True)
            fixes = try_fixes(url, traces[sizes[-1]], table, sizes[-1])
        loads.append(os.getloadavg())
        state = {"sizes": sizes, "results": results, "traces": traces, "seeds": seeds, "mach": mach, "pg": pg,
                 "args": vars(args), "elapsed": time.perf_counter() - run_started, "loads": loads,
                 "fixes": fixes, "date": date.today().isoformat()}
        save(ROOT / "bench" / "last-run.json", state)
        render(Path(args.output), load(ROOT / "bench" / "last-run.json"))
        print(f"wrote {args.output} in {(time.perf_counter() - run_started) / 60:.1f} min", flush=True)
        return 0
    finally:
        if proc is not None:
            stop_server(proc)
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
