"""The layout's menu, words and links come from what holds now: a definition reload, a role
change and a language switch show at the next request, and links follow the mount point,
though translations are looked up once per request and fixed links built once per app."""
from __future__ import annotations

import json
import re

import pytest
from flask_babel import force_locale

from engine.auth.users import get_user, set_roles
from engine.i18n import _, request_translations

MODULE = {
    "module": "desk", "title": "Desk",
    "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "boss", "title": "Boss"}],
    "forms": [
        {"name": "ticket", "title": {"zh-CN": "工单", "en": "Tickets"}, "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "Name", "required": True}],
         "permissions": {"clerk": {"create": True, "read": "all"}, "boss": {"read": "all"}}},
        {"name": "payslip", "title": {"zh-CN": "工资单", "en": "Payslips"}, "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "Name", "required": True}],
         "permissions": {"boss": {"create": True, "read": "all"}}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "desk", MODULE)
    return make_app(tmp_path / "desk")


def menu(page: str) -> list[tuple[str, str]]:
    """(link, title) of the module menus' entries."""
    return re.findall(r'<a class="dropdown-item" href="([^"]+)">([^<]+)</a>', page.split('id="mainnav"')[1]
                      .split('<ul class="navbar-nav">')[0])


def test_the_menu_follows_a_definition_reload_a_role_change_and_the_language(app, login, make_user, tmp_path):
    make_user("cleo", "clerk")
    browser = app.test_client()
    assert login(browser, "cleo", "cleo-password").status_code == 302
    assert menu(browser.get("/").get_data(as_text=True)) == [("/f/ticket", "工单")]
    assert menu(browser.get("/?lang=en").get_data(as_text=True)) == [("/f/ticket", "Tickets")]

    # a reload: the clerk may now read payslips too, under a new English title
    doc = json.loads((tmp_path / "desk" / "desk.json").read_text(encoding="utf-8"))
    doc["forms"][1]["title"]["en"] = "Pay slips"
    doc["forms"][1]["permissions"]["clerk"] = {"read": "all"}
    (tmp_path / "desk" / "desk.json").write_text(json.dumps(doc), encoding="utf-8")
    app.extensions["engine"].holder.refresh(force=True)
    assert menu(browser.get("/").get_data(as_text=True)) == [("/f/ticket", "Tickets"), ("/f/payslip", "Pay slips")]

    # a role change: the same session, no longer a clerk, reads nothing of the module
    db = app.extensions["engine"].db
    with db.transaction() as session:
        set_roles(session, get_user(session, "cleo").id, set())
    page = browser.get("/?lang=zh-CN").get_data(as_text=True)
    assert menu(page) == []
    assert ">工作流</a>" in page  # the layout's own words in the language of this request


def test_layout_links_follow_the_mount_point(app, login, make_user):
    make_user("cleo", "clerk")
    browser = app.test_client()
    assert login(browser, "cleo", "cleo-password").status_code == 302
    plain = browser.get("/").get_data(as_text=True)
    mounted = browser.get("/", base_url="http://localhost/crm").get_data(as_text=True)
    assert 'href="/static/css/app.css"' in plain and 'href="/f/ticket"' in plain
    assert 'href="/crm/static/css/app.css"' in mounted and 'href="/crm/f/ticket"' in mounted
    assert 'href="/static/' not in mounted and 'href="/f/' not in mounted
    assert 'href="/static/css/app.css"' in browser.get("/").get_data(as_text=True)


def test_a_forced_locale_inside_a_request_is_followed(app):
    with app.test_request_context("/?lang=en"):
        assert _("Log out") == "Log out"
        first = request_translations()
        assert request_translations() is first  # once per request
        with force_locale("zh_CN"):
            assert _("Log out") == "退出登录"
        assert _("Log out") == "Log out"
