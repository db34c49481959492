"""Every text made for a recipient is in that recipient's language (`users.language`, else the
product's, Chinese): a reminder's filled-in values, and the email and webhook texts of one
event told to an English and a Chinese reader. A database from before the column gets it."""
from __future__ import annotations

import copy
from datetime import date
from email.header import decode_header, make_header

import pytest
from sqlalchemy import inspect, text

from engine.auth.users import get_user, update_user
from engine.errors import ValidationFailed
from engine.notify import delivery
from engine.notify.outbox import notify
from engine.notify.rendering import per_reader
from engine.services.records import create_record
from engine.store.records import fetch_one
from engine.store.system_upgrade import system_tables_outdated, upgrade_system_tables
from tests.notify.conftest import MODULE, Store

FLAGGED = copy.deepcopy(MODULE)
FLAGGED["forms"][0]["fields"].append({"name": "urgent", "type": "boolean", "label": "Urgent"})


@pytest.fixture
def desk(store_of) -> Store:
    """The notify tests' module with a yes/no field, whose value reads 是/否 or Yes/No."""
    return store_of(FLAGGED)


def _mail(inbox, address):
    (mail,) = [m for to, m in inbox.messages if to == [address]]
    return str(make_header(decode_header(mail["Subject"]))), mail.get_payload(decode=True).decode(), mail


def test_a_reminder_is_filled_in_each_readers_language(desk):
    with desk.db.transaction() as session:
        al = desk.user(session, "al", "staff", language="en")
        desk.user(session, "sam", "staff")  # no language of his own: the product's
        desk.user(session, "zoe", "staff", language="zh_CN")
        ctx = desk.context(session, al)
        made = create_record(ctx, "note", {"subject": "Printer", "urgent": True, "on": date(2031, 6, 2).isoformat()})
        form = desk.runtime.form("note")
        record = fetch_one(session, form, desk.runtime.tables("note"), made["id"])
        groups = per_reader(ctx, form, record, "{subject} urgent: {urgent}", ["al", "sam", "zoe"])
        one_text = per_reader(ctx, form, record, "Call back today", ["al", "sam"])
    texts = {tuple(names): params["message"] for names, params in groups}
    assert texts == {("al",): "Printer urgent: Yes", ("sam", "zoe"): "Printer urgent: 是"}
    assert [names for names, _params in one_text] == [["al", "sam"]]  # nothing filled in: one text


def test_one_event_is_emailed_and_posted_in_each_recipients_language(desk, smtp, hook_factory):
    url, inbox = smtp
    hook = hook_factory(0)
    with desk.db.transaction() as session:
        desk.user(session, "al", "staff", email="al@example.com", language="en")
        desk.user(session, "bo", "staff", email="bo@example.com")
        now = desk.context(session).now
        notify(desk.context(session, now=now), ["al", "bo"], "approved", {"title": "Note Printer"}, "note", 7)
    channels = delivery.Channels.from_settings({"ENGINE_SMTP_URL": url, "ENGINE_WEBHOOK_URL": hook.url,
                                                "ENGINE_BASE_URL": "https://erp.example.cn"})
    assert delivery.plan(desk.db, channels, now) == 2
    assert len(delivery.send_due(desk.db, channels, now)) == 4
    subject, body, mail = _mail(inbox, "al@example.com")
    assert subject == "Approved: Note Printer" and body.startswith("Approved: Note Printer")
    assert mail["Content-Language"] == "en" and "https://erp.example.cn/f/note/7" in body
    subject, body, mail = _mail(inbox, "bo@example.com")
    assert subject == "已通过：Note Printer" and body.startswith("已通过：Note Printer")
    assert mail["Content-Language"] == "zh-CN"
    posted = {call["user"]: call for call in hook.calls}
    assert posted["al"]["text"] == "Approved: Note Printer" and posted["bo"]["text"] == "已通过：Note Printer"
    assert set(posted["al"]) == {"id", "user", "kind", "text", "params", "form", "record_id", "url", "created_at",
                                "summary"}


def test_a_language_is_one_the_product_speaks(desk):
    with desk.db.transaction() as session:
        desk.user(session, "al", "staff", language="zh-CN")
        assert get_user(session, "al").language == "zh_CN"
        assert update_user(session, "al", language="en-US").language == "en"
        assert update_user(session, "al", language=None).language is None
        with pytest.raises(ValidationFailed) as refused:
            update_user(session, "al", language="fr")
        assert list(refused.value.fields) == ["language"]


def test_an_older_database_gets_the_language_column(desk):
    with desk.db.transaction() as session:
        desk.user(session, "al", "staff", email="al@example.com")
    with desk.db.engine.begin() as conn:  # as a database from before users had a language
        conn.execute(text("ALTER TABLE engine_users DROP COLUMN language"))
    with desk.db.engine.begin() as conn:
        assert system_tables_outdated(conn)
        assert upgrade_system_tables(conn) == ["add column engine_users.language"]
        assert not system_tables_outdated(conn)
        assert "language" in {c["name"] for c in inspect(conn).get_columns("engine_users")}
    with desk.db.transaction() as session:
        al = get_user(session, "al")
        assert al is not None and al.email == "al@example.com" and al.language is None
        assert update_user(session, "al", language="en").language == "en"
