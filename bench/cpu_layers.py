"""CPU per request by layer, the product against the peer yardstick's hand-written app (issue 15, goal 1).

Runs the yardstick's five scenarios in-process through Flask's test client (the scenarios, login and
create fields of bench/peer/product_profile.py) on a fresh copy of a seeded database, and reports:

- CPU ms per request (time.process_time, no profiler attached): mean and median;
- a split by layer from cProfile's own time (tottime, its default wall clock) over another --requests
  requests, scaled to that CPU figure. Builtins (C functions), the standard library's Python code and
  markupsafe's escaping count for the layer that called them (by cProfile's caller edges), except
  sqlite3's methods: the driver layer, which holds SQLite's own work (it runs in the process).
  cProfile adds a cost per call, so layers made of many small calls (SQLAlchemy, Jinja's runtime,
  WTForms) look bigger than they are: read their shares as upper bounds, those of the few-call
  layers (sqlite3) as lower bounds;
- the product's functions with the largest cumulative time.

    # seed once (the yardstick's 20,000 customers / 100,000 orders); see bench/peer/README.md
    export BENCH=../shared/peer-bench PY=$PWD/.venv/bin/python D=/tmp/cl
    DATABASE_URL=sqlite:///$D/product.seeded.db ENGINE_CONFIG_DIR=bench/peer/product-configs \\
      ENGINE_SECRET_KEY=x sh -c '.venv/bin/engine init --admin-password admin && $PY \\
      bench/peer/product_seed.py --url $DATABASE_URL --customers 20000 --orders 100000 \\
      --map bench/peer/product.map.json'
    (cd $BENCH/peers/baseline && DATABASE_URL=sqlite:///$D/baseline.seeded.db $PY -m flask --app app init-db \\
      && $PY ../../seed.py --url sqlite:///$D/baseline.seeded.db --customers 20000 --orders 100000)
    # measure, one process per app, interleaved (p1 b1 p2 b2); then the tables, runs averaged
    $PY bench/cpu_layers.py run product $D/product.seeded.db --out $D/p1.json
    $PY bench/cpu_layers.py run baseline $D/baseline.seeded.db --out $D/b1.json
    $PY bench/cpu_layers.py table --product $D/p1.json $D/p2.json --baseline $D/b1.json $D/b2.json
    # the CPU ratio alone, both apps in one process taking turns (steadier on a busy machine)
    $PY bench/cpu_layers.py ratio $D/product.seeded.db $D/baseline.seeded.db
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import shutil
import statistics
import sys
import sysconfig
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ["list_first", "list_deep", "list_filtered", "detail", "create"]
STDLIB = sysconfig.get_paths()["stdlib"]
LAYOUT_TEMPLATES = re.compile(r"/templates/(base\.html|layout/)")

# (pattern on the file path, layer); first match wins. Product code: "engine.<package>".
LAYERS = [
    (r"/(werkzeug/test\.py|flask/testing\.py|bench/cpu_layers\.py|bench/peer/product_profile\.py"
     r"|peer-bench/load\.py)", "test client (harness)"),
    (r"/(flask_login/|flask_wtf/csrf\.py|itsdangerous/|flask/sessions\.py)", "login, session, CSRF"),
    (r"/(werkzeug|flask|blinker|click)/", "werkzeug + flask"),
    (r"/sqlalchemy/sql/(compiler|cache_key|traversals)\.py", "SQLAlchemy: compile + cache key"),
    (r"/sqlalchemy/orm/(context|query|strategies|strategy_options|path_registry)\.py", "SQLAlchemy: ORM query setup"),
    (r"/sqlalchemy/sql/", "SQLAlchemy: statement construction"),
    (r"/sqlalchemy/engine/(result|cursor|row|processors)\.py|/sqlalchemy/orm/loading\.py",
     "SQLAlchemy: result rows + ORM loading"),
    (r"/sqlalchemy/(orm/(unitofwork|persistence|dependency|sync)\.py)", "SQLAlchemy: ORM flush"),
    (r"/sqlalchemy/(engine|pool|event|dialects)/", "SQLAlchemy: execute (connection, pool, events)"),
    (r"/sqlalchemy/", "SQLAlchemy: ORM session, attributes, util"),
    (r"/(wtforms|flask_wtf)/", "WTForms"),
    (r"/(babel|flask_babel)/|/gettext\.py", "babel / i18n"),
    (r"/jinja2/", "Jinja runtime"),
    (r"/peers/baseline/(?!templates)", "app code (baseline)"),
]


def layer_of(func: tuple) -> str | None:
    """The layer of a profiled function, None when it counts for its callers (builtins, stdlib)."""
    path, _, name = func
    if path == "~":
        return "sqlite3 (driver)" if "sqlite3." in name else None
    if path.startswith("<"):  # code made at run time: frozen stdlib, <string>, generated wrappers
        if path.startswith("<werkzeug"):
            return "werkzeug + flask"
        if path.startswith("<sqlalchemy generated"):
            return "SQLAlchemy: statement construction" if "sqlalchemy.sql." in path else \
                "SQLAlchemy: ORM session, attributes, util"
        return None
    if path.endswith(".html") or "/templates/" in path:
        return "Jinja templates: layout" if LAYOUT_TEMPLATES.search(path) else "Jinja templates: page body"
    for pattern, layer in LAYERS:
        if re.search(pattern, path):
            return layer
    m = re.search(r"/engine/(\w+)(/|\.py)", path)
    if m and "/site-packages/" not in path:
        return f"engine.{m.group(1)}"
    if "/markupsafe/" in path or path.startswith(STDLIB) and "site-packages" not in path:
        return None
    return "other packages" if "site-packages" in path else "other"


def split_by_layer(stats: dict) -> dict[str, float]:
    """Own time per layer; a transparent function's own time goes to its callers' layers, by edge."""
    memo: dict[tuple, dict[str, float]] = {}

    def shares(func, depth=0) -> dict[str, float]:  # the layers a transparent function works for
        if func in memo:
            return memo[func]
        memo[func] = {"unattributed": 1.0}  # cycle guard
        callers = stats[func][4]
        field = 2 if sum(edge[2] for edge in callers.values()) > 0 else 1  # by own time, else by calls
        total = sum(edge[field] for edge in callers.values())
        out: dict[str, float] = defaultdict(float)
        for caller, edge in callers.items():
            weight = edge[field] / total if total else 0.0
            layer = layer_of(caller) if caller in stats else None
            if layer is not None:
                out[layer] += weight
            elif caller in stats and depth < 30:
                for k, v in shares(caller, depth + 1).items():
                    out[k] += weight * v
            else:
                out["unattributed"] += weight
        memo[func] = dict(out) or {"unattributed": 1.0}
        return memo[func]

    result: dict[str, float] = defaultdict(float)
    for func, (_, _, tt, _, _) in stats.items():
        layer = layer_of(func)
        if layer is not None:
            result[layer] += tt
        else:
            for k, v in shares(func).items():
                result[k] += tt * v
    return dict(result)


def make_client(kind: str, db: Path, bench: Path):
    if kind == "product":
        os.environ.update(DATABASE_URL=f"sqlite:///{db}", ENGINE_SECRET_KEY="bench-not-secret",
                          ENGINE_CONFIG_DIR=str(ROOT / "bench/peer/product-configs"))
        from engine.app import create_app
        target = ROOT / "bench/peer/product.json"
    else:
        os.environ.update(DATABASE_URL=f"sqlite:///{db}", SECRET_KEY="bench-not-secret")
        sys.path.insert(0, str(bench / "peers" / "baseline"))
        from app import create_app  # type: ignore[import-not-found, no-redef]
        target = bench / "targets" / "baseline.json"
    return create_app().test_client(), json.loads(target.read_text(encoding="utf-8"))


def scenarios(kind: str, db: Path):
    """The yardstick's scenarios (bench/peer/product_profile.py) on one app, logged in."""
    bench = Path(os.environ.get("BENCH", ROOT.parent / "shared" / "peer-bench")).resolve()
    sys.path[:0] = [str(bench), str(ROOT / "bench" / "peer")]
    from product_profile import Scenarios, login

    client, target = make_client(kind, db, bench)
    login(client, target["login"])
    return Scenarios(target, client, 20_000, 100_000, 2000, "shipped")


