"""Layout nits of the designer (probe of issue #12, finding 11): the selected card's ↑ ↓ × buttons do not
cover its problem badge; at tablet width the 配置 link centres its text like the buttons next to it and the
form picker is at least 44 px high; the reminders tab's date picker writes label and name with the page
language's brackets, as its system fields do. SQLite only (layout, no data)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP
from tests.e2e.test_designer_form import open_designer

TABLET = {"width": 768, "height": 1024}


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_selected_card_buttons_leave_the_badge_visible(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)
    page.click("[data-testid=palette-link]")  # a link without its form: a problem badge on the selected card
    selected = page.locator("[data-field-card][aria-pressed=true]")
    badge = selected.locator("[data-testid=problem-badge]")
    expect(badge).to_be_visible(timeout=15_000)
    tools = selected.locator(".dz-field-tools")
    expect(tools).to_be_visible()
    assert not overlaps(badge.bounding_box(), tools.bounding_box())
    assert page.evaluate("(el) => document.elementFromPoint(el.getBoundingClientRect().x + 3, "
                         "el.getBoundingClientRect().y + 3) === el", badge.element_handle())

    page.click("[data-testid=tab-reminders]")
    page.select_option("[data-testid=reminders-form]", "customer")
    page.click("[data-testid=reminder-add]")
    options = page.locator("[data-testid=reminder-date-field] option").all_inner_texts()
    assert "下次跟进日期（next_follow_up）" in options, options
    assert not [o for o in options if " (" in o], options


def test_tablet_targets_and_brackets(open_page, live):
    page = open_page("admin", viewport=TABLET)
    open_designer(page, live)
    picker = page.locator("[data-testid=form-picker]")
    assert picker.bounding_box()["height"] >= 44
    link = page.locator(".designer-head a.btn")
    box = link.bounding_box()
    assert box["height"] >= 44
    text_middle = page.evaluate("""(el) => { const r = document.createRange(); r.selectNodeContents(el);
        const b = r.getBoundingClientRect(); return b.y + b.height / 2; }""", link.element_handle())
    assert abs(text_middle - (box["y"] + box["height"] / 2)) < 3

