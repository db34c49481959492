"""A transition's create copying line-item tables, in the flow tab: the created form's table field is
offered in 同时创建记录 and takes a table of the source record or of a record it links to (a same-named
table first), chosen from a list instead of typed; the draft holds the string (`"items": "lines"`).
Runs on SQLite and PostgreSQL: the draft is stored in the database."""
from __future__ import annotations

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP, SCREENSHOTS

WIN = "window.designerStore.findForm('opportunity').form.workflow.transitions.find(t => t.name === 'win')"
PREPARE = """() => window.designerStore.change(() => {
  const form = window.designerStore.findForm('opportunity').form;
  form.fields.push({name: 'lines', type: 'table', label: '报价明细', fields: [
    {name: 'product', type: 'text', label: '产品'}, {name: 'qty', type: 'number', label: '数量'}]});
  form.fields.push({name: 'previous', type: 'link', label: '上一订单', form: 'sales_order'});
  const win = form.workflow.transitions.find(t => t.name === 'win');
  delete win.create.set.items;  // the shipped module may copy it already
}, 'prepare')"""


def test_create_copies_a_table_chosen_from_a_list(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    page.goto(f"{live}/admin/designer#flow")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    page.evaluate(PREPARE)
    page.select_option("[data-testid=flow-form]", "opportunity")
    index = page.evaluate("window.designerStore.findForm('opportunity').form.workflow.transitions"
                          ".findIndex(t => t.name === 'win')")
    source = page.evaluate(f"[].concat({WIN}.from)[0]")
    page.locator(f"[data-testid='flow-edge-t{index}:{source}']").click()
    panel = page.locator("[data-testid=flow-transition-panel]")
    expect(panel).to_have_attribute("data-transition", "win")
    # the created form's table: a copy of a table, same-named first (the linked order's items)
    panel.locator("[data-testid=flow-create-set-new]").select_option("items")
    first = page.evaluate(f"{WIN}.create.set.items")
    assert first.endswith(".items")  # a linked record's items (the order's, or the shipped quotation's)
    table = panel.locator("[data-testid=flow-create-set-table]")
    expect(table).to_have_value(first)
    values = table.locator("option").evaluate_all("els => els.map(e => e.value)")
    assert values[:2] == ["", "lines"] and "previous.items" in values  # own tables first, then linked ones
    table.select_option("lines")
    assert page.evaluate(f"{WIN}.create.set.items") == "lines"
    # the other mappings stay expressions
    expect(panel.locator("[data-testid=flow-create-set-expr]").first).to_be_visible()
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    panel.locator("[data-testid=flow-create]").scroll_into_view_if_needed()
    panel.locator("[data-testid=flow-create]").screenshot(path=str(SCREENSHOTS / "designer-create-tables.png"))
    # no rows: the mapping goes
    table.select_option("")
    assert page.evaluate(f"'items' in {WIN}.create.set") is False
    assert page.js_errors == []