def ratio(product_db: Path, baseline_db: Path, requests: int, block: int) -> None:
    """Both apps in one process, blocks of `block` requests taking turns: CPU per request and the
    ratio, steadier than two processes run one after the other while the machine's load moves."""
    copies = [db.with_name(db.stem + f".run-{os.getpid()}.db") for db in (product_db, baseline_db)]
    for seeded, db in zip((product_db, baseline_db), copies, strict=True):
        shutil.copyfile(seeded, db)
    try:
        apps = {"product": scenarios("product", copies[0]), "baseline": scenarios("baseline", copies[1])}
        print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}, {requests} requests per page "
              f"and app, blocks of {block}\n\n| page | product ms (median) | baseline ms (median) | ratio of means "
              "| ratio of medians |\n|---|---:|---:|---:|---:|")
        for name in SCENARIOS:
            cpu: dict[str, list[float]] = {"product": [], "baseline": []}
            for sc in apps.values():
                for _ in range(30):
                    sc.run(name)
            for _ in range(requests // block):
                for kind, sc in apps.items():
                    for _ in range(block):
                        t0 = time.process_time()
                        sc.run(name)
                        cpu[kind].append(1000 * (time.process_time() - t0))
            p, b = cpu["product"], cpu["baseline"]
            print(f"| {name} | {statistics.fmean(p):.2f} ({statistics.median(p):.2f}) | {statistics.fmean(b):.2f} "
                  f"({statistics.median(b):.2f}) | {statistics.fmean(p) / statistics.fmean(b):.2f}× "
                  f"| {statistics.median(p) / statistics.median(b):.2f}× |", flush=True)
        print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}")
    finally:
        for db in copies:
            for path in db.parent.glob(db.name + "*"):
                path.unlink()


