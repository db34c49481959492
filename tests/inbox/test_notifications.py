"""The record's summary in notifications (issue #14, point 1): the in-app inbox (API and page),
the email body and the webhook payload carry each recipient's summary, without the fields hidden
from that recipient, in their language; a chat channel reads it as `Message.summary`."""
from __future__ import annotations

from email.message import Message as Mail

from engine.notify import delivery
from engine.store.system import notifications
from tests.inbox.conftest import summary_of

ZH = {"Accept-Language": "zh-CN"}


def _deliver(app, **settings) -> None:
    state = app.extensions["engine"]
    channels = delivery.Channels.from_settings(settings)
    with state.db.session() as session:
        now = max(r.created_at for r in session.execute(notifications.select()))
    delivery.plan(state.db, channels, now)
    delivery.send_due(state.db, channels, now)


def _body(mail: Mail) -> str:
    return mail.get_payload(decode=True).decode().replace("\r\n", "\n")


def test_the_approvers_notification_shows_the_summary(cast, deal):
    deal("Lathes", "1234.5")
    (note,) = cast["fin"].get("/api/notifications", headers=ZH).get_json()
    assert note["kind"] == "task"
    assert summary_of(note) == {"client": "华东机械", "amount": "1,234.50", "due_on": "2031-06-30", "seller": "山姆"}
    assert [e["label"] for e in note["summary"]] == ["客户", "金额", "交付日期", "销售"]
    english = cast["fin"].get("/api/notifications", headers={"Accept-Language": "en"}).get_json()[0]
    assert [e["label"] for e in english["summary"]] == ["Client", "Amount", "Delivery date", "Salesperson"]


def test_a_recipient_never_reads_a_field_hidden_from_them(cast, deal):
    deal("Pens", "500")
    deal("Lathes", "8000")
    for note in cast["aud"].get("/api/notifications").get_json():  # copied; the amount hidden in every row
        assert note["kind"] == "cc" and "amount" not in summary_of(note) and summary_of(note)["seller"] == "山姆"
    mixed = {n["text"]: summary_of(n) for n in cast["mix"].get("/api/notifications", headers=ZH).get_json()}
    assert [s.get("amount") for _t, s in sorted(mixed.items())] == [None, "500.00"]  # Lathes, Pens


def test_the_inbox_page_shows_the_summary_under_the_text(app, cast, deal, login):
    deal("Lathes", "8000")
    client = app.test_client()
    assert login(client, "aud", "aud-password").status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert 'data-testid="summary"' in page and "华东机械" in page and "8,000.00" not in page
    client = app.test_client()
    assert login(client, "fin", "fin-password").status_code == 302
    page = client.get("/notifications", headers=ZH).get_data(as_text=True)
    assert "8,000.00" in page and "山姆" in page


def test_the_email_lists_the_summary_the_recipient_may_read(app, cast, deal, smtp):
    url, inbox = smtp
    deal("Lathes", "8000")
    _deliver(app, ENGINE_SMTP_URL=url, ENGINE_BASE_URL="https://erp.example.cn")
    mails = {to[0]: _body(mail) for to, mail in inbox.messages}
    fin = mails["fin@example.cn"]
    assert "\n\n客户：华东机械\n金额：8,000.00\n交付日期：2031-06-30\n销售：山姆\n\n" in fin
    assert fin.index("销售：山姆") < fin.index("https://erp.example.cn/f/deal/")
    aud = mails["aud@example.cn"]  # English reader, amount hidden
    assert "Client: 华东机械\nDelivery date: 2031-06-30\nSalesperson: 山姆" in aud and "8,000" not in aud


def test_the_webhook_payload_carries_the_summary(app, cast, deal, hook_factory):
    hook = hook_factory(0)
    deal("Lathes", "8000")
    _deliver(app, ENGINE_WEBHOOK_URL=hook.url)
    posted = {call["user"]: call for call in hook.calls}
    assert posted["fin"]["summary"] == [
        {"field": "client", "label": "客户", "text": "华东机械"},
        {"field": "amount", "label": "金额", "text": "8,000.00"},
        {"field": "due_on", "label": "交付日期", "text": "2031-06-30"},
        {"field": "seller", "label": "销售", "text": "山姆"}]
    assert [e["field"] for e in posted["aud"]["summary"]] == ["client", "due_on", "seller"]
    assert posted["aud"]["summary"][0]["label"] == "Client"
    assert "summary" not in posted["fin"]["params"]


def test_a_channel_reads_the_summary_from_the_message(app, cast, deal, monkeypatch):
    from engine.notify import channel as channel_module
    from engine.notify.channel import Channel, register, registered

    got = []

    class Chat(Channel):
        name = "chat"

        def targets(self, address, roles=frozenset()):
            return ["room"]

        def send(self, message):
            got.append(message)

    registered()
    monkeypatch.setattr(channel_module, "CHANNELS", dict(channel_module.CHANNELS))
    register(Chat)
    deal("Pens", "500")
    _deliver(app)
    by_user = {m.user: m for m in got}
    assert by_user["fin"].summary_lines() == ["客户：华东机械", "金额：500.00", "交付日期：2031-06-30",
                                                 "销售：山姆"]
    assert [e["field"] for e in by_user["aud"].summary] == ["client", "due_on", "seller"]
