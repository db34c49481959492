"""The email channel against a real SMTP server (aiosmtpd)."""
from __future__ import annotations

from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest

from engine.notify.channel import AddressError, Message
from engine.notify.channels.email import Email


def _message(**changes):
    values = {"event_id": 12, "channel": "email", "target": "al@example.com", "user": "al", "kind": "approved",
              "text": "已通过：Note Printer", "params": {"title": "Note Printer"}, "form": "note", "record_id": 7,
              "url": "https://erp.example.cn/f/note/7", "created_at": datetime(2031, 6, 1, 1, 0, tzinfo=UTC)}
    return Message(**{**values, **changes})


def test_sent_to_the_users_address_with_the_text_and_the_link(smtp):
    url, inbox = smtp
    Email({"ENGINE_SMTP_URL": url, "ENGINE_MAIL_FROM": "flow@example.cn"}).send(_message())
    ((to, mail),) = inbox.messages
    assert to == ["al@example.com"] and mail["From"] == "flow@example.cn"
    assert str(make_header(decode_header(mail["Subject"]))) == "已通过：Note Printer"
    body = mail.get_payload(decode=True).decode()
    assert body.startswith("已通过：Note Printer") and "https://erp.example.cn/f/note/7" in body


def test_ready_only_with_a_server_and_the_url_must_be_smtp(smtp):
    assert not Email({}).ready and Email({"ENGINE_SMTP_URL": smtp[0]}).ready
    with pytest.raises(ValueError, match="ENGINE_SMTP_URL is not set"):
        Email({}).send(_message())
    with pytest.raises(ValueError, match="smtp://user:password@host:port"):
        Email({"ENGINE_SMTP_URL": "http://mail.example.cn"}).send(_message())


def test_an_address_is_checked_by_the_channel():
    assert Email.check_address(" al@example.com ") == "al@example.com"
    for bad in ("al", "al@example", "a l@example.com", "x" * 250 + "@example.com"):
        with pytest.raises(AddressError):
            Email.check_address(bad)
