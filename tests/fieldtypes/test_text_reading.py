"""Reading hooks of the string types (engine/fieldtypes/text.py): text, html, cells."""
from __future__ import annotations

import pytest

from engine.fieldtypes import type_of
from engine.i18n import speaking


def round_trip(fdef, value, refs, world):
    kind = type_of(fdef)
    cell = kind.to_cell(fdef, value, refs)
    return kind.decode(fdef, kind.from_cell(fdef, cell, world), world)


@pytest.mark.parametrize("name, value", [
    ("code", "AB-12"), ("notes", "two\nlines "), ("mail", "a@b.cn"), ("tel", "13812345678"),
    ("site", "https://example.cn/a?b=1"), ("color", "green"), ("tags", ["a", "c"]),
])
def test_cells_give_the_value_back(thing, refs, world, name, value):
    assert round_trip(thing(name), value, refs, world) == value


def test_text_reads_options_by_their_labels(thing):
    color, tags = thing("color"), thing("tags")
    assert type_of(color).text(color, "blue") == "Blue!"
    assert type_of(color).text(color, "gone") == "gone"  # an option since removed
    assert type_of(tags).text(tags, ["a", "c"]) == "a、c"
    assert type_of(tags).to_cell(tags, ["a", "c"]) == "a、c"


@pytest.mark.parametrize("name", ["code", "notes", "mail", "tel", "site", "color", "tags"])
def test_an_absent_value_reads_as_nothing(thing, name):
    fdef = thing(name)
    for empty in (None, "", []):
        if not type_of(fdef).is_empty(empty):
            continue
        assert type_of(fdef).text(fdef, empty) == ""
        assert str(type_of(fdef).html(fdef, empty)) == ""


def test_html_escapes_and_links_only_web_addresses(thing):
    code, site, notes = thing("code"), thing("site"), thing("notes")
    assert str(type_of(code).html(code, "<b>")) == "&lt;b&gt;"
    assert str(type_of(site).html(site, "https://x.cn/?a=1&b=2")) == (
        '<a href="https://x.cn/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">https://x.cn/?a=1&amp;b=2</a>')
    assert str(type_of(site).html(site, "javascript:alert(1)")) == "javascript:alert(1)"
    assert str(type_of(notes).html(notes, "a\n<b>")) == '<span class="pre-wrap">a\n&lt;b&gt;</span>'


def test_cells_read_labels_values_and_hand_typed_lists(thing, world):
    color, tags = thing("color"), thing("tags")
    assert type_of(color).from_cell(color, " Blue! ", world) == "blue"
    assert type_of(color).from_cell(color, "red", world) == "red"
    assert type_of(tags).from_cell(tags, "a, b，c", world) == ["a", "b", "c"]


def test_text_cells_keep_their_spaces_and_numbers_read_as_text(thing, world):
    code, tel = thing("code"), thing("tel")
    assert type_of(code).from_cell(code, " AB-1 ", world) == " AB-1 "
    assert type_of(tel).from_cell(tel, " 13812345678 ", world) == "13812345678"
    assert type_of(tel).from_cell(tel, 13812345678.0, world) == "13812345678"


def test_hints_name_the_options(thing):
    color = thing("color")
    assert type_of(color).cell_hint(color) == "Red / Green / Blue!"
    code = thing("code")
    assert type_of(code).cell_hint(code) == ""


def test_value_schemas(thing):
    code, color, tags, mail = thing("code"), thing("color"), thing("tags"), thing("mail")
    assert type_of(code).value_schema(code) == {"type": "string", "maxLength": 10}
    assert type_of(color).value_schema(color)["enum"] == ["red", "green", "blue"]
    assert type_of(tags).value_schema(tags)["type"] == "array"
    assert type_of(mail).value_schema(mail) == {"type": "string", "format": "email"}


def test_labels_are_written_as_defined_in_any_language(thing):
    color = thing("color")
    with speaking("zh_CN"):
        assert type_of(color).text(color, "red") == "Red"