def label(func: tuple) -> str:
    path, line, name = func
    path = re.sub(r".*/(site-packages|peer-bench|main)/", "", path)
    return f"{name} ({path}:{line})" if path != "~" else name


def run(kind: str, seeded: Path, requests: int, warmup: int, out: Path | None) -> dict:
    db = seeded.with_name(seeded.stem + f".run-{os.getpid()}.db")
    shutil.copyfile(seeded, db)
    try:
        sc = scenarios(kind, db)
        result: dict = {"app": kind, "requests": requests, "loadavg": Path("/proc/loadavg").read_text().split()[:3],
                        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "scenarios": {}}
        for name in SCENARIOS:
            for _ in range(warmup):
                sc.run(name)
            cpu = []
            for _ in range(requests):
                t0 = time.process_time()
                sc.run(name)
                cpu.append(1000 * (time.process_time() - t0))
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(requests):
                sc.run(name)
            prof.disable()
            stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
            layers = split_by_layer(stats)
            profiled = sum(layers.values())
            cpu_mean = statistics.fmean(cpu)
            own = sorted(stats.items(), key=lambda kv: -kv[1][2])[:25]
            app_code = [kv for kv in stats.items() if (layer_of(kv[0]) or "").startswith(("engine.", "app code"))]
            result["scenarios"][name] = {
                "cpu_ms_mean": cpu_mean, "cpu_ms_median": statistics.median(cpu),
                "profiled_ms": 1000 * profiled / requests,
                "layers_ms": {k: cpu_mean * v / profiled for k, v in sorted(layers.items(), key=lambda kv: -kv[1])},
                "top_own": [[label(f), layer_of(f) or "(for caller)", 1000 * s[2] / requests, s[1] / requests]
                            for f, s in own],
                "top_app_cumulative": [[label(f), layer_of(f), 1000 * s[3] / requests, s[1] / requests]
                                       for f, s in sorted(app_code, key=lambda kv: -kv[1][3])[:40]],
            }
            print(f"{kind} {name}: CPU {cpu_mean:.2f} ms/request (median {statistics.median(cpu):.2f}), "
                  f"profiled {1000 * profiled / requests:.2f}", file=sys.stderr)
    finally:
        for path in db.parent.glob(db.name + "*"):
            path.unlink()
    if out:
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def mean_run(runs: list[dict]) -> dict:
    """Several runs of one app as one: CPU and layer figures averaged per page."""
    out: dict = {"scenarios": {}}
    for name in SCENARIOS:
        pages = [r["scenarios"][name] for r in runs]
        layers = {k for p in pages for k in p["layers_ms"]}
        out["scenarios"][name] = {
            **{k: statistics.fmean(p[k] for p in pages) for k in ("cpu_ms_mean", "cpu_ms_median", "profiled_ms")},
            "layers_ms": {k: statistics.fmean(p["layers_ms"].get(k, 0.0) for p in pages) for k in layers},
            "top_app_cumulative": pages[0]["top_app_cumulative"]}
    return out


GROUPS = {"werkzeug + flask": "Flask, Werkzeug, login, session, CSRF", "login, session, CSRF":
          "Flask, Werkzeug, login, session, CSRF", "sqlite3 (driver)": "sqlite3 (SQLite's work)",
          "WTForms": "WTForms", "babel / i18n": "babel", "test client (harness)": "test client"}


def group_of(layer: str) -> str:
    if layer.startswith("SQLAlchemy"):
        return "SQLAlchemy (all)"
    if layer.startswith("Jinja"):
        return "Jinja (runtime + templates)"
    if layer.startswith(("engine.", "app code")):
        return "the app's own code"
    return GROUPS.get(layer, "other")


