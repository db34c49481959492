"""A task is handed on only to someone who may decide on the whole record (docs/reference.md,
Approvals): they read it through their own roles, row rules included (the read access an
open task gives does not count), and no field of the form is hidden from them. The API
refuses anyone else with 422 on `to`; the record page offers only eligible people."""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event

from engine.access.visibility import may_decide
from engine.auth.users import list_users
from tests.conftest import FROZEN_NOW

URL = "/api/forms/bill/records"

MODULE: dict[str, Any] = {
    "module": "bills", "title": "账单",
    "roles": [{"name": "sales", "title": "销售"}, {"name": "finance", "title": "财务"},
              {"name": "store", "title": "仓库"}, {"name": "mine", "title": "本人"},
              {"name": "helper", "title": "帮手"}],
    "forms": [{
        "name": "bill", "title": "账单", "title_field": "subject",
        "fields": [
            {"name": "subject", "type": "text", "label": "事由", "required": True},
            {"name": "amount", "type": "decimal", "label": "金额"},
            {"name": "items", "type": "table", "label": "明细", "fields": [
                {"name": "product", "type": "text", "label": "产品"},
                {"name": "price", "type": "decimal", "label": "单价"}]},
        ],
        "permissions": {
            "sales": {"create": True, "read": "all", "update": "all"},
            "finance": {"read": "all"},
            "store": {"read": "all", "hide": ["items.price"]},
            "mine": {"read": "own"},
        },
        "workflow": {
            "initial": "draft",
            "stages": [
                {"name": "draft", "title": "草稿", "editable": ["*"]},
                {"name": "review", "title": "审核", "approval": {
                    "steps": [{"name": "check", "title": "财务审核", "approvers": [{"user": "fin"}]}],
                    "approved": "done", "rejected": "draft"}},
                {"name": "done", "title": "完成", "final": True},
            ],
            "transitions": [{"name": "submit", "title": "提交", "from": "draft", "to": "review",
                             "roles": ["sales"]}],
        },
    }],
}

PEOPLE = {"fin": ["finance"], "fin2": ["finance"], "fin3": ["finance", "store"], "store": ["store"],
          "mine": ["mine"], "helper": ["helper"], "boss": ["admin"], "both": ["store", "mine"]}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "bills", MODULE)
    return make_app(tmp_path / "bills")


@pytest.fixture
def cast(app, make_user):
    people = {"seller": make_user("seller", "sales")}
    for name, roles in PEOPLE.items():
        people[name] = make_user(name, *roles)
    bill = people["seller"].create("bill", subject="大单", amount="100.00", items=[{"product": "螺丝", "price": "1.5"}])
    assert people["seller"].post(f"{URL}/{bill['id']}/transitions/submit", json={}).status_code == 200
    return people, bill


def test_hand_on_is_refused_to_whom_cannot_decide_on_the_whole_record(cast):
    people, bill = cast
    (task,) = people["fin"].get("/api/tasks?status=open").get_json()
    url = f"/api/tasks/{task['id']}/reassign"
    for name in ("store", "mine", "helper", "both"):
        refused = people["fin"].post(url, json={"to": name}, headers={"Accept-Language": "zh-CN"})
        assert refused.status_code == 422, (name, refused.get_json())
        (reason,) = refused.get_json()["error"]["fields"]["to"]
        assert name in reason and re.search(r"[\u4e00-\u9fff]", reason), reason
    assert people["store"].get("/api/tasks?status=open").get_json() == []
    # someone whose own roles read every field (fin3: finance hides nothing, so the row shows all)
    assert people["fin"].post(url, json={"to": "fin3"}).status_code == 200
    (handed,) = people["fin3"].get("/api/tasks?status=open").get_json()
    assert handed["record_id"] == bill["id"]


def test_the_reason_names_what_is_missing(cast):
    people, _bill = cast
    (task,) = people["fin"].get("/api/tasks?status=open").get_json()
    url = f"/api/tasks/{task['id']}/reassign"
    hidden = people["fin"].post(url, json={"to": "store"}).get_json()["error"]["fields"]["to"][0]
    unreadable = people["fin"].post(url, json={"to": "helper"}).get_json()["error"]["fields"]["to"][0]
    assert "hidden" in hidden and "read" in unreadable


def test_the_record_page_offers_only_eligible_people(login, app, cast):
    people, bill = cast
    browser = app.test_client()
    assert login(browser, "fin", "fin-password").status_code == 302
    page = browser.get(f"/f/bill/{bill['id']}").get_data(as_text=True)
    offered = set(re.findall(r'<option value="([^"]+)"', page[page.index('name="to"'):]))
    assert offered == {"fin2", "fin3", "boss", "admin"}, offered  # an admin reads every record whole


def test_eligibility_is_asked_once_per_role_set(app, cast):
    """People whose rows depend only on their roles share one answer: one query per role set,
    one per person only where a rule depends on who they are (`own`)."""
    _people, bill = cast
    state = app.extensions["engine"]
    gate = state.runtime().gate
    with state.db.session() as session:
        everyone = list_users(session)
        queries: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            queries.append(statement)

        bind = session.connection().engine
        event.listen(bind, "before_cursor_execute", count)
        try:
            answers = may_decide(gate, session, everyone, gate.app.form("bill"), bill["id"], FROZEN_NOW)
        finally:
            event.remove(bind, "before_cursor_execute", count)
    assert answers["fin"] is None and answers["fin2"] is None and answers["store"] == "partly_hidden"
    assert answers["helper"] == "unreadable" and answers["mine"] == "unreadable" and answers["boss"] is None
    # role sets: sales, finance, finance+store, store, mine (own: per person), helper (no grant, no
    # query), admin (boss and the app's admin), store+mine (own: per person)
    assert len(everyone) == 10 and len(queries) == 7, queries
