"""Reading hooks of integer, decimal and boolean (engine/fieldtypes/numbers.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine.fieldtypes import FieldError, type_of
from engine.i18n import speaking


def round_trip(fdef, value, refs, world):
    kind = type_of(fdef)
    cell = kind.to_cell(fdef, value, refs)
    return kind.decode(fdef, kind.from_cell(fdef, cell, world), world)


@pytest.mark.parametrize("name, value", [
    ("count", 0), ("count", 1000), ("count", -7), ("price", Decimal("0.00")), ("price", Decimal("1234567.89")),
    ("rate", Decimal("0.1235")), ("active", True), ("active", False),
])
def test_cells_give_the_value_back(thing, refs, world, name, value):
    assert round_trip(thing(name), value, refs, world) == value


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_yes_and_no_cells_give_the_value_back_in_either_language(thing, refs, world, locale):
    with speaking(locale):
        assert round_trip(thing("active"), True, refs, world) is True
        assert round_trip(thing("active"), False, refs, world) is False


def test_spreadsheet_numbers_read_as_values(thing, world):
    count, price = thing("count"), thing("price")
    assert type_of(count).from_cell(count, 12.0, world) == 12
    assert type_of(price).decode(price, type_of(price).from_cell(price, 1234.5, world), world) == Decimal("1234.50")
    assert type_of(price).from_cell(price, " 3.10 ", world) == "3.10"


def test_text_shows_zero_as_a_value_and_decimals_with_separators(thing):
    count, price, rate = thing("count"), thing("price"), thing("rate")
    assert type_of(count).text(count, 0) == "0"
    assert type_of(count).text(count, None) == ""
    assert type_of(price).text(price, "1234567.8") == "1,234,567.80"
    assert type_of(price).text(price, Decimal("0")) == "0.00"
    assert type_of(rate).text(rate, "0.5") == "0.5000"
    assert type_of(price).to_cell(price, Decimal("1.50")) == Decimal("1.50")  # a number cell, not text


def test_yes_and_no_are_the_readers_words_everywhere(thing):
    active = thing("active")
    kind = type_of(active)
    assert (kind.text(active, True), kind.text(active, False), kind.text(active, None)) == ("Yes", "No", "")
    with speaking("zh_CN"):
        assert (kind.text(active, True), kind.text(active, False)) == ("是", "否")
        assert kind.to_cell(active, False) == "否"  # exports read like pages
        assert kind.cell_hint(active) == "是 / 否"
        assert str(kind.html(active, True)) == "是"


def test_a_yes_no_cell_takes_common_words_and_refuses_others(thing, world):
    active = thing("active")
    kind = type_of(active)
    assert [kind.from_cell(active, w, world) for w in ("是", "Y", "✓", "TRUE", 1)] == [True] * 5
    assert [kind.from_cell(active, w, world) for w in ("否", "n", "False", 0)] == [False] * 4
    with pytest.raises(FieldError):
        kind.from_cell(active, "maybe", world)


@pytest.mark.parametrize("locale, message", [("en", "must be Yes or No"), ("zh_CN", "必须是“是”或“否”")])
def test_a_refused_yes_no_cell_names_the_readers_words(thing, world, locale, message):
    active = thing("active")
    with speaking(locale), pytest.raises(FieldError) as refused:
        type_of(active).from_cell(active, "maybe", world)
    assert str(refused.value) == message


def test_numbers_are_right_aligned(thing):
    for name in ("count", "price", "total", "line_count"):
        assert type_of(thing(name)).is_numeric(thing(name)), name
    for name in ("code", "active", "day"):
        assert not type_of(thing(name)).is_numeric(thing(name)), name


def test_value_schemas(thing):
    count, price, active = thing("count"), thing("price"), thing("active")
    assert type_of(count).value_schema(count) == {"type": "integer", "minimum": 0, "maximum": 1000}
    assert type_of(price).value_schema(price)["type"] == "string"
    assert type_of(active).value_schema(active) == {"type": "boolean"}


def test_an_average_of_yes_no_is_a_share(thing):
    assert type_of(thing("active")).average_is_share
    assert not type_of(thing("count")).average_is_share
