"""A rating in the browser: four of five stars clicked on the create page (desktop and phone)
fill every star up to the fourth, are saved and read back as ★★★★☆; the live formula reads
the chosen stars as a number."""
from __future__ import annotations

import pytest

from engine.auth.users import create_user
from tests.e2e.conftest import PHONE

MODULE = {
    "module": "reviews", "title": "点评", "roles": [{"name": "critic", "title": "点评员"}],
    "forms": [{
        "name": "review", "title": "点评", "title_field": "title",
        "fields": [
            {"name": "title", "type": "text", "label": "标题", "required": True},
            {"name": "score", "type": "rating", "label": "评分", "required": True},
            {"name": "service", "type": "rating", "label": "服务", "scale": 10},
            {"name": "double", "type": "formula", "label": "两倍", "formula": "score * 2", "result": "integer"},
            {"name": "dishes", "type": "table", "label": "菜品", "fields": [
                {"name": "dish", "type": "text", "label": "菜名"},
                {"name": "stars", "type": "rating", "label": "星级", "scale": 3},
                {"name": "points", "type": "formula", "label": "分", "formula": "stars * 10", "result": "integer"}]},
        ],
        "list": {"columns": ["title", "score", "service"], "filters": ["score"]},
        "permissions": {"critic": {"create": True, "read": "all", "update": "all"}},
    }],
}


@pytest.fixture
def live(serve, write_module, make_app, tmp_path):
    folder = tmp_path / "reviews"
    write_module(folder, MODULE)
    app = make_app(folder)
    with app.extensions["engine"].db.transaction() as session:
        create_user(session, "zhangwei", "zhangwei-password", {"critic"}, display_name="张伟")
    return serve(app)


def filled(page, name: str) -> list[bool]:
    """Which buttons of a scale control show as filled: the checked one's colours."""
    return page.evaluate("""name => {
        const labels = [...document.querySelectorAll(`[data-field-block="${name}"] label.btn`)];
        const look = l => { const s = getComputedStyle(l); return s.backgroundColor + s.color; };
        const checked = document.querySelector(`[data-field-block="${name}"] input:checked + label`);
        return labels.map(l => checked !== null && l.matches('.choice-scale-step') && look(l) === look(checked));
    }""", name)


@pytest.mark.parametrize("viewport, shot", [(None, "rating-desktop"), (PHONE, "rating-phone")])
def test_four_stars_clicked_are_saved_and_shown(shoot, open_page, live, viewport, shot):
    page = open_page("zhangwei", viewport)
    page.emulate_media(reduced_motion="reduce")  # no colour transitions: the styles read are the final ones
    page.goto(f"{live}/f/review/new")
    page.fill("#title", "牛肉面")
    stars = page.locator('[data-field-block="score"] label.btn')
    assert stars.count() == 5  # required: no "no rating" button
    page.click('label[for="score-4"]')
    assert page.is_checked("#score-4")
    assert filled(page, "score") == [True, True, True, True, False]  # every star up to the chosen one
    boxes = [stars.nth(i).bounding_box() for i in range(5)]
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes)  # a finger's target
    page.focus("#score-4")
    page.keyboard.press("ArrowLeft")  # the radios keep reading order: left is one star less
    assert page.is_checked("#score-3") and filled(page, "score") == [True, True, True, False, False]
    assert page.evaluate("getComputedStyle(document.querySelector('label[for=score-3]')).outlineStyle") != "none"
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#score-4")
    page.wait_for_function("document.querySelector('[name=double]').value === '8'")  # a number to formulas
    page.click('label[for="service-9"]')
    assert filled(page, "service") == [False] + [True] * 9 + [False]  # "no rating" never fills
    page.click('label[for="service-none"]')
    assert not any(filled(page, "service"))
    page.click('label[for="service-9"]')
    page.click("[data-add-row=dishes]")  # a second row from the template: its star buttons renumbered
    page.fill("[name=dishes-1-dish]", "汤")
    page.click('label[for="dishes-1-stars-2"]')
    page.wait_for_function("document.querySelector('[name=dishes-1-points]').value === '20'")
    shoot(page, f"{shot}-form")
    page.click("[data-testid=save]")
    page.wait_for_url(f"{live}/f/review/*")
    shown = page.locator('[data-value="score"]')
    assert shown.locator('[aria-hidden="true"]').inner_text() == "★★★★☆"
    assert shown.locator(".visually-hidden").inner_text() == "4 星（满分 5 星）"  # what a screen reader says
    assert page.locator('[data-value="service"] [aria-hidden="true"]').inner_text() == "★★★★★★★★★☆"
    assert page.locator('[data-value="double"]').inner_text().strip() == "8"
    assert "★★☆" in page.locator('[data-table="dishes"]').inner_text()
    shoot(page, f"{shot}-detail")

    page.goto(f"{live}/f/review/{page.url.rsplit('/', 1)[1]}/edit")  # the saved stars are checked again
    assert page.is_checked("#score-4") and page.is_checked("#service-9")
    page.goto(f"{live}/f/review?score__gte=4")
    assert page.locator("[data-testid=record-list] tbody tr").count() == 1
    page.goto(f"{live}/f/review?score__gte=5")
    assert "牛肉面" not in page.locator("[data-testid=record-list]").inner_text()
    assert page.js_errors == []
