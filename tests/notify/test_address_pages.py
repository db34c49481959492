"""Channel addresses where people edit them: the admin's user page, the user's own account
page and `engine users add`; each address checked by its channel (Pager, made in the test)."""
from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import insert, select

from engine.cli import main
from engine.store.system import user_addresses, users


def _addresses(app, name):
    with app.extensions["engine"].db.session() as session:
        return dict(session.execute(select(user_addresses.c.channel, user_addresses.c.address)
                                    .join(users, users.c.id == user_addresses.c.user_id)
                                    .where(users.c.name == name)).all())


def test_a_chat_channels_address_is_asked_when_it_is_configured_or_already_set(app, admin_browser, browser,
                                                                               monkeypatch):
    def fields(client, url):
        return re.findall(r'name="(address_\w+)"', client.get(url).get_data(as_text=True))

    page = admin_browser.get("/admin/users/root9").get_data(as_text=True)
    assert 'name="email"' in page
    assert fields(admin_browser, "/admin/users/root9") == []  # no platform configured: none asked
    al = browser("al", "staff")
    assert fields(al, "/account/addresses") == []
    settings = app.config["ENGINE"]
    monkeypatch.setitem(settings, "ENGINE_WECOM_ROBOTS", "{}")  # no group robot: people bring their own
    monkeypatch.setitem(settings, "ENGINE_FEISHU_ROBOTS", '{"staff": "https://open.feishu.cn/open-apis/bot/v2/hook/x"}')
    assert fields(admin_browser, "/admin/users/new") == ["address_feishu", "address_wecom"]
    assert fields(al, "/account/addresses") == ["address_feishu", "address_wecom"]
    monkeypatch.setitem(settings, "ENGINE_WECOM_ROBOTS", None)
    monkeypatch.setitem(settings, "ENGINE_FEISHU_ROBOTS", None)
    with app.extensions["engine"].db.transaction() as session:
        user_id = session.execute(select(users.c.id).where(users.c.name == "al")).scalar_one()
        session.execute(insert(user_addresses).values(user_id=user_id, channel="dingtalk", address="manager4"))
    assert fields(admin_browser, "/admin/users/al") == ["address_dingtalk"]  # kept, so it can be removed
    assert fields(al, "/account/addresses") == ["address_dingtalk"]
    assert fields(admin_browser, "/admin/users/root9") == []


def test_the_admin_sets_a_channel_address_on_the_user_page(csrf_from, app, admin_browser, make_user, pager):
    make_user("al", "staff", email="al@example.com")
    page = admin_browser.get("/admin/users/al").get_data(as_text=True)
    assert "Pager number" in page and 'name="address_pager"' in page
    form = {"csrf_token": csrf_from(page), "name": "al", "email": "al@example.com", "roles": ["staff"],
            "active": "y"}
    refused = admin_browser.post("/admin/users/al", data={**form, "address_pager": "12"})
    assert refused.status_code == 422 and "3 to 8 digits" in refused.get_data(as_text=True)
    assert _addresses(app, "al") == {}
    assert admin_browser.post("/admin/users/al", data={**form, "address_pager": " 4711 "}).status_code == 302
    assert _addresses(app, "al") == {"pager": "4711"}
    page = admin_browser.get("/admin/users/al").get_data(as_text=True)
    assert re.search(r'name="address_pager"[^>]*value="4711"', page)
    made = admin_browser.post("/admin/users/new", data={
        "csrf_token": csrf_from(page), "name": "bo", "password": "bo-password-1", "roles": ["staff"],
        "address_pager": "5150"})
    assert made.status_code == 302 and _addresses(app, "bo") == {"pager": "5150"}


def test_a_user_sets_their_own_address_and_sees_their_email(csrf_from, app, browser, pager):
    client = browser("al", "staff")
    page = client.get("/account/addresses").get_data(as_text=True)
    assert 'data-testid="email-address"' in page and 'name="address_pager"' in page
    refused = client.post("/account/addresses", data={"csrf_token": csrf_from(page), "address_pager": "x"})
    assert refused.status_code == 422 and "3 to 8 digits" in refused.get_data(as_text=True)
    saved = client.post("/account/addresses", data={"csrf_token": csrf_from(page), "address_pager": "90210"})
    assert saved.status_code == 302 and _addresses(app, "al") == {"pager": "90210"}
    cleared = client.post("/account/addresses", data={"csrf_token": csrf_from(page), "address_pager": ""})
    assert cleared.status_code == 302 and _addresses(app, "al") == {}


def test_the_account_page_is_in_the_users_language(browser):
    client = browser("al", "staff")
    page = client.get("/account/addresses").get_data(as_text=True)
    assert "我的通知地址" in page and "邮箱" in page
    assert "My notification addresses" in client.get("/account/addresses?lang=en").get_data(as_text=True)


def test_engine_users_add_takes_channel_addresses(app, pager, monkeypatch):
    settings = app.extensions["engine"].settings
    for key in ("DATABASE_URL", "ENGINE_CONFIG_DIR", "ENGINE_SECRET_KEY"):
        monkeypatch.setenv(key, str(settings[key]))
    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "cy", "--password", "cy-password", "--roles", "staff",
                                 "--address", "pager=0815"])
    assert added.exit_code == 0, added.output
    assert _addresses(app, "cy") == {"pager": "0815"}
    for bad in ("pager=1", "fax=123", "pager"):
        refused = runner.invoke(main, ["users", "add", "dee", "--password", "dee-password", "--address", bad])
        assert refused.exit_code == 1, (bad, refused.output)
    assert _addresses(app, "dee") == {}
