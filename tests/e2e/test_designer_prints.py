"""The 打印 (print layouts) tab in a browser: an admin adds a layout to 销售订单 without JSON — title in
Chinese and English, paper, who may print, the head, a fields block, the line-item table with its columns
and a totals row, the amount in capital figures, a text and signature lines, moves and removes blocks — the
server finds no problem in the draft; 在 JSON 中编辑 opens the layout in the JSON tab. Runs on SQLite and
PostgreSQL: the draft is stored in the database."""
from __future__ import annotations

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP

LAYOUT = "window.designerStore.findForm('sales_order').form.prints.at(-1)"


def test_a_print_layout_is_made_without_json(open_page, live, shoot):
    page = open_page("admin", viewport=DESKTOP)
    page.goto(f"{live}/admin/designer#prints")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    page.select_option("[data-testid=prints-form]", "sales_order")
    before = page.evaluate("(window.designerStore.findForm('sales_order').form.prints || []).length")
    page.click("[data-testid=print-add]")
    card = page.locator("[data-testid=print-card]").nth(before)
    layout = page.evaluate(LAYOUT)
    assert layout["name"].startswith("print_")
    kinds = [next(k for k in ("fields", "table") if k in b) for b in layout["blocks"]]
    assert kinds == ["fields", "table"]  # starts with the first fields and the line items
    # title: Chinese and English
    card.locator(f"[data-testid=print-{before}-title]").fill("销售订单（客户联）")
    card.locator(f"[data-testid=print-{before}-title]").press("Enter")
    card.locator(f"[data-testid=print-{before}-title-en]").fill("Sales order")
    card.locator(f"[data-testid=print-{before}-title-en]").press("Enter")
    assert page.evaluate(f"{LAYOUT}.title") == {"zh-CN": "销售订单（客户联）", "en": "Sales order"}
    card.locator("[data-testid=print-paper]").select_option("A5-landscape")
    card.locator("[data-testid=print-role-sales]").check()
    card.locator("[data-testid=print-header-logo]").uncheck()
    layout = page.evaluate(LAYOUT)
    assert layout["paper"] == "A5-landscape" and layout["roles"] == ["sales"] and layout["header"] == {"logo": False}
    assert list(layout)[:5] == ["name", "title", "roles", "paper", "header"]
    # the fields block: 3 pairs per line; the table: the columns up to qty, qty summed
    card.locator("[data-testid=print-per-line]").select_option("3")
    table = card.locator("[data-testid=print-block][data-kind=table]")
    columns = page.evaluate(f"{LAYOUT}.blocks[1].columns")
    for name in columns[columns.index("qty") + 1:]:
        table.locator(f"[data-testid=print-columns] [data-name={name}] button").last.click()  # ×
    assert page.evaluate(f"{LAYOUT}.blocks[1].columns") == columns[:columns.index("qty") + 1]
    # only printed number columns may be summed
    offered = table.locator("[data-testid=print-totals-add] option").evaluate_all("els => els.map(e => e.value)")
    assert offered == ["", "qty"]
    table.locator("[data-testid=print-totals-add]").select_option("qty")
    assert page.evaluate(f"{LAYOUT}.blocks[1].totals") == ["qty"]
    # more blocks: amount in words, a text, signatures; the signatures move up one
    for kind in ("amount_in_words", "text", "signatures"):
        card.locator("[data-testid=print-block-add]").select_option(kind)
    card.locator("[data-testid=print-block][data-kind=signatures] [data-testid=print-block-up]").click()
    kinds = "['fields', 'table', 'amount_in_words', 'text', 'signatures']"
    order = page.evaluate(f"{LAYOUT}.blocks.map(b => Object.keys(b).find(k => {kinds}.includes(k)))")
    assert order == ["fields", "table", "amount_in_words", "signatures", "text"]
    assert page.evaluate(f"{LAYOUT}.blocks[3].signatures") == ["经办人", "审核人"]
    # records linking here (the payments of the order): the form and link, its columns
    card.locator("[data-testid=print-block-add]").select_option("related")
    related = page.evaluate(f"{LAYOUT}.blocks.at(-1).related")
    assert related["form"] and related["link"] and related["columns"]
    source = card.locator("[data-testid=print-related-source]")
    expect(source).to_have_value(f"{related['form']}:{related['link']}")
    block = card.locator("[data-testid=print-block][data-kind=related]")
    block.locator("[data-testid=print-related-columns] [data-name] button").last.click()  # × on the last column
    assert page.evaluate(f"{LAYOUT}.blocks.at(-1).related.columns") == related["columns"][:-1]
    card.locator(f"[data-testid=print-{before}-footer]").fill("第 {order_no} 号")
    card.locator(f"[data-testid=print-{before}-footer]").press("Enter")
    assert page.evaluate(f"{LAYOUT}.footer") == "第 {order_no} 号"
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(page.locator("#designer-problem-count")).to_have_text("0", timeout=15_000)
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    shoot(page, "designer-prints")
    # the text block goes; the layout opens in the JSON tab
    card.locator("[data-testid=print-block][data-kind=text] [data-testid=print-block-remove]").click()
    assert len(page.evaluate(f"{LAYOUT}.blocks")) == 5
    card.locator("[data-testid=print-json]").click()
    expect(page.locator("section[data-tab=json]")).to_be_visible()
    assert page.js_errors == []
