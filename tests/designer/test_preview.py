"""The designer's preview: the create form, list page, record page and board of a form from the
admin's draft, as a user with one role sees them (hidden fields hidden, stage rules, required
marks, the role's transitions disabled, the approval route), with no writes; admins only.
SQLite and PostgreSQL."""
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
    assert page.get(f"{PREVIEW}?role=sales&view=nothing").status_code == 404
    assert page.get(f"{PREVIEW}?role=sales&view=detail&stage=nowhere").status_code == 404


def test_only_admins_may_preview(shop, login):
    app, _boss, _admin, _page = shop
    api_user(app, "sam", "sales")
    seller = app.test_client()
    assert login(seller, "sam", "sam-password").status_code == 302
    for view in ("form", "list", "detail", "board"):
        assert seller.get(f"{PREVIEW}?role=sales&view={view}").status_code == 403
    anonymous = app.test_client().get(f"{PREVIEW}?role=sales")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def approval_doc() -> dict[str, Any]:
    """The draft plus an approval by 经理 in 生产中 and a transition only 经理 may fire from 新建."""
    doc = draft_doc()
    workflow = client_form(doc)["workflow"]
    workflow["stages"][1]["approval"] = {
        "steps": [{"name": "check", "title": "经理审核", "approvers": [{"role": "boss"}], "mode": "any"}],
        "approved": "done", "rejected": "new"}
    workflow["transitions"].append({"name": "drop", "title": "作废", "from": "new", "to": "done", "roles": ["boss"]})
    return doc


def transition_buttons(html: str) -> dict[str, bool]:
    """data-transition → whether the button is inside the disabled fieldset of the preview."""
    panel = html.split('data-testid="preview-panel"')
    if len(panel) < 2:
        return {}
    return {name: True for name in re.findall(r'data-transition="([^"]+)"', panel[1].split("</fieldset>")[0])}


def test_the_draft_record_page_as_two_roles(shop):
    app, boss, admin, page = shop
    boss.create("client", name="kept", phone="1")
    save_draft(admin, approval_doc())
    before = row_counts(app)

    as_sales = page.get(f"{PREVIEW}?role=sales&view=detail")
    html = as_sales.get_data(as_text=True)
    assert as_sales.status_code == 200
    assert "预览：销售 看到的记录页面（草稿）" in html
    assert 'data-testid="preview-samples"' in html and "kept" not in html  # 微信号 has no column yet
    values = re.findall(r'data-value="([^"]+)"', html)
    assert values == ["name", "phone", "level", "note"]  # 微信号 and 邮箱 hidden from sales
    assert "微信号</dt>" not in html and "对该角色隐藏：微信号、邮箱" in html
    assert transition_buttons(html) == {"start": True}  # 作废 is the manager's
    assert re.search(r'<fieldset disabled data-testid="preview-panel">', html)
    assert 'data-testid="comment-form"' in html.split("<fieldset disabled>")[1]  # the comment box too
    assert 'href="/f/client/1"' not in html  # the sample links nowhere

    as_boss = page.get(f"{PREVIEW}?role=boss&view=detail").get_data(as_text=True)
    assert "预览：经理 看到的记录页面（草稿）" in as_boss
    assert re.findall(r'data-value="([^"]+)"', as_boss) == ["name", "phone", "wechat", "email", "level", "note"]
    assert transition_buttons(as_boss) == {"start": True, "drop": True}
    assert 'disabled aria-disabled="true">删除</button>' in as_boss  # 经理 may delete: shown, does nothing

    making = page.get(f"{PREVIEW}?role=boss&view=detail&stage=making").get_data(as_text=True)
    assert 'data-testid="stage">生产中' in making
    assert transition_buttons(making) == {"finish": True}
    route = making.split('data-testid="approval-progress"')[1]
    assert "经理审核" in route and 'data-testid="step-approvers">经理<' in route
    assert 'data-testid="approve"' in making  # 经理 approves in 生产中: the task's buttons, disabled
    sales_making = page.get(f"{PREVIEW}?role=sales&view=detail&stage=making").get_data(as_text=True)
    assert transition_buttons(sales_making) == {} and 'data-testid="approve"' not in sales_making
    assert 'data-testid="approval-progress"' in sales_making  # the route shows to every reader

    for path in (f"{PREVIEW}?role=boss&view=detail", f"{PREVIEW}?role=boss&view=detail&stage=making"):
        assert page.post(path, data={"comment": "x"}).status_code == 405
    assert row_counts(app) == before


