"""Each user's language where people set it and where it is read: the pages' switch stores it,
signed-in pages and the API speak it, the inbox shows each reader the same event in their
language, the admin edits it and `engine users add --lang` sets it."""
from __future__ import annotations

import re

from click.testing import CliRunner

from engine.auth.users import SYSTEM_USER, get_user, update_user
from engine.cli import main
from engine.notify.outbox import notify
from engine.records.context import open_context


def _language(app, name):
    with app.extensions["engine"].db.session() as session:
        return get_user(session, name).language


def _set_language(app, name, language):
    with app.extensions["engine"].db.transaction() as session:
        update_user(session, name, language=language)


def test_the_switch_stores_the_language_and_signed_in_pages_speak_it(app, browser, login):
    client = browser("al", "staff")
    assert "退出登录" in client.get("/").get_data(as_text=True) and _language(app, "al") is None
    assert "Log out" in client.get("/?lang=en").get_data(as_text=True)
    assert _language(app, "al") == "en"
    elsewhere = app.test_client()  # another browser: no language cookie
    assert "登录" in elsewhere.get("/login").get_data(as_text=True)
    assert login(elsewhere, "al", "al-password").status_code == 302
    assert "Log out" in elsewhere.get("/").get_data(as_text=True)
    assert "退出登录" in elsewhere.get("/?lang=zh_CN").get_data(as_text=True)  # the explicit choice wins
    assert _language(app, "al") == "zh_CN"


def test_the_stored_language_comes_before_the_browsers_cookie(app, browser, make_user, login, csrf_from):
    client = browser("al", "staff")
    client.get("/?lang=en")  # the cookie says English
    make_user("bo", "staff")
    _set_language(app, "bo", "zh_CN")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    assert login(client, "bo", "bo-password").status_code == 302
    assert "退出登录" in client.get("/").get_data(as_text=True)
    assert _language(app, "al") == "en"  # a page asked without ?lang= stores nothing


def test_the_inbox_shows_one_event_in_each_readers_language(app, browser, make_user):
    pages = {name: browser(name, "staff") for name in ("al", "bo", "cy")}
    tokens = {"al": make_user("al2", "staff"), "bo": make_user("bo2", "staff")}
    for name, language in (("al", "en"), ("al2", "en"), ("bo", "zh_CN"), ("bo2", "zh_CN")):
        _set_language(app, name, language)
    state = app.extensions["engine"]
    with open_context(state.db, state.runtime(), SYSTEM_USER, tzinfo=state.tzinfo, write=True) as ctx:
        notify(ctx, ["al", "bo", "cy", "al2", "bo2"], "approved", {"title": "Note Printer"}, "note", 7)
    assert "Approved: Note Printer" in pages["al"].get("/notifications").get_data(as_text=True)
    assert "已通过：Note Printer" in pages["bo"].get("/notifications").get_data(as_text=True)
    assert "已通过：Note Printer" in pages["cy"].get("/notifications").get_data(as_text=True)  # the product's
    assert tokens["al"].get("/api/notifications").get_json()[0]["text"] == "Approved: Note Printer"
    assert tokens["bo"].get("/api/notifications").get_json()[0]["text"] == "已通过：Note Printer"
    asked = tokens["bo"].get("/api/notifications?lang=en").get_json()[0]["text"]
    assert asked == "Approved: Note Printer"  # the request's explicit choice first


def test_the_admin_sets_a_users_language(app, admin_browser, make_user, csrf_from):
    make_user("al", "staff")
    page = admin_browser.get("/admin/users/al").get_data(as_text=True)
    assert re.search(r'<option selected value="">系统默认（中文）</option>', page)
    form = {"csrf_token": csrf_from(page), "name": "al", "roles": ["staff"], "active": "y"}
    assert admin_browser.post("/admin/users/al", data={**form, "language": "en"}).status_code == 302
    assert _language(app, "al") == "en"
    assert re.search(r'<option selected value="en">English</option>',
                     admin_browser.get("/admin/users/al").get_data(as_text=True))
    assert '<td data-testid="user-language">English</td>' in admin_browser.get("/admin/users").get_data(as_text=True)
    refused = admin_browser.post("/admin/users/al", data={**form, "language": "fr"})
    assert refused.status_code == 422 and "必须是以下之一：zh_CN, en" in refused.get_data(as_text=True)
    assert admin_browser.post("/admin/users/al", data={**form, "language": ""}).status_code == 302
    assert _language(app, "al") is None
    made = admin_browser.post("/admin/users/new", data={**form, "name": "bo", "password": "bo-password-1",
                                                         "language": "en"})
    assert made.status_code == 302 and _language(app, "bo") == "en"


def test_engine_users_add_takes_the_users_language(app, monkeypatch):
    settings = app.extensions["engine"].settings
    for key in ("DATABASE_URL", "ENGINE_CONFIG_DIR", "ENGINE_SECRET_KEY"):
        monkeypatch.setenv(key, str(settings[key]))
    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "cy", "--password", "cy-password", "--roles", "staff",
                                 "--lang", "en"])
    assert added.exit_code == 0, added.output
    assert _language(app, "cy") == "en"
    plain = runner.invoke(main, ["users", "add", "dee", "--password", "dee-password", "--roles", "staff"])
    assert plain.exit_code == 0 and _language(app, "dee") is None
    refused = runner.invoke(main, ["users", "add", "eve", "--password", "eve-password", "--lang", "fr"])
    assert refused.exit_code == 2 and "'fr' is not one of 'zh_CN', 'en'" in refused.output
