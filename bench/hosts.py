"""Benchmark of several hosts on one PostgreSQL database (not a timed test).

The same read/create mix (per client: 2 list pages of the sales row rule, 2 admin first pages,
1 POST create, over and over; 50 sales users and 20,000 customers) against

- `one`: one `engine serve --workers W` master, direct;
- `one+nginx`: the same behind nginx (what the proxy alone costs);
- `pair+nginx`: two masters (`--workers W` each, separate gunicorn processes on their own
  ports, as two hosts would run them) behind nginx, round robin (tests/hosts/cluster.py).

at concurrency 1 and 8: requests/s, p50/p99, errors, and CPU per request of the app servers'
process trees and of nginx (from /proc; PostgreSQL's own CPU is left out: other processes on
the machine share it). On a 2-CPU machine the pair cannot be faster than one host: its four
workers share the two CPUs with nginx, the database and this driver. What the run shows is the
cost of the second host and of the proxy per request, and that nothing breaks (errors).

    .venv/bin/python bench/hosts.py                 # ~2 minutes
    .venv/bin/python bench/hosts.py --seconds 5     # quick look

Writes the `hosts` section of docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shlex
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import replace_section  # noqa: E402
from bench.run import (  # noqa: E402
    CONFIGS,
    Driver,
    Scenario,
    customer_options,
    machine,
    pg_info,
    prepare,
    scratch_schema,
    seed,
)
from engine.store.db import Database  # noqa: E402
from tests.hosts.cluster import Process, start_host, start_nginx  # noqa: E402

SALES_LIST = Scenario("e", "sales, first page (row rule)", "GET", "sales")
ADMIN_LIST = Scenario("a", "admin, first page", "GET", "admin")
MIX = [SALES_LIST, ADMIN_LIST, SALES_LIST, ADMIN_LIST, Scenario("g", "sales, POST create", "POST", "sales")]
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds (user + system) of the processes under `roots` (themselves included), now."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    total = 0.0
    for pid, cpu in times.items():
        p = pid
        while p > 1:
            if p in roots:
                total += cpu
                break
            p = parents.get(p, 0)
    return total


@dataclass
class Phase:
    setup: str
    concurrency: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    app_cpu: float = 0.0
    nginx_cpu: float = 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000 if ordered else 0.0

    def row(self) -> str:
        n = len(self.latencies) or 1
        return (f"| {self.setup} | {self.concurrency} | {len(self.latencies) / self.seconds:.1f} | {self.pct(0.5):.1f} "
                f"| {self.pct(0.99):.1f} | {self.errors} | {self.app_cpu * 1000 / n:.2f} | "
                f"{self.nginx_cpu * 1000 / n:.2f} |")


def drive(port: int, tokens: dict[str, str], phase: Phase, seconds: float, app: list[int], nginx: list[int]) -> None:
    """Each of `phase.concurrency` clients runs MIX round and round on its own keep-alive connection."""
    import http.client

    driver = Driver(port, tokens, 20_000)
    lock = threading.Lock()
    stop_at = [0.0]

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        i = offset
        try:
            while time.perf_counter() < stop_at[0]:
                elapsed, ok = driver.request(conn, MIX[i % len(MIX)])
                i += 1
                with lock:
                    phase.latencies.append(elapsed)
                    phase.errors += 0 if ok else 1
        finally:
            conn.close()

    cpu_app, cpu_nginx = tree_cpu(app), tree_cpu(nginx)
    started = time.perf_counter()
    stop_at[0] = started + seconds
    threads = [threading.Thread(target=client, args=(k,)) for k in range(phase.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.perf_counter() - started
    phase.app_cpu = tree_cpu(app) - cpu_app
    phase.nginx_cpu = tree_cpu(nginx) - cpu_nginx
    if driver.first_error:
        print(f"  first error: {driver.first_error}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per setup and concurrency")
    parser.add_argument("--workers", type=int, default=2, help="--workers of each host")
    parser.add_argument("--threads", type=int, default=1, help="--threads of each host")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    loads = [os.getloadavg()]
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="engine-hosts-"))
    phases: list[Phase] = []
    with scratch_schema() as url:
        db = Database(url)
        table, tokens = prepare(db)
        print(f"seeding {args.customers:,} customers …", flush=True)
        seed(db, table, args.customers, customer_options())
        mach, pg = machine(), pg_info(db)
        db.dispose()
        env = {**os.environ, "DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(CONFIGS),
               "ENGINE_SECRET_KEY": secrets.token_hex(16), "ENGINE_PROXY_COUNT": "1"}
        double = f"one×{2 * args.workers}w"
        for setup, hosts, workers, proxied in (("one", 1, args.workers, False), (double, 1, 2 * args.workers, False),
                                               ("one+nginx", 1, args.workers, True),
                                               ("pair+nginx", 2, args.workers, True)):
            running: list[Process] = []
            try:
                ports = []
                for h in range(hosts):
                    proc, port = start_host(env, workdir, f"{setup}-{h}", workers=workers, threads=args.threads)
                    running.append(proc)
                    ports.append(port)
                app_pids = [p.pid for p in running]
                nginx_pids: list[int] = []
                target = ports[0]
                if proxied:
                    proxy, target = start_nginx(workdir / f"nginx-{setup}", ports)
                    running.append(proxy)
                    nginx_pids = [proxy.pid]
                warm = Phase(setup, 2)
                drive(target, tokens, warm, 2.0, app_pids, nginx_pids)
                for concurrency in (1, 8):
                    phase = Phase(setup, concurrency)
                    drive(target, tokens, phase, args.seconds, app_pids, nginx_pids)
                    phases.append(phase)
                    print(phase.row(), flush=True)
            finally:
                for proc in reversed(running):
                    proc.stop()
    loads.append(os.getloadavg())
    command = "python bench/hosts.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    by = {(p.setup, p.concurrency): p for p in phases}

    def rps(setup: str, c: int) -> float:
        return len(by[(setup, c)].latencies) / by[(setup, c)].seconds

    def cpu(setup: str, c: int) -> float:
        p = by[(setup, c)]
        return (p.app_cpu + p.nginx_cpu) / max(len(p.latencies), 1)

    def ratio(setup: str, c: int, against: str = "one") -> str:
        return (f"{rps(setup, c) / rps(against, c):.2f}× the req/s, {cpu(setup, c) / cpu(against, c):.2f}× the "
                f"CPU per request (app + nginx)")

    body = "\n".join([
        "## Several hosts: one instance against two behind nginx (PostgreSQL)",
        "",
        f"- Date: {date.today().isoformat()}; command: `{command.strip()}` "
        f"({(time.perf_counter() - started) / 60:.1f} min)",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram']} RAM, Python {mach['python']}; "
        f"PostgreSQL {pg['version']} on the same machine",
        f"- Load average (1/5/15 min) at start {' / '.join(f'{x:.2f}' for x in loads[0])}, "
        f"at end {' / '.join(f'{x:.2f}' for x in loads[-1])} (other work shares the machine)",
        f"- Each host: `engine serve --workers {args.workers} --threads {args.threads}`; nginx 1 worker, "
        "round robin (tests/hosts/cluster.py; sync workers close each connection, so its keep-alive pool is "
        "unused); one database, one secret key, "
        "one config dir",
        f"- Mix per client, round and round: 2× sales list page (row rule), 2× admin list page, 1× create; "
        f"{args.customers:,} customers, 50 sales users; {args.seconds:g} s per cell after 2 s warm-up",
        "- CPU/request: user+system CPU of the app servers' process trees (masters, workers) and of nginx "
        "during the cell ÷ requests; PostgreSQL's CPU is not included",
        "",
        "| setup | clients | req/s | p50 ms | p99 ms | errors | app CPU ms/req | nginx CPU ms/req |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *[p.row() for p in phases],
        "",
        "In the same run, against `one`: "
        + "; ".join(f"{setup} c={c}: {ratio(setup, c)}" for setup in (double, "one+nginx", "pair+nginx")
                    for c in (1, 8)) + f". The pair against one host with as many workers ({double}), c=8: "
        + ratio("pair+nginx", 8, double) + ".",
        "",
        f"The machine has {mach['nproc']} CPUs and is shared with other work (the load average above): the two "
        "hosts here run on the same CPUs, so the pair adds processes, not CPUs, and cannot be faster the way "
        "two machines would be. Any req/s it shows above one host comes from more worker processes taking a "
        "larger share of a busy machine and keeping more requests waiting on the database at once, and from "
        f"run-to-run noise (`{double}` has as many workers as the pair on one master); it is no reason to run "
        "two hosts on one machine. What carries over to real hosts: the app's CPU per request is that of one "
        f"host with as many workers (`{double}`), nginx adds its own column, and the pair serves the mix without "
        "errors; two real "
        "hosts add their CPUs until the one database is the limit.",
    ])
    replace_section(Path(args.output), "hosts", body)
    print(f"wrote the hosts section of {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
