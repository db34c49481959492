"""The outbox: notifications are written in the caller's transaction, one per person."""
from __future__ import annotations

import pytest

from engine.notify.outbox import buffered, flush, notify
from engine.store.system import notifications


def test_written_with_the_callers_transaction_one_per_person(store):
    with store.db.transaction() as session:
        ctx = store.context(session)
        assert notify(ctx, ["bo", "al", "bo", "", None], "approved", {"title": "Note 1"}, "note", 1) == 2
        assert notify(ctx, [], "approved", {"title": "Note 1"}) == 0
    rows = store.rows(notifications)
    assert [(r["user_name"], r["kind"], r["params"], r["form"], r["record_id"]) for r in rows] == [
        ("al", "approved", {"title": "Note 1"}, "note", 1), ("bo", "approved", {"title": "Note 1"}, "note", 1)]
    assert all(r["read_at"] is None and r["dispatched_at"] is None for r in rows)


def test_gone_when_the_action_rolls_back(store):
    with pytest.raises(RuntimeError), store.db.transaction() as session:
        notify(store.context(session), ["al"], "approved", {"title": "Note 1"})
        raise RuntimeError("the action failed")
    assert store.rows(notifications) == []


def test_a_batch_buffers_until_flush_in_the_same_transaction(store):
    with store.db.transaction() as session:
        ctx = store.context(session)
        pending = buffered(ctx)
        notify(ctx, ["al"], "overdue", {"title": "A"})
        notify(ctx, ["bo"], "overdue", {"title": "B"})
        assert len(pending) == 2 and session.query(notifications).count() == 0
        flush(ctx)
        assert pending == [] and session.query(notifications).count() == 2
    assert [r["user_name"] for r in store.rows(notifications)] == ["al", "bo"]


SUMMED = {
    "module": "desk", "title": "Desk",
    "roles": [{"name": "staff", "title": "Staff"}, {"name": "guest", "title": "Guest"},
              {"name": "rep", "title": "Rep"}],
    "forms": [{
        "name": "note", "title": "Note", "title_field": "subject", "owner_field": "owner",
        "summary": ["secret", "level"],
        "fields": [{"name": "subject", "type": "text", "label": "Subject", "required": True},
                   {"name": "secret", "type": "text", "label": "Secret"},
                   {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
                   {"name": "level", "type": "select", "label": "Level",
                    "options": [{"value": "hi", "label": "高"}, {"value": "lo", "label": "低"}]}],
        "permissions": {"staff": {"create": True, "read": "all"}, "guest": {"read": "all", "hide": ["secret"]},
                        "rep": {"create": True, "read": "own"}},
    }],
}


def test_the_summary_is_made_once_per_role_set_whose_rules_do_not_name_the_user(store_of):
    from sqlalchemy import event

    from engine.services.records import create_record

    store = store_of(SUMMED)
    with store.db.transaction() as session:
        rep1 = store.user(session, "rep1", "rep")
        store.user(session, "rep2", "rep")
        for i in range(30):
            store.user(session, f"staff{i:02}", "staff")
            store.user(session, f"guest{i:02}", "guest")
        made = create_record(store.context(session, rep1), "note", {"subject": "Printer", "secret": "code 42",
                                                                      "level": "hi"})

    def told(people: list[str]) -> int:
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(store.db.engine, "before_cursor_execute", count)
        try:
            with store.db.transaction() as session:
                notify(store.context(session), people, "task", {"title": "Note Printer"}, "note", made["id"])
        finally:
            event.remove(store.db.engine, "before_cursor_execute", count)
        return len(statements)

    few = told(["staff00", "guest00", "rep1", "rep2"])
    many = told([f"{role}{i:02}" for role in ("staff", "guest") for i in range(30)] + ["rep1", "rep2"])
    assert many == few  # 60 role readers cost what 2 do; rep1 and rep2 (read: own) are asked one by one
    summaries = {r["user_name"]: r["params"].get("summary") for r in store.rows(notifications)[4:]}
    secret = {"field": "secret", "label": "Secret", "text": "code 42"}
    level = {"field": "level", "label": "Level", "text": "高"}
    assert all(summaries[f"staff{i:02}"] == [secret, level] for i in range(30))
    assert all(summaries[f"guest{i:02}"] == [level] for i in range(30))
    assert summaries["rep1"] == [secret, level] and summaries["rep2"] is None  # rep2 may not read it
