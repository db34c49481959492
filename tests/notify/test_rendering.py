"""Rendering: a notification's text in the reader's language; a reminder's text per reader,
with the fields hidden from that reader left out."""
from __future__ import annotations

from datetime import date

from engine.notify.rendering import per_reader, record_title, render
from engine.services.records import create_record
from engine.store.records import fetch_one
from tests.conftest import ENGINE_ZONE

PARAMS = {"title": "Note Printer", "stage": "Open", "due": "2031-06-02 09:00"}


def test_the_readers_language():
    assert render("due_soon", PARAMS, locale="zh_CN").startswith("即将到期")
    assert render("due_soon", PARAMS, locale="en") == "Due soon: Note Printer, Open by 2031-06-02 09:00"
    assert render("due_soon", PARAMS, translate=lambda text: f"» {text}") == (  # a request's `_`
        "» Due soon: Note Printer, Open by 2031-06-02 09:00")


def test_reminders_read_as_written_and_broken_params_do_not_raise():
    assert render("reminder", {"message": "明天跟进 {x}"}, locale="en") == "明天跟进 {x}"
    assert render("something_new", {}) == "something_new"
    assert render("due_soon", {"title": "T"}, locale="en") == "due_soon: {'title': 'T'}"
    assert render("rejected", {"title": "T", "comment": None}, locale="en") == "Rejected: T"


def test_sent_back_says_to_whom_with_and_without_a_comment():
    assert render("sent_back", {"title": "Order SO-1", "comment": ""}, locale="en") == "Sent back to you: Order SO-1"
    assert render("sent_back", {"title": "订单 SO-1", "comment": ""}) == "已退回给你：订单 SO-1"
    assert render("sent_back", {"title": "订单 SO-1", "comment": "补发票"}) == "已退回给你：订单 SO-1（补发票）"
    assert render("rejected", {"title": "订单 SO-1", "comment": "超预算"}) == "已驳回：订单 SO-1（超预算）"


def _note(store, session, **fields):
    author = store.user(session, "al", "staff", display_name="艾伦")
    ctx = store.context(session, author)
    made = create_record(ctx, "note", {"subject": "Printer", "secret": "code 42", "level": "hi",
                                       "on": date(2031, 6, 2).isoformat(), **fields})
    form = store.runtime.form("note")
    return ctx, form, fetch_one(session, form, store.runtime.tables("note"), made["id"])


def test_each_reader_reads_only_what_they_may_see(store):
    with store.db.transaction() as session:
        store.user(session, "gus", "guest")
        store.user(session, "sam", "staff")
        ctx, form, record = _note(store, session)
        groups = per_reader(ctx, form, record, form.reminders[0].message, ["al", "sam", "gus", "nobody"])
    texts = {tuple(names): params for names, params in groups}
    assert texts[("al", "sam")] == {"message": "Printer: code 42 (高, 艾伦)", "title": "Note Printer"}
    assert texts[("gus",)] == {"message": "Printer:  (高, 艾伦)", "title": "Note Printer"}
    # somebody who may not read the record reads neither its fields nor its title
    assert texts[("nobody",)] == {"message": ":  (, )", "title": f"Note #{record.id}"}


def test_one_text_for_everybody_when_nothing_in_it_can_be_hidden(store):
    with store.db.transaction() as session:
        store.user(session, "gus", "guest")
        ctx, form, record = _note(store, session)
        groups = per_reader(ctx, form, record, "Call back today", ["al", "gus"])
    assert groups == [(["al", "gus"], {"message": "Call back today", "title": "Note Printer"})]
    assert record_title(form, record) == "Note Printer"


def test_a_reminder_reads_the_records_own_attributes_as_pages_do(store):
    with store.db.transaction() as session:
        ctx, form, record = _note(store, session)
        ((names, params),) = per_reader(ctx, form, record, "{created_by} · {created_at} · {id}", ["al"])
    made = record.meta["created_at"].astimezone(ENGINE_ZONE).strftime("%Y-%m-%d %H:%M")
    assert params["message"] == f"艾伦 · {made} · {record.id}"  # not the user name, not an ISO timestamp
