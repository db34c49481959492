"""Delivery from the outbox: planned per configured channel and address, claimed with a
lease (the row lock of the sending transaction), retried with back-off, given up after five
tries with an incident, and sent at least once with the same event id."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.notify import delivery
from engine.notify.addresses import set_addresses
from engine.notify.outbox import notify
from engine.store.system import deliveries, incidents, notifications


def _told(store, *names, email=None):
    with store.db.transaction() as session:
        for name in names:
            store.user(session, name, "staff", email=email and f"{name}@example.com")
        notify(store.context(session), names, "approved", {"title": "Note Printer"}, "note", 7)
    return store.rows(notifications)[0]["created_at"]


def _pager_number(store):
    with store.db.transaction() as session:
        set_addresses(session, store.user(session, "al", "staff").id, {"pager": "4711"})


def test_planned_for_the_configured_channels_and_the_addresses_people_have(store, hook_factory):
    now = _told(store, "al", "bo")
    with store.db.transaction() as session:
        store.user(session, "cy", "staff", email="cy@example.com")
        notify(store.context(session, now=now), ["cy", "gone"], "approved", {"title": "Note Printer"})
    settings = {"ENGINE_SMTP_URL": "smtp://127.0.0.1:9", "ENGINE_WEBHOOK_URL": hook_factory(0).url}
    assert delivery.plan(store.db, delivery.Channels.from_settings(settings), now) == 4
    planned = [(d["channel"], d["target"]) for d in store.rows(deliveries)]
    assert planned == [("webhook", settings["ENGINE_WEBHOOK_URL"])] * 2 + [
        ("email", "cy@example.com"), ("webhook", settings["ENGINE_WEBHOOK_URL"]),
        ("webhook", settings["ENGINE_WEBHOOK_URL"])]
    assert all(n["dispatched_at"] is not None for n in store.rows(notifications))
    assert delivery.plan(store.db, delivery.Channels.from_settings(settings), now) == 0  # planned once


def test_nothing_is_planned_without_a_configured_channel(store):
    now = _told(store, "al", email=True)
    assert delivery.plan(store.db, delivery.Channels.from_settings({}), now) == 1
    assert store.rows(deliveries) == []


def test_retried_with_back_off_then_given_up_and_reported(store, pager):
    pager.failures = 100
    _pager_number(store)
    now = _told(store, "al")
    channels = delivery.Channels.from_settings({})
    delivery.plan(store.db, channels, now)
    lines = []
    for seconds in (0, 10, 30, 60, 90, 150, 210, 330, 450, 1000):  # tries due after 30 s, 1, 2 and 4 min
        lines += [line.split()[0] for line in delivery.send_due(store.db, channels, now + timedelta(seconds=seconds))]
    assert lines == ["retry", "retry", "retry", "retry", "given"]
    (row,) = store.rows(deliveries)
    assert (row["status"], row["attempts"], row["last_error"]) == ("failed", 5, "OSError: pager network down")
    (incident,) = store.rows(incidents)
    assert incident["kind"] == "delivery_failed" and "pager to 4711 failed 5 times" in incident["message"]
    assert len({m.event_id for m in pager.sent}) == 1 and len(pager.sent) == 5


class Crash(BaseException):
    """The process dies while sending (nothing catches it)."""


def test_at_least_once_a_crash_before_the_commit_sends_again_with_the_same_event_id(store, pager, monkeypatch):
    _pager_number(store)
    now = _told(store, "al")
    channels = delivery.Channels.from_settings({})
    delivery.plan(store.db, channels, now)
    original = pager.send

    def send_then_die(self, message):
        original(self, message)
        raise Crash()
    monkeypatch.setattr(pager, "send", send_then_die)
    with pytest.raises(Crash):
        delivery.send_due(store.db, channels, now)
    monkeypatch.setattr(pager, "send", original)
    assert store.rows(deliveries)[0]["status"] == "pending"  # the mark rolled back with the crash
    assert [line.split()[0] for line in delivery.send_due(store.db, channels, now)] == ["sent"]
    assert len(pager.sent) == 2 and pager.sent[0].event_id == pager.sent[1].event_id


def test_a_delivery_being_sent_is_leased_to_that_pass(store, pager, db_url, monkeypatch):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: a second pass waits instead of skipping")
    _pager_number(store)
    now = _told(store, "al")
    channels = delivery.Channels.from_settings({})
    delivery.plan(store.db, channels, now)
    holding, release = threading.Event(), threading.Event()
    original = pager.send

    def slow(self, message):
        original(self, message)
        holding.set()
        release.wait(10)
    monkeypatch.setattr(pager, "send", slow)
    first: list[str] = []
    worker = threading.Thread(target=lambda: first.extend(delivery.send_due(store.db, channels, now)))
    worker.start()
    try:
        assert holding.wait(10)
        monkeypatch.setattr(pager, "send", original)
        assert delivery.send_due(store.db, channels, now) == []  # leased to the first pass: skipped
    finally:
        release.set()
        worker.join(10)
    assert [line.split()[0] for line in first] == ["sent"] and len(pager.sent) == 1
    with store.db.session() as session:
        assert session.execute(select(deliveries.c.status)).scalars().all() == ["sent"]


def test_the_webhook_gets_the_notification_as_json(store, hook_factory):
    hook = hook_factory(0)
    now = _told(store, "al")
    channels = delivery.Channels.from_settings({"ENGINE_WEBHOOK_URL": hook.url})
    delivery.plan(store.db, channels, now)
    assert [line.split()[0] for line in delivery.send_due(store.db, channels, now)] == ["sent"]
    (body,) = hook.calls
    event = store.rows(notifications)[0]
    assert body == {"id": event["id"], "user": "al", "kind": "approved", "text": "已通过：Note Printer",
                    "params": {"title": "Note Printer"}, "form": "note", "record_id": 7, "url": None,
                    "created_at": event["created_at"].isoformat(), "summary": []}  # record 7 does not exist
    assert hook.headers[0]["Content-Type"] == "application/json; charset=utf-8"
