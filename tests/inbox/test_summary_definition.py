"""The form key `summary` (issue #14): up to 6 fields or system attributes, checked like list
columns (an unknown field, or a table, is a problem at /forms/N/summary/i); absent, the first up
to 3 list columns other than the title field."""
from __future__ import annotations

import copy
import json

import pytest

from engine.definitions.loader import load_sources
from engine.errors import DefinitionError
from tests.inbox.conftest import MODULE

DEAL = 1  # the deal form's index in MODULE


def _with(**changes):
    doc = copy.deepcopy(MODULE)
    doc["forms"][DEAL].update(changes)
    return doc


def _problems(doc) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_sources({"deals.json": json.dumps(doc)})
    return [str(p) for p in info.value.problems]


def test_the_summary_as_declared_and_its_default():
    app = load_sources({"deals.json": json.dumps(_with(summary=["amount", "created_by", "due_at", "stage"]))})
    assert app.form("deal").summary_fields == ("amount", "created_by", "due_at", "stage")
    without = _with(list={"columns": ["subject", "client", "amount", "due_on", "seller"]})
    del without["forms"][DEAL]["summary"]
    app = load_sources({"deals.json": json.dumps(without)})
    assert app.form("deal").summary_fields == ("client", "amount", "due_on")  # not the title field


def test_an_unknown_field_is_a_problem_where_it_is_named():
    (line,) = _problems(_with(summary=["client", "amout"]))
    assert "/forms/1/summary/1" in line and "amout" in line


def test_a_table_cannot_sum_a_record_up():
    doc = _with(summary=["client", "lines"])
    doc["forms"][DEAL]["fields"].append({"name": "lines", "type": "table", "label": "Lines", "fields": [
        {"name": "item", "type": "text", "label": "Item"}]})
    (line,) = _problems(doc)
    assert "/forms/1/summary/1" in line and "table" in line


@pytest.mark.parametrize("summary", [["client"] * 2, ["client", "amount", "due_on", "seller", "subject", "id", "stage"],
                                     "client"])
def test_the_schema_wants_a_short_list_of_distinct_names(summary):
    assert any("/forms/1/summary" in line for line in _problems(_with(summary=summary)))
