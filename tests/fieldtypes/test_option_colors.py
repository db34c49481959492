"""Coloured options (engine/fieldtypes/choices.py COLORS): a select or multiselect option may
have a `"color"` of a small palette; pages show it as a badge of that colour, every text
output (exports, cells, notifications, history text) reads exactly as without it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.definitions.builder import Builder
from engine.definitions.schema import BASE_PATH, module_schema
from engine.fieldtypes import type_of
from engine.fieldtypes.choices import COLORS, parse_options

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "engine" / "ui" / "static" / "css" / "app.css"

OPTIONS = [{"value": "A", "label": "A类 <重点>", "color": "red"}, {"value": "B", "label": "B类"},
           {"value": "C", "color": "grey"}]


def field(kind: str, options: list | None = None):
    builder = Builder("colors.json")
    fdef = builder.field({"name": "grade", "type": kind, "label": "等级", "options": options or OPTIONS},
                         "/forms/0/fields/0")
    assert not builder.problems, builder.problems
    return fdef


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_options_keep_their_colour():
    assert [(o.value, o.label, o.color) for o in parse_options(OPTIONS)] == [
        ("A", "A类 <重点>", "red"), ("B", "B类", None), ("C", "C", "grey")]
    assert [o.color for o in parse_options(["x", "y"])] == [None, None]


@pytest.mark.parametrize("kind", ["select", "multiselect"])
def test_the_schema_offers_the_palette_to_both_types(kind):
    schema = module_schema()
    assert schema["$defs"]["option"]["properties"]["color"]["enum"] == list(COLORS)
    base = json.loads(BASE_PATH.read_text(encoding="utf-8"))  # the file people's editors read says the same
    assert base["$defs"]["option"]["properties"]["color"]["enum"] == list(COLORS)
    assert [o.color for o in field(kind).options] == ["red", None, "grey"]  # built without problems


def test_a_select_shows_a_coloured_option_as_a_badge_and_others_as_text():
    fdef = field("select")
    kind = type_of(fdef)
    assert str(kind.html(fdef, "A")) == '<span class="badge option-badge option-color-red">A类 &lt;重点&gt;</span>'
    assert str(kind.html(fdef, "B")) == "B类"
    assert str(kind.html(fdef, "gone")) == "gone"  # an option since removed
    assert str(kind.html(fdef, None)) == ""
    plain = field("select", [{"value": "A", "label": "A类 <重点>"}])
    assert str(type_of(plain).html(plain, "A")) == "A类 &lt;重点&gt;"


def test_a_multiselect_shows_chips_when_one_chosen_option_is_coloured():
    fdef = field("multiselect")
    kind = type_of(fdef)
    shown = str(kind.html(fdef, ["B", "A", "gone"]))
    assert shown == ('<span class="option-chips"><span class="badge option-badge option-color-none">B类</span> '
                     '<span class="badge option-badge option-color-red">A类 &lt;重点&gt;</span> '
                     '<span class="badge option-badge option-color-none">gone</span></span>')
    assert str(kind.html(fdef, ["B", "gone"])) == "B类、gone"  # no colour chosen: as before
    assert str(kind.html(fdef, [])) == ""


@pytest.mark.parametrize("kind", ["select", "multiselect"])
def test_text_outputs_are_unchanged_by_colours(kind, refs, world):
    coloured, plain = field(kind), field(kind, [{k: v for k, v in o.items() if k != "color"} for o in OPTIONS])
    ftype = type_of(coloured)
    for value in (["A", "B"] if kind == "multiselect" else ["A", "C"]):
        json_value = value
        decoded = ftype.decode(coloured, json_value, world)
        assert ftype.text(coloured, json_value, refs) == ftype.text(plain, json_value, refs)
        assert ftype.to_cell(coloured, decoded, refs) == ftype.to_cell(plain, decoded, refs)
        assert "<" not in ftype.text(coloured, json_value, refs).replace("<重点>", "")
    assert ftype.cell_hint(coloured, refs) == ftype.cell_hint(plain, refs)


def test_the_colour_hook_names_an_options_colour():
    select, multi = field("select"), field("multiselect")
    colours = [type_of(select).color(select, v) for v in ("A", "B", "C", "gone", None)]
    assert colours == ["red", None, "grey", None, None]
    assert type_of(multi).color(multi, "A") == "red"
    text = Builder("t.json").field({"name": "t", "type": "text"}, "/forms/0/fields/0")
    assert type_of(text).color(text, "red") is None


def test_every_colour_is_readable():
    for name, colour in COLORS.items():
        assert colour.text in ("#ffffff", "#000000"), name
        assert contrast(colour.background, colour.text) >= 4.5, name  # WCAG AA, small text
        assert contrast(colour.background, "#ffffff") >= 3, name  # a bar or badge on the white page
        assert colour.label, name


def test_the_stylesheet_gives_each_colour_its_badge():
    css = APP_CSS.read_text(encoding="utf-8")
    for name, colour in COLORS.items():
        rule = re.search(rf"\.option-color-{name} \{{([^}}]*)\}}", css)
        assert rule, name
        assert f"background-color: {colour.background};" in rule.group(1), name
        assert f"color: {colour.text};" in rule.group(1).replace(f"background-color: {colour.background};", ""), name
    assert ".option-color-none {" in css