def summary(product: dict, baseline: dict) -> str:
    """Markdown: the layers grouped, product ms / baseline ms per page."""
    rows: dict[str, list[str]] = {}
    for name in SCENARIOS:
        for app in (product, baseline):
            sums: dict[str, float] = defaultdict(float)
            for layer, ms in app["scenarios"][name]["layers_ms"].items():
                sums[group_of(layer)] += ms
            for group in {group_of(k) for k in LAYER_NAMES} | set(sums):
                rows.setdefault(group, []).append(f"{sums.get(group, 0.0):.2f}")
    totals = [f"**{app['scenarios'][n]['cpu_ms_mean']:.2f}**" for n in SCENARIOS for app in (product, baseline)]
    lines = ["| layer | " + " | ".join(f"{n} product | {n} baseline" for n in SCENARIOS) + " |",
             "|---|" + "---:|" * 2 * len(SCENARIOS), "| CPU per request | " + " | ".join(totals) + " |"]
    order = sorted(rows, key=lambda g: -sum(float(v) for v in rows[g]))
    lines += [f"| {g} | " + " | ".join(rows[g]) + " |" for g in order]
    return "\n".join(lines) + "\n"


LAYER_NAMES = [layer for _, layer in LAYERS] + ["sqlite3 (driver)"]


def table(product: dict, baseline: dict, top: int = 12) -> str:
    """Markdown: per page, layer → product ms (share) vs baseline ms and the difference; the product's
    functions with the largest cumulative time (first run's profile)."""
    lines = [summary(product, baseline)]
    for name in SCENARIOS:
        p, b = product["scenarios"][name], baseline["scenarios"][name]
        lines += [f"**{name}**: product {p['cpu_ms_mean']:.2f} ms CPU/request (median {p['cpu_ms_median']:.2f}), "
                  f"baseline {b['cpu_ms_mean']:.2f} (median {b['cpu_ms_median']:.2f}): "
                  f"{p['cpu_ms_mean'] / b['cpu_ms_mean']:.2f}× (medians {p['cpu_ms_median'] / b['cpu_ms_median']:.2f}×)"
                  f"; under cProfile {p['profiled_ms']:.1f} vs {b['profiled_ms']:.1f} ms", "",
                  "| layer | product ms | share | baseline ms | product − baseline |", "|---|---:|---:|---:|---:|"]
        names = sorted(set(p["layers_ms"]) | set(b["layers_ms"]), key=lambda k: -p["layers_ms"].get(k, 0))
        for layer in names:
            pv, bv = p["layers_ms"].get(layer, 0.0), b["layers_ms"].get(layer, 0.0)
            if max(pv, bv) >= 0.05:
                lines.append(f"| {layer} | {pv:.2f} | {100 * pv / p['cpu_ms_mean']:.0f}% | {bv:.2f} | {pv - bv:+.2f} |")
        scale = p["cpu_ms_mean"] / p["profiled_ms"]
        if not top:
            lines.append("")
            continue
        lines += ["", f"Product functions by cumulative time (× {scale:.2f}, cProfile to CPU ms):", "",
                  "| function | cum ms | calls |", "|---|---:|---:|"]
        lines += [f"| `{f}` | {ms * scale:.2f} | {calls:.0f} |" for f, _, ms, calls in p["top_app_cumulative"][:top]]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="measure one app (a fresh copy of SEEDED is used and removed)")
    r.add_argument("app", choices=["product", "baseline"])
    r.add_argument("seeded", type=Path)
    r.add_argument("--requests", type=int, default=300)
    r.add_argument("--warmup", type=int, default=30)
    r.add_argument("--out", type=Path)
    q = sub.add_parser("ratio", help="CPU per request of both apps in one process, taking turns (no profiler)")
    q.add_argument("product_db", type=Path)
    q.add_argument("baseline_db", type=Path)
    q.add_argument("--requests", type=int, default=300)
    q.add_argument("--block", type=int, default=10)
    t = sub.add_parser("table", help="the layer tables from product and baseline runs (averaged)")
    t.add_argument("--product", type=Path, nargs="+", required=True, help="product runs (averaged)")
    t.add_argument("--baseline", type=Path, nargs="+", required=True, help="baseline runs (averaged)")
    t.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    if args.cmd == "run":
        run(args.app, args.seeded.resolve(), args.requests, args.warmup, args.out)
    elif args.cmd == "ratio":
        ratio(args.product_db.resolve(), args.baseline_db.resolve(), args.requests, args.block)
    else:
        load = lambda paths: mean_run([json.loads(p.read_text()) for p in paths])  # noqa: E731
        print(table(load(args.product), load(args.baseline), args.top))


if __name__ == "__main__":
    main()
