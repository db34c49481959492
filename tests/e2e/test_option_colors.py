"""Option colours in a browser, on both databases (the designer's draft is stored there): the
shipped customer grade shows as coloured badges on the list; in the form designer each option of
the grade has a row of swatches, a click colours an option, the arrow keys move the choice (past
the last colour to 无颜色, which clears it), and the draft holds exactly that."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401  (both backends)
from tests.e2e.conftest import DESKTOP

GRADE = "[data-testid=canvas-fields] > [data-field-card]"
# the shipped grades' labels, in both languages
A, B, C = ({"zh-CN": zh, "en": en} for zh, en in (("A类（重点）", "A (key account)"), ("B类（普通）", "B (regular)"),
                                                  ("C类（一般）", "C (occasional)")))


def grade_options(page) -> list:
    return page.evaluate("""() => window.designerStore.sources['crm.json'].forms
        .find(f => f.name === 'customer').fields.find(f => f.name === 'grade').options""")


def test_the_list_shows_the_grade_as_a_coloured_badge(open_page, live, create_customer):
    page = open_page("zhangwei", viewport=DESKTOP)
    create_customer(page, live, "杭州彩色")
    badge = page.locator("[data-value=grade] .option-badge.option-color-red")
    expect(badge).to_have_text("A类（重点）")
    page.goto(f"{live}/f/customer")
    row = page.locator("tr", has_text="杭州彩色")
    listed = row.locator(".option-badge.option-color-red")
    expect(listed).to_have_text("A类（重点）")
    colours = listed.evaluate("el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
    assert colours == ["rgb(176, 42, 55)", "rgb(255, 255, 255)"]
    assert page.js_errors == []


def test_the_designer_colours_an_option_with_the_mouse_and_the_keyboard(open_page, live, shoot):
    page = open_page("admin", viewport=DESKTOP)
    page.goto(f"{live}/admin/designer")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    expect(page.locator("section[data-tab=form]")).to_have_attribute("data-form", "customer")
    page.locator(GRADE).filter(has=page.locator(".dz-field-label", has_text="客户等级")).click()
    expect(page.locator("[data-testid=options-editor]")).to_be_visible()
    # the shipped colours are chosen
    expect(page.locator("[data-testid=option-color-0-red]")).to_be_checked()
    expect(page.locator("[data-testid=option-color-1-blue]")).to_be_checked()
    expect(page.locator("[data-testid=option-color-2-grey]")).to_be_checked()
    group = page.locator("[data-testid=option-color-1]")
    expect(group).to_have_attribute("role", "radiogroup")
    expect(group).to_have_attribute("aria-label", "选项 2 的颜色")
    # a click on B's green swatch (its label; the radio is visually hidden)
    page.locator("label[for]", has=page.locator("text=绿色")).nth(1).click()
    page.wait_for_function("() => window.designerStore.status !== 'clean'")
    assert grade_options(page)[1] == {"value": "B", "label": B, "color": "green"}
    # keyboard: on C's grey (the last colour) the right arrow goes round to 无颜色: no colour
    page.locator("[data-testid=option-color-2-grey]").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-testid=option-color-2-none]")).to_be_checked()
    expect(page.locator("[data-testid=option-color-2-none]")).to_be_focused()
    assert grade_options(page) == [{"value": "A", "label": A, "color": "red"},
                                   {"value": "B", "label": B, "color": "green"},
                                   {"value": "C", "label": C}]
    page.keyboard.press("ArrowLeft")  # back to grey (the key comes after the label again)
    expect(page.locator("[data-testid=option-color-2-grey]")).to_be_checked()
    assert grade_options(page)[2] == {"value": "C", "label": C, "color": "grey"}
    page.evaluate("window.designerStore.save()")
    page.wait_for_function("() => window.designerStore.status === 'saved'")
    draft = page.request.get(f"{live}/api/admin/designer").json()["draft"]
    customer = next(f for f in draft["sources"]["crm.json"]["forms"] if f["name"] == "customer")
    options = next(f for f in customer["fields"] if f["name"] == "grade")["options"]
    assert [o.get("color") for o in options] == ["red", "green", "grey"]
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")  # a full-page shot with the bar on top
    shoot(page, "designer-option-colors")
    assert page.js_errors == []
