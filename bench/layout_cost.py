"""CPU per request of the list, record and create pages (GET) of the peer yardstick's module for
one or more engine checkouts, measured in one run and interleaved (round 1: every checkout, round
2: every checkout ...) so the machine's load falls on each alike; for the layout (base.html)
figures of the `page_profile` section of docs/benchmarks.md. Prints a table; not a timed test.

    git archive COMMIT engine | tar -x -C /tmp/old      # the checkout before
    .venv/bin/python bench/layout_cost.py --root before=/tmp/old --root after=.

Through Flask's test client (no HTTP) as the admin, on one SQLite file seeded by the yardstick's
seed (--customers / --orders); median `time.process_time` per request of --requests after
--warmup, per round; the figure is the median over the rounds.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: the checkout measured provides `engine`

PAGES = ("list", "detail", "create")


def measure(folder: Path, orders: int, requests: int, warmup: int) -> None:
    """In a child with PYTHONPATH set to one checkout: print {page: CPU ms median} as JSON."""
    from bench.record_pages import login
    from engine.app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "ENGINE_CONFIG_DIR": str(folder / "configs"),
                      "ENGINE_SECRET_KEY": "bench"})
    client = login(app)
    rng = random.Random(7)
    ops = {"list": lambda: client.get("/f/sales_order?page=1"),
           "detail": lambda: client.get(f"/f/sales_order/{rng.randint(1, orders)}"),
           "create": lambda: client.get("/f/sales_order/new")}
    out = {}
    for page in PAGES:
        for _ in range(warmup):
            assert ops[page]().status_code == 200
        spent = []
        for _ in range(requests):
            t0 = time.process_time()
            ops[page]()
            spent.append(time.process_time() - t0)
        out[page] = 1000 * statistics.median(spent)
    print(json.dumps(out))


def seed(folder: Path, customers: int, orders: int) -> None:
    from bench.record_pages import PEER, make_app

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "bench" / "peer" / "product-configs", folder / "configs")
    url = f"sqlite:///{folder / 'bench.db'}"
    make_app(folder / "configs", url)
    mapping = ROOT / "bench" / "peer" / "product.map.json"
    subprocess.run([sys.executable, str(PEER / "targets" / "product_seed.py"), "--url", url, "--customers",
                    str(customers), "--orders", str(orders), "--map", str(mapping)], check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", action="append", default=[], metavar="LABEL=DIR", help="a checkout (repeat)")
    ap.add_argument("--dir", default="/tmp/layout-cost")
    ap.add_argument("--customers", type=int, default=2000)
    ap.add_argument("--orders", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    folder = Path(args.dir)
    if args.measure:
        measure(folder, args.orders, args.requests, args.warmup)
        return
    roots = dict(item.split("=", 1) for item in args.root) or {"this": str(ROOT)}
    load_start = os.getloadavg()
    seed(folder, args.customers, args.orders)
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in roots}
    for _ in range(args.rounds):
        for label, root in roots.items():
            env = dict(os.environ, PYTHONPATH=str(Path(root).resolve()))
            answer = subprocess.run([sys.executable, __file__, "--measure", "--dir", str(folder), "--orders",
                                     str(args.orders), "--requests", str(args.requests), "--warmup", str(args.warmup)],
                                    env=env, check=True, capture_output=True, text=True, cwd=ROOT)
            runs[label].append(json.loads(answer.stdout.strip().splitlines()[-1]))
    print(f"load average {' / '.join(f'{x:.2f}' for x in load_start)} → "
          f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| page | " + " | ".join(f"{label} CPU ms" for label in roots) + " |")
    print("|---|" + "---|" * len(roots))
    for page in PAGES:
        print(f"| {page} | " + " | ".join(f"{statistics.median(r[page] for r in runs[label]):.2f}"
                                           for label in roots) + " |")


if __name__ == "__main__":
    main()
