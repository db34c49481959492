"""Reading hooks of formula, rollup and serial (engine/fieldtypes/computed.py): a computed
value reads like a value of its result type."""
from __future__ import annotations

from decimal import Decimal

from engine.fieldtypes import type_of


def test_a_formula_reads_like_its_result(thing, refs):
    total, count = thing("total"), thing("line_count")
    assert type_of(total).text(total, "1234.5") == "1,234.50"
    assert type_of(total).to_cell(total, Decimal("1234.50"), refs) == Decimal("1234.50")
    assert type_of(count).text(count, 0) == "0"
    assert type_of(count).to_cell(count, 3, refs) == 3
    assert str(type_of(total).html(total, "1")) == "1.00"
    assert type_of(total).value_schema(total)["readOnly"] is True


def test_a_rollup_reads_like_its_value(sums, refs):
    account = sums.form("account")
    paid, payments = account.field("paid"), account.field("payments")
    assert type_of(paid).text(paid, "99.5") == "99.50"
    assert type_of(paid).to_cell(paid, Decimal("99.50"), refs) == Decimal("99.50")
    assert type_of(payments).text(payments, 0) == "0"
    assert type_of(paid).is_numeric(paid) and type_of(payments).is_numeric(payments)
    assert type_of(paid).value_schema(paid)["readOnly"] is True


def test_a_serial_reads_as_written(thing, refs):
    serial = thing("serial")
    assert type_of(serial).text(serial, "TH-2026-001") == "TH-2026-001"
    assert type_of(serial).to_cell(serial, "TH-2026-001", refs) == "TH-2026-001"
    assert not type_of(serial).is_numeric(serial)
