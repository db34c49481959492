"""Benchmark of deep list pages (not a timed test): `page=N` (OFFSET) against `after=CURSOR`
(keyset) at the same depth, on PostgreSQL (a fresh schema of the local `test` database), the
`customer` form seeded as in bench/run.py. Requests go through Flask's test client as an
admin, so the figures are the engine's and the database's, without HTTP. Writes its figures
to docs/benchmarks.md.

    .venv/bin/python bench/keyset.py
    .venv/bin/python bench/keyset.py --size 100000 --repeat 9
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import replace_section  # noqa: E402
from bench.run import CONFIGS, FORM, customer_options, machine, scratch_schema, seed  # noqa: E402
from engine.app import create_app  # noqa: E402
from engine.auth.users import create_user, issue_token  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

URL = f"/api/forms/{FORM}/records"
ORDERS = ["-created_at", "next_follow_up", "-grade"]


def median_ms(client, headers: dict[str, str], params: dict[str, str | int], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(URL, query_string=params, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_json()
    return statistics.median(times) * 1000


def measure(size: int, repeat: int, per_page: int) -> tuple[list[tuple[str, float, float, float]], float]:
    with scratch_schema() as url:
        db = Database(url)
        sync_schema(db, load_directory(CONFIGS))
        seeded = seed(db, f"rec_{FORM}", size, customer_options())["seconds"]
        with db.transaction() as session:
            token = issue_token(session, create_user(session, "admin", "admin-password", {"admin"},
                                                     enforce_rules=False))
        db.dispose()
        app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS), "ENGINE_SECRET_KEY": "b"})
        client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
        page = size // per_page // 2  # the middle of the list
        rows = []
        for order in ORDERS:
            base = {"order_by": order, "per_page": per_page}
            first = median_ms(client, headers, base, repeat)
            deep = median_ms(client, headers, {**base, "page": page}, repeat)
            cursor = client.get(URL, query_string={**base, "page": page - 1}, headers=headers).get_json()["next"]
            keyset = median_ms(client, headers, {**base, "after": cursor}, repeat)
            rows.append((order, first, deep, keyset))
        app.extensions["engine"].db.dispose()
    return rows, seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--per-page", type=int, default=20)
    args = parser.parse_args()
    rows, seeded = measure(args.size, args.repeat, args.per_page)
    info = machine()
    depth = args.size // args.per_page // 2
    lines = [
        "## Deep list pages: offset against keyset (`bench/keyset.py`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d}; {info['nproc']} CPUs ({info['cpu']}), other work on the machine "
        "skews the figures",
        f"- Data: {args.size:,} customers as in `bench/run.py` (COPY, `VACUUM (ANALYZE)`, {seeded:.0f} s), "
        "PostgreSQL; `next_follow_up` is empty in about 20 % of them, `grade` has 3 values.",
        f"- Method: `GET {URL}` as admin through Flask's test client (no HTTP), {args.per_page} per page, "
        f"median of {args.repeat}; the deep page is page {depth:,} (the middle), fetched with `page=` "
        "and with `after=` the `next` of the page before it.",
        "",
        "| order_by | first page | deep page, `page=` | same page, `after=` |",
        "|---|---|---|---|",
    ]
    for order, first, deep, keyset in rows:
        lines.append(f"| `{order}` | {first:.1f} ms | {deep:.1f} ms | {keyset:.1f} ms |")
    lines += ["", "Every answer also counts `total`, which costs the same at any depth. Keyset paging saves the rows "
              "an OFFSET reads and throws away where an index serves the order (`created_at, id`); an order on a "
              "column without an index (`next_follow_up`) still sorts the rows after the cursor."]
    replace_section(ROOT / "docs/benchmarks.md", "keyset", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
