#!/usr/bin/env python3
"""In-process profile of one target's pages through the Flask test client (no HTTP, no gunicorn).

Drives the same scenarios as load.py, with the URL templates, login and create fields of a
target file, against an already seeded database, and reports per request:

- wall time (mean / median over --requests requests, no profiler attached);
- SQL statements and time in the DB-API cursor (SQLAlchemy engine events);
- time in Jinja rendering proper (Flask's before_render_template → template_rendered
  signals) and in the template context processors (app.update_template_context);
- for the product: time in the permission gate (engine.access.Gate methods, outermost
  call only) and in a few other named steps;
- cProfile: the top functions by cumulative time over another --requests requests.

    # product (the product's venv; env as in bench/peer/product.json, a database seeded by its seed command)
    BENCH=../shared/peer-bench DATABASE_URL=sqlite:////tmp/p.db ENGINE_CONFIG_DIR=bench/peer/product-configs \
      ENGINE_SECRET_KEY=x .venv/bin/python bench/peer/product_profile.py --app product --target bench/peer/product.json
    # baseline, for reference (the yardstick's venv, which has the baseline's packages)
    BENCH=../shared/peer-bench DATABASE_URL=sqlite:////tmp/b.db $VENV/bin/python bench/peer/product_profile.py \
      --app baseline --target ../shared/peer-bench/targets/baseline.json

The repository's copy of the yardstick's targets/product_profile.py: the yardstick (load.py, the
baseline app) is found through $BENCH; the product's steps that no longer exist under the names
below are left out of the step timings (and named on stderr) instead of failing, as the product changes.

Prints markdown; --json FILE also writes the numbers.
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import pstats
import random
import re
import statistics
import sys
import time
from collections import defaultdict

BENCH = os.environ.get("BENCH", "")
if not os.path.isfile(os.path.join(BENCH, "load.py")):
    sys.exit("product_profile.py: set BENCH to the peer yardstick's folder (the one with load.py)")
sys.path.insert(0, BENCH)
from load import fill, find_csrf, seeded_order_no  # noqa: E402

STEPS: dict[str, list[float]] = defaultdict(list)  # step name → seconds, per request (summed)
_current: dict[str, float] = defaultdict(float)
_depth: dict[str, int] = defaultdict(int)


def timed(name: str, fn):
    """Wrap fn so that its outermost calls add to STEPS[name] for the current request."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _depth[name]:
            return fn(*args, **kwargs)
        _depth[name] += 1
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _current[name] += time.perf_counter() - t0
            _depth[name] -= 1
    return wrapper


def make_app(kind: str):
    if kind == "product":
        from engine.app import create_app
        app = create_app()
        state = app.extensions["engine"]
        engines = {id(e): e for e in (state.db.engine, state.db.read_engine)}.values()
        instrument_product()
        return app, list(engines)
    if kind == "baseline":
        sys.path.insert(0, os.path.join(BENCH, "peers", "baseline"))
        from app import create_app
        from db import db
        app = create_app()
        return app, [db.get_bind()]
    raise SystemExit(f"unknown app {kind}")


# (module, attribute path, step name): the product's steps timed per request, outermost calls only.
PRODUCT_STEPS = [
    *[("engine.access.gate", f"Gate.{name}", "gate (permission checks, Python)")
      for name in ("permissions", "can_create", "can", "readable_forms", "grants", "row_filter",
                   "never_visible", "allows_values", "hidden_in_row")],
    # the SQL that permission checks cost on top: may(update/delete) counts, readable_form
    ("engine.services.records", "_allowed", "permission SQL (may update/delete)"),
    ("engine.services.records", "load_readable", "load_readable (fetch + row rule)"),
    ("engine.services.records", "link_titles", "link_titles (customer names)"),
    ("engine.services.records", "encode_record", "encode_record (row → JSON values)"),
    ("engine.services.records", "create_record", "create_record service"),
    ("engine.services.records", "list_records", "list_records service"),
    ("engine.ui.records", "build_form_class", "build_form_class (WTForms)"),
    ("engine.ui.records", "display_value", "display_value (cell formatting)"),
    ("engine.ui.records", "list_users", "list_users"),
    ("engine.auth.web", "login_manager._user_callback", "session user loader (DB)"),
]


def instrument_product() -> None:
    """Time the permission gate and a few named steps (outermost calls only); skip the ones that moved."""
    import importlib

    for module_name, path, step in PRODUCT_STEPS:
        try:
            owner = importlib.import_module(module_name)
            *parents, attr = path.split(".")
            for part in parents:
                owner = getattr(owner, part)
            setattr(owner, attr, timed(step, getattr(owner, attr)))
        except (ImportError, AttributeError):
            print(f"product_profile.py: {module_name}.{path} is gone; not timed", file=sys.stderr)


