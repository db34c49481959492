"""The designer's preview: the create form and list page of a form from the admin's draft, as
a user with one role sees them (hidden fields hidden, stage rules, required marks), with no
writes; admins only. SQLite and PostgreSQL."""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table

from tests.designer.review_module import api_user, client_form, field_of, module, write

PREVIEW = "/admin/designer/preview/client"


def draft_doc() -> dict[str, Any]:
    """The live module plus a 微信号 field, hidden from sales like 邮箱, and listed."""
    doc = module()
    client_form(doc)["fields"].insert(2, {"name": "wechat", "type": "text", "label": "微信号"})
    client_form(doc)["permissions"]["sales"]["hide"] = ["email", "wechat"]
    client_form(doc)["list"]["columns"].append("wechat")
    field_of(doc, "phone")["required"] = True
    return doc


@pytest.fixture
def shop(make_app, tmp_path, login):
    folder = tmp_path / "configs"
    write(folder, module())
    app = make_app(folder)
    boss = api_user(app, "bo", "boss")
    admin = api_user(app, "ada", "admin")
    page = app.test_client()
    assert login(page, "ada", "ada-password").status_code == 302
    return app, boss, admin, page


def save_draft(admin, doc: dict[str, Any]) -> None:
    live = admin.get("/api/admin/designer").get_json()["live"]["signature"]
    body = {"base_signature": live, "sources": {"shop.json": doc}}
    answer = admin._call("put", "/api/admin/designer/draft", json=body)
    assert answer.status_code == 200, answer.get_json()


def row_counts(app: Any) -> dict[str, int]:
    db = app.extensions["engine"].db
    with db.session() as session:
        names = inspect(session.connection()).get_table_names()
        return {name: session.execute(select(func.count()).select_from(table(name))).scalar_one() for name in names}


def inputs(html: str) -> set[str]:
    """Names of the form's enabled inputs."""
    found = set()
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+)"', tag)
        if name and " disabled" not in tag and name.group(1) not in ("csrf_token", "q", "role", "view"):
            found.add(name.group(1))
    return found


def field_blocks(html: str) -> list[str]:
    return re.findall(r'data-field-block="([^"]+)"', html)


def test_the_draft_form_as_two_roles_hides_what_the_role_may_not_see(shop):
    app, boss, admin, page = shop
    boss.create("client", name="kept", phone="1")
    save_draft(admin, draft_doc())
    before = row_counts(app)

    as_sales = page.get(f"{PREVIEW}?role=sales&view=form")
    html = as_sales.get_data(as_text=True)
    assert as_sales.status_code == 200
    assert "预览：销售 看到的表单（草稿）" in html
    assert field_blocks(html) == ["name", "phone", "level", "note"]  # 微信号 and 邮箱 hidden from sales
    record_form = html.split('id="record-form"')[1].split("</form>")[0]
    assert "微信号" not in record_form and "邮箱" not in record_form
    assert "对该角色隐藏：微信号、邮箱" in html  # the banner says what is hidden
    assert re.search(r'for="phone">电话 <span class="text-danger"', html)  # required in the draft
    assert 'disabled aria-disabled="true" data-testid="save"' in html

    as_boss = page.get(f"{PREVIEW}?role=boss&view=form").get_data(as_text=True)
    assert "预览：经理 看到的表单（草稿）" in as_boss
    assert field_blocks(as_boss) == ["name", "phone", "wechat", "email", "level", "note"]
    assert {"name", "phone", "wechat", "email", "level", "note"} <= inputs(as_boss)

    assert page.post(f"{PREVIEW}?role=boss&view=form", data={"name": "x"}).status_code == 405
    assert row_counts(app) == before  # nothing written, the draft's new column not created


def test_stage_rules_make_fields_read_only(shop):
    app, _boss, admin, page = shop
    save_draft(admin, draft_doc())
    html = page.get(f"{PREVIEW}?role=sales&view=form&stage=making").get_data(as_text=True)
    assert inputs(html) == {"phone"}  # 生产中 lets only 电话 change
    new = page.get(f"{PREVIEW}?role=sales&view=form").get_data(as_text=True)
    assert {"name", "phone", "level", "note"} <= inputs(new)
    assert page.get(f"{PREVIEW}?role=sales&view=form&stage=nowhere").status_code == 404


def test_the_draft_list_shows_sample_values_while_its_columns_do_not_exist(shop):
    app, boss, admin, page = shop
    boss.create("client", name="kept", phone="1")
    save_draft(admin, draft_doc())
    before = row_counts(app)
    html = page.get(f"{PREVIEW}?role=boss&view=list").get_data(as_text=True)
    assert 'data-testid="preview-samples"' in html
    header = html.split("<thead")[1].split("</thead>")[0]
    assert ["名称", "电话", "邮箱", "等级", "微信号"] == re.findall(r">\s*([^<>\s][^<>]*?)\s*</a></th>", header)
    assert "kept" not in html  # no stored rows under columns that do not exist yet
    assert "Hello" in html or "张三" in html  # the text type's samples
    sales = page.get(f"{PREVIEW}?role=sales&view=list").get_data(as_text=True)
    sales_header = sales.split("<thead")[1].split("</thead>")[0]
    assert "邮箱" not in sales_header and "微信号" not in sales_header
    assert 'name="role" value="sales"' in sales  # the filter form stays in the preview
    assert row_counts(app) == before


def test_without_a_draft_the_live_list_shows_the_stored_rows_the_role_may_read(shop):
    app, boss, _admin, page = shop
    boss.create("client", name="kept", phone="1", email="k@example.com")
    html = page.get(f"{PREVIEW}?role=sales&view=list&lang=en").get_data(as_text=True)
    assert "Preview: the list 销售 sees (live definitions)" in html
    assert "kept" in html and 'data-testid="preview-samples"' not in html
    assert "k@example.com" not in html  # 邮箱 is hidden from sales


def test_a_draft_with_problems_is_not_previewed(shop):
    _app, _boss, admin, page = shop
    doc = module()
    client_form(doc)["list"]["columns"].append("missing")
    save_draft(admin, doc)
    answer = page.get(f"{PREVIEW}?role=sales")
    assert answer.status_code == 422
    assert "missing" in answer.get_data(as_text=True)


def test_unknown_form_role_or_view_is_not_found(shop):
    _app, _boss, _admin, page = shop
    assert page.get("/admin/designer/preview/nothing?role=sales").status_code == 404
    assert page.get(f"{PREVIEW}?role=nobody").status_code == 404
    assert page.get(f"{PREVIEW}?role=sales&view=board").status_code == 404


def test_only_admins_may_preview(shop, login):
    app, _boss, _admin, _page = shop
    api_user(app, "sam", "sales")
    seller = app.test_client()
    assert login(seller, "sam", "sam-password").status_code == 302
    assert seller.get(f"{PREVIEW}?role=sales").status_code == 403
    anonymous = app.test_client().get(f"{PREVIEW}?role=sales")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_every_shipped_form_previews_as_every_role(app, admin_browser):
    runtime = app.extensions["engine"].runtime()
    before = row_counts(app)
    for form in runtime.app.forms.values():
        for role in runtime.app.roles:
            for view in ("form", "list"):
                answer = admin_browser.get(f"/admin/designer/preview/{form.name}?role={role}&view={view}")
                assert answer.status_code == 200, (form.name, role, view)
        for stage in form.workflow.stage_names if form.workflow else ():
            assert admin_browser.get(f"/admin/designer/preview/{form.name}?role=admin&stage={stage}").status_code == 200
    assert row_counts(app) == before
