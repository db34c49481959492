"""The Dashboard menu entry appears only for someone who would see a chart on it."""
from __future__ import annotations

import pytest

MODULE = {
    "module": "deals", "title": "Deals",
    "roles": [{"name": "boss", "title": "Boss"}, {"name": "clerk", "title": "Clerk"}],
    "forms": [{
        "name": "deal", "title": "Deal", "title_field": "name",
        "fields": [{"name": "name", "type": "text", "label": "Name", "required": True},
                   {"name": "cost", "type": "decimal", "label": "Cost"}],
        "permissions": {"boss": {"create": True, "read": "all"},
                        "clerk": {"read": "all", "hide": ["cost"]}},
        "charts": [{"title": "Cost", "type": "number", "value": "sum(cost)"}],
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "deals", MODULE)
    return make_app(tmp_path / "deals")


def test_the_menu_offers_the_dashboard_only_with_a_chart_to_show(login, app, make_user):
    pages = {}
    for name, role in (("bo", "boss"), ("cl", "clerk")):
        make_user(name, role)
        browser = app.test_client()
        assert login(browser, name, f"{name}-password").status_code == 302
        pages[name] = browser.get("/").get_data(as_text=True)
    assert 'data-testid="nav-dashboard"' in pages["bo"]
    assert 'data-testid="nav-dashboard"' not in pages["cl"]  # its one chart sums a field hidden from them