class SqlCounter:
    def __init__(self, engines):
        from sqlalchemy import event
        self.count = 0
        self.seconds = 0.0
        self.statements: list[str] = []
        self._t0: list[float] = []
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self.before)
            event.listen(engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, params, context, executemany):
        self._t0.append(time.perf_counter())

    def after(self, conn, cursor, statement, params, context, executemany):
        self.seconds += time.perf_counter() - self._t0.pop()
        self.count += 1
        self.statements.append(" ".join(statement.split())[:160])

    def reset(self):
        self.count, self.seconds, self.statements = 0, 0.0, []


class TemplateTimer:
    def __init__(self, app):
        from flask import before_render_template, template_rendered
        self.render = 0.0
        self.context = 0.0
        self._t0 = []
        before_render_template.connect(self.before, app)
        template_rendered.connect(self.after, app)
        original = app.update_template_context

        def update_template_context(context):
            t0 = time.perf_counter()
            try:
                return original(context)
            finally:
                self.context += time.perf_counter() - t0
        app.update_template_context = update_template_context

    def before(self, sender, template, context, **extra):
        self._t0.append(time.perf_counter())

    def after(self, sender, template, context, **extra):
        self.render += time.perf_counter() - self._t0.pop()

    def reset(self):
        self.render = self.context = 0.0


def login(client, spec: dict, app=None) -> None:
    kind = spec.get("type", "none")
    if kind == "headers":  # the product's API: a Bearer token issued in-process (as `engine users token`)
        from engine.auth.users import get_user, issue_token

        with app.extensions["engine"].db.transaction() as session:
            token = issue_token(session, get_user(session, "admin"))
        for key, value in spec["headers"].items():
            client.environ_base["HTTP_" + key.upper().replace("-", "_")] = value.replace("{token}", token)
    elif kind == "form":
        body = client.get(spec["form_url"]).get_data(as_text=True)
        fields = dict(spec["fields"])
        if spec.get("csrf_field"):
            fields[spec["csrf_field"]] = find_csrf(body, spec["csrf_field"])
        resp = client.post(spec.get("post_url", spec["form_url"]), data=fields)
        assert resp.status_code in spec.get("success_status", [302, 303]), resp.status_code
    resp = client.get(spec["check_url"])
    assert resp.status_code == 200, (spec["check_url"], resp.status_code)


