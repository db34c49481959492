"""A related block prints at most `limit` records, but its totals are over every related record
the reader may read (SQL sums under their read rules), and its note says how many there are."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import TEST_CONFIGS
from tests.prints.test_print_view import page, text_of


@pytest.fixture
def app(make_app, tmp_path):
    folder = tmp_path / "ledger"
    shutil.copytree(TEST_CONFIGS / "prints", folder)
    path = folder / "ledger.json"
    module = json.loads(path.read_text(encoding="utf-8"))
    statement = module["forms"][0]["prints"][0]
    for block in statement["blocks"]:
        if "related" in block:
            block["related"]["limit"] = 1
    path.write_text(json.dumps(module, ensure_ascii=False), encoding="utf-8")
    return make_app(folder, ENGINE_COMPANY_NAME="示例贸易有限公司")


def statement(browser, user, role, ledger):
    return text_of(page(browser(user, role), f"/f/party/{ledger['party']['id']}/print/statement")[1])


def test_totals_cover_every_readable_record_not_only_the_printed_ones(browser, ledger):
    clerk = statement(browser, "cleo", "clerk", ledger)
    assert "D-001" in clerk and "D-002" not in clerk  # one bill printed (by date) ...
    assert "3,094.12" in clerk  # ... the total over both readable ones (2,594.12 + 500.00; not the void one)
    assert "1,008.00" in clerk  # the cost total too (908.00 + 100.00)
    assert "500.00" in clerk and "2,000.00" not in clerk  # one receipt printed, the earliest
    assert "2,800.00" in clerk  # 500 + 2000 + 300
    assert "仅打印前 1 条（共 2 条），合计为全部记录之和。" in clerk
    assert "仅打印前 1 条（共 3 条），合计为全部记录之和。" in clerk


def test_totals_under_the_readers_rules_and_never_of_a_hidden_column(browser, ledger):
    keeper = statement(browser, "kip", "keeper", ledger)
    assert "D-001" in keeper
    assert "3,094.12" not in keeper and "2,594.12" not in keeper and "合计金额" not in keeper  # total is hidden
    assert "1,008.00" not in keeper and "908.00" not in keeper
    assert "仅打印前 1 条（共 2 条），合计为全部记录之和。" in keeper  # the receipts of the bill they may read
    assert "2,500.00" in keeper and "2,800.00" not in keeper
    assert keeper.count("仅打印前") == 1  # the urgent bill is not theirs to read: one bill, no note


def test_totals_of_many_amounts_are_exact(browser, people, ledger):
    clerk = people["clerk"]
    for i in range(7):
        clerk.create("receipt", bill=ledger["bill"]["id"], received_on=f"2026-04-{i + 1:02d}", amount="0.10")
    text = statement(browser, "cleo", "clerk", ledger)
    assert "2,800.70" in text and "仅打印前 1 条（共 10 条）" in text