def test_the_live_record_page_shows_the_newest_stored_record_the_role_may_read(shop):
    app, boss, _admin, page = shop
    boss.create("client", name="alpha-old", phone="1")
    newest = boss.create("client", name="omega-new", phone="2", email="n@example.com")
    before = row_counts(app)
    html = page.get(f"{PREVIEW}?role=sales&view=detail&lang=en").get_data(as_text=True)
    assert "Preview: a record&#39;s page as 销售 sees it (live definitions)" in html
    assert "omega-new" in html and "alpha-old" not in html and 'data-testid="preview-samples"' not in html
    assert "n@example.com" not in html  # hidden from sales
    assert transition_buttons(html) == {"start": True}
    assert 'data-testid="history"' in html and 'data-action="create"' in html  # its real history
    as_boss = page.get(f"{PREVIEW}?role=boss&view=detail").get_data(as_text=True)
    assert "n@example.com" in as_boss
    assert page.get(f"{PREVIEW}?role=boss&view=detail&stage=done").status_code == 200  # none there: a sample
    assert f'/f/client/{newest["id"]}/edit' not in as_boss  # no working edit link
    assert row_counts(app) == before


def test_the_board_groups_samples_or_stored_records_by_stage(shop):
    app, boss, admin, page = shop
    boss.create("client", name="kept", phone="1")
    live = page.get(f"{PREVIEW}?role=sales&view=board").get_data(as_text=True)
    assert "预览：销售 看到的看板（当前生效的定义）" in live
    board = live.split('data-testid="board"')[1]
    assert "kept" in board and 'data-testid="preview-samples"' not in live
    save_draft(admin, draft_doc())
    draft = page.get(f"{PREVIEW}?role=sales&view=board").get_data(as_text=True)
    columns = draft.split('data-testid="board"')[1].split("<section")[1:]
    assert [re.search(r'card-header[^>]*>(\S+)', c).group(1) for c in columns] == ["新建", "生产中", "完成"]
    assert all("board-card" in c for c in columns)  # one sample card in each stage
    assert "kept" not in draft and 'data-testid="preview-samples"' in draft
    assert 'class="card card-body p-2 text-decoration-none text-reset board-card">' in draft  # no link
    assert 'data-testid="preview-view-board"' in draft and 'data-testid="preview-view-detail"' in draft


def test_the_board_of_a_form_without_a_workflow_is_not_found(shop):
    _app, _boss, admin, page = shop
    doc = module()
    del client_form(doc)["workflow"]
    save_draft(admin, doc)
    assert page.get(f"{PREVIEW}?role=boss&view=board").status_code == 404
    html = page.get(f"{PREVIEW}?role=boss&view=detail").get_data(as_text=True)
    assert 'data-testid="preview-view-board"' not in html and 'data-testid="preview-panel"' not in html


def test_every_shipped_form_previews_as_every_role(app, admin_browser):
    runtime = app.extensions["engine"].runtime()
    before = row_counts(app)
    for form in runtime.app.forms.values():
        for role in runtime.app.roles:
            for view in ("form", "list", "detail", "board"):
                answer = admin_browser.get(f"/admin/designer/preview/{form.name}?role={role}&view={view}")
                expected = 404 if view == "board" and form.workflow is None else 200
                assert answer.status_code == expected, (form.name, role, view)
        for stage in form.workflow.stage_names if form.workflow else ():
            for view in ("form", "detail"):
                answer = admin_browser.get(f"/admin/designer/preview/{form.name}?role=admin&view={view}&stage={stage}")
                assert answer.status_code == 200, (form.name, stage, view)
    assert row_counts(app) == before


def test_a_sample_file_links_to_no_stored_file(shop):
    _app, _boss, admin, page = shop
    doc = draft_doc()
    client_form(doc)["fields"].append({"name": "contract", "type": "file", "label": "合同"})
    save_draft(admin, doc)
    html = page.get(f"{PREVIEW}?role=boss&view=detail").get_data(as_text=True)
    assert "a.pdf" in html and "/api/files/" not in html
