"""Benchmark of the global search (`GET /api/search`) on PostgreSQL (not a timed test).

For each size (default 10,000 and 1,000,000) it seeds that many `customer` records as
bench/run.py does (COPY, `VACUUM (ANALYZE)`), in a fresh schema of the database `bench_e`
(created when missing), then asks the search through Flask's test client (no HTTP) as the
admin and as a salesperson (row rule: their own customers), median of `--repeat` runs per
query. The search reads every form the user may read (the shipped CRM and order modules);
only `customer` holds rows. It EXPLAIN ANALYZEs the customer query of each search and writes
the figures to docs/benchmarks.md (section `search`).

    .venv/bin/python bench/search.py                    # 10k and 1M, ~5 minutes
    .venv/bin/python bench/search.py --sizes 10000      # quick check
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.common import explain, scratch_schema  # noqa: E402
from bench.report import replace_section  # noqa: E402
from bench.run import CONFIGS, FORM, SALES_USERS, customer_options, machine, pg_info, seed  # noqa: E402
from engine.app import create_app  # noqa: E402
from engine.auth.users import create_user, issue_token  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

DATABASE = "bench_e"
TABLE = f"rec_{FORM}"

#: (key, who, text, what it shows)
QUERIES = [
    ("rare", "admin", "客户-0004321", "one record (a customer number)"),
    ("medium", "admin", "苏州恒锐", "about 1 in 600 records (a city and a word)"),
    ("common", "admin", "有限公司", "every record"),
    ("none", "admin", "不存在的公司名", "no record"),
    ("phone", "admin", "13912", "part of a phone number"),
    ("two", "admin", "苏州", "two characters (no trigram): 1 in 24"),
    ("sales-medium", "sales", "苏州恒锐", "as a salesperson: their own (1 in 50) of those"),
    ("sales-rare", "sales", "客户-0004321", "as a salesperson: one record, likely not theirs"),
    ("sales-common", "sales", "139", "as a salesperson (their own and the pool: 7 in 100), a phone digit run found in "
     "about 1 in 45: few among the newest, more than 1,000 in all"),
    ("sales-two", "sales", "苏州", "as a salesperson, two characters (no trigram): 1 in 24 of theirs"),
]


class Setup:
    """One seeded schema with the app over it, its users' tokens and a statement log."""

    def __init__(self, stack: ExitStack, size: int) -> None:
        self.size = size
        self.url = stack.enter_context(scratch_schema(DATABASE))
        db = Database(self.url)
        sync_schema(db, load_directory(CONFIGS))
        self.seeded = seed(db, TABLE, size, customer_options())
        with db.transaction() as session:
            self.tokens = {"admin": issue_token(session, create_user(session, "admin", None, {"admin"},
                                                                     enforce_rules=False))}
            for name in SALES_USERS[:2]:
                self.tokens[name] = issue_token(session, create_user(session, name, None, {"sales"}))
        self.pg = pg_info(db)
        db.dispose()
        self.app = create_app({"DATABASE_URL": self.url, "ENGINE_CONFIG_DIR": str(CONFIGS),
                               "ENGINE_SECRET_KEY": "b", "ENGINE_RELOAD_INTERVAL": 3600})
        stack.callback(self.app.extensions["engine"].db.dispose)
        engine = self.app.extensions["engine"].db.engine
        self.captured: list[tuple[str, Any, float]] = []
        starts: list[float] = []
        event.listen(engine, "before_cursor_execute", lambda *a: starts.append(time.perf_counter()))
        event.listen(engine, "after_cursor_execute", lambda conn, cursor, sql, params, context, many: self.captured
                     .append((sql, params, (time.perf_counter() - starts.pop()) * 1000)))
        self.client = self.app.test_client()

    def ask(self, who: str, query: str) -> tuple[float, float, Any]:
        """One search: (ms, ms in SQL, answer)."""
        user = "admin" if who == "admin" else SALES_USERS[0]
        self.captured.clear()
        started = time.perf_counter()
        answer = self.client.get("/api/search", query_string={"q": query, "limit": 5},
                                 headers={"Authorization": f"Bearer {self.tokens[user]}"})
        elapsed = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, answer.get_json()
        return elapsed, sum(ms for _s, _p, ms in self.captured), answer.get_json()


