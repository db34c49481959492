#!/usr/bin/env python3
"""Write the `peer` section of docs/benchmarks.md from runs of the peer yardstick (run_all.sh).

Each run is its results file (RUN_ID.jsonl, one line per target × scenario × concurrency and a
`memory` line per server) plus a small JSON of what the file cannot say: label, commit, date,
load average before and after, the exact command. In-process profiles (product_profile.py
--json) of the same commit can be added per run.

    .venv/bin/python bench/peer/section.py \\
        --run before=/tmp/results/before.jsonl,/tmp/results/before.meta.json \\
        --run after=/tmp/results/after.jsonl,/tmp/results/after.meta.json \\
        --profile before:product=/tmp/p-before.json --profile before:baseline=/tmp/b-before.json ...

The meta JSON: {"commit": "...", "date": "...", "load_start": "...", "load_end": "...",
"command": "...", "product_dir": "...", "note": "..."}.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.report import replace_section  # noqa: E402
from bench.run import machine  # noqa: E402

PAGES = ["list_first", "list_deep", "list_filtered", "detail", "create"]
REFERENCE = "baseline"


def read_run(path: Path) -> tuple[dict, dict]:
    """(target, scenario, concurrency) → medians over rounds of the phase numbers; target → worker peak RSS MB."""
    phases: dict[tuple[str, str, int], list[dict]] = {}
    memory: dict[str, list[float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("type") == "memory":
            memory.setdefault(row["target"], []).append(row["worker_peak_rss_mb_max"])
        elif row.get("type") == "phase":
            phases.setdefault((row["target"], row["scenario"], row["concurrency"]), []).append(row)
    cells = {key: {k: statistics.median(r[k] for r in rows) for k in ("rps", "p99_ms", "server_cpu_ms_per_op")}
             | {"errors": sum(r["errors"] for r in rows), "rounds": len(rows)} for key, rows in phases.items()}
    return cells, {t: max(v) for t, v in memory.items()}


def ratio(value: float | None, ref: float | None) -> str:
    return f"{value / ref:.2f}×" if value and ref else "—"


def run_table(label: str, cells: dict, memory: dict, targets: list[str]) -> list[str]:
    targets = [t for t in targets if any(key[0] == t for key in cells)]
    head = "| page | c | " + " | ".join(
        f"{t} CPU ms/op{'' if t == REFERENCE else ' (×base)'}" for t in targets) + " | " + " | ".join(
        f"{t} rps{'' if t == REFERENCE else ' (×base)'}" for t in targets) + " | " + " | ".join(
        f"{t} p99" for t in targets) + " | errors |"
    lines = [f"**{label}**", "", head, "|---|---:|" + "---:|" * (3 * len(targets)) + "---:|"]
    for page in PAGES:
        for c in (1, 8):
            base = cells.get((REFERENCE, page, c))
            if base is None:
                continue
            cpu, rps, p99, errors = [], [], [], 0
            for t in targets:
                cell = cells.get((t, page, c))
                if cell is None:
                    cpu.append("—"), rps.append("—"), p99.append("—")
                    continue
                errors += cell["errors"]
                if t == REFERENCE:
                    cpu.append(f"{cell['server_cpu_ms_per_op']:.1f}")
                    rps.append(f"{cell['rps']:.1f}")
                else:
                    cpu_ratio = ratio(cell["server_cpu_ms_per_op"], base["server_cpu_ms_per_op"])
                    cpu.append(f"{cell['server_cpu_ms_per_op']:.1f} ({cpu_ratio})")
                    rps.append(f"{cell['rps']:.1f} ({ratio(cell['rps'], base['rps'])})")
                p99.append(f"{cell['p99_ms']:.0f} ms")
            lines.append(f"| {page} | {c} | " + " | ".join(cpu + rps + p99) + f" | {errors} |")
    mem = ", ".join(f"{t} {memory[t]:.1f} MB"
                    + ("" if t == REFERENCE else f" ({ratio(memory[t], memory.get(REFERENCE))})")
                    for t in targets if t in memory)
    lines += ["", f"Peak RSS per worker (VmHWM, largest worker): {mem}. Goal ≤ 1.3× the baseline's.", ""]
    return lines


def summary(runs: dict[str, tuple[dict, dict]], targets: list[str]) -> list[str]:
    """One column per (run, target) that the run measured: server CPU per op ÷ baseline's / rps ÷ baseline's."""
    cols = [(lab, t) for lab, (cells, _memory) in runs.items() for t in targets
            if t != REFERENCE and any(key[0] == t for key in cells)]
    lines = ["| page | c | " + " | ".join(f"{t} ({lab})" for lab, t in cols) + " |",
             "|---|---:|" + "---:|" * len(cols)]
    for page in PAGES:
        for c in (1, 8):
            row = []
            for lab, t in cols:
                cells = runs[lab][0]
                cell, base = cells.get((t, page, c)), cells.get((REFERENCE, page, c))
                row.append(f"{ratio(cell and cell['server_cpu_ms_per_op'], base and base['server_cpu_ms_per_op'])}"
                           f" / {ratio(cell and cell['rps'], base and base['rps'])}")
            lines.append(f"| {page} | {c} | " + " | ".join(row) + " |")
    mem = [f"{t} ({lab}) {ratio(runs[lab][1].get(t), runs[lab][1].get(REFERENCE))}" for lab, t in cols]
    lines += ["", "Each cell: server CPU per op ÷ the baseline's in the same run / requests per second ÷ the "
              "baseline's. Peak RSS of the largest worker ÷ the baseline's: " + "; ".join(mem) + " (goal ≤ 1.3×).",
              ""]
    return lines


def profile_table(profiles: dict[str, dict[str, dict]]) -> list[str]:
    """label → app → product_profile.py JSON."""
    cols = [(lab, app) for lab, apps in profiles.items() for app in apps]
    lines = ["| page | " + " | ".join(f"{app} {lab}: ms / SQL / Jinja ms" for lab, app in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    for page in PAGES:
        row = []
        for lab, app in cols:
            sc = profiles[lab][app]["scenarios"].get(page)
            row.append(f"{sc['wall_ms_mean']:.1f} / {sc['sql_statements']:.0f} / {sc['jinja_render_ms']:.1f}"
                       if sc else "—")
        lines.append(f"| {page} | " + " | ".join(row) + " |")
    return lines + [""]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", action="append", required=True, help="LABEL=RESULTS.jsonl,META.json")
    ap.add_argument("--profile", action="append", default=[], help="LABEL:APP=PROFILE.json")
    ap.add_argument("--targets", default="baseline,product,product-sync")
    ap.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    targets = args.targets.split(",")
    runs, metas = {}, {}
    for spec in args.run:
        label, files = spec.split("=", 1)
        results, meta = files.split(",")
        runs[label] = read_run(Path(results))
        metas[label] = json.loads(Path(meta).read_text(encoding="utf-8"))
    profiles: dict[str, dict[str, dict]] = {}
    for spec in args.profile:
        key, path = spec.split("=", 1)
        label, app = key.split(":")
        profiles.setdefault(label, {})[app] = json.loads(Path(path).read_text(encoding="utf-8"))

    lines = [
        "## Against the hand-written app: the peer yardstick (`make bench-peer`, `bench/peer/section.py`)", "",
        "The yardstick (issue 15) is a hand-written Flask 3 + SQLAlchemy 2 + Flask-WTF + Flask-Login app of the same "
        "two tables (customers, sales orders) and the same five pages — list page 1, page 2000, list filtered by "
        "status, detail, create (GET the form + POST it with its CSRF token) — plus a seed (20,000 customers, "
        "100,000 orders), a load driver and run_all.sh, which serves one app at a time (gunicorn, 2 workers, "
        "SQLite in WAL mode) and measures them back to back in one run. It lives outside this repository; "
        "bench/peer/ holds this product's side of it (targets, module, seed map, in-process profile), kept "
        "working by tests/bench/test_peer_target.py. `product` is `engine serve --workers 2` as shipped (gthread "
        "workers of 4 threads), `product-sync` the same app under "
        "plain gunicorn with 2 sync workers like the baseline.",
        "",
        "Server CPU per op is the CPU time of the server's whole process tree during the phase divided by the "
        "operations: the steadiest figure on this shared 2-CPU machine. Ratios are to the baseline in the same "
        "run. Goals: CPU ≤ 1.25×, rps ≥ 0.8×, peak RSS per worker ≤ 1.3×.",
        "",
    ]
    mach = machine()
    lines.append(f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['ram']} RAM, Python {mach['python']}; "
                 "the servers, the load driver and other work on the machine share the CPUs.")
    for label, meta in metas.items():
        lines.append(f"- **{label}**: commit {meta['commit']}, {meta['date']}; load average (1/5/15) "
                     f"{meta['load_start']} at the start, {meta['load_end']} at the end; "
                     f"`{meta['command']}`" + (f". {meta['note']}" if meta.get("note") else ""))
    lines += ["", "### Ratios to the baseline (goals: CPU ≤ 1.25×, rps ≥ 0.8×)", ""]
    lines += summary(runs, targets)
    for label, (cells, memory) in runs.items():
        lines += run_table(f"{label} ({metas[label]['commit']}): all cells", cells, memory, targets)
    if profiles:
        lines += ["### In-process profile (`bench/peer/product_profile.py`, Flask test client, no HTTP)", "",
                  "Mean wall time per op, SQL statements per op, time in Jinja; create = GET + POST.", ""]
        lines += profile_table(profiles)
        for label, apps in profiles.items():
            for app, prof in apps.items():
                extra = f", {prof['extra_users']} extra users" if prof.get("extra_users") else ""
                lines.append(f"- {app} {label}: {prof['requests']} requests per page{extra}")
        lines.append("")
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        replace_section(Path(args.output), "peer", body)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
