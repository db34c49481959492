"""The module schema is assembled from module.schema.json and the registered field types:
each type brings its name, its option keys and their rules."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.definitions import load_sources
from engine.definitions.schema import BASE_PATH, module_schema, module_validator
from engine.errors import DefinitionError
from engine.fieldtypes import REGISTRY, FieldType
from engine.fieldtypes.base import register


def problems(*fields: dict) -> list[str]:
    doc = {"module": "m", "title": "M", "forms": [{"name": "a", "title": "A", "fields": list(fields)}]}
    with pytest.raises(DefinitionError) as info:
        load_sources({"m.json": json.dumps(doc)})
    return [str(p) for p in info.value.problems]


def test_a_key_on_a_type_that_does_not_own_it_is_refused_at_its_pointer() -> None:
    assert problems({"name": "x", "type": "text", "precision": 2}) == [
        "m.json: /forms/0/fields/0/precision: 2: `precision` applies only to decimal, formula fields"]
    assert problems({"name": "x", "type": "integer", "value": "count()"}) == [
        "m.json: /forms/0/fields/0/value: \"count()\": `value` applies only to rollup fields"]


@pytest.mark.parametrize(("field", "key"), [
    ({"name": "x", "type": "rating", "scale": 5.0}, "scale"),
    ({"name": "x", "type": "decimal", "precision": 2.0}, "precision"),
    ({"name": "x", "type": "text", "max_length": 50.0}, "max_length"),
])
def test_a_whole_number_written_with_a_fraction_is_refused_at_its_key(field: dict, key: str) -> None:
    """5.0 passes JSON Schema's `integer`; stored as a float it broke pages (range of stars) and
    schema sync (Numeric(15, 2.0)), so a definition writes whole numbers as whole numbers."""
    [line] = problems(field)
    assert line.startswith(f"m.json: /forms/0/fields/0/{key}: "), line
    assert "integer" in line


def test_a_computed_type_takes_no_default() -> None:
    [line] = problems({"name": "x", "type": "serial", "pattern": "A{seq:3}", "default": "A001"})
    assert line.startswith("m.json: /forms/0/fields/0/default: \"A001\": ")
    assert "formula, serial, rollup fields take no `default`" in line


def test_required_options_are_required() -> None:
    assert problems({"name": "x", "type": "select"}) == ["m.json: /forms/0/fields/0: 'options' is a required property"]


def test_the_file_holds_no_type_of_its_own() -> None:
    base = json.loads(Path(BASE_PATH).read_text(encoding="utf-8"))
    assert "field_type" not in base["$defs"] and "allOf" not in base["$defs"]["field"]
    for key in ("precision", "options", "formula", "max_size"):
        assert key not in base["$defs"]["field"]["properties"]


def test_every_option_key_is_described_in_the_products_words() -> None:
    for ftype in REGISTRY.values():
        for key, fragment in ftype.options_schema.items():
            assert fragment.get("description"), f"{ftype.name}.{key}"
    properties = module_schema()["$defs"]["field"]["properties"]
    assert properties["pattern"]["description"].startswith("text: ")
    assert "serial: " in properties["pattern"]["description"]


class FakeType(FieldType):
    name = "fake_kind"
    summary = "A test's own type."
    options_schema = {"fake_level": {"description": "How fake it is.", "type": "integer", "minimum": 1}}
    required_options = ("fake_level",)


@pytest.fixture
def fake_type() -> Iterator[FieldType]:
    register(FakeType)
    try:
        yield REGISTRY["fake_kind"]
    finally:
        REGISTRY.pop("fake_kind")


def test_a_registered_type_brings_its_name_keys_and_rules(fake_type: FieldType) -> None:
    schema = module_schema()
    assert "fake_kind" in schema["$defs"]["field_type"]["enum"]
    assert "fake_kind" in schema["$defs"]["table_field_type"]["enum"]
    assert schema["$defs"]["field"]["properties"]["fake_level"]["description"] == "fake_kind: How fake it is."
    doc = {"module": "m", "title": "M", "forms": [{"name": "a", "title": "A", "fields": [
        {"name": "ok", "type": "fake_kind", "fake_level": 2},
        {"name": "low", "type": "fake_kind", "fake_level": 0},
        {"name": "none", "type": "fake_kind"},
        {"name": "other", "type": "text", "fake_level": 2},
        {"name": "alien", "type": "fake_kind", "fake_level": 1, "max_length": 3},
    ]}]}
    errors = {"/".join(map(str, e.absolute_path)): e for e in module_validator().iter_errors(doc)}
    assert sorted(errors) == ["forms/0/fields/1/fake_level", "forms/0/fields/2", "forms/0/fields/3/fake_level",
                              "forms/0/fields/4/max_length"]
    assert errors["forms/0/fields/2"].message == "'fake_level' is a required property"
    assert errors["forms/0/fields/3/fake_level"].schema["not"]["description"] == (
        "`fake_level` applies only to fake_kind fields")


def test_an_unregistered_type_leaves_the_schema(fake_type: FieldType) -> None:
    assert "fake_kind" in module_schema()["$defs"]["field_type"]["enum"]
    REGISTRY.pop("fake_kind")
    try:
        schema = module_schema()
        assert "fake_kind" not in schema["$defs"]["field_type"]["enum"]
        assert "fake_level" not in schema["$defs"]["field"]["properties"]
    finally:
        REGISTRY["fake_kind"] = FakeType()