def measure(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    """Every size seeded first, then each query asked of the sizes in turn, round after round, so
    that other work on the machine weighs on every size alike."""
    with ExitStack() as stack:
        setups = [Setup(stack, size) for size in sizes]
        results = [{"size": s.size, "seeded": s.seeded, "rows": [], "pg": s.pg} for s in setups]
        for key, who, query, title in QUERIES:
            times: list[list[float]] = [[] for _ in setups]
            sql: list[list[float]] = [[] for _ in setups]
            for setup in setups:
                setup.ask(who, query)  # warm
            for _ in range(repeat):
                for i, setup in enumerate(setups):
                    ms, in_sql, _answer = setup.ask(who, query)
                    times[i].append(ms)
                    sql[i].append(in_sql)
            for i, setup in enumerate(setups):
                _ms, _sql, answer = setup.ask(who, query)
                found = next((r for r in answer["results"] if r["form"] == FORM), None)
                plans = [explain(setup.url, s, p) for s, p, _ms in setup.captured
                         if TABLE in s and " ILIKE " in s.upper()]
                results[i]["rows"].append({
                    "key": key, "who": "admin" if who == "admin" else SALES_USERS[0], "q": query, "title": title,
                    "ms": statistics.median(times[i]), "sql_ms": statistics.median(sql[i]),
                    "hits": len(found["items"]) if found else 0, "more": bool(found and found["more"]),
                    "statements": len(setup.captured), "plan_ms": sum(ms for ms, _plan in plans),
                    "plan": " ‖ then: ".join(text for _ms, text in plans)})
    return results


def report(results: list[dict[str, Any]], repeat: int, command: str) -> str:
    info = machine()
    small, big = results[0], results[-1]
    load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    lines = [
        "## Global search (`bench/search.py`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {info['nproc']} CPUs ({info['cpu']}), "
        f"{info['ram']} RAM, Python {info['python']}, PostgreSQL {big['pg']['version']}; load average at the end "
        f"{load} (other work shared the machine, which skews the figures)",
        f"- Command: `{command}`",
        "- Data: `customer` records as in `bench/run.py` ("
        + ", ".join(f"{r['size']:,} seeded in {r['seeded']['seconds']:.0f} s" for r in results)
        + "), each form's search columns with a trigram index; the other forms are empty but searched too "
        "(one query each).",
        f"- Method: `GET /api/search?q=…&limit=5` through Flask's test client (no HTTP), median of {repeat}, the "
        "sizes asked in turn (every size seeded first, so other work weighs on each alike); in brackets the time in "
        "SQL (all statements of the request) and the customer queries' own time (EXPLAIN ANALYZE); when the "
        "newest 2,000 customers hold fewer than 6 matches, a second query fetches at most 1,001 matches in no "
        "order through the trigram indexes, and when there are more than 1,000 a third walks the newest "
        "customers until 6 match (‖ in the plans).",
        "",
        "| query | what it finds | " + " | ".join(f"{r['size']:,}: ms (SQL / customer plan)" for r in results)
        + (f" | {big['size']:,} ÷ {small['size']:,} |" if len(results) > 1 else " |"),
        "|---|---|" + "---|" * len(results) + ("---|" if len(results) > 1 else ""),
    ]
    for i, row in enumerate(small["rows"]):
        cells = [f"{r['rows'][i]['ms']:.1f} ({r['rows'][i]['sql_ms']:.1f} / {r['rows'][i]['plan_ms']:.1f}), "
                 f"{r['rows'][i]['hits']} shown"
                 + (", more" if r["rows"][i]["more"] else "") for r in results]
        ratio = f" | {big['rows'][i]['ms'] / row['ms']:.1f}×" if len(results) > 1 else ""
        lines.append(f"| `{row['q']}` ({row['who']}) | {row['title']} | " + " | ".join(cells) + ratio + " |")
    lines += ["", "SQL statements per search (every form the user may read, the summaries, the user): "
              + ", ".join(f"{r['q']} {r['statements']}" for r in big["rows"]) + ".", "",
              f"Plans of the customer query at {big['size']:,}:", ""]
    lines += [f"- `{row['q']}` ({row['who']}): {row['plan']}" for row in big["rows"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print the section without writing docs")
    args = parser.parse_args()
    results = measure(args.sizes, args.repeat)
    command = ".venv/bin/python bench/search.py" + (f" --sizes {' '.join(map(str, args.sizes))}"
                                                     if args.sizes != [10_000, 1_000_000] else "")
    body = report(results, args.repeat, command)
    if not args.no_write:
        replace_section(ROOT / "docs/benchmarks.md", "search", body)
    print(body)


if __name__ == "__main__":
    main()