class Scenarios:
    def __init__(self, target: dict, client, customers: int, orders: int, deep_page: int, status: str):
        self.t, self.client = target, client
        self.customers, self.orders = customers, orders
        self.rng = random.Random("profile")
        self.base = {"page": 1, "page0": 0, "deep_page": deep_page, "deep_page0": deep_page - 1,
                     "status": status, "per_page": 20}
        self.n = 0
        self.nonce = format(time.time_ns() // 1_000_000 % 36**7, "x")

    def run(self, name: str) -> None:
        spec = self.t["scenarios"][name]
        if name == "create":
            return self.create(spec)
        oid = self.rng.randint(1, self.orders)
        values = dict(self.base, id=oid, order_no_of_id=seeded_order_no(oid))
        resp = self.client.get(fill(spec["url"], values))
        assert resp.status_code == 200, (name, resp.status_code)

    def create(self, spec: dict) -> None:
        self.n += 1
        values = dict(self.base, order_no=f"PF{self.nonce}{self.n:06d}",
                      customer_id=self.rng.randint(1, self.customers),
                      amount=f"{self.rng.uniform(100, 100_000):.2f}", delivery_date="2027-01-15")
        fields = {k: fill(str(v), values) for k, v in spec["fields"].items()}
        if spec.get("form_url"):
            resp = self.client.get(fill(spec["form_url"], values))
            assert resp.status_code == 200
            if spec.get("csrf_field"):
                fields[spec["csrf_field"]] = find_csrf(resp.get_data(as_text=True), spec["csrf_field"])
        if spec.get("body", "form") == "json":
            payload = json.loads(fill(json.dumps(spec["json"]), values))
            resp = self.client.post(fill(spec["post_url"], values), json=payload)
        else:
            resp = self.client.post(fill(spec["post_url"], values), data=fields)
        assert resp.status_code in spec.get("success_status", [302, 303]), (resp.status_code,
                                                                             resp.get_data(as_text=True)[:500])


def add_users(app, count: int) -> None:
    from engine.auth.users import create_user, get_user

    db = app.extensions["engine"].db
    with db.transaction() as session:
        for i in range(1, count + 1):
            if get_user(session, f"user{i:03d}") is None:
                create_user(session, f"user{i:03d}", None, {"viewer"}, display_name=f"User {i}",
                            enforce_rules=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", choices=["product", "baseline"], required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--scenarios", default="list_first,list_deep,list_filtered,detail,create")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--customers", type=int, default=20_000)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--deep-page", type=int, default=2000)
    ap.add_argument("--status", default="shipped")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--json", help="write the numbers here too")
    ap.add_argument("--extra-users", type=int, default=0,
                    help="product only: first make sure the database has this many users besides admin "
                         "(role 'viewer', no access to the forms), to see per-user costs")
    args = ap.parse_args()

    target = json.load(open(args.target, encoding="utf-8"))
    app, engines = make_app(args.app)
    if args.extra_users and args.app == "product":
        add_users(app, args.extra_users)
    sql = SqlCounter(engines)
    tpl = TemplateTimer(app)
    client = app.test_client()
    login(client, target["login"], app)
    sc = Scenarios(target, client, args.customers, args.orders, args.deep_page, args.status)
    out = {"app": args.app, "target": args.target, "requests": args.requests, "extra_users": args.extra_users,
           "scenarios": {}}
    print(f"## In-process profile: {args.app} ({args.target}), {args.requests} requests per scenario"
          f"{f', {args.extra_users} extra users' if args.extra_users else ''}\n")
    for name in args.scenarios.split(","):
        if name not in target["scenarios"]:
            continue
        for _ in range(args.warmup):
            sc.run(name)
        walls, counts, sql_s, render_s, ctx_s = [], [], [], [], []
        steps: dict[str, list[float]] = defaultdict(list)
        statements = None
        for i in range(args.requests):
            sql.reset()
            tpl.reset()
            _current.clear()
            t0 = time.perf_counter()
            sc.run(name)
            walls.append(time.perf_counter() - t0)
            counts.append(sql.count)
            sql_s.append(sql.seconds)
            render_s.append(tpl.render)
            ctx_s.append(tpl.context)
            for k, v in _current.items():
                steps[k].append(v)
            if i == 0:
                statements = list(sql.statements)
        n = args.requests
        res = {
            "wall_ms_mean": 1000 * statistics.fmean(walls), "wall_ms_median": 1000 * statistics.median(walls),
            "sql_statements": statistics.mean(counts), "sql_ms": 1000 * statistics.fmean(sql_s),
            "jinja_render_ms": 1000 * statistics.fmean(render_s),
            "context_processors_ms": 1000 * statistics.fmean(ctx_s),
            "steps_ms": {k: 1000 * sum(v) / n for k, v in sorted(steps.items())},
            "statements_first_op": statements,
        }
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            sc.run(name)
        prof.disable()
        stream = io.StringIO()
        stats = pstats.Stats(prof, stream=stream)
        rows = sorted(((ct, tt, nc, func) for func, (cc, nc, tt, ct, callers) in stats.stats.items()),
                      key=lambda r: -r[0])
        harness = ("werkzeug/test.py", "flask/testing.py", "product_profile.py")
        own = [r for r in rows if not any(h in r[3][0] for h in harness)]

        def label(f) -> str:
            text = f"{f[0]}:{f[1]}({f[2]})"
            return re.sub(r".*/(site-packages|bench-product|peers/baseline)/", "", text)

        def entry(r, n=n) -> dict:
            ct, tt, nc, f = r
            return {"function": label(f), "cum_ms_per_op": 1000 * ct / n, "own_ms_per_op": 1000 * tt / n,
                    "calls_per_op": nc / n}
        res["profiled_ms_per_op"] = 1000 * max((r[0] for r in own), default=0) / n
        res["top_cumulative"] = [entry(r) for r in own[: args.top]]
        res["top_cumulative_app_code"] = [entry(r) for r in own if re.search(r"/(engine|peers/baseline)/", r[3][0])
                                          and "/site-packages/" not in r[3][0]][: args.top]
        res["top_tottime"] = [entry(r) for r in sorted(own, key=lambda r: -r[1])[: args.top]]
        out["scenarios"][name] = res

        print(f"### {name}\n")
        print(f"- wall per op (no profiler): mean {res['wall_ms_mean']:.2f} ms, median {res['wall_ms_median']:.2f} ms")
        print(f"- SQL statements per op: {res['sql_statements']:.1f}, time in cursor {res['sql_ms']:.2f} ms")
        print(f"- Jinja render {res['jinja_render_ms']:.2f} ms; template context processors "
              f"{res['context_processors_ms']:.2f} ms")
        for k, v in res["steps_ms"].items():
            print(f"- {k}: {v:.2f} ms")
        print("\nSQL of the first op:\n")
        for s in statements or []:
            print(f"    {s}")
        print(f"\ncProfile over another {n} ops: {res['profiled_ms_per_op']:.1f} ms/op under the profiler "
              f"(its overhead inflates deep call trees). Top {args.top} by cumulative time, test-client frames "
              f"left out:\n")
        for title, key in (("all code", "top_cumulative"), ("application code only", "top_cumulative_app_code"),
                           ("by own time", "top_tottime")):
            print(f"{title}:\n")
            print("| function | cum ms/op | own ms/op | calls/op |\n|---|---:|---:|---:|")
            for r in res[key]:
                print(f"| `{r['function']}` | {r['cum_ms_per_op']:.2f} | {r['own_ms_per_op']:.2f} "
                      f"| {r['calls_per_op']:.1f} |")
            print()
        print()
        sys.stdout.flush()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
