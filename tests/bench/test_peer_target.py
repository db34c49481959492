"""The repository's copy of the peer yardstick's product target (bench/peer/) keeps working as the
product changes: its module validates, its seed map puts every column of the yardstick's rows into
the product's tables, and every scenario of each target file (the URLs, the login, the create
form with its CSRF token, the checks on what comes back) works on a few seeded rows, the way the
yardstick's load driver uses them. No timing here: the figures are in docs/benchmarks.md."""
from __future__ import annotations

import importlib
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData

from engine.definitions import load_directory

PEER = Path(__file__).resolve().parents[2] / "bench" / "peer"
CONFIGS = PEER / "product-configs"
TARGETS = ["product.json", "product-sync.json", "product-api.json"]
ORDERS = 60  # three pages of 20; every other order is shipped: a full filtered first page
ENGINE = str(Path(sys.executable).with_name("engine"))
VAR = re.compile(r"\{(\w+)\}")


def _module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, PEER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEED = _module("product_seed")
MAP = json.loads((PEER / "product.map.json").read_text(encoding="utf-8"))
FORMS = {f["name"]: f for f in json.loads((CONFIGS / "bench.json").read_text(encoding="utf-8"))["forms"]}


def fill(template: str, values: dict[str, Any], regex: bool = False) -> str:
    """The load driver's {name} substitution: known names only, so `\\d{8}` survives."""
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in values:
            return m.group(0)
        return re.escape(str(values[m.group(1)])) if regex else str(values[m.group(1)])
    return VAR.sub(sub, template)


def find_csrf(html: str, field: str) -> str:
    for tag in re.findall(r"<input[^>]*>", html, re.I):
        if re.search(rf'name\s*=\s*["\']{re.escape(field)}["\']', tag):
            m = re.search(r'value\s*=\s*["\']([^"\']*)["\']', tag)
            if m:
                return m.group(1)
    raise AssertionError(f"no {field} input in the page")


def peer_rows(form: str) -> list[dict[str, Any]]:
    """Rows shaped (and typed) like the yardstick seed's: order i is SO%08d with id i."""
    epoch = datetime(2023, 1, 1, 8, 0, 0)
    if form == "customer":
        rows = [{"name": f"上海华盛贸易有限公司{i:05d}", "grade": "ABC"[i % 3], "industry": "制造",
                 "phone": f"13{i:09d}", "owner": "sales01", "created_at": epoch + timedelta(minutes=10 * i)}
                for i in range(1, 4)]
    else:
        statuses = SEED.PEER_VALUES["sales_order"]["status"]
        rows = [{"order_no": f"SO{i:08d}", "customer_id": 1 + i % 3, "amount": round(500 + i * 10.25, 2),
                 "status": "shipped" if i % 2 == 0 else statuses[i % len(statuses)],
                 "delivery_date": date(2023, 2, 1) + timedelta(days=i), "created_at": epoch + timedelta(minutes=4 * i)}
                for i in range(1, ORDERS + 1)]
    assert all(tuple(row) == SEED.PEER_COLUMNS[form] for row in rows)
    return rows


