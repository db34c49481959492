"""An option's `"color"` in module files: a name of the palette is accepted on select and
multiselect options (also inside a table); anything else is refused at the option's colour,
with a message naming the colours there are, in the admin's language too."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.support import Translations

from engine.definitions import load_sources
from engine.errors import DefinitionError
from engine.fieldtypes.choices import COLORS
from engine.i18n import translate_problem

ROOT = Path(__file__).resolve().parents[2]
ZH = Translations.load(str(ROOT / "engine" / "translations"), ["zh"])
MSGIDS = frozenset(k for k in ZH._catalog if isinstance(k, str) and k)
PALETTE = "blue, green, teal, orange, red, purple, grey"


def module(*fields: dict) -> dict:
    return {"module": "m", "title": "M", "forms": [{"name": "a", "title": "A", "fields": [
        {"name": "name", "type": "text"}, *fields]}]}


def load(*fields: dict):
    return load_sources({"m.json": json.dumps(module(*fields), ensure_ascii=False)})


def problems(*fields: dict) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load(*fields)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("kind", ["select", "multiselect"])
def test_every_palette_colour_is_accepted(kind):
    options = [{"value": name, "label": name.title(), "color": name} for name in COLORS] + [{"value": "plain"}]
    app = load({"name": "grade", "type": kind, "options": options})
    built = app.form("a").field("grade").options
    assert [o.color for o in built] == [*COLORS, None]


def test_the_palette_is_small_and_named():
    assert ", ".join(COLORS) == PALETTE


@pytest.mark.parametrize(("kind", "color"), [
    ("select", "pink"), ("select", "Red"), ("select", "#ff0000"), ("multiselect", "yellow"), ("select", ""),
])
def test_an_unknown_colour_is_refused_at_the_options_colour(kind, color):
    options = [{"value": "a"}, {"value": "b", "label": "B", "color": color}]
    assert problems({"name": "grade", "type": kind, "options": options}) == [
        f'm.json: /forms/0/fields/1/options/1/color: "{color}" is not one of: {PALETTE}']


def test_a_colour_that_is_no_text_is_refused_there_too():
    [line] = problems({"name": "grade", "type": "select", "options": [{"value": "a", "color": 3}]})
    assert line == f"m.json: /forms/0/fields/1/options/0/color: 3 is not one of: {PALETTE}"


def test_a_colour_in_a_tables_column_is_checked_too():
    lines = problems({"name": "lines", "type": "table", "fields": [
        {"name": "unit", "type": "select", "options": [{"value": "kg", "color": "violet"}]}]})
    assert lines == [f'm.json: /forms/0/fields/1/fields/0/options/0/color: "violet" is not one of: {PALETTE}']


def test_a_colour_needs_the_object_form_of_every_option():
    lines = problems({"name": "grade", "type": "select", "options": ["a", {"value": "b", "color": "red"}]})
    assert lines == ["m.json: /forms/0/fields/1/options/0: \"a\" is not of type 'object'"]


def test_the_refusal_reads_in_chinese_with_its_place_kept():
    [line] = problems({"name": "grade", "type": "select", "options": [{"value": "a", "color": "pink"}]})
    chinese = translate_problem(line, ZH.gettext, MSGIDS)
    assert chinese.startswith('m.json: /forms/0/fields/1/options/0/color: "pink" ')
    assert chinese != line and PALETTE in chinese, chinese
