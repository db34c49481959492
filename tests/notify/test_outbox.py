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
