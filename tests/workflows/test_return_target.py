"""A task action's `next` return target stays on this site (same check as login's `next`)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example",
                                    "/%2F%2Fevil.example", "https://evil.example"])
def test_task_action_never_returns_off_site(open_tasks, submit, csrf_from, app, people, target):
    record = submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "fin1", "password": "fin1-password", "csrf_token": token})
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(f"/tasks/{task['id']}/reject", data={"next": target, "comment": "", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/tasks"
    detail = f"/f/request/{record['id']}"
    back = client.post(f"/tasks/{task['id']}/reject", data={"next": detail, "comment": "", "csrf_token": token})
    assert back.headers["Location"] == detail
