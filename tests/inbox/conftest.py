"""A small deals module for the inbox (issue #14, point 1): deals with a summary (client link,
amount, date, seller), approved by finance, then by a manager from 5000 on; people with roles
that hide the amount (auditor) in every row or only in big deals (auditor + small) are copied."""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import update

from engine.auth.users import create_user, issue_token
from engine.store.system import users
from tests.conftest import ApiClient

URL = "/api/forms/deal/records"

MODULE: dict[str, Any] = {
    "module": "deals", "title": "Deals",
    "roles": [{"name": "sales", "title": "Sales"}, {"name": "finance", "title": "Finance"},
              {"name": "manager", "title": "Manager"}, {"name": "auditor", "title": "Auditor"},
              {"name": "small", "title": "Small deals"}],
    "forms": [
        {"name": "client", "title": {"zh-CN": "客户", "en": "Client"}, "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "Name", "required": True}],
         "permissions": {"sales": {"create": True, "read": "all"}, "finance": {"read": "all"},
                         "manager": {"read": "all"}, "auditor": {"read": "all"}}},
        {"name": "deal", "title": {"zh-CN": "交易", "en": "Deal"}, "title_field": "subject",
         "owner_field": "seller",
         "summary": ["client", "amount", "due_on", "seller"],
         "fields": [
             {"name": "subject", "type": "text", "label": "Subject", "required": True},
             {"name": "client", "type": "link", "form": "client", "label": {"zh-CN": "客户", "en": "Client"}},
             {"name": "amount", "type": "decimal", "label": {"zh-CN": "金额", "en": "Amount"}, "precision": 2},
             {"name": "due_on", "type": "date", "label": {"zh-CN": "交付日期", "en": "Delivery date"}},
             {"name": "seller", "type": "user", "label": {"zh-CN": "销售", "en": "Salesperson"},
              "default": "$user"},
         ],
         "permissions": {"sales": {"create": True, "read": "own", "update": "own"},
                         "finance": {"read": "all"}, "manager": {"read": "all", "update": "all"},
                         "auditor": {"read": "all", "hide": ["amount"]},
                         "small": {"read": {"where": "amount < 1000"}}},
         "workflow": {
             "initial": "draft",
             "stages": [
                 {"name": "draft", "title": "Draft", "editable": ["*"]},
                 {"name": "review", "title": {"zh-CN": "审批中", "en": "In review"}, "due": "2h", "approval": {
                     "steps": [
                         {"name": "check", "title": {"zh-CN": "财务审核", "en": "Finance check"},
                          "approvers": [{"role": "finance"}], "cc": [{"role": "auditor"}]},
                         {"name": "boss", "title": {"zh-CN": "经理审批", "en": "Manager approval"},
                          "approvers": [{"role": "manager"}], "when": "amount >= 5000"}],
                     "approved": "approved", "rejected": "draft"}},
                 {"name": "approved", "title": "Approved", "final": True},
             ],
             "transitions": [{"name": "submit", "title": "Submit", "from": "draft", "to": "review",
                              "roles": ["$owner"]}],
         }},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "deals", MODULE)
    return make_app(tmp_path / "deals")


@pytest.fixture
def cast(app) -> dict[str, ApiClient]:
    """sam sells (shown as 山姆); fin checks; max manages; aud audits (amount hidden); mix audits
    and reads small deals (the amount hidden only in deals of 1000 and more)."""
    people = {"sam": ("sales",), "fin": ("finance",), "max": ("manager",), "aud": ("auditor",),
              "mix": ("auditor", "small")}
    out = {}
    with app.extensions["engine"].db.transaction() as session:
        for name, roles in people.items():
            user = create_user(session, name, f"{name}-password", set(roles), email=f"{name}@example.cn")
            out[name] = ApiClient(app, issue_token(session, user), name)
        session.execute(update(users).where(users.c.name == "sam").values(display_name="山姆"))
        session.execute(update(users).where(users.c.name == "aud").values(language="en"))
    return out


@pytest.fixture
def deal(cast):
    """deal(subject, amount, client="华东机械") → a deal sam made and submitted (its record)."""
    clients: dict[str, int] = {}

    def make(subject: str, amount: str, client: str = "华东机械", due_on: str = "2031-06-30") -> dict:
        if client not in clients:
            clients[client] = cast["sam"].create("client", name=client)["id"]
        record = cast["sam"].create("deal", subject=subject, amount=amount, client=clients[client], due_on=due_on)
        answer = cast["sam"].post(f"{URL}/{record['id']}/transitions/submit", json={})
        assert answer.status_code == 200, answer.get_json()
        return record
    return make


def page_as(app, login, name: str):
    """A test client of the pages, logged in as `name`."""
    client = app.test_client()
    assert login(client, name, f"{name}-password").status_code == 302
    return client


def task_rows(html: str) -> list[str]:
    """The task ids of an inbox page's rows, in order."""
    return re.findall(r'data-testid="task-row" data-task="(\d+)"', html)


def summary_of(item: dict) -> dict[str, str]:
    """A task's or notification's summary as {field: text}."""
    return {entry["field"]: entry["text"] for entry in item["summary"]}
