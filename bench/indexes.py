"""Composite indexes (`indexes` of a form) against the engine's single-field ones, on PostgreSQL
(not a timed test): a form of ROWS records in STAGES stages and OWNERS owners, and the list
queries the pages send (filter by stage or owner, newest first with the id as tie-breaker, 20
rows; first page and a keyset page deep in the list), EXPLAIN ANALYZEd with only the engine's
own indexes, then again with `indexes: [["stage", "-created_at", "-id"], ["owner", "-created_at", "-id"]]`.
Writes `<!-- section:indexes -->` of docs/benchmarks.md.

    .venv/bin/python bench/indexes.py            # 300,000 rows, ~1 minute
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.common import explain, scratch_schema  # noqa: E402
from bench.report import replace_section  # noqa: E402
from bench.startup import loadavg, machine  # noqa: E402
from engine.definitions import load_sources  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

STAGES, OWNERS = 5, 50


def module(indexes: list[list[str]]) -> str:
    import json

    return json.dumps({"module": "m", "title": "M", "forms": [{
        "name": "deal", "title": "Deal", "title_field": "title", "owner_field": "owner",
        "fields": [{"name": "title", "type": "text", "label": "Title"},
                   {"name": "owner", "type": "user", "label": "Owner"},
                   {"name": "amount", "type": "decimal", "label": "Amount"}],
        "workflow": {"initial": "s0", "stages": [{"name": f"s{i}", "title": f"S{i}"} for i in range(STAGES)],
                     "transitions": []},
        "indexes": indexes,
    }]})


QUERIES = {
    f"stage = s{STAGES - 1} (the oldest 5% of the records, e.g. closed), newest first, first page":
        f"SELECT id FROM rec_deal WHERE stage = 's{STAGES - 1}' ORDER BY created_at DESC, id DESC LIMIT 21",
    "stage = s2, newest first, first page":
        "SELECT id FROM rec_deal WHERE stage = 's2' ORDER BY created_at DESC, id DESC LIMIT 21",
    "stage = s2, newest first, keyset page at row ~30,000":
        "SELECT id FROM rec_deal WHERE stage = 's2' AND (created_at, id) < (%(at)s, %(id)s) "
        "ORDER BY created_at DESC, id DESC LIMIT 21",
    "owner = u07 (the \"own\" row rule), newest first, first page":
        "SELECT id FROM rec_deal WHERE owner = 'u07' ORDER BY created_at DESC, id DESC LIMIT 21",
    "no filter, newest first (the engine's (created_at, id) index)":
        "SELECT id FROM rec_deal ORDER BY created_at DESC, id DESC LIMIT 21",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    loads = [loadavg()]
    figures: dict[str, list[tuple[float, str]]] = {name: [] for name in QUERIES}
    with scratch_schema("bench_indexes") as url:
        db = Database(url)
        sync_schema(db, load_sources({"m.json": module([])}))
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO rec_deal (stage, version, created_by, created_at, updated_at, title, owner, amount) "
                f"SELECT CASE WHEN g <= :n / 20 THEN 's{STAGES - 1}' ELSE 's' || (g % {STAGES - 1}) END, 1, 'u', "
                "timestamptz '2024-01-01' + g * interval '1 minute', timestamptz '2024-01-01', "
                f"'deal ' || g, 'u' || lpad((g % {OWNERS})::text, 2, '0'), g FROM generate_series(1, :n) g"),
                {"n": args.rows})
            conn.execute(text("ANALYZE rec_deal"))
            at, rid = conn.execute(text("SELECT created_at, id FROM rec_deal WHERE stage = 's2' "
                                        "ORDER BY created_at DESC, id DESC OFFSET 30000 LIMIT 1")).one()
        for indexes in ([], [["stage", "-created_at", "-id"], ["owner", "-created_at", "-id"]]):
            sync_schema(db, load_sources({"m.json": module(indexes)}))
            with engine.begin() as conn:
                conn.execute(text("ANALYZE rec_deal"))
            for name, sql in QUERIES.items():
                best = min((explain(url, sql, {"at": at, "id": rid}) for _ in range(5)), key=lambda r: r[0])
                figures[name].append(best)
        db.dispose()
        engine.dispose()
    loads.append(loadavg())
    lines = [
        f"Composite indexes (`indexes`) against the engine's single-field indexes, PostgreSQL, {args.rows:,} "
        f"records in {STAGES} stages (the last one holding the oldest 5%) and {OWNERS} owners; "
        "EXPLAIN ANALYZE, best of 5, ms.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}",
        f"- Load average (1/5/15): {loads[0]} at the start, {loads[-1]} at the end",
        f"- Command: `.venv/bin/python bench/indexes.py{'' if args.rows == 300_000 else f' --rows {args.rows}'}`",
        "",
        "| query | engine's indexes only | + (stage, created_at↓, id↓), (owner, created_at↓, id↓) |",
        "|---|---|---|",
    ]
    for name, ((before, plan_before), (after, plan_after)) in figures.items():
        lines.append(f"| {name} | {before:.2f} ({plan_before}) | {after:.2f} ({plan_after}) |")
    text_ = "\n".join(lines)
    print(text_)
    if not args.no_write:
        replace_section(ROOT / "docs" / "benchmarks.md", "indexes", text_)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
