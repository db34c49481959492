"""Saving the edit page keeps what the user did not change exactly (a datetime shown to the
minute keeps its seconds)."""
from __future__ import annotations


def test_saving_the_edit_page_keeps_the_seconds_of_an_unchanged_datetime(csrf_from, login, app, make_user):
    zhang = make_user("zhang", "sales")
    customer = zhang.create("customer", name="秒客户")["id"]
    record = zhang.create("follow_up", subject="电话", customer=customer, content="聊了",
                          follow_up_at="2026-03-01T09:30:17.250000+08:00")
    client = app.test_client()
    assert login(client, "zhang", "zhang-password").status_code == 302
    url = f"/f/follow_up/{record['id']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2026-03-01T09:30"' in page
    response = client.post(url, data={
        "csrf_token": csrf_from(page), "version": record["version"], "subject": "电话（改）",
        "customer": str(customer), "content": "聊了", "method": "电话", "follow_up_at": "2026-03-01T09:30",
        "owner": "zhang"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    saved = zhang.get(f"/api/forms/follow_up/records/{record['id']}").get_json()["fields"]
    assert saved["subject"] == "电话（改）" and saved["follow_up_at"] == "2026-03-01T09:30:17.250000+08:00"
    changed = client.post(url, data={
        "csrf_token": csrf_from(page), "version": record["version"] + 1, "subject": "电话（改）",
        "customer": str(customer), "content": "聊了", "method": "电话", "follow_up_at": "2026-03-01T10:00",
        "owner": "zhang"})
    assert changed.status_code == 302
    assert zhang.get(f"/api/forms/follow_up/records/{record['id']}").get_json()["fields"]["follow_up_at"] \
        == "2026-03-01T10:00:00+08:00"
