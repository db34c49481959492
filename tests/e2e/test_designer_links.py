"""A link field's choices and copies in the designer, in a browser, without JSON: on 跟进记录 the
联系人 link gets 只可选择 联系人.客户 = 客户 (the same-named pair is offered first), a condition over
the contact form with the builder (where), and 带出字段 (a field of this form ← a field of the contact);
copies set to sync; removing the rows removes the keys. A link column of a line-item table offers the
row's columns. The draft is checked by the server (no problems). Runs on SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

# the designer's drafts live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FIELD = "window.designerStore.findForm('follow_up').form.fields.find(f => f.name === 'contact')"


def shoot_panel(page, name: str) -> None:
    """docs/screenshots/<name>.png: the property panel (it scrolls by itself), whole."""
    page.evaluate("() => { const props = document.querySelector('[data-testid=props]');"
                  " const p = props.closest('.dz-props-panel, aside, .col') || props;"
                  " p.style.maxHeight = 'none'; p.style.overflow = 'visible'; }")
    page.wait_for_timeout(150)
    page.locator("[data-testid=props]").screenshot(path=str(SHOTS / f"{name}.png"))


def pick_form(page, form: str) -> None:
    option = page.locator(f"[data-testid=form-picker] option[data-form={form}]")
    page.select_option("[data-testid=form-picker]", value=option.get_attribute("value"))


def open_field(page, base: str, form: str, label: str) -> None:
    page.goto(f"{base}/admin/designer#form")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    pick_form(page, form)
    page.locator("[data-field-card]").filter(has=page.locator(".dz-field-label", has_text=label)).first.click()
    expect(page.locator("[data-testid=props]")).to_be_visible()


def test_link_filter_where_and_fill_are_edited_as_rows(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    open_field(page, live, "follow_up", "联系人")
    # from a link without choices or copies (the shipped module may have some)
    page.evaluate(f"() => window.designerStore.change(() => {{ const f = {FIELD};"
                  " for (const k of ['filter', 'where', 'fill', 'fill_mode']) delete f[k]; }, 'reset')")
    expect(page.locator("[data-testid=link-filter-row]")).to_have_count(0)
    # 只可选择: the same-named pair first (contact.customer = this record's customer)
    page.click("[data-testid=link-filter-add]")
    assert page.evaluate(f"{FIELD}.filter") == {"customer": "customer"}
    expect(page.locator("[data-testid=link-filter-key-0]")).to_have_value("customer")
    expect(page.locator("[data-testid=link-filter-value-0]")).to_have_value("customer")
    # where: the condition builder over the contact form's fields
    page.click("[data-testid=link-where-add]")
    page.select_option("[data-testid=link-where-field-0]", "is_primary")
    page.wait_for_function(f"() => !!{FIELD}.where")
    assert "is_primary" in page.evaluate(f"{FIELD}.where")
    # 带出字段: this form's subject ← the contact's name; then the contact's mobile instead
    page.click("[data-testid=link-fill-add]")
    fill = page.evaluate(f"{FIELD}.fill")
    assert fill is not None and len(fill) == 1
    page.select_option("[data-testid=link-fill-key-0]", "subject")
    page.select_option("[data-testid=link-fill-value-0]", "mobile")
    assert page.evaluate(f"{FIELD}.fill") == {"subject": "mobile"}
    page.select_option("[data-testid=prop-fill_mode]", "sync")
    assert page.evaluate(f"{FIELD}.fill_mode") == "sync"
    # the key order of the field: the new keys after form, in the panel's order
    keys = page.evaluate(f"Object.keys({FIELD})")
    assert keys.index("form") < keys.index("filter") < keys.index("fill")
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(page.locator("#designer-problem-count")).to_have_text("0", timeout=15_000)
    shoot_panel(page, "designer-link")
    # removing the rows removes the keys
    page.click("[data-testid=link-filter-remove-0]")
    page.click("[data-testid=link-fill-remove-0]")
    assert page.evaluate(f"'filter' in {FIELD}") is False
    assert page.evaluate(f"'fill' in {FIELD}") is False
    assert page.js_errors == []


def test_a_link_column_fills_columns_of_its_row(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    page.goto(f"{live}/admin/designer#form")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    # a line-item table on 跟进记录 with a link column to 联系人 and a text column
    page.evaluate("""() => window.designerStore.change((sources) => {
      const form = window.designerStore.findForm('follow_up').form;
      form.fields.push({name: 'lines', type: 'table', label: '明细', fields: [
        {name: 'who', type: 'link', label: '联系人', form: 'contact'},
        {name: 'phone', type: 'text', label: '电话'}]});
    }, 'table')""")
    pick_form(page, "follow_up")
    page.locator("[data-testid=column-card][data-name=who]").click()
    column = "window.designerStore.findForm('follow_up').form.fields.find(f => f.name === 'lines').fields[0]"
    expect(page.locator("[data-testid=link-fill-add]")).to_be_visible()
    page.click("[data-testid=link-fill-add]")
    # a row's copies go into the row's columns only
    options = page.locator("[data-testid=link-fill-key-0] option").evaluate_all("els => els.map(e => e.value)")
    assert options == ["phone"]
    page.select_option("[data-testid=link-fill-value-0]", "mobile")
    assert page.evaluate(f"{column}.fill") == {"phone": "mobile"}
    # a filter may name the record's fields too (after the row's columns)
    page.click("[data-testid=link-filter-add]")
    values = page.locator("[data-testid=link-filter-value-0] option").evaluate_all("els => els.map(e => e.value)")
    assert values[0] == "phone" and "customer" in values
    page.select_option("[data-testid=link-filter-key-0]", "customer")
    page.select_option("[data-testid=link-filter-value-0]", "customer")
    assert page.evaluate(f"{column}.filter") == {"customer": "customer"}
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(page.locator("#designer-problem-count")).to_have_text("0", timeout=15_000)
    assert page.js_errors == []
