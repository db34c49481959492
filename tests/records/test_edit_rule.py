"""What may change in a record (`edit_refusal`): the one rule behind update_record and the
fields an edit page offers, tested on the definitions alone."""
from __future__ import annotations

from dataclasses import replace

from engine.definitions import load_directory
from engine.services.records import edit_refusal
from tests.conftest import TEST_CONFIGS


def refusals(form, stage_name, hidden=frozenset()):
    stage = form.workflow.stage(stage_name) if stage_name else None
    reason = edit_refusal(stage, frozenset(hidden))
    return {f.name: reason(f) for f in form.fields}


def test_a_stage_lets_change_only_its_editable_fields():
    form = load_directory(TEST_CONFIGS / "flow").form("request")
    assert [name for name, why in refusals(form, "draft").items() if why is None] == [f.name for f in form.fields]
    approved = refusals(form, "approved")
    assert [name for name, why in approved.items() if why is None] == ["supplier"]
    assert approved["amount"] == "cannot be changed in stage Approved"
    assert all(why is not None for why in refusals(form, "cancelled").values())  # a final stage


def test_a_table_with_a_column_hidden_from_the_user_cannot_be_changed_by_them():
    form = load_directory(TEST_CONFIGS / "kitchen").form("thing")
    assert refusals(form, None)["lines"] is None
    assert refusals(form, None, {"lines.unit_price"})["lines"] == "cannot be changed by you"
    assert refusals(form, None, {"other.unit_price"})["lines"] is None


def test_a_read_only_field_is_refused_in_every_stage():
    form = load_directory(TEST_CONFIGS / "flow").form("request")
    subject = replace(form.field("subject"), readonly=True)
    for stage in (None, form.workflow.stage("draft"), form.workflow.stage("approved")):
        assert edit_refusal(stage, frozenset())(subject) == "is read-only"
