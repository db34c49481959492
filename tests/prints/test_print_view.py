"""Print layouts: the print view (HTML) of one record, and what a reader may not see never prints."""
from __future__ import annotations

import re

import pytest

from engine.services.prints import amount_in_words


def page(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's text without tags, whitespace squeezed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(("value", "words"), [
    (0, "零元整"), ("0.05", "伍分"), (10, "壹拾元整"), ("100.5", "壹佰元伍角"), ("1002.03", "壹仟零贰元零叁分"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"), (100000000, "壹亿元整"), ("100010", "壹拾万零壹拾元整"),
    ("1.995", "贰元整"), ("-12.5", "负壹拾贰元伍角"), ("abc", ""), (None, ""),
])
def test_amount_in_words(value, words):
    assert amount_in_words(value) == words


def test_print_view_shows_fields_table_totals_and_words(browser, ledger):
    client = browser("cleo", "clerk")
    status, html = page(client, f"/f/bill/{ledger['bill']['id']}/print/bill_print")
    assert status == 200, html
    text = text_of(html)
    assert "示例贸易有限公司" in text and "单据（客户联）" in text
    assert "华东机电" in text  # a link prints as the linked record's title
    assert "加急" not in text and "普通" in text  # an option prints as its label
    assert "2026-03-05" in text and "开立" in text
    assert "轴承 6205" in text and "1,234.56" in text and "2,469.12" in text
    # totals row: qty 12, cost 916.00... hmm the clerk sees cost
    assert "合计" in text and "2,594.12" in text
    assert "贰仟伍佰玖拾肆元壹角贰分" in text
    assert "备注：月结" in text and "单号 D-001" in text
    assert "制单" in text and "收货人" in text


def test_hidden_fields_and_columns_never_print(browser, ledger):
    client = browser("aida", "auditor")
    status, html = page(client, f"/f/bill/{ledger['bill']['id']}/print/bill_print")
    assert status == 200
    text = text_of(html)
    assert ">成本<" not in html and "成本大写" not in text  # the column and the amount in words of the field
    assert "成本 ；" in text  # the placeholder of a hidden field reads as nothing
    assert "908.00" not in text and "8.00" not in text and "玖佰零捌元整" not in text
    assert "贰仟伍佰玖拾肆元壹角贰分" in text  # what they may read still prints
    assert "合计 2,594.12" in text


def test_related_blocks_list_only_readable_records(browser, ledger):
    clerk = text_of(page(browser("cleo", "clerk"), f"/f/party/{ledger['party']['id']}/print/statement")[1])
    assert "D-001" in clerk and "D-002" in clerk and "D-003" not in clerk and "X-009" not in clerk  # where
    assert "信用差" in clerk
    assert "2,000.00" in clerk and "300.00" in clerk and "2,800.00" in clerk  # receipts through bill.party
    keeper = text_of(page(browser("kip", "keeper"), f"/f/party/{ledger['party']['id']}/print/statement")[1])
    assert "信用差" not in keeper and "内部备注" not in keeper
    assert "D-001" in keeper and "D-002" not in keeper  # the urgent bill is not theirs to read
    assert "300.00" not in keeper  # nor the receipt of that bill (through the middle form's read rule)
    assert "2,500.00" in keeper
    assert "合计金额" not in keeper and "成本合计" not in keeper  # hidden columns of the related form
    auditor = text_of(page(browser("aida", "auditor"), f"/f/party/{ledger['party']['id']}/print/statement")[1])
    assert "500.00" in auditor and "2,000.00" not in auditor  # their read rule on receipts


def test_unreadable_record_404_and_layout_roles(browser, ledger):
    keeper = browser("kip", "keeper")
    assert page(keeper, f"/f/bill/{ledger['urgent']['id']}/print/pick_list")[0] == 404
    assert page(keeper, f"/f/bill/{ledger['bill']['id']}/print/pick_list")[0] == 200
    assert page(keeper, f"/f/bill/{ledger['bill']['id']}/print/nope")[0] == 404
    clerk = browser("cleo", "clerk")
    assert page(clerk, f"/f/bill/{ledger['bill']['id']}/print/pick_list")[0] == 403
    assert page(clerk, "/f/bill/999999/print/bill_print")[0] == 404


def test_record_page_offers_the_usable_layouts(browser, ledger):
    clerk = page(browser("cleo", "clerk"), f"/f/bill/{ledger['bill']['id']}")[1]
    assert 'data-print="bill_print"' in clerk and 'data-print="pick_list"' not in clerk
    keeper = page(browser("kip", "keeper"), f"/f/bill/{ledger['bill']['id']}")[1]
    assert 'data-print="bill_print"' in keeper and 'data-print="pick_list"' in keeper
    listing = page(browser("cleo2", "clerk"), "/f/bill")[1]
    assert "data-select-record" in listing and 'data-testid="print-selection-bill_print"' in listing


def test_texts_of_a_layout_in_the_readers_language(browser, ledger):
    client = browser("cleo", "clerk")
    english = text_of(page(client, f"/f/bill/{ledger['bill']['id']}/print/bill_print?lang=en")[1])
    assert "Slip (customer copy)" in english and "Prepared by" in english and "Received by" in english
    assert "审核" in english  # a plain string is the same in every language
    assert "Slip D-001" in english and "In words" in english
    chinese = text_of(page(client, f"/f/bill/{ledger['bill']['id']}/print/bill_print?lang=zh_CN")[1])
    assert "单据（客户联）" in chinese and "收货人" in chinese and "单号 D-001" in chinese
    menu = page(client, f"/f/bill/{ledger['bill']['id']}?lang=en")[1]
    assert "Sales slip" in menu
