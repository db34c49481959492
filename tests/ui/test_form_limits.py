"""Page forms cost little on bad input: a post that is not a file upload stops at
ENGINE_MAX_FORM_BODY with a 413 page in the user's language, a text part of an upload form
too, and a value longer than its field is not echoed back in full."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

LIMIT = 256 * 1024


@pytest.fixture
def app(make_app, config_dir):
    return make_app(config_dir, ENGINE_MAX_FORM_BODY=LIMIT)


@pytest.fixture
def sales(browser):
    return browser("sam", "sales")


@pytest.fixture
def admin(admin_browser):
    return admin_browser



@pytest.mark.parametrize("lang, heading", [("zh_CN", "内容过大"), ("en", "Too large")])
def test_a_form_post_over_the_limit_is_a_413_page_in_the_users_language(token_of, app, sales, lang, heading):
    sales.get(f"/?lang={lang}")
    token = token_of(sales, "/f/customer/new")
    answer = sales.post("/f/customer/new", data={"csrf_token": token, "name": "x" * (LIMIT + 10)})
    assert answer.status_code == 413
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert heading in page and "256 KB" in page and str(LIMIT) not in page  # sizes as people read them
    assert len(page) < 50_000


def test_a_text_part_of_an_upload_form_over_the_limit_is_413(token_of, app, sales):
    token = token_of(sales, "/f/customer/new")
    answer = sales.post("/f/customer/new", content_type="multipart/form-data",
                        data={"csrf_token": token, "name": "x" * (LIMIT + 10)})
    assert answer.status_code == 413
    assert "256 KB" in answer.get_data(as_text=True)


@pytest.mark.parametrize("multipart", [False, True])
def test_a_value_longer_than_its_field_is_not_echoed_in_full(token_of, app, sales, multipart):
    token = token_of(sales, "/f/customer/new?lang=en")
    long = "x" * 60_000
    answer = sales.post("/f/customer/new", data={"csrf_token": token, "name": long, "address": long,
                                                "phone": long, "last_follow_up": long},
                        content_type="multipart/form-data" if multipart else None)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert len(page) < 200_000, len(page)  # four values of 60 KB each would be 240 KB
    assert f"at most 100 characters (got {len(long)})" in page  # what and where: next to the field


def test_a_long_link_value_is_not_echoed(token_of, app, sales):
    token = token_of(sales, "/f/contact/new")
    answer = sales.post("/f/contact/new", data={"csrf_token": token, "name": "n", "customer": "9" * 200_000})
    assert answer.status_code == 422
    assert len(answer.get_data(as_text=True)) < 100_000


def test_a_long_table_link_value_is_not_echoed(token_of, sales):
    client = sales
    token = token_of(client, "/f/sales_order/new")
    answer = client.post("/f/sales_order/new", data={"csrf_token": token, "items-0-product": "9" * 200_000})
    assert answer.status_code in (400, 422)
    assert len(answer.get_data(as_text=True)) < 100_000


def test_a_long_user_name_on_the_login_page_is_not_echoed(token_of, app):
    client = app.test_client()
    token = token_of(client, "/login")
    answer = client.post("/login", data={"csrf_token": token, "username": "u" * 200_000, "password": "p"})
    assert answer.status_code == 401
    assert len(answer.get_data(as_text=True)) < 50_000


def test_admin_user_and_token_forms_do_not_echo_long_values(token_of, app, admin):
    long = "y" * 50_000
    token = token_of(admin, "/admin/users/new")
    answer = admin.post("/admin/users/new", data={"csrf_token": token, "name": long, "display_name": long,
                                                  "email": long, "password": "p" * 50_000})
    assert answer.status_code in (400, 422)
    assert len(answer.get_data(as_text=True)) < 50_000
    token = token_of(admin, "/account/tokens")
    answer = admin.post("/account/tokens", data={"csrf_token": token, "name": long, "expires": "7d"})
    assert answer.status_code == 422
    assert len(answer.get_data(as_text=True)) < 50_000


def test_comments_over_the_limit_are_413_and_under_it_a_short_refusal(token_of, app, sales, make_user):
    token = token_of(sales, "/f/customer/new")
    created = sales.post("/f/customer/new", data={"csrf_token": token, "name": "Acme", "owner": "sam"})
    assert created.status_code == 302
    path = created.headers["Location"]
    too_big = sales.post(f"{path}/comment", data={"csrf_token": token, "comment": "c" * (LIMIT + 10)})
    assert too_big.status_code == 413
    refused = sales.post(f"{path}/comment", data={"csrf_token": token, "comment": "c" * 200_000},
                         follow_redirects=True)
    assert refused.status_code == 200 and len(refused.get_data(as_text=True)) < 100_000
    assert len(refused.request.headers.get("Cookie", "")) < 4096  # the refusal does not carry the text


def test_the_definition_editor_keeps_its_larger_limit(token_of, app, admin):
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    original = (folder / "crm.json").read_text(encoding="utf-8")
    text = original.replace('"title": "客户管理"', '"title": "' + "客" * 200_000 + '"', 1)
    token = token_of(admin, "/admin/definitions/crm.json/edit")
    answer = admin.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": text})
    assert answer.status_code in (302, 422)  # 1.8 MB form-encoded: reaches the editor's checks
    answer = admin.post("/admin/definitions/crm.json/edit",
                        data={"csrf_token": token, "text": "x" * (9 * 1024 * 1024)})
    assert answer.status_code == 413 and "8 MB" in answer.get_data(as_text=True)


def test_an_import_file_still_uploads_beyond_the_form_limit(token_of, app, sales):
    token = token_of(sales, "/f/customer/import")
    rows = "名称\n" + "".join(f"客户{i:07d}\n" for i in range(25_000))  # 350 KB: below what the test client spools
    assert len(rows.encode()) > LIMIT
    answer = sales.post("/f/customer/import", content_type="multipart/form-data",
                        data={"csrf_token": token, "valid_only": "1",
                              "file": (io.BytesIO(rows.encode()), "customers.csv")})
    assert answer.status_code != 413
