"""Print layouts in definitions: every mistake is refused at its JSON pointer; a good layout loads."""
from __future__ import annotations

import copy
import json

import pytest

from engine.definitions import load_sources
from engine.errors import DefinitionError
from tests.conftest import TEST_CONFIGS

LEDGER = json.loads((TEST_CONFIGS / "prints" / "ledger.json").read_text(encoding="utf-8"))
PARTY, BILL = "/forms/0/prints/0", "/forms/1/prints/0"


def problems(change) -> list[str]:
    doc = copy.deepcopy(LEDGER)
    change(doc)
    with pytest.raises(DefinitionError) as info:
        load_sources({"ledger.json": json.dumps(doc, ensure_ascii=False)})
    return [f"{p.pointer}: {p.message}" for p in info.value.problems]


def bill_block(i):
    return lambda doc: doc["forms"][1]["prints"][0]["blocks"][i]


def test_the_ledger_layouts_load():
    app = load_sources({"ledger.json": json.dumps(LEDGER, ensure_ascii=False)})
    layout = app.form("bill").print_layout("bill_print")
    assert [b.kind for b in layout.blocks] == ["fields", "table", "amount_in_words", "amount_in_words", "text",
                                               "signatures"]
    assert app.form("party").print_layout("statement").blocks[2].related.link == ("bill", "party")


def edit(path, value):
    """A change setting doc[...path] = value (a missing last key is added; None deletes it)."""
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is None:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return change


B = ["forms", 1, "prints", 0, "blocks"]
R = ["forms", 0, "prints", 0, "blocks", 1, "related"]


@pytest.mark.parametrize(("change", "expected"), [
    (edit(["forms", 1, "prints", 1, "name"], "bill_print"), "/forms/1/prints/1/name: duplicate print layout"),
    (edit(["forms", 1, "prints", 1, "roles"], ["boss"]), "/forms/1/prints/1/roles/0: unknown role 'boss'"),
    (edit([*B, 0, "fields"], ["bill_no", "nope"]), f"{BILL}/blocks/0/fields/1: unknown field 'nope'"),
    (edit([*B, 0, "fields"], ["lines"]), f"{BILL}/blocks/0/fields/0: 'lines' is a table"),
    (edit([*B, 1, "table"], "party"), f"{BILL}/blocks/1/table: 'party' must be a table field"),
    (edit([*B, 1, "columns"], ["item", "weight"]), f"{BILL}/blocks/1/columns/1: 'lines' has no field 'weight'"),
    (edit([*B, 1, "totals"], ["item"]), f"{BILL}/blocks/1/totals/0: 'item' must be a number column"),
    (edit([*B, 1, "columns"], 2), f"{BILL}/blocks/1/columns: with 'table'"),
    (edit([*B, 0, "totals"], ["qty"]), f"{BILL}/blocks/0/totals: 'totals' does not belong in a 'fields' block"),
    (edit([*B, 2, "amount_in_words"], "remark"), f"{BILL}/blocks/2/amount_in_words: 'remark' must be a number"),
    (edit([*B, 4, "text"], "{nope}"), f"{BILL}/blocks/4/text: unknown field '{{nope}}'"),
    (edit(["forms", 1, "prints", 0, "footer"], "{gone}"), f"{BILL}/footer: unknown field '{{gone}}'"),
    (edit(["forms", 1, "prints", 0, "footer"], {"zh-CN": "{bill_no}", "en": "{gone}"}),
     f"{BILL}/footer: unknown field '{{gone}}'"),
    (edit([*B, 5, "signatures"], [{"en": "Signed"}]), f"{BILL}/blocks/5/signatures/0"),
    (edit([*B, 5, "table"], "lines"), f"{BILL}/blocks/5: a print block needs exactly one of"),
    (edit(["forms", 1, "prints", 0, "paper"], "Letter"), f"{BILL}/paper: "),
    (edit([*R, "form"], "ghost"), f"{PARTY}/blocks/1/related/form: unknown form 'ghost'"),
    (edit([*R, "link"], "owner"), f"{PARTY}/blocks/1/related/link: 'owner' must be a link field of 'bill'"),
    (edit([*R, "link"], "party.bill"), f"{PARTY}/blocks/1/related/link: 'party.bill' must be a link field"),
    (edit([*R, "columns"], ["bill_no", "lines"]), f"{PARTY}/blocks/1/related/columns/1: a table field cannot"),
    (edit([*R, "where"], "weight > 1"), f"{PARTY}/blocks/1/related/where: invalid expression"),
    (edit([*R, "order_by"], "-nope"), f"{PARTY}/blocks/1/related/order_by: 'bill' has no field 'nope'"),
    (edit([*R, "totals"], ["remark"]), f"{PARTY}/blocks/1/related/totals/0: 'remark' is not one of the printed"),
])
def test_refused_at_its_pointer(change, expected):
    found = problems(change)
    assert any(p.startswith(expected) for p in found), found


def test_a_definition_change_names_the_print_layouts_it_adds_changes_and_removes():
    from engine.definitions.diff import summarize, texts

    old = load_sources({"ledger.json": json.dumps(LEDGER, ensure_ascii=False)})
    doc = copy.deepcopy(LEDGER)
    doc["forms"][1]["prints"][0]["footer"] = {"zh-CN": "单号 {bill_no}", "en": "No. {bill_no}"}
    del doc["forms"][1]["prints"][1]
    doc["forms"][0]["prints"].append({"name": "card", "title": "卡片", "blocks": [{"fields": ["party_name"]}]})
    doc["forms"][0]["prints"].insert(0, doc["forms"][0]["prints"].pop())  # a move alone is no change
    new = load_sources({"ledger.json": json.dumps(doc, ensure_ascii=False)})
    lines = texts(summarize(old, new))
    assert any("added print layout 卡片" in line for line in lines), lines
    assert any("removed print layout 拣货单" in line for line in lines), lines
    assert any("print layout 销货单据 changed" in line for line in lines), lines
    assert not any("对账单" in line for line in lines), lines
