"""Delivery: the in-app inbox, email to a real SMTP server (aiosmtpd) and webhook POSTs
with retries and back-off, all outside the user's request."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

from engine.store.system import deliveries, incidents
from tests.scheduler.conftest import URL


def due_soon(desk):
    """Make one notification for ann (a stage reminder) and return the time it fires."""
    record = desk["ann"].create("ticket", title="Printer")
    return datetime.fromisoformat(record["created_at"]).astimezone(UTC) + timedelta(hours=1, minutes=31)


def test_email_reaches_the_smtp_server(desk, run, smtp):
    url, inbox = smtp
    at = due_soon(desk)
    report = run(at, ENGINE_SMTP_URL=url, ENGINE_BASE_URL="https://erp.example.cn")
    assert [line.split()[0] for line in report.sent] == ["sent"]
    (to, message), = inbox.messages
    assert to == ["ann@example.com"]
    subject = str(make_header(decode_header(message["Subject"])))
    assert "Printer" in subject and subject.startswith("即将到期")
    assert "https://erp.example.cn/f/ticket/" in message.get_payload(decode=True).decode()
    assert run(at + timedelta(minutes=1), ENGINE_SMTP_URL=url).sent == []  # once


def test_no_email_without_an_address_or_smtp(stored_rows, desk, run, smtp, app):
    url, inbox = smtp
    record = desk["leo"].create  # leo has no address; a lead is told of escalations
    del record
    at = due_soon(desk)
    run(at, ENGINE_SMTP_URL=None)  # not configured: nothing planned
    assert stored_rows(app, deliveries) == [] and inbox.messages == []


def test_webhook_is_retried_with_back_off_then_delivered(stored_rows, desk, run, app, hook_factory):
    hook = hook_factory(failures=2)
    at = due_soon(desk)
    first = run(at, ENGINE_WEBHOOK_URL=hook.url)
    assert [line.split()[0] for line in first.sent] == ["retry"]
    assert run(at + timedelta(seconds=10), ENGINE_WEBHOOK_URL=hook.url).sent == []  # back-off: not yet
    assert [line.split()[0] for line in run(at + timedelta(seconds=31), ENGINE_WEBHOOK_URL=hook.url).sent] == ["retry"]
    third = run(at + timedelta(seconds=92), ENGINE_WEBHOOK_URL=hook.url)
    assert [line.split()[0] for line in third.sent] == ["sent"]
    assert len(hook.calls) == 3 and hook.calls[-1]["kind"] == "due_soon" and hook.calls[-1]["user"] == "ann"
    (row,) = stored_rows(app, deliveries)
    assert (row["status"], row["attempts"]) == ("sent", 3)


def test_a_webhook_that_keeps_failing_is_reported_after_five_tries(stored_rows, desk, run, app, hook_factory):
    hook = hook_factory(failures=100)
    at = due_soon(desk)
    for minutes in (0, 1, 2, 4, 8, 16):  # the tries fall due after 30 s, 1, 2 and 4 minutes
        run(at + timedelta(minutes=minutes), ENGINE_WEBHOOK_URL=hook.url)
    assert len(hook.calls) == 5
    (row,) = stored_rows(app, deliveries)
    assert (row["status"], row["attempts"]) == ("failed", 5)
    problems = [i for i in stored_rows(app, incidents) if i["kind"] == "delivery_failed"]
    assert len(problems) == 1 and "HTTP 500" in problems[0]["message"]


def test_a_dead_webhook_never_slows_or_fails_the_user_action(stored_rows, desk, app):
    app.extensions["engine"].settings["ENGINE_WEBHOOK_URL"] = "http://127.0.0.1:9/nothing-listens"
    record = desk["ann"].create("ticket", title="Printer")
    assert desk["ann"].post(f"{URL}/{record['id']}/transitions/submit", json={}).status_code == 200
    assert stored_rows(app, deliveries) == []  # planned and sent by the scheduler only


def test_notifications_api_and_bell(desk, run, app):
    at = due_soon(desk)
    run(at)
    listed = desk["ann"].get("/api/notifications").get_json()
    assert [(n["kind"], n["read"]) for n in listed] == [("due_soon", False)]
    assert listed[0]["text"].startswith("Due soon: Ticket Printer")  # the API speaks English by default
    zh = desk["ann"].get("/api/notifications", headers={"Accept-Language": "zh-CN"}).get_json()
    assert zh[0]["text"].startswith("即将到期")
    assert desk["leo"].post(f"/api/notifications/{listed[0]['id']}/read").status_code == 404  # not leo's
    read = desk["ann"].post(f"/api/notifications/{listed[0]['id']}/read").get_json()
    assert read["read"] is True
    assert desk["ann"].get("/api/notifications?unread=1").get_json() == []


def test_bell_and_notifications_page(csrf_from, login, desk, run, app):

    at = due_soon(desk)
    run(at)
    browser = app.test_client()
    login(browser, "ann", "ann-password")
    home = browser.get("/").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in home
    page = browser.get("/notifications").get_data(as_text=True)
    assert "即将到期" in page and "Printer" in page
    item = desk["ann"].get("/api/notifications").get_json()[0]
    opened = browser.post(f"/notifications/{item['id']}/open", data={"csrf_token": csrf_from(page)})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/f/ticket/{item['record_id']}")
    assert 'data-testid="unread-count"' not in browser.get("/").get_data(as_text=True)
