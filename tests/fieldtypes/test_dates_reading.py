"""Reading hooks of date and datetime (engine/fieldtypes/dates.py); company time is Shanghai."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engine.fieldtypes import Refs, type_of


def round_trip(fdef, value, refs, world):
    kind = type_of(fdef)
    cell = kind.to_cell(fdef, value, refs)
    return kind.decode(fdef, kind.from_cell(fdef, cell, world), world)


@pytest.mark.parametrize("value", [date(2026, 3, 1), date(1899, 12, 31), date(2026, 12, 31)])
def test_date_cells_give_the_value_back(thing, refs, world, value):
    assert round_trip(thing("day"), value, refs, world) == value


@pytest.mark.parametrize("value", [
    datetime(2026, 3, 1, 1, 30, tzinfo=UTC),  # 09:30 in Shanghai
    datetime(2026, 3, 1, 23, 59, 59, 123456, tzinfo=UTC),  # the next day there, with microseconds
])
def test_datetime_cells_give_the_moment_back(thing, refs, world, value):
    assert round_trip(thing("moment"), value, refs, world) == value


def test_a_datetime_cell_is_company_time_without_zone(thing, refs):
    moment = thing("moment")
    cell = type_of(moment).to_cell(moment, datetime(2026, 3, 1, 1, 30, tzinfo=UTC), refs)
    assert cell == datetime(2026, 3, 1, 9, 30) and cell.tzinfo is None


def test_spreadsheet_dates_and_slashes_read_as_dates(thing, world):
    day, moment = thing("day"), thing("moment")
    assert type_of(day).from_cell(day, datetime(2026, 3, 1, 0, 0), world) == "2026-03-01"
    assert type_of(day).from_cell(day, "2026/03/01", world) == "2026-03-01"
    assert type_of(moment).from_cell(moment, datetime(2026, 3, 1, 9, 30), world) == "2026-03-01T09:30:00+08:00"


def test_text_shows_the_minute_in_company_time(thing, world):
    day, moment = thing("day"), thing("moment")
    assert type_of(day).text(day, "2026-03-01") == "2026-03-01"
    assert type_of(day).text(day, date(2026, 3, 1)) == "2026-03-01"
    assert type_of(moment).text(moment, "2026-03-01T09:30:15+08:00") == "2026-03-01 09:30"
    zoned = Refs(ctx=world)
    assert type_of(moment).text(moment, datetime(2026, 3, 1, 1, 30, tzinfo=UTC), zoned) == "2026-03-01 09:30"
    assert type_of(moment).text(moment, None) == ""


def test_hints_show_the_format(thing):
    assert type_of(thing("day")).cell_hint(thing("day")) == "2026-03-01"
    assert type_of(thing("moment")).cell_hint(thing("moment")) == "2026-03-01 09:30:00"


def test_value_schemas(thing):
    assert type_of(thing("day")).value_schema(thing("day")) == {"type": "string", "format": "date"}
    assert type_of(thing("moment")).value_schema(thing("moment")) == {"type": "string", "format": "date-time"}
