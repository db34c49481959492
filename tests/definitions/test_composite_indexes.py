"""`indexes` of a form: each problem at its JSON pointer (unknown field, a field without an
indexable column, a column twice, an index twice); a good one is built as declared."""
from __future__ import annotations

import json

import pytest

from engine.definitions import load_sources
from engine.errors import DefinitionError

FIELDS = [
    {"name": "name", "type": "text", "label": "Name"},
    {"name": "notes", "type": "textarea", "label": "Notes"},
    {"name": "lines", "type": "table", "label": "Lines", "fields": [{"name": "x", "type": "integer", "label": "X"}]},
    {"name": "scan", "type": "file", "label": "Scan"},
    {"name": "tags", "type": "multiselect", "label": "Tags", "options": ["a", "b"]},
    {"name": "amount", "type": "decimal", "label": "Amount"},
    {"name": "double", "type": "formula", "label": "Double", "formula": "amount * 2"},
]


def module(indexes) -> dict:
    return {"module": "m", "title": "M", "forms": [{"name": "a", "title": "A", "fields": FIELDS, "indexes": indexes}]}


def problems(indexes) -> dict[str, str]:
    with pytest.raises(DefinitionError) as info:
        load_sources({"m.json": json.dumps(module(indexes))})
    return {p.pointer: p.message for p in info.value.problems}


def test_good_indexes_load_with_their_order():
    app = load_sources({"m.json": json.dumps(module([["name", "-created_at"], ["double", "stage", "id"]]))})
    assert app.forms["a"].indexes == (("name", "-created_at"), ("double", "stage", "id"))


@pytest.mark.parametrize("indexes, pointer, words", [
    ([["name", "nope"]], "/forms/0/indexes/0/1", "unknown field 'nope'"),
    ([["lines"]], "/forms/0/indexes/0/0", "a table field cannot be in an index"),
    ([["stage", "scan"]], "/forms/0/indexes/0/1", "a file field cannot be in an index"),
    ([["tags"]], "/forms/0/indexes/0/0", "a multiselect field cannot be in an index"),
    ([["notes", "created_at"]], "/forms/0/indexes/0/0", "a textarea field cannot be in an index"),
    ([["name", "-name"]], "/forms/0/indexes/0/1", "'name' is already in this index"),
    ([["stage", "created_at"], ["amount"], ["stage", "-created_at"]], "/forms/0/indexes/2",
     "the same index as /indexes/0"),
    ([[]], "/forms/0/indexes/0", ""),
    ([["Name"]], "/forms/0/indexes/0/0", ""),
    ([["a", "b", "c", "d", "e", "f", "g"]], "/forms/0/indexes/0", ""),
])
def test_a_bad_index_is_refused_at_its_pointer(indexes, pointer, words):
    found = problems(indexes)
    assert pointer in found, found
    assert words in found[pointer]
