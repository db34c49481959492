"""engine.services.records without HTTP: create, update, delete, history, lists."""
from __future__ import annotations

import pytest

from engine.errors import Conflict, Forbidden, NotFound
from engine.services.records import (
    create_record,
    delete_record,
    get_record,
    list_records,
    record_history,
    update_record,
)


def test_create_starts_at_the_initial_stage_with_version_one_and_computes_formulas(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 3})
    assert (record["stage"], record["version"], record["created_by"]) == ("open", 1, "ann")
    assert record["fields"]["double"] == "6.00"  # a formula is a decimal, 2 places


def test_create_writes_one_created_history_entry_with_the_values(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 3})
    with act_as("ann") as ctx:
        entries = record_history(ctx, "ticket", record["id"])
    assert [(e["action"], e["actor"]) for e in entries] == [("create", "ann")]
    assert entries[0]["values"]["subject"] == "Printer"


def test_update_bumps_the_version_and_records_old_and_new_in_history(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 3})
    with act_as("ann") as ctx:
        updated = update_record(ctx, "ticket", record["id"], 1, {"points": 5})
    assert (updated["version"], updated["fields"]["points"], updated["fields"]["double"]) == (2, 5, "10.00")
    with act_as("ann") as ctx:
        last = record_history(ctx, "ticket", record["id"])[-1]
    assert last["action"] == "update"
    assert last["changes"] == [{"field": "points", "old": 3, "new": 5},
                               {"field": "double", "old": "6.00", "new": "10.00"}]  # the formula too


def test_update_on_a_stale_version_raises_conflict_and_changes_nothing(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer", "points": 3})
        update_record(ctx, "ticket", record["id"], 1, {"points": 4})
    with pytest.raises(Conflict), act_as("ann") as ctx:
        update_record(ctx, "ticket", record["id"], 1, {"points": 9})
    with act_as("ann") as ctx:
        assert get_record(ctx, "ticket", record["id"])["fields"]["points"] == 4


def test_update_of_someone_elses_record_under_an_own_rule_is_not_found(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer"})
    with pytest.raises(NotFound), act_as("bob") as ctx:
        update_record(ctx, "ticket", record["id"], 1, {"subject": "Mine now"})


def test_delete_removes_the_record_and_leaves_a_delete_entry_in_history(act_as, desk, app):
    from engine.services.history import read_history

    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer"})
    with act_as("ann") as ctx:
        delete_record(ctx, "ticket", record["id"])
    with pytest.raises(NotFound), act_as("ann") as ctx:
        get_record(ctx, "ticket", record["id"])
    with app.extensions["engine"].db.session() as session:
        assert [row["action"] for row in read_history(session, "ticket", record["id"])] == ["create", "delete"]


def test_delete_without_the_delete_permission_is_forbidden_and_keeps_the_record(act_as, desk):
    with act_as("ann") as ctx:
        record = create_record(ctx, "ticket", {"subject": "Printer"})
    with pytest.raises(Forbidden), act_as("lea") as ctx:
        delete_record(ctx, "ticket", record["id"])
    with act_as("lea") as ctx:
        assert get_record(ctx, "ticket", record["id"])["id"] == record["id"]


def test_list_applies_the_read_rule_then_the_filter(act_as, desk):
    with act_as("ann") as ctx:
        for subject, area in [("a", "web"), ("b", "mail"), ("c", "web")]:
            create_record(ctx, "ticket", {"subject": subject, "area": area})
    with act_as("bob") as ctx:
        create_record(ctx, "ticket", {"subject": "bob's", "area": "web"})
    with act_as("ann") as ctx:
        mine = list_records(ctx, "ticket", {"area": "web", "order_by": "subject"})
    assert [r["fields"]["subject"] for r in mine["items"]] == ["a", "c"]
    assert mine["total"] == 2
    with act_as("lea") as ctx:
        assert list_records(ctx, "ticket", {"area": "web"})["total"] == 3
