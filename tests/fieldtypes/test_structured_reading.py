"""Reading hooks of table and file (engine/fieldtypes/structured.py)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from engine.fieldtypes import FieldError, type_of
from engine.i18n import speaking

ROWS = [{"item": "bolt", "qty": 2, "unit_price": Decimal("1.50"), "line_total": Decimal("3.00")},
        {"item": "nut", "qty": None, "unit_price": None, "line_total": None}]
AS_JSON = [{"item": "bolt", "qty": 2, "unit_price": "1.50", "line_total": "3.00"},
           {"item": "nut", "qty": None, "unit_price": None, "line_total": None}]


def test_a_table_cell_is_the_rows_as_json_and_reads_back(thing, refs, world):
    lines = thing("lines")
    kind = type_of(lines)
    cell = kind.to_cell(lines, ROWS, refs)
    assert json.loads(cell) == AS_JSON and "bolt" in cell
    assert kind.decode(lines, kind.from_cell(lines, cell, world), world) == AS_JSON


def test_a_table_cell_must_be_json(thing, world):
    lines = thing("lines")
    with pytest.raises(FieldError):
        type_of(lines).from_cell(lines, "[{", world)


def test_a_table_reads_as_its_row_count(thing):
    lines = thing("lines")
    assert type_of(lines).text(lines, AS_JSON) == "2 rows"
    assert type_of(lines).text(lines, []) == ""
    with speaking("zh_CN"):
        assert "2" in type_of(lines).text(lines, AS_JSON)


def test_the_table_hint_shows_the_columns_one_fills(thing):
    lines = thing("lines")
    hint = type_of(lines).cell_hint(lines)
    assert '"item": "Item"' in hint and "line_total" not in hint  # computed columns are not filled


def test_a_file_reads_as_its_name_and_links_on_pages(thing, refs):
    attachment = thing("attachment")
    kind = type_of(attachment)
    value = {"id": 3, "name": "<plan>.pdf", "size": 10, "url": "/api/files/3"}
    assert kind.text(attachment, value) == "<plan>.pdf"
    assert str(kind.html(attachment, value)) == '<a href="/api/files/3">&lt;plan&gt;.pdf</a>'
    assert kind.to_cell(attachment, {"id": 3, "name": "plan.pdf", "size": 10}, refs) == "plan.pdf"
    assert kind.text(attachment, None) == "" and str(kind.html(attachment, None)) == ""
    assert not kind.importable and type_of(thing("code")).importable


def test_value_schemas_as_read_and_as_sent(thing):
    lines, attachment = thing("lines"), thing("attachment")
    read = type_of(lines).value_schema(lines)
    sent = type_of(lines).value_schema(lines, writing=True)
    assert read["maxItems"] == 5 and read["items"]["additionalProperties"] is False
    assert "line_total" in read["items"]["properties"] and "line_total" not in sent["items"]["properties"]
    assert read["items"]["properties"]["qty"]["nullable"] is True
    assert type_of(attachment).value_schema(attachment)["type"] == "object"
    assert type_of(attachment).value_schema(attachment, writing=True)["type"] == "integer"


def test_a_table_cell_writes_moments_in_company_time(thing, refs):
    """A datetime column (none in the kitchen's table): encoded like the API, with the offset."""
    lines = thing("lines").with_settings(fields=(thing("moment"),))
    cell = type_of(lines).to_cell(lines, [{"moment": datetime(2026, 3, 1, 1, 30, tzinfo=UTC)}], refs)
    assert json.loads(cell) == [{"moment": "2026-03-01T09:30:00+08:00"}]
