"""A field's type-owned options become frozen settings (built by the type), read as attributes;
what a definition leaves out comes from the type's defaults."""
from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from engine.definitions import load_sources
from engine.definitions.model import FieldDef, Option
from engine.expressions import Expression
from engine.fieldtypes.choices import Option as ChoicesOption

FIELDS = [
    {"name": "title", "type": "text"},
    {"name": "code", "type": "text", "max_length": 8, "pattern": "^[A-Z]+$"},
    {"name": "level", "type": "select", "options": [{"value": "A"}, {"value": "b", "label": "B"}]},
    {"name": "amount", "type": "decimal"},
    {"name": "attachment", "type": "file", "accept": [".PDF"]},
    {"name": "lines", "type": "table", "fields": [
        {"name": "qty", "type": "integer", "min": 1},
        {"name": "twice", "type": "formula", "formula": "qty * 2", "result": "integer"},
    ]},
    {"name": "total", "type": "formula", "formula": "sum(lines.twice)"},
    {"name": "back", "type": "link", "form": "a"},
]
ROLLUP = {"name": "children", "type": "rollup", "form": "a", "link": "back", "value": "count()"}


@pytest.fixture(scope="module")
def form():
    doc = {"module": "m", "title": "M", "forms": [{"name": "a", "title": "A", "fields": [*FIELDS, ROLLUP]}]}
    return load_sources({"m.json": json.dumps(doc)}).forms["a"]


def test_settings_are_frozen_and_read_as_attributes(form) -> None:
    code = form.field("code")
    assert isinstance(code.settings, MappingProxyType)
    assert dict(code.settings) == {"max_length": 8, "pattern": "^[A-Z]+$"}
    assert (code.max_length, code.pattern) == (8, "^[A-Z]+$")
    assert code.precision is None and code.options == ()  # not a text setting


def test_what_a_definition_leaves_out_comes_from_the_type(form) -> None:
    assert form.field("title").max_length == 255 and "max_length" not in form.field("title").settings
    assert form.field("amount").precision == 2
    assert form.field("attachment").max_size == 10 * 1024 * 1024
    assert FieldDef(name="d", type="decimal", label="d", pointer="").precision == 2


def test_types_build_their_values(form) -> None:
    assert form.field("level").options == (Option("A", "A"), Option("b", "B"))
    assert Option is ChoicesOption
    assert form.field("attachment").accept == (".pdf",)
    lines = form.field("lines")
    assert [(f.name, f.pointer) for f in lines.fields] == [
        ("qty", "/forms/0/fields/5/fields/0"), ("twice", "/forms/0/fields/5/fields/1")]
    twice = lines.subfield("twice")
    assert isinstance(twice.formula, Expression) and (twice.result, twice.precision) == ("integer", 0)
    assert (form.field("total").result, form.field("total").precision) == ("decimal", 2)
    assert form.field("children").rollup == ("count", None)


def test_type_hooks_answer_for_the_field(form) -> None:
    assert form.field("lines").is_table and not form.field("title").is_table
    assert form.field("total").computed and form.field("children").computed and not form.field("code").computed
    assert form.field("total").value_kind == "decimal"
    assert form.field("lines").subfield("twice").value_kind == "integer"
    assert form.field("children").value_kind == "integer"
    assert form.field("back").field_type.links


def test_unknown_attributes_are_no_settings(form) -> None:
    with pytest.raises(AttributeError):
        form.field("code").no_such_setting  # noqa: B018
    hash(form.field("code"))  # definitions stay hashable


def test_with_settings_replaces_some(form) -> None:
    lines = form.field("lines")
    narrowed = lines.with_settings(fields=lines.fields[:1])
    assert [f.name for f in narrowed.fields] == ["qty"] and [f.name for f in lines.fields] == ["qty", "twice"]
    assert narrowed.name == "lines" and narrowed.settings is not lines.settings