def test_bench_module_validates() -> None:
    result = subprocess.run([ENGINE, "validate", str(CONFIGS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_targets_point_into_the_repository() -> None:
    for name in TARGETS:
        target = json.loads((PEER / name).read_text(encoding="utf-8"))
        assert target["workdir"] == "$PRODUCT_DIR"
        assert target["env"]["ENGINE_CONFIG_DIR"] == "${PRODUCT_DIR}/bench/peer/product-configs"
        assert '"$PRODUCT_DIR/bench/peer/product_seed.py"' in target["seed"]
        assert '"$PRODUCT_DIR/bench/peer/product.map.json"' in target["seed"]
        assert "targets/" not in json.dumps({k: v for k, v in target.items() if k != "_notes"})


def test_map_matches_the_forms_fields(make_app: Callable[..., Any]) -> None:
    app = make_app(CONFIGS)
    definitions = load_directory(CONFIGS)
    meta = MetaData()
    meta.reflect(app.extensions["engine"].db.engine, only=[MAP[f]["table"] for f in SEED.PEER_COLUMNS])
    for form, columns in SEED.PEER_COLUMNS.items():
        spec = MAP[form]
        table = meta.tables[spec["table"]]
        row = next(SEED.remap([dict.fromkeys(columns, "x")], spec))
        assert set(row) <= set(table.columns.keys()), (form, set(row) - set(table.columns.keys()))
        unfilled = [c.name for c in table.columns if not c.nullable and not c.primary_key
                    and c.default is None and c.server_default is None and c.name not in row]
        assert not unfilled, (form, unfilled)
        fields = {field["name"]: field for field in FORMS[form]["fields"]}
        renamed = {spec.get("columns", {}).get(c, c) for c in columns}
        assert set(fields) <= renamed, (form, "fields the seed leaves empty", set(fields) - renamed)
        for column, values in SEED.PEER_VALUES[form].items():
            options = set(fields[column]["options"])
            mapped = {spec.get("values", {}).get(column, {}).get(v, v) for v in values}
            assert mapped <= options, (form, column, mapped - options)
        assert form in definitions.forms


def seed(app: Any) -> None:
    """What seed.py does with the map: insert the remapped rows into the reflected tables."""
    engine = app.extensions["engine"].db.engine
    meta = MetaData()
    meta.reflect(engine, only=[MAP[f]["table"] for f in SEED.PEER_COLUMNS])
    with engine.begin() as conn:
        for form in SEED.PEER_COLUMNS:
            conn.execute(meta.tables[MAP[form]["table"]].insert(), list(SEED.remap(peer_rows(form), MAP[form])))


def log_in(client: Any, app: Any, login: dict[str, Any]) -> None:
    if login["type"] == "headers":
        from engine.auth.users import get_user, issue_token

        with app.extensions["engine"].db.transaction() as session:
            token = issue_token(session, get_user(session, "admin"))
        for key, value in login["headers"].items():
            client.environ_base["HTTP_" + key.upper().replace("-", "_")] = value.replace("{token}", token)
    else:
        fields = dict(login["fields"], password="admin-password")  # the test database's admin
        fields[login["csrf_field"]] = find_csrf(client.get(login["form_url"]).get_data(as_text=True),
                                                login["csrf_field"])
        assert client.post(login["post_url"], data=fields).status_code in login["success_status"]
    assert client.get(login["check_url"]).status_code == 200


@pytest.mark.parametrize("name", TARGETS)
def test_every_scenario_works_on_seeded_rows(name: str, make_app: Callable[..., Any]) -> None:
    target = json.loads((PEER / name).read_text(encoding="utf-8"))
    app = make_app(CONFIGS)
    seed(app)
    client = app.test_client()
    log_in(client, app, target["login"])
    values = {"page": 1, "page0": 0, "deep_page": 3, "deep_page0": 2, "status": "shipped", "per_page": 20,
              "id": 7, "order_no_of_id": "SO00000007", "order_no": "PT0000001", "customer_id": 2,
              "amount": "1234.50", "delivery_date": "2027-01-15"}
    scenarios = target["scenarios"]
    assert set(scenarios) == {"list_first", "list_deep", "list_filtered", "detail", "create"}
    for scenario, spec in scenarios.items():
        if scenario == "create":
            continue
        response = client.get(fill(spec["url"], values))
        assert response.status_code == 200, (scenario, response.status_code)
        found = re.findall(fill(spec["expect"], values, regex=True), response.get_data(as_text=True))
        assert len(found) >= spec.get("expect_min", 1), (scenario, found)

    spec = scenarios["create"]
    fields = {k: fill(str(v), values) for k, v in spec["fields"].items()}
    if spec.get("form_url"):
        page = client.get(fill(spec["form_url"], values))
        assert page.status_code == 200
        fields[spec["csrf_field"]] = find_csrf(page.get_data(as_text=True), spec["csrf_field"])
    if spec.get("body") == "json":
        response = client.post(fill(spec["post_url"], values), json=json.loads(fill(json.dumps(spec["json"]), values)))
    else:
        response = client.post(fill(spec["post_url"], values), data=fields)
    assert response.status_code in spec["success_status"], response.get_data(as_text=True)[:500]
    if spec.get("success_location"):
        assert re.search(spec["success_location"], response.headers["Location"]), response.headers["Location"]
    verify = client.get(fill(spec["verify_url"], values))
    assert re.search(fill(spec["verify_expect"], values, regex=True), verify.get_data(as_text=True))


def test_sync_target_serves_an_app_factory_that_exists() -> None:
    start = json.loads((PEER / "product-sync.json").read_text(encoding="utf-8"))["start"]
    match = re.search(r"'([\w.]+):(\w+)\(\)'", start)
    assert match, start
    assert callable(getattr(importlib.import_module(match.group(1)), match.group(2)))


def test_section_gives_ratios_to_the_baseline_of_the_same_run(tmp_path: Path) -> None:
    section = _module("section")

    def phase(target: str, cpu: float, rps: float) -> str:
        return json.dumps({"type": "phase", "target": target, "scenario": "detail", "concurrency": 8, "rps": rps,
                           "p99_ms": 10.0, "server_cpu_ms_per_op": cpu, "errors": 0})

    results = tmp_path / "run.jsonl"
    results.write_text("\n".join([
        phase("baseline", 2.0, 100.0), phase("product", 4.0, 50.0),
        json.dumps({"type": "memory", "target": "baseline", "worker_peak_rss_mb_max": 80.0}),
        json.dumps({"type": "memory", "target": "product", "worker_peak_rss_mb_max": 100.0})]))
    runs = {"r": section.read_run(results)}
    table = "\n".join(section.summary(runs, ["baseline", "product"]))
    assert "| detail | 8 | 2.00× / 0.50× |" in table
    assert "product (r) 1.25×" in table
