"""A definition's texts in two languages reach each recipient in their own language: the
form's title and the approval step in a task notification (inbox, e-mail, webhook), and a
reminder's message with its values; English falls back to the Chinese text."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from engine.i18n import speaking
from engine.notify import delivery
from engine.notify.rendering import per_reader, render
from engine.services.records import create_record
from engine.services.workflow import fire_transition
from engine.store.records import fetch_one
from engine.store.system import notifications
from tests.conftest import TEST_CONFIGS

NOW = datetime(2031, 6, 1, 9, 0, tzinfo=UTC)  # frozen; dates read in ENGINE_ZONE (tests.conftest)


@pytest.fixture
def desk(store_of):
    return store_of(json.loads((TEST_CONFIGS / "bilingual" / "desk.json").read_text(encoding="utf-8")))


def test_a_task_notification_reads_in_each_recipients_language(desk):
    with desk.db.transaction() as session:
        ann = desk.user(session, "ann", "agent", language="en")
        desk.user(session, "leo", "lead", language="en")
        desk.user(session, "lin", "lead")  # no language of her own: Chinese
        ctx = desk.context(session, ann, now=NOW)
        with speaking("en"):  # the actor reads English; the stored notification has both
            made = create_record(ctx, "ticket", {"subject": "Jam"})
            fire_transition(ctx, "ticket", made["id"], "submit", None)
    rows = {row["user_name"]: row for row in desk.rows(notifications, kind="task")}
    assert render("task", rows["leo"]["params"], locale="en") == "Approval needed: Ticket Jam (Lead check)"
    assert render("task", rows["lin"]["params"], locale="zh_CN") == "待审批：工单 Jam（组长审核）"
    channels = delivery.Channels.from_settings({})
    message = delivery.message(channels, {**rows["lin"], "notification_id": rows["lin"]["id"], "channel": "email",
                                          "target": "lin@example.com", "language": None})
    assert message.text == "待审批：工单 Jam（组长审核）"
    assert message.params == {"title": "工单 Jam", "step": "组长审核"}  # a webhook gets plain texts


def test_a_reminder_message_is_written_in_each_readers_language(desk):
    with desk.db.transaction() as session:
        ann = desk.user(session, "ann", "agent", language="en")
        desk.user(session, "bo", "agent")
        ctx = desk.context(session, ann, now=NOW)
        made = create_record(ctx, "ticket", {"subject": "Jam", "level": "high", "due_on": "2031-06-02"})
        form = desk.runtime.form("ticket")
        record = fetch_one(session, form, desk.runtime.tables("ticket"), made["id"])
        groups = per_reader(ctx, form, record, form.reminders[0].message, ["ann", "bo"])
        low = create_record(ctx, "ticket", {"subject": "Slow", "level": "low"})
        slow = fetch_one(session, form, desk.runtime.tables("ticket"), low["id"])
        fallback = per_reader(ctx, form, slow, form.reminders[0].message, ["ann"])
    texts = {tuple(names): params for names, params in groups}
    assert texts[("ann",)]["message"] == "Due tomorrow: Jam (Urgent)"
    assert texts[("bo",)]["message"] == "明天到期：Jam（紧急）"
    assert texts[("ann",)]["title"] == {"zh-CN": "工单 Jam", "en": "Ticket Jam"}
    assert fallback[0][1]["message"] == "Due tomorrow: Slow (低)"  # the option has no English label
