"""System attributes named in `list.columns` (created_at, updated_at, created_by, id) show as
columns of the list page, formatted as the API gives them: times in ENGINE_TIMEZONE
(Asia/Shanghai here), people by name; also in the records linked to a record's page."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

MODULE = {
    "module": "desk", "title": "Desk", "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {"name": "account", "title": "Account", "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "Name"}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}}},
        {"name": "ticket", "title": "Ticket", "title_field": "subject",
         "fields": [{"name": "subject", "type": "text", "label": "Subject"},
                    {"name": "account", "type": "link", "form": "account", "label": "Account"}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}},
         "list": {"columns": ["subject", "created_at", "created_by", "updated_at", "id"]}},
    ],
}
#: 01:30 UTC is 09:30 in Asia/Shanghai (the engine's default ENGINE_TIMEZONE).
CREATED = datetime(2025, 3, 1, 1, 30, tzinfo=UTC)


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "desk"
    write_module(folder, MODULE)
    return make_app(folder)


def header_cells(page: str) -> list[str]:
    head = re.search(r"<thead.*?</thead>", page, re.S)
    assert head
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head.group(0), re.S)
    return [re.sub(r"<[^>]+>|[▲▼]", "", cell).strip() for cell in cells]


def row_cells(page: str, record_id: int) -> list[str]:
    row = re.search(rf'<tr data-record-id="{record_id}">(.*?)</tr>', page, re.S)
    assert row, record_id
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_created_at_and_other_system_columns_show_in_the_list_and_the_api(app, make_user, login):
    clerk = make_user("clerk", "clerk")
    with time_machine.travel(CREATED, tick=False):
        account = clerk.create("account", name="Acme")
        ticket = clerk.create("ticket", subject="Printer", account=account["id"])
    item = clerk.get("/api/forms/ticket/records").get_json()["items"][0]
    assert item["created_at"] == "2025-03-01T09:30:00+08:00" and item["created_by"] == "clerk"
    browser = app.test_client()
    assert login(browser, "clerk", "clerk-password").status_code == 302
    page = browser.get("/f/ticket?lang=en").get_data(as_text=True)
    head = header_cells(page)
    assert head[-5:] == ["Subject", "Created at", "Created by", "Updated at", "Record no."], head
    cells = row_cells(page, ticket["id"])
    assert cells[-5:] == ["Printer", "2025-03-01 09:30", "clerk", "2025-03-01 09:30", str(ticket["id"])], cells
    assert "order_by=-created_at" in page or "order_by=created_at" in page  # sortable like a field
    chinese = browser.get("/f/ticket?lang=zh-CN").get_data(as_text=True)
    assert "创建时间" in header_cells(chinese)
    chosen = browser.get("/f/ticket?lang=en&columns=subject,updated_at").get_data(as_text=True)
    assert header_cells(chosen)[-2:] == ["Subject", "Updated at"]
    detail = browser.get(f"/f/account/{account['id']}?lang=en").get_data(as_text=True)
    assert "2025-03-01 09:30" in detail  # the account's tickets, with their created_at column
