"""Approvals against the hand-written app's creates, in one run on PostgreSQL (not a timed test).

Issue goal: approve at concurrency 8 on PostgreSQL ≥ 0.5× the hand-written app's create rate
in the same run, with no errors but the expected 409s. One run, one server at a time:

1. the peer yardstick's hand-written baseline (Flask + SQLAlchemy + Flask-WTF, 2 sync gunicorn
   workers) on a PostgreSQL database of its own, seeded by the yardstick's seed.py; its
   `create` scenario (GET the form, POST it with the CSRF token) at c=8, driven by the
   yardstick's load.py for --duration seconds;
2. this product (`engine serve --workers 2`) on another database, with bench/approve.py's data
   (configs/order_followup.json, sales orders submitted to review, one open 财务审核 task per
   finance user): 8 finance users approve at once, each their own orders (distinct tasks);
   `POST /api/tasks/{id}/approve`; 409s are counted apart from other errors;
3. the baseline's creates again, so that a change of machine load during the run shows.

Server CPU per operation is the CPU time of the server's whole process tree during the phase.
Writes the `peer-approve` section of docs/benchmarks.md.

    .venv/bin/python bench/approve_vs_peer.py --bench ../shared/peer-bench --venv /tmp/peer-bench-venv

The yardstick's venv needs psycopg for the baseline's PostgreSQL URL
(`$VENV/bin/pip install 'psycopg[binary]'`).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.approve import APPROVERS, Result, count_moves, drive, seed, task_map  # noqa: E402
from bench.common import SERVER, scratch_schema  # noqa: E402
from bench.report import replace_section  # noqa: E402
from bench.run import CONFIGS, free_port, machine, pg_info, start_server, stop_server  # noqa: E402
from engine.definitions import load_directory  # noqa: E402
from engine.store.db import Database  # noqa: E402
from engine.store.sync import sync_schema  # noqa: E402

BASELINE_DB = "bench_peer_baseline"
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of pid and all its descendants now alive (gunicorn: master + workers)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(times.get(p, 0.0) for p in tree)


def loadavg() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def recreate_database(name: str) -> str:
    server = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    server.dispose()
    return f"{SERVER}/{name}"


def baseline_setup(bench: Path, venv: Path, url: str, customers: int, orders: int, log: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    with open(log, "ab") as out:
        subprocess.run([str(venv / "bin/flask"), "--app", "app", "init-db", "--admin-password", "admin"],
                       cwd=bench / "peers/baseline", env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
        subprocess.run([str(venv / "bin/python"), str(bench / "seed.py"), "--url", url, "--customers", str(customers),
                        "--orders", str(orders)], env=env, stdout=out, stderr=subprocess.STDOUT, check=True)


def baseline_creates(bench: Path, venv: Path, url: str, args: argparse.Namespace, round_no: int,
                     workdir: Path) -> dict:
    """Serve the baseline like the yardstick does and run load.py's create scenario at c=8."""
    port = free_port()
    log = open(workdir / f"baseline.r{round_no}.server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(venv / "bin/gunicorn"), "--workers", "2", "--worker-class", "sync", "--bind",
                             f"127.0.0.1:{port}", "app:create_app()"], cwd=bench / "peers/baseline",
                            env={**os.environ, "DATABASE_URL": url}, stdout=log, stderr=subprocess.STDOUT)
    out = workdir / "baseline.jsonl"
    try:
        deadline = time.monotonic() + 60
        while subprocess.run([str(venv / "bin/python"), "-c", f"import socket; socket.create_connection("
                              f"('127.0.0.1', {port}), 1)"], capture_output=True).returncode:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"baseline did not start; see {log.name}")
            time.sleep(0.3)
        subprocess.run([str(venv / "bin/python"), str(bench / "load.py"), "--target",
                        str(bench / "targets/baseline.json"), "--port", str(port), "--customers", str(args.customers),
                        "--orders", str(args.seed_orders), "--duration", str(args.duration), "--warmup", "2",
                        "--concurrency", "8", "--scenarios", "create", "--run-id", "approve-vs-peer",
                        "--server-pid", str(proc.pid), "--round", str(round_no), "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
    finally:
        stop_server(proc)
        log.close()
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    return next(r for r in reversed(rows) if r.get("round") == round_no and r.get("scenario") == "create")


def product_approvals(url: str, tokens: dict[str, str], orders: list[int], warmup: list[int],
                      workdir: Path, threads: int) -> tuple[Result, float]:
    """8 finance users approve their own orders at once through `engine serve`; server CPU ms per request.
    The `warmup` orders are approved first, unrecorded (the baseline gets load.py's warm-up seconds)."""
    tasks = task_map(url)
    port = free_port()
    proc = start_server(url, port, workdir, tokens["admin"], threads)
    try:
        drive(port, Result("warm-up", 8), [[(APPROVERS[i], tasks[(APPROVERS[i], o)]) for o in warmup[i::8]]
                                           for i in range(8)], tokens)
        result = Result("8 approvers, own orders", 8)
        slices = [orders[i::8] for i in range(8)]
        cpu0 = tree_cpu_seconds(proc.pid)
        drive(port, result, [[(APPROVERS[i], tasks[(APPROVERS[i], o)]) for o in slices[i]] for i in range(8)],
              tokens)
        cpu = tree_cpu_seconds(proc.pid) - cpu0
    finally:
        stop_server(proc)
    result.stage_moves = count_moves(url, orders)
    return result, 1000 * cpu / max(1, sum(result.statuses.values()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", default=os.environ.get("PEER_BENCH", str(ROOT.parent / "shared/peer-bench")),
                        help="the peer yardstick's folder (run_all.sh, load.py, seed.py, peers/baseline)")
    parser.add_argument("--venv", default=os.environ.get("VENV", "/tmp/peer-bench-venv"),
                        help="the yardstick's venv (its requirements.txt plus psycopg)")
    parser.add_argument("--approvals", type=int, default=800, help="orders approved by the product (default 800)")
    parser.add_argument("--warmup-approvals", type=int, default=48, help="approved first, unrecorded (default 48)")
    parser.add_argument("--threads", type=int, default=0,
                        help="engine serve --threads N for the product (default: engine serve's own default)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of baseline creates per phase")
    parser.add_argument("--customers", type=int, default=20_000, help="baseline seed (the yardstick's default)")
    parser.add_argument("--seed-orders", type=int, default=100_000, help="baseline seed (the yardstick's default)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-write", action="store_true", help="print the section, leave docs/ alone")
    args = parser.parse_args()
    bench, venv = Path(args.bench).resolve(), Path(args.venv)
    if not (bench / "load.py").is_file() or not (bench / "peers/baseline/app.py").is_file():
        print(f"approve_vs_peer: no peer yardstick at {bench} (load.py, peers/baseline); give --bench", file=sys.stderr)
        return 2
    if subprocess.run([str(venv / "bin/python"), "-c", "import psycopg, flask_wtf"], capture_output=True).returncode:
        print(f"approve_vs_peer: {venv} lacks the yardstick's packages or psycopg: "
              f"{venv}/bin/pip install -r {bench}/requirements.txt 'psycopg[binary]'", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    load_start = loadavg()
    workdir = Path(tempfile.mkdtemp(prefix="approve-vs-peer-"))
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()

    base_url = recreate_database(BASELINE_DB)
    print(f"baseline: init + seed {args.customers} customers / {args.seed_orders} orders into {BASELINE_DB} …",
          flush=True)
    baseline_setup(bench, venv, base_url, args.customers, args.seed_orders, workdir / "baseline.setup.log")
    with scratch_schema("bench_peer_product") as url:
        sync_schema(Database(url), load_directory(CONFIGS))
        print(f"product: seeding {args.approvals + args.warmup_approvals} submitted orders …", flush=True)
        tokens, ids = seed(url, args.approvals + args.warmup_approvals)
        warmup, ids = ids[:args.warmup_approvals], ids[args.warmup_approvals:]
        db = Database(url)
        mach, pg = machine(), pg_info(db)
        db.dispose()
        print("baseline creates, c=8 …", flush=True)
        first = baseline_creates(bench, venv, base_url, args, 1, workdir)
        print(f"  {first['rps']:.1f} creates/s", flush=True)
        print("product approvals, c=8 …", flush=True)
        approvals, approve_cpu = product_approvals(url, tokens, ids, warmup, workdir, args.threads)
        print("  " + approvals.row(), flush=True)
        print("baseline creates again, c=8 …", flush=True)
        second = baseline_creates(bench, venv, base_url, args, 2, workdir)
        print(f"  {second['rps']:.1f} creates/s", flush=True)

    approved_rate = approvals.approved / approvals.seconds
    create_rate = (first["rps"] + second["rps"]) / 2
    base_cpu = (first["server_cpu_ms_per_op"] + second["server_cpu_ms_per_op"]) / 2
    conflicts = approvals.statuses.get(409, 0)
    other = sum(n for s, n in approvals.statuses.items() if s not in (200, 409))
    lat = sorted(approvals.latencies)
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)]
    command = ("PEER_BENCH=../shared/peer-bench VENV=<yardstick venv + psycopg> "
               ".venv/bin/python bench/approve_vs_peer.py")
    if sys.argv[1:]:
        command += " " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    def base_row(name: str, r: dict) -> str:
        verify = r.get("verify") or {}
        return (f"| {name} | {r['rps']:.1f} | {r['server_cpu_ms_per_op']:.1f} | {r['p50_ms']:.0f} ms | "
                f"{r['p99_ms']:.0f} ms | {r['errors']} (+{verify.get('missing', 0)} not found afterwards) | — |")

    serve_threads = f" --threads {args.threads}" if args.threads else ""
    lines = [
        "## Approvals against the hand-written app's creates (`bench/approve_vs_peer.py`)", "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; commit {commit}; load average (1/5/15) at the start {load_start}, "
        f"at the end {loadavg()}",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram']} RAM; PostgreSQL {pg['version']}; "
        f"Python {mach['python']}; servers, driver and PostgreSQL share the CPUs (other work ran on the machine too)",
        f"- Baseline: the peer yardstick's hand-written app (2 sync gunicorn workers) on database `{BASELINE_DB}`, "
        f"seeded by its seed.py ({args.customers} customers, {args.seed_orders} orders); its `create` scenario "
        f"(one op = GET the form + POST it with its CSRF token) at c=8 for {args.duration:.0f} s after 2 s warm-up, "
        "by its load.py; measured before and after the product, in the same run.",
        f"- Product: `engine serve --workers 2{serve_threads}` on database `bench_peer_product`, "
        "bench/approve.py's data "
        f"({args.approvals} sales orders submitted to 订单评审, one open 财务审核 task per finance user, 或签); "
        f"{len(APPROVERS)} finance users approve at once, each their own orders (distinct tasks, no race): "
        "`POST /api/tasks/{id}/approve`, one keep-alive connection each, after "
        f"{args.warmup_approvals} unrecorded approvals of other orders as warm-up.",
        f"- Command: `{command}`",
        "",
        "| phase (c=8) | ops/s | server CPU ms/op | median | p99 | errors | 409 |",
        "|---|---:|---:|---:|---:|---|---:|",
        base_row("baseline create (before)", first),
        f"| product approve | {approved_rate:.1f} | {approve_cpu:.1f} | "
        f"{sorted(lat)[len(lat) // 2]:.0f} ms | {p99:.0f} ms | {other} | {conflicts} |",
        base_row("baseline create (after)", second),
        "",
        f"Approvals/s ÷ the baseline's mean creates/s = **{approved_rate / create_rate:.2f}×** (goal ≥ 0.5×); "
        f"other errors {other}, 409s {conflicts} (none expected: every task is approved by its one assignee); "
        f"stage moves {approvals.stage_moves} of {args.approvals} orders. The rates move with the machine's load "
        f"(the two baseline phases differ by {abs(first['rps'] - second['rps']) / create_rate:.0%}); server CPU does "
        f"less: an approval costs {approve_cpu / base_cpu:.2f}× the CPU of a baseline create, i.e. per CPU-second "
        f"the product approves {base_cpu / approve_cpu:.2f}× as many orders as the baseline creates.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        replace_section(Path(args.output), "peer-approve", body)
        print(f"wrote {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
