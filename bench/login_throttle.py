"""Benchmark of login tries (not a timed test): what a guess costs the server before and
after the throttle locks, with the production password hash (scrypt).

A wrong password is checked against the stored scrypt hash; once the account (or address)
is locked, a try is refused after one indexed read, before any hashing. Runs the login page
through Flask's test client on SQLite (a temporary file) and PostgreSQL (a fresh schema of
the local `test` database). Writes its figures to docs/benchmarks.md.

    .venv/bin/python bench/login_throttle.py
    .venv/bin/python bench/login_throttle.py --tries 50 --databases sqlite
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import replace_section  # noqa: E402
from bench.run import CONFIGS, machine, scratch_schema  # noqa: E402
from engine.app import create_app  # noqa: E402
from engine.auth.users import create_user  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@contextmanager
def database(kind: str):
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
    else:
        with scratch_schema() as url:
            yield url


def timed_tries(client, tries: int, address: str) -> tuple[list[float], set[int]]:
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    times, codes = [], set()
    for i in range(tries):
        start = time.perf_counter()
        response = client.post("/login", data={"username": "alice", "password": f"wrong-{i}", "csrf_token": token},
                               environ_base={"REMOTE_ADDR": address})
        times.append(time.perf_counter() - start)
        codes.add(response.status_code)
    return times, codes


def measure(kind: str, tries: int) -> dict[str, float]:
    with database(kind) as url:
        db = Database(url)
        sync_schema(db, load_directory(CONFIGS))
        with db.transaction() as session:
            create_user(session, "alice", "alice-password", {"sales"})  # scrypt, as in production
        db.dispose()
        # A limit above `tries`: every try is hashed.
        open_app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS), "ENGINE_SECRET_KEY": "b",
                               "ENGINE_LOGIN_MAX_FAILURES": tries + 10,
                               "ENGINE_LOGIN_ADDRESS_MAX_FAILURES": tries + 10})
        hashed, codes = timed_tries(open_app.test_client(), tries, "198.51.100.1")
        assert codes == {401}, codes
        open_app.extensions["engine"].db.dispose()
        # The default limits: after 5 failures the account is locked; time the refused tries.
        locked_app = create_app({"DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS), "ENGINE_SECRET_KEY": "b",
                                 "ENGINE_LOGIN_MAX_FAILURES": 5, "ENGINE_LOGIN_ADDRESS_MAX_FAILURES": 10_000})
        refused, codes = timed_tries(locked_app.test_client(), tries, "198.51.100.2")
        assert codes == {429}, codes  # locked already by the first run's failures
        locked_app.extensions["engine"].db.dispose()
    return {"hashed": statistics.median(hashed) * 1000, "refused": statistics.median(refused) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tries", type=int, default=30)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    results = {kind: measure(kind, args.tries) for kind in args.databases.split(",")}
    info = machine()
    lines = [
        "## Login tries with the throttle (`bench/login_throttle.py`)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d}; {info['nproc']} CPUs ({info['cpu']}), other work on the machine "
        "skews the figures",
        f"- Method: {args.tries} wrong-password POSTs to `/login` through Flask's test client, password hashed with "
        "scrypt (Werkzeug's default); then the same number against the locked account. Median per try.",
        "",
        "| database | wrong password, checked (scrypt) | refused while locked (429) | ratio |",
        "|---|---|---|---|",
    ]
    for kind, r in results.items():
        lines.append(f"| {kind} | {r['hashed']:.1f} ms | {r['refused']:.1f} ms | {r['hashed'] / r['refused']:.0f}× |")
    lines += ["", "A locked account or address costs one indexed read per try; scrypt's memory and CPU are spent "
              "only on tries the throttle lets through."]
    replace_section(ROOT / "docs/benchmarks.md", "login", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
