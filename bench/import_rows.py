"""Benchmark of bulk import (not a timed test): N order rows through the import service.

Each row of the file is a `sales_order` (configs/order_followup.json): a customer link by
name, a salesperson by display name, a date, two line items as JSON, a discount and a
serial number assigned on import. The file is made as CSV and read back through the same
reader the pages use, then imported by a sales manager on SQLite (a temporary file) and on
PostgreSQL (a fresh schema of the local `test` database). Writes its figures to
docs/benchmarks.md.

    .venv/bin/python bench/import_rows.py                 # 10,000 rows on both databases
    .venv/bin/python bench/import_rows.py --rows 2000 --databases sqlite --profile
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.report import replace_section  # noqa: E402
from bench.run import CONFIGS, machine, pg_info, scratch_schema  # noqa: E402
from engine.auth.users import create_user, get_user  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.records.context import Context  # noqa: E402
from engine.runtime import build_runtime  # noqa: E402
from engine.services import imports, sheets  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

CUSTOMERS = 200
ZONE = ZoneInfo("Asia/Shanghai")


def order_file(rows: int) -> bytes:
    """A CSV file of `rows` orders, as a person would fill in the template."""
    head = ["客户", "销售", "下单日期", "付款条件", "订单明细", "折扣（元）", "备注"]
    items = json.dumps([{"product": "阀门", "qty": 3, "price": "120.50"},
                        {"product": "法兰", "spec": "DN50", "qty": 10, "price": "8.00"}], ensure_ascii=False)
    body = ([f"客户{i % CUSTOMERS:03d}", f"销售{i % 5}", "2026-03-01", "", items, str(i % 50), f"导入第 {i} 行"]
            for i in range(rows))
    return "".join(sheets.write_csv(head, body)).encode("utf-8")


def prepare(db: Database):
    app_def = load_directory(CONFIGS)
    sync_schema(db, app_def)
    runtime = build_runtime(app_def, db)
    with db.transaction() as session:
        create_user(session, "boss", None, {"sales_manager"}, enforce_rules=False)
        for i in range(5):
            create_user(session, f"sales{i}", None, {"sales"}, display_name=f"销售{i}", enforce_rules=False)
        table = runtime.tables("customer").table
        session.execute(table.insert(), [
            {"name": f"客户{i:03d}", "owner": "sales0", "stage": "active", "version": 1, "created_by": "boss",
             "created_at": datetime.now(UTC), "updated_at": datetime.now(UTC)} for i in range(CUSTOMERS)])
    with db.session() as session:
        user = get_user(session, "boss")
    return runtime, user


def run_import(db: Database, runtime, user, data: bytes) -> tuple[float, int]:
    started = time.perf_counter()
    head, rows = sheets.read_rows(data, "orders.csv")

    @contextmanager
    def use_case(write: bool = False) -> Iterator[Context]:
        with db.session(write=write) as session, session.begin():
            yield Context(runtime, session, user, now=datetime.now(UTC), tzinfo=ZONE)
    report = imports.import_rows(use_case, "sales_order", head, rows)
    seconds = time.perf_counter() - started
    table = runtime.tables("sales_order").table
    with db.session() as session:
        stored = session.execute(select(func.count()).select_from(table)).scalar_one()
    assert stored == len(report.created), (stored, len(report.created))
    return seconds, stored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    data = order_file(args.rows)
    load = os.getloadavg()[0]
    results, pg = [], None
    for backend in args.databases.split(","):
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                urls = iter([f"sqlite:///{folder}/bench.db"])
            else:
                urls = scratch_schema()
            url = next(urls) if backend == "sqlite" else urls.__enter__()
            db = Database(url)
            try:
                runtime, user = prepare(db)
                if backend == "postgresql":
                    pg = pg_info(db)
                profiler = cProfile.Profile() if args.profile else None
                if profiler:
                    profiler.enable()
                seconds, stored = run_import(db, runtime, user, data)
                if profiler:
                    profiler.disable()
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
                results.append((backend, seconds, stored))
                print(f"{backend}: {stored:,} rows in {seconds:.2f} s ({stored / seconds:,.0f} rows/s)", flush=True)
            finally:
                db.dispose()
                if backend != "sqlite":
                    urls.__exit__(None, None, None)
    if args.profile:
        return 0
    mach = machine()
    lines = [
        "## Bulk import (`bench/import_rows.py`)", "",
        f"- Date: {date.today().isoformat()}",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram']} RAM; Python {mach['python']}"
        + (f"; PostgreSQL {pg['version']}" if pg else ""),
        f"- Data: a CSV file of {args.rows:,} `sales_order` rows (customer by name among {CUSTOMERS}, salesperson by "
        "display name, order date, two line items as JSON, discount, remark); the serial number, formulas "
        "(line subtotals, amount, total, outstanding), the rollup, stage timers and one history row per "
        "record are made by the import. Imported by a sales manager, all-or-nothing.",
        "- Time: from reading the file to the commit (parse, check every row, write). "
        f"Load average when the run started: {load:.1f} (the machine is shared; other work slows it).",
        "",
        "| database | rows | wall time | rows/s |",
        "|---|---|---|---|",
    ]
    for backend, seconds, stored in results:
        lines.append(f"| {backend} | {stored:,} | {seconds:.1f} s | {stored / seconds:,.0f} |")
    lines += ["", "Before the two-phase import (each row created through the record service inside one "
              "long write transaction) about 46 rows/s was observed."]
    replace_section(Path(args.output), "import", "\n".join(lines))
    print(f"wrote {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
