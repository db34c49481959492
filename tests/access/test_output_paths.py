"""Every way a record leaves the product obeys the same hide rules (SPEC §3): a role that
may not see a field (`secret`) or a table column (`items.price`) never gets their values,
whichever path turns the record into output: API, pages (list, board, detail, edit,
related records, history, dashboard, tasks, notifications, home), CSV and XLSX export,
`engine export --as`, the import template, duplicate lookups, link pickers, the history
API and the text of reminders (which email and webhooks carry).

Each test plants distinctive sentinel numbers and fails if any of them shows up."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engine.auth.users import create_user, issue_token
from engine.scheduler import run_pass
from engine.store.system import notifications
from tests.conftest import FROZEN_NOW, ApiClient

SECRET, SECRET_AFTER = "987654.32", "876543.21"
PRICE, PRICE_AFTER = "123456.78", "234567.89"
#: How the sentinels may appear: raw, with thousands separators, or as whole numbers.
SENTINELS = ("987654", "987,654", "876543", "876,543", "123456", "123,456", "234567", "234,567")

MODULE: dict[str, Any] = {
    "module": "vault",
    "title": "保密",
    "roles": [{"name": "clerk", "title": "文员"}, {"name": "boss", "title": "老板"}],
    "forms": [
        {
            "name": "deal", "title": "交易", "title_field": "name",
            "fields": [
                {"name": "name", "type": "text", "label": "名称", "required": True},
                {"name": "phone", "type": "phone", "label": "电话", "warn_duplicates": True},
                {"name": "secret", "type": "decimal", "label": "底价"},
                {"name": "follow_on", "type": "date", "label": "跟进日"},
                {"name": "contract", "type": "file", "label": "合同"},
                {"name": "items", "type": "table", "label": "明细", "fields": [
                    {"name": "product", "type": "text", "label": "产品"},
                    {"name": "qty", "type": "integer", "label": "数量"},
                    {"name": "price", "type": "decimal", "label": "单价"},
                    {"name": "supplier", "type": "link", "form": "supplier", "label": "供应商"},
                ]},
            ],
            "permissions": {
                "clerk": {"create": True, "read": "all", "update": "all",
                          "hide": ["secret", "items.price", "contract"]},
                "boss": {"create": True, "read": "all", "update": "all", "delete": "all"},
            },
            "list": {"columns": ["name", "phone", "secret", "follow_on"], "search": ["name"],
                     "order_by": "-secret"},  # a default order by a hidden field is skipped for the clerk
            "charts": [
                {"name": "by_stage", "title": "交易数（按阶段）", "type": "bar", "group_by": "stage"},
                {"name": "secret_sum", "title": "底价合计", "type": "number", "value": "sum(secret)"},
                {"name": "big_deals", "title": "大额交易数", "type": "number", "where": "secret > 100"},
            ],
            "reminders": [
                {"name": "nudge", "date_field": "follow_on", "offset": "-1d",
                 "notify": [{"role": "clerk"}, {"role": "boss"}], "message": "跟进 {name}，底价 {secret}"},
            ],
            "workflow": {
                "initial": "draft",
                "stages": [
                    {"name": "draft", "title": "草稿", "editable": ["*"]},
                    {"name": "review", "title": "审核", "approval": {
                        "steps": [{"name": "check", "title": "复核", "approvers": [{"role": "clerk"}]}],
                        "approved": "done", "rejected": "draft"}},
                    {"name": "done", "title": "完成", "final": True},
                ],
                "transitions": [{"name": "submit", "title": "提交", "from": "draft", "to": "review",
                                 "roles": ["boss"]}],
            },
        },
        {
            "name": "supplier", "title": "供应商", "title_field": "name",
            "fields": [{"name": "name", "type": "text", "label": "名称"}],
            "permissions": {"boss": {"create": True, "read": "all"}},
        },
        {
            "name": "ledger", "title": "台账", "title_field": "entry", "owner_field": "keeper",
            "fields": [{"name": "entry", "type": "text", "label": "条目"},
                       {"name": "keeper", "type": "user", "label": "保管人", "default": "$user"},
                       {"name": "supplier", "type": "link", "form": "supplier", "label": "供应商"}],
            "permissions": {"clerk": {"create": True, "read": "all", "hide": ["keeper"]},
                            "boss": {"create": True, "read": "all"}},
            "charts": [{"name": "by_supplier", "title": "台账（按供应商）", "type": "bar", "group_by": "supplier"}],
        },
        {
            "name": "visit", "title": "拜访", "title_field": "memo",
            "fields": [
                {"name": "memo", "type": "text", "label": "纪要", "required": True},
                {"name": "deal", "type": "link", "form": "deal", "label": "交易"},
            ],
            "permissions": {"clerk": {"create": True, "read": "all"},
                            "boss": {"create": True, "read": "all", "update": "all"}},
        },
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "vault"
    write_module(folder, MODULE)
    return make_app(folder)


def leaks(text: str) -> list[str]:
    return [s for s in SENTINELS if s in text]


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())


@pytest.fixture
def planted(engine_today, app, make_user):
    """A deal with a hidden price and hidden line-item prices, edited once (history), linked
    from a visit, submitted for review (a task for the clerk), and a reminder fired."""
    boss = make_user("boss", "boss")
    clerk = make_user("clerk", "clerk")
    follow_on = engine_today() + timedelta(days=3)
    upload = boss.post("/api/files", data={"file": (io.BytesIO(f"底价 {SECRET}".encode()), "底价-987654.txt")},
                       content_type="multipart/form-data")
    assert upload.status_code == 201
    deal = boss.create("deal", name="保密交易", phone="13900001111", secret=SECRET, follow_on=follow_on.isoformat(),
                       items=[{"product": "螺丝", "qty": 2, "price": PRICE}], contract=upload.get_json()["id"])
    url = f"/api/forms/deal/records/{deal['id']}"
    edited = boss.patch(url, json={"version": deal["version"], "fields": {
        "secret": SECRET_AFTER, "items": [{"product": "螺丝", "qty": 3, "price": PRICE_AFTER}]}})
    assert edited.status_code == 200, edited.get_json()
    boss.create("visit", memo="第一次拜访", deal=deal["id"])
    assert boss.post(f"{url}/transitions/submit", json={}).status_code == 200
    state = app.extensions["engine"]
    run_pass(state.db, state.holder, state.settings, FROZEN_NOW + timedelta(days=3))
    return {"boss": boss, "clerk": clerk, "deal": deal, "file": upload.get_json()["id"]}


def test_no_output_path_shows_a_hidden_field_or_table_column(login, app, planted, db_url):
    boss, clerk, deal_id = planted["boss"], planted["clerk"], planted["deal"]["id"]
    # The sentinels are there for a reader who may see them, so the checks below can fail.
    seen_by_boss = json.dumps(boss.get(f"/api/forms/deal/records/{deal_id}/history").get_json(), ensure_ascii=False)
    assert SECRET in seen_by_boss and PRICE_AFTER in seen_by_boss

    api = {
        "record": f"/api/forms/deal/records/{deal_id}",
        "list": "/api/forms/deal/records",
        "search (link picker)": "/api/forms/deal/records?per_page=20&q=保密",
        "history": f"/api/forms/deal/records/{deal_id}/history",
        "duplicates": "/api/forms/deal/duplicates?field=phone&value=13900001111",
        "visits": "/api/forms/visit/records",
        "tasks": "/api/tasks",
        "notifications": "/api/notifications",
        "transitions": f"/api/forms/deal/records/{deal_id}/transitions",
        "approvals": f"/api/forms/deal/records/{deal_id}/approvals",
    }
    found: dict[str, list[str]] = {}
    for name, url in api.items():
        response = clerk.get(url)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = leaks(response.get_data(as_text=True))
    assert boss.get(f"/api/files/{planted['file']}").status_code == 200
    assert clerk.get(f"/api/files/{planted['file']}").status_code == 404  # a hidden file field's file

    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    visit_id = clerk.get("/api/forms/visit/records").get_json()["items"][0]["id"]
    pages = {
        "home": "/", "list page": "/f/deal", "board": "/f/deal?view=board",
        "detail page (fields, history, related)": f"/f/deal/{deal_id}", "edit page": f"/f/deal/{deal_id}/edit",
        "visit page": f"/f/visit/{visit_id}", "visit list": "/f/visit", "dashboard": "/dashboard",
        "tasks page": "/tasks", "done tasks": "/tasks?status=done", "notifications page": "/notifications",
        "csv export": "/f/deal/export?format=csv", "csv template": "/f/deal/import/template?format=csv",
    }
    for name, url in pages.items():
        response = browser.get(url)
        assert response.status_code in (200, 302), (name, response.status_code)
        found[name] = leaks(response.get_data(as_text=True))
    for name, url in {"xlsx export": "/f/deal/export?format=xlsx",
                      "xlsx template": "/f/deal/import/template?format=xlsx"}.items():
        response = browser.get(url)
        assert response.status_code == 200, name
        found[name] = leaks(xlsx_text(response.get_data()))

    config_dir = str(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_CONFIG_DIR": config_dir, "ENGINE_SECRET_KEY": "x"}
    engine_cmd = str(Path(sys.executable).with_name("engine"))
    exported = subprocess.run([engine_cmd, "export", "deal", "--as", "clerk"], env=env, capture_output=True,
                              text=True, timeout=60)
    assert exported.returncode == 0 and "保密交易" in exported.stdout, exported.stderr
    found["engine export --as (csv)"] = leaks(exported.stdout)
    out = Path(config_dir).parent / "deal.xlsx"
    exported = subprocess.run([engine_cmd, "export", "deal", "--as", "clerk", "--format", "xlsx", "-o", str(out)],
                              env=env, capture_output=True, text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr
    found["engine export --as (xlsx)"] = leaks(xlsx_text(out.read_bytes()))

    # What email and webhooks send is the stored notification (its text and params).
    with app.extensions["engine"].db.session() as session:
        stored = session.execute(select(notifications.c.kind, notifications.c.params)
                                 .where(notifications.c.user_name == "clerk")).all()
        boss_texts = session.execute(select(notifications.c.params).where(
            notifications.c.user_name == "boss", notifications.c.kind == "reminder")).scalars().all()
    assert {row.kind for row in stored} >= {"task", "reminder"}
    shown_after = f"{float(SECRET_AFTER):,.2f}"  # a reminder reads amounts as pages do: 876,543.21
    assert any(shown_after in json.dumps(p, ensure_ascii=False) for p in boss_texts)
    found["notification text (email, webhook)"] = leaks(json.dumps([r.params for r in stored], ensure_ascii=False))

    assert {name: hits for name, hits in found.items() if hits} == {}


def test_history_of_an_edit_to_a_hidden_field_shows_no_values(planted):
    clerk, deal_id = planted["clerk"], planted["deal"]["id"]
    entries = clerk.get(f"/api/forms/deal/records/{deal_id}/history").get_json()
    created = next(e for e in entries if e["action"] == "create")
    assert "secret" not in created["values"] and all("price" not in row for row in created["values"]["items"])
    edit = next(e for e in entries if e["action"] == "update")
    assert [c["field"] for c in edit["changes"]] == ["items"]
    assert all("price" not in row for c in edit["changes"] for row in c["old"] + c["new"])


def test_a_chart_filtered_by_a_hidden_field_is_not_shown(login, app, planted):
    pages = {}
    for name in ("clerk", "boss"):
        browser = app.test_client()
        assert login(browser, name, f"{name}-password").status_code == 302
        pages[name] = browser.get("/dashboard?inline=1").get_data(as_text=True)
    assert "大额交易数" in pages["boss"] and "底价合计" in pages["boss"]
    assert "大额交易数" not in pages["clerk"] and "底价合计" not in pages["clerk"]
    assert "交易数（按阶段）" in pages["clerk"]


def test_forms_neither_show_nor_submit_hidden_table_columns(csrf_from, login, app, make_user):
    """The edit form of a reader with a hidden column keeps the table read-only (saving it
    would drop prices they cannot see), so their other edits save; the create form has no
    input for the hidden column."""
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    deal = boss.create("deal", name="保密交易", secret=SECRET, items=[{"product": "螺丝", "qty": 2, "price": PRICE}])
    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    page = browser.get(f"/f/deal/{deal['id']}/edit").get_data(as_text=True)
    assert "items-0-price" not in page and "单价" not in page and not leaks(page)
    response = browser.post(f"/f/deal/{deal['id']}/edit", data={
        "csrf_token": csrf_from(page), "version": deal["version"], "name": "改名",
        "items-0-product": "螺丝", "items-0-qty": "3"})
    assert response.status_code == 302
    assert boss.get(f"/api/forms/deal/records/{deal['id']}").get_json()["fields"]["items"] == [
        {"product": "螺丝", "qty": 2, "price": PRICE, "supplier": None}]
    page = browser.get("/f/deal/new").get_data(as_text=True)
    assert "items-0-qty" in page and "items-0-price" not in page
    response = browser.post("/f/deal/new", data={"csrf_token": csrf_from(page), "name": "新交易",
                                                 "items-0-product": "垫片", "items-0-qty": "5"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    created = [r for r in clerk.get("/api/forms/deal/records").get_json()["items"] if r["fields"]["name"] == "新交易"]
    assert created[0]["fields"]["items"] == [{"product": "垫片", "qty": 5, "supplier": None}]


def test_pages_work_when_the_owner_field_is_hidden(login, app, make_user):
    """The home page lists the user's own recent records by owner field; a form whose owner
    field is hidden from the user is skipped there, not an error."""
    make_user("boss", "boss").create("ledger", entry="总账")
    clerk = make_user("clerk", "clerk")
    clerk.create("ledger", entry="我的账")
    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    for url in ("/", "/f/ledger", "/dashboard"):
        response = browser.get(url)
        assert response.status_code == 200, url
    assert "保管人" not in browser.get("/f/ledger").get_data(as_text=True)


def test_a_table_column_link_shows_the_title_or_no_access(login, app, make_user):
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    supplier = boss.create("supplier", name="华东供应商")
    deal = boss.create("deal", name="交易", items=[{"product": "螺丝", "qty": 1, "supplier": supplier["id"]}])
    url = f"/api/forms/deal/records/{deal['id']}"
    assert boss.get(url).get_json()["links"]["items.supplier"] == {str(supplier["id"]): "华东供应商"}
    assert clerk.get(url).get_json()["links"]["items.supplier"] == {str(supplier["id"]): None}
    pages = {}
    for name in ("boss", "clerk"):
        browser = app.test_client()
        assert login(browser, name, f"{name}-password").status_code == 302
        page = browser.get(f"/f/deal/{deal['id']}").get_data(as_text=True)
        pages[name] = page[page.index('data-table="items"'):]
    assert "华东供应商" in pages["boss"]
    assert "华东供应商" not in pages["clerk"] and "data-no-access" in pages["clerk"]


def test_chart_labels_name_only_linked_records_the_viewer_may_read(login, app, make_user):
    boss = make_user("boss", "boss")
    make_user("clerk", "clerk")
    supplier = boss.create("supplier", name="华东供应商")
    boss.create("ledger", entry="总账", supplier=supplier["id"])
    pages = {}
    for name in ("boss", "clerk"):
        browser = app.test_client()
        assert login(browser, name, f"{name}-password").status_code == 302
        pages[name] = browser.get("/dashboard?inline=1").get_data(as_text=True)
    assert "华东供应商" in pages["boss"]
    assert "台账（按供应商）" in pages["clerk"] and "华东供应商" not in pages["clerk"]
    assert "无权查看" in pages["clerk"] and f"#{supplier['id']}" not in pages["clerk"]


def test_an_edit_of_only_hidden_table_columns_leaves_no_history_entry(login, app, make_user):
    """Editing only `items.price` changes nothing the clerk may see: their history (API and
    page) leaves the edit out, neither `明细: 1 行 → 1 行` with equal rows nor an empty edit."""
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    deal = boss.create("deal", name="保密交易", items=[{"product": "螺丝", "qty": 2, "price": PRICE}])
    url = f"/api/forms/deal/records/{deal['id']}"
    edited = boss.patch(url, json={"version": deal["version"], "fields": {
        "items": [{"product": "螺丝", "qty": 2, "price": PRICE_AFTER}]}})
    assert edited.status_code == 200, edited.get_json()
    boss_edit = [e for e in boss.get(f"{url}/history").get_json() if e["action"] == "update"]
    assert [c["field"] for c in boss_edit[0]["changes"]] == ["items"]
    clerk_edit = [e for e in clerk.get(f"{url}/history").get_json() if e["action"] == "update"]
    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    page = browser.get(f"/f/deal/{deal['id']}").get_data(as_text=True)
    assert "明细: <span" not in page and "保密交易" in page
    assert clerk_edit == [] and 'data-action="update"' not in page


def _names_in(document: Any) -> set[str]:
    """Every key and string value anywhere in a JSON document."""
    found: set[str] = set()
    if isinstance(document, dict):
        for key, value in document.items():
            found.add(str(key))
            found |= _names_in(value)
    elif isinstance(document, list):
        for value in document:
            found |= _names_in(value)
    elif isinstance(document, str):  # also each term of "a,-b" and each part of "items.price"
        found.add(document)
        for term in document.split(","):
            found |= {term.strip().lstrip("-"), *term.strip().lstrip("-").split(".")}
    return found


def test_schemas_name_no_hidden_field_or_table_column(app, make_user):
    """The forms API and the OpenAPI document describe a form as the caller sees it: the
    names and labels of a hidden field (`secret`) and a hidden column (`items.price`) appear
    nowhere, neither in the column lists nor in the JSON schemas."""
    boss, clerk = make_user("boss", "boss"), make_user("clerk", "clerk")
    hidden_names = {"secret", "price", "items.price", "底价", "单价"}
    documents = {
        "forms": "/api/forms", "form": "/api/forms/deal", "openapi": "/api/openapi.json",
    }
    for name, url in documents.items():
        seen_by_boss = _names_in(boss.get(url).get_json())
        assert {"secret", "price"} <= seen_by_boss, name
        response = clerk.get(url)
        assert response.status_code == 200, name
        names = _names_in(response.get_json())
        assert "qty" in names, name
        assert not {n for n in names if n in hidden_names or n.startswith(("单价", "底价"))}, name
    openapi = clerk.get("/api/openapi.json").get_json()["components"]["schemas"]
    for key in ("deal.fields", "deal.input"):
        assert set(openapi[key]["properties"]["items"]["items"]["properties"]) == {"product", "qty", "supplier"}


def test_descriptions_give_no_formula_or_condition_naming_a_hidden_field(write_module, make_app, tmp_path):
    """A visible formula or `visible_if` whose text names a hidden field or column is given
    without that text, so the description does not name what is hidden."""
    module = {
        "module": "quotes", "title": "报价", "roles": [{"name": "clerk", "title": "文员"}],
        "forms": [{
            "name": "quote", "title": "报价", "title_field": "name",
            "fields": [
                {"name": "name", "type": "text", "label": "名称"},
                {"name": "cost", "type": "decimal", "label": "成本"},
                {"name": "big", "type": "formula", "label": "大单", "result": "boolean", "formula": "cost > 100"},
                {"name": "note", "type": "text", "label": "备注", "visible_if": "cost > 100"},
                {"name": "lines", "type": "table", "label": "行", "fields": [
                    {"name": "qty", "type": "integer", "label": "数量"},
                    {"name": "rate", "type": "decimal", "label": "费率"},
                    {"name": "double", "type": "formula", "label": "双倍", "formula": "qty * 2"},
                    {"name": "worth", "type": "formula", "label": "价值", "formula": "qty * rate"}]},
            ],
            "permissions": {"clerk": {"read": "all", "hide": ["cost", "lines.rate"]}},
        }],
    }
    write_module(tmp_path / "quotes", module)
    app = make_app(tmp_path / "quotes")
    with app.extensions["engine"].db.transaction() as session:
        clerk = ApiClient(app, issue_token(session, create_user(session, "clerk", "clerk-password", {"clerk"})),
                          "clerk")
    body = clerk.get("/api/forms/quote").get_json()
    assert {"cost", "rate"}.isdisjoint(_names_in(body)), body
    fields = {f["name"]: f for f in body["fields"]}
    assert fields["big"]["formula"] is None and "visible_if" not in fields["note"]
    columns = {f["name"]: f for f in fields["lines"]["fields"]}
    assert columns["double"]["formula"] == "qty * 2" and columns["worth"]["formula"] is None
