"""The list's bounded count under a row rule, as one `count(*)` of the OR and branch by branch
(`Gate.row_branches`), side by side on the schemas `bench/million.py --keep` left (not a timed test).

For a salesperson (the first of bench/run.py's SALES_USERS) and each list below, both forms of the
count are built by the engine and run with EXPLAIN ANALYZE in turn, `--repeat` times (interleaved,
so the machine's load falls on both alike); the median execution time and the plan's first nodes
are printed, and the two counts must agree.

    .venv/bin/python bench/million_counts.py --sizes 10000,1000000
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, literal, select, text, union_all  # noqa: E402

from bench.million import CONFIGS, url_of  # noqa: E402
from bench.run import SALES_USERS  # noqa: E402
from engine.auth.users import get_user  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.runtime import build_runtime  # noqa: E402
from engine.services.totals import EXACT_TOTAL_LIMIT  # noqa: E402
from engine.store.db import Database  # noqa: E402

LISTS = [  # title, form, extra condition (column, value) or None
    ("customers", "customer", None),
    ("customers grade=A", "customer", ("grade", "A")),
    ("orders", "sales_order", None),
    ("orders stage=collecting", "sales_order", ("stage", "collecting")),
    ("orders stage=done (board column)", "sales_order", ("stage", "done")),
    ("orders stage=review (board column)", "sales_order", ("stage", "review")),
]


def _count(table: Any, where: list[Any], branches: list[Any] | None) -> Any:
    limit = EXACT_TOTAL_LIMIT + 1
    if branches:
        union = union_all(*(select(literal(1).label("one")).select_from(table).where(b, *where[1:])
                            for b in branches)).subquery()
        capped = select(union.c.one).limit(limit).subquery()
    else:
        capped = select(literal(1)).select_from(table).where(*where).limit(limit).subquery()
    return select(func.count()).select_from(capped)


def _analyze(session: Any, statement: Any) -> tuple[float, str, int]:
    sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    lines = [r[0] for r in session.execute(text("EXPLAIN (ANALYZE, COSTS OFF) " + sql))]
    ms = float(next(line for line in lines if line.startswith("Execution Time")).split()[2])
    count = session.execute(text(sql)).scalar_one()
    nodes = [line.strip() for line in lines if "->" in line and ("Scan" in line or "Append" in line)]
    return ms, " | ".join(n.lstrip("-> ") for n in nodes[:4]), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()}")
    app_def = load_directory(CONFIGS)
    now = datetime.now(UTC)
    for size in (int(s) for s in args.sizes.split(",")):
        db = Database(url_of(f"m{size}"))
        runtime = build_runtime(app_def, db)
        with db.session() as session:
            user = get_user(session, SALES_USERS[0])
            assert user is not None
            for title, form_name, extra in LISTS:
                form = runtime.app.form(form_name)
                assert form is not None
                table = runtime.tables(form_name).table
                where = [runtime.gate.row_filter(user, form, "read", now)]
                if extra:
                    where.append(table.c[extra[0]] == extra[1])
                branches = runtime.gate.row_branches(user, form, "read", now)
                one, split = _count(table, where, None), _count(table, where, branches)
                times: dict[str, list[float]] = {"or": [], "branches": []}
                plans, counts = {}, {}
                for _ in range(args.repeat):
                    for key, statement in (("or", one), ("branches", split)):
                        ms, plans[key], counts[key] = _analyze(session, statement)
                        times[key].append(ms)
                assert counts["or"] == counts["branches"], (title, counts)
                a, b = statistics.median(times["or"]), statistics.median(times["branches"])
                print(f"| {size:,} | {title} | {counts['or']:,} | {a:.1f} ms | {b:.1f} ms | {a / b:.1f}× |")
                print(f"    OR:       {plans['or'][:300]}")
                print(f"    branches: {plans['branches'][:300]}")
        db.dispose()
    print(f"load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
