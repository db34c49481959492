"""The channel registry: a channel is one class; one made in this test (Pager) gets the
notifications of users who have a pager number, the package untouched."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.errors import ValidationFailed
from engine.notify import delivery
from engine.notify.addresses import addresses_of, set_addresses
from engine.notify.channel import Channel, register, registered, with_addresses
from engine.notify.outbox import notify
from engine.store.system import deliveries, notifications, user_addresses


def test_the_shipped_channels_are_registered():
    assert {"email", "webhook", "wecom", "dingtalk", "feishu"} <= set(registered())
    assert [c.name for c in with_addresses()] == ["dingtalk", "email", "feishu", "wecom"]
    assert registered()["webhook"].address is None


def test_a_channel_name_is_short_and_plain(pager):
    for name in ("", "Pager", "a-b", "x" * 17):
        with pytest.raises(ValueError):
            register(type("Bad", (Channel,), {"name": name}))


def test_a_registered_channel_receives_the_message(store, pager):
    with store.db.transaction() as session:
        al = store.user(session, "al", "staff", email="al@example.com")
        store.user(session, "bo", "staff")
        set_addresses(session, al.id, {"pager": " 4711 "})
        notify(store.context(session), ["al", "bo"], "approved", {"title": "Note Printer"}, "note", 7)
    assert pager in with_addresses()
    with store.db.session() as session:
        assert addresses_of(session, [al.id]) == {al.id: {"email": "al@example.com", "pager": "4711"}}
    channels = delivery.Channels.from_settings({"ENGINE_BASE_URL": "https://erp.example.cn/"})
    now = store.rows(notifications)[0]["created_at"]
    assert delivery.plan(store.db, channels, now) == 2  # two notifications planned: al has a pager, bo none
    assert delivery.send_due(store.db, channels, now) == [
        f"sent      pager to 4711 (notification {store.rows(notifications, user_name='al')[0]['id']})"]
    (message,) = pager.sent
    assert (message.channel, message.target, message.user, message.kind) == ("pager", "4711", "al", "approved")
    assert message.text == "已通过：Note Printer"  # the product's language outside a request
    assert message.url == "https://erp.example.cn/f/note/7"
    assert message.event_id == store.rows(notifications, user_name="al")[0]["id"]
    assert [(d["channel"], d["status"]) for d in store.rows(deliveries)] == [("pager", "sent")]
    assert delivery.send_due(store.db, channels, now + timedelta(hours=1)) == []  # once


def test_the_channel_checks_each_address(store, pager):
    with store.db.transaction() as session:
        al = store.user(session, "al", "staff")
        with pytest.raises(ValidationFailed) as refused:
            set_addresses(session, al.id, {"pager": "12", "email": "not-an-address", "webhook": "x"})
    assert set(refused.value.fields) == {"address_pager", "email", "address_webhook"}
    with store.db.transaction() as session:
        set_addresses(session, al.id, {"pager": "1234", "email": "al@example.com"})
        set_addresses(session, al.id, {"pager": "5678"})
        assert session.execute(select(user_addresses.c.channel, user_addresses.c.address)).all() == [
            ("pager", "5678")]
    with store.db.transaction() as session:
        set_addresses(session, al.id, {"pager": "", "email": None})
        assert addresses_of(session, [al.id]) == {}
