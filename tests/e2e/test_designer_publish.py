"""The designer's JSON tab and Publish & versions tab in a browser: an admin adds a field in the JSON editor
(schema completion offers the key), reviews the change (summary, effect on the data, file diff), publishes
it with a note, sees the new version in use and a salesperson sees the field on the form; then the admin
restores the previous version. Two admins: both edit, A publishes first, B's publish is stopped with A's
changes shown, B rebases and publishes, and both changes are live. Runs on SQLite and PostgreSQL (drafts and
publications are stored in the database)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.auth.users import create_user
from engine.definitions.model import ADMIN_ROLE

# the designer's drafts and publications live in the database: these browser tests run on both backends
from tests.conftest import db_url  # noqa: F401

from .conftest import _log_in


@pytest.fixture
def second_admin(live, make_app, tmp_path):
    """A second admin, "admin2", made through a second app on the same database and configs."""
    other = make_app(tmp_path / "configs")
    with other.extensions["engine"].db.transaction() as session:
        create_user(session, "admin2", "admin2-password", {ADMIN_ROLE}, display_name="管理员乙")
    return "admin2"


def designer(page, live, tab: str):
    page.goto(f"{live}/admin/designer#{tab}")
    expect(page.locator("#designer[data-ready=true]")).to_be_visible()
    expect(page.locator(f"section[data-tab={tab}]")).to_be_visible()


def title_line(page) -> str:
    """The line of crm.json holding the module's Chinese title: its `title`, or the title's `zh-CN` when the
    module carries both languages."""
    localized = page.evaluate("() => typeof window.designerStore.doc('crm.json').title === 'object'")
    return '"zh-CN": "客户管理"' if localized else '"title": "客户管理"'


MODULE_TITLE = ("() => { const t = window.designerStore.doc('crm.json').title;"
                " return typeof t === 'string' ? t : t['zh-CN']; }")


def cursor_after(page, line_text: str) -> None:
    """Puts the JSON editor's cursor at the end of the first line containing line_text (scrolled into view:
    the editor draws only the lines near the viewport)."""
    line = page.locator("[data-testid=json-editor] .cm-line", has_text=line_text).first
    if not line.count():
        page.evaluate("() => { document.querySelector('[data-testid=json-editor] .cm-scroller').scrollTo(0, 0);"
                      " window.scrollTo(0, 0); }")
        page.wait_for_timeout(50)
    for _ in range(60):
        if line.count():
            break
        page.evaluate("() => { document.querySelector('[data-testid=json-editor] .cm-scroller').scrollBy(0, 300);"
                      " window.scrollBy(0, 300); }")
        page.wait_for_timeout(50)
    line.click()
    page.keyboard.press("End")


def take_completion(page) -> None:
    """Enter on the open completion list (the editor ignores Enter in the first 75 ms after the list opens,
    so that a fast typist's Enter stays a line break)."""
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")


def add_field_in_json(page, name: str, label: str) -> None:
    """Types a new first field of the customer form in the JSON tab, taking `type` and `text` from the
    schema completion."""
    cursor_after(page, '"fields": [')
    page.keyboard.press("Enter")
    page.keyboard.type('{"name": "' + name)
    page.keyboard.press("End")          # past the closing quote and brace the editor added
    page.keyboard.press("ArrowLeft")    # back inside the object, after the name's closing quote
    page.keyboard.type(', "ty')
    popup = page.locator(".cm-tooltip-autocomplete")
    expect(popup).to_be_visible()
    expect(popup.locator("li", has_text=re.compile(r"^type"))).to_be_visible()
    take_completion(page)               # "type" and its colon
    page.keyboard.type('"tex')
    expect(popup.locator("li[aria-selected=true]")).to_contain_text("text")
    take_completion(page)               # "text"
    page.keyboard.type(', "label": "' + label)
    page.keyboard.press("End")
    page.keyboard.type(",")
    expect(page.locator("[data-testid=json-status]")).to_have_text("JSON 正确。", timeout=5000)


def draft_fields(page) -> list[str]:
    return page.evaluate(
        "() => window.designerStore.doc('crm.json').forms[0].fields.map((f) => f.name)")


def wait_saved(page) -> None:
    expect(page.locator("#designer-status[data-state=saved]")).to_be_visible(timeout=10_000)


def test_json_edit_review_publish_see_it_and_restore(open_page, live, shoot):
    admin = open_page("admin")
    designer(admin, live, "json")
    expect(admin.locator("[data-testid=json-file]")).to_have_value("crm.json")
    add_field_in_json(admin, "wechat", "微信号")
    assert draft_fields(admin)[0] == "wechat"
    wait_saved(admin)
    # Ctrl+Space inside the new field: the keys a text field may still take, with their descriptions
    cursor_after(admin, '"fields": [')
    admin.keyboard.press("ArrowDown")
    admin.keyboard.press("Home")
    admin.keyboard.press("ArrowRight")
    admin.keyboard.press("Control+Space")
    options = admin.locator(".cm-tooltip-autocomplete li")
    expect(options.first).to_be_visible()
    offered = options.all_inner_texts()
    assert any(o.startswith("required") for o in offered) and any(o.startswith("max_length") for o in offered)
    assert not any(o.startswith(("name", "type", "label", "options", "scale")) for o in offered), offered
    shoot(admin, "designer-json")
    admin.keyboard.press("Escape")

    # a syntax error is shown and the draft keeps the last good document
    line = title_line(admin)
    cursor_after(admin, line)
    admin.keyboard.press("Backspace")   # the comma: the error is found on the next line
    at = 5 if "zh-CN" in line else 4
    expect(admin.locator("[data-testid=json-status]")).to_contain_text(f"第 {at} 行 JSON 语法错误：值后面缺少逗号或 }}")
    assert draft_fields(admin)[0] == "wechat"
    admin.keyboard.type(",")
    expect(admin.locator("[data-testid=json-status]")).to_have_text("JSON 正确。")

    # review: the readable summary, the effect on the data and the file diff
    admin.click("[data-testid=tab-publish]")
    summary = admin.locator("[data-testid=review-summary]")
    expect(summary).to_contain_text("客户：新增字段 微信号（文本）")
    expect(admin.locator("[data-testid=plan-change]").first).to_contain_text("新增列 微信号")
    expect(admin.locator("[data-testid=review-diff] tr.dz-diff-add").first).to_be_visible()
    expect(admin.locator("[data-testid=review-diff]")).to_contain_text('"label": "微信号"')
    expect(admin.locator("[data-testid=publish-button]")).to_be_enabled()
    shoot(admin, "designer-publish")

    admin.fill("[data-testid=publish-note]", "为销售添加微信号")
    admin.click("[data-testid=publish-button]")
    expect(admin.locator("[data-testid=publish-success]")).to_contain_text("已发布为版本 #2")
    live_row = admin.locator("[data-testid=version-row]", has=admin.locator("[data-testid=version-live]"))
    expect(live_row).to_have_count(1)
    expect(live_row).to_contain_text("#2")
    expect(live_row).to_contain_text("为销售添加微信号")
    expect(live_row).to_contain_text("admin")
    expect(live_row).to_contain_text("设计器")
    # the draft is cleared: the page starts again from the new live set
    expect(admin.locator("[data-testid=review-empty]")).to_be_visible()
    assert admin.evaluate("() => window.designerStore.hasDraft") is False
    assert draft_fields(admin)[0] == "wechat"

    # a salesperson in another browser sees the new field on the form
    sales = open_page("zhangwei")
    sales.goto(f"{live}/f/customer/new")
    expect(sales.locator("label[for=wechat]")).to_have_text(re.compile("微信号"))

    # compare the two versions
    admin.locator("[data-testid=version-row][data-publication='1'] [data-testid=version-from]").check()
    admin.locator("[data-testid=version-row][data-publication='2'] [data-testid=version-to]").check()
    admin.click("[data-testid=versions-compare]")
    expect(admin.locator("[data-testid=versions-summary]")).to_contain_text("新增字段 微信号")
    shoot(admin, "designer-versions")

    # restore the previous version: published again as version 3, the field is gone for the salesperson
    admin.fill("[data-testid=restore-note]", "先撤回")
    admin.locator("[data-testid=version-row][data-publication='1'] [data-testid=version-restore]").click()
    expect(admin.locator("[data-testid=restore-plan]")).to_contain_text("恢复版本 #1")  # what it does, first
    expect(admin.locator("[data-testid=restore-summary]")).to_contain_text("微信号")
    admin.click("[data-testid=restore-confirm]")
    expect(admin.locator("[data-testid=restore-success]")).to_contain_text("版本 #1 已重新使用，新版本为 #3")
    expect(live_row).to_contain_text("#3")
    expect(live_row).to_contain_text("恢复")
    expect(live_row).to_contain_text("先撤回")
    assert "wechat" not in draft_fields(admin)
    sales.goto(f"{live}/f/customer/new")
    expect(sales.locator("label[for=name]")).to_be_visible()
    expect(sales.locator("label[for=wechat]")).to_have_count(0)
    assert admin.js_errors == [] and sales.js_errors == []


def test_two_admins_the_second_publish_shows_the_first_and_does_not_overwrite(open_page, live, second_admin):
    a = open_page("admin")
    b = open_page()
    _log_in(b, live, second_admin)

    designer(a, live, "json")
    add_field_in_json(a, "wechat", "微信号")
    wait_saved(a)

    # B changes the module's title in the JSON tab and looks at the review (not stale yet)
    designer(b, live, "json")
    cursor_after(b, title_line(b))
    b.keyboard.press("ArrowLeft")
    b.keyboard.press("ArrowLeft")
    b.keyboard.type("系统")
    expect(b.locator("[data-testid=json-status]")).to_have_text("JSON 正确。")
    wait_saved(b)
    b.click("[data-testid=tab-publish]")
    expect(b.locator("[data-testid=review-summary]")).to_be_visible()
    expect(b.locator("[data-testid=publish-button]")).to_be_enabled()

    # A publishes first
    a.click("[data-testid=tab-publish]")
    expect(a.locator("[data-testid=review-summary]")).to_contain_text("微信号")
    a.fill("[data-testid=publish-note]", "A 的改动")
    a.click("[data-testid=publish-button]")
    expect(a.locator("[data-testid=publish-success]")).to_be_visible()

    # B's publish is stopped: who published, their changes, and B's draft is kept
    b.fill("[data-testid=publish-note]", "B 的改动")
    b.click("[data-testid=publish-button]")
    stale = b.locator("[data-testid=publish-stale]")
    expect(stale).to_contain_text("admin 在")
    expect(stale).to_contain_text("发布了版本 #2")
    expect(stale).to_contain_text("A 的改动")
    expect(stale.locator("[data-testid=their-changes]")).to_contain_text("新增字段 微信号")
    assert b.evaluate(MODULE_TITLE) == "客户管理系统"
    versions = a.evaluate("() => window.designerStore.api.versions({})")
    assert [v["publication"] for v in versions] == [2, 1]

    # B rebases on A's version and publishes: both changes are live
    stale.locator("[data-testid=rebase-button]").click()
    expect(b.locator("[data-testid=rebase-result]")).to_be_visible()
    expect(b.locator("[data-testid=review-summary]")).to_contain_text("客户管理系统")
    expect(b.locator("[data-testid=review-summary]")).not_to_contain_text("微信号")
    b.click("[data-testid=publish-button]")
    expect(b.locator("[data-testid=publish-success]")).to_contain_text("#3")
    state = b.evaluate("() => window.designerStore.api.state()")
    crm = state["files"]["crm.json"]
    assert crm["title"] in ("客户管理系统", {"zh-CN": "客户管理系统", "en": "CRM"})
    assert crm["forms"][0]["fields"][0]["name"] == "wechat"
    assert a.js_errors == [] and b.js_errors == []


def test_the_definition_editor_page_uses_the_same_editor(open_page, live):
    """/admin/definitions/<file>/edit: CodeMirror with completion; the form posts its text as before and the
    problems of a refused save are marked in the text at their pointers."""
    admin = open_page("admin")
    admin.goto(f"{live}/admin/definitions/crm.json/edit")
    editor = admin.locator("[data-testid=json-editor]")
    expect(editor.locator(".cm-lineNumbers")).to_be_visible()
    expect(admin.locator("textarea[name=text]")).to_be_hidden()
    cursor_after(admin, '"owner_field": "owner",')
    admin.keyboard.press("Enter")
    admin.keyboard.type('"desc')
    expect(admin.locator(".cm-tooltip-autocomplete li", has_text="description")).to_be_visible()
    take_completion(admin)
    admin.keyboard.type('"客户资料",')
    cursor_after(admin, '"name": "name",')  # the customer's first field
    admin.keyboard.press("Enter")
    admin.keyboard.type('"lable": "x",')
    text = admin.locator("textarea[name=text]").input_value()
    assert '"description": "客户资料",' in text and '"lable": "x",' in text
    admin.click("[data-testid=save-definition]")
    expect(admin.locator("[data-testid=edit-problems] li").first).to_be_visible()
    # the refused text is back in the editor, the first problem in view and marked at its pointer (the field);
    # the editor lints after a pause and parses the whole module: under a loaded machine give it time
    # (the text marked, not the gutter: the gutter draws only the lines in view, and which of the marked
    # lines are in view depends on the page's height above the editor)
    expect(editor.locator(".cm-lintRange-error").first).to_be_visible(timeout=20_000)
    expect(editor.locator(".cm-activeLine")).to_have_text(re.compile(r"^\s*\{$"))
    expect(editor.locator(".cm-line", has_text='"lable": "x",')).to_be_visible()
    assert admin.js_errors == []


def test_problems_and_refusals_block_publishing(open_page, live, create_customer):
    """A draft with a problem: the review lists it (publishing disabled) and choosing it selects its element;
    a change that would lose stored values: the refusal is shown in red with its count, nothing published."""
    sales = open_page("zhangwei")
    create_customer(sales, live, "苏州恒锐精密机械有限公司")

    admin = open_page("admin")
    designer(admin, live, "json")
    cursor_after(admin, '"title_field": "name",')
    admin.keyboard.press("ArrowLeft")   # before the comma
    for _ in range(len('name"')):
        admin.keyboard.press("Backspace")
    admin.keyboard.type('nickname"')
    wait_saved(admin)
    # the draft's problem is marked in the text at its pointer
    expect(admin.locator("[data-testid=json-editor] .cm-lintRange-error").first).to_be_visible()
    expect(admin.locator("[data-testid=json-status]")).to_contain_text("1 个问题")

    admin.click("[data-testid=tab-publish]")
    problems = admin.locator("[data-testid=review-problems]")
    expect(problems).to_contain_text("草稿中有 1 个问题")
    expect(problems).to_contain_text("nickname")
    expect(admin.locator("[data-testid=publish-button]")).to_be_disabled()
    expect(admin.locator("[data-testid=publish-blockers]")).to_contain_text("1 个问题")
    problems.locator("[data-testid=review-problem]").first.click()
    selected = admin.evaluate("() => window.designerStore.selected")
    assert selected["file"] == "crm.json" and selected["pointer"].startswith("/forms/0"), selected
    expect(admin.locator("section[data-tab=publish]")).to_be_hidden()

    # undo the problem; change the type of a field that holds values: refused with its count
    admin.evaluate("""() => { const s = window.designerStore;
        s.change((src) => { src['crm.json'].forms[0].title_field = 'name';
                            src['crm.json'].forms[0].fields[0].type = 'integer';
                            delete src['crm.json'].forms[0].fields[0].max_length;
                            delete src['crm.json'].forms[0].fields[0].placeholder; }, 'type');
        return s.save(); }""")
    admin.click("[data-testid=tab-publish]")
    refusals = admin.locator("[data-testid=review-refusals]")
    expect(refusals).to_contain_text("1 项改动被拒绝")
    expect(refusals.locator("[data-testid=plan-refusal]")).to_have_count(1)
    expect(admin.locator("[data-testid=review-problems]")).to_have_count(0)
    expect(admin.locator("[data-testid=publish-button]")).to_be_disabled()
    expect(admin.locator("[data-testid=publish-blockers]")).to_contain_text("1 项被拒绝的改动")
    versions = admin.evaluate("() => window.designerStore.api.versions({})")
    assert len(versions) == 1

    # discard the draft: the designer shows the definitions in use again
    admin.click("[data-testid=discard-draft]")
    expect(admin.locator("[data-testid=discard-result]")).to_be_visible()
    assert any("放弃草稿" in q for q in admin.questions)
    assert admin.evaluate("() => window.designerStore.doc('crm.json').forms[0].fields[0].type") == "text"
    expect(admin.locator("[data-testid=review-empty]")).to_be_visible()
    assert admin.js_errors == [] and sales.js_errors == []


def test_the_json_tab_and_the_other_tabs_edit_the_same_draft(open_page, live):
    admin = open_page("admin")
    designer(admin, live, "form")
    admin.click("[data-testid=tab-json]")
    editor = admin.locator("[data-testid=json-editor]")
    expect(editor.locator(".cm-lineNumbers")).to_be_visible()
    cursor_after(admin, title_line(admin))
    admin.keyboard.press("ArrowLeft")
    admin.keyboard.press("ArrowLeft")
    admin.keyboard.type("系统")
    expect(admin.locator("[data-testid=json-status]")).to_have_text("JSON 正确。")
    assert admin.evaluate(MODULE_TITLE) == "客户管理系统"
    # the toolbar's undo (one step for the text edit) rewrites the text
    line = title_line(admin)
    admin.click("#designer-undo")
    expect(editor.locator(".cm-line", has_text=line + ",")).to_be_visible()
    # an edit made elsewhere (as the form tab does) shows in the text
    admin.evaluate("() => window.designerStore.change((s) => { s['crm.json'].title = 'CRM'; }, 'title')")
    expect(editor.locator(".cm-line", has_text='"title": "CRM",')).to_be_visible()
    # each file keeps its own text
    admin.select_option("[data-testid=json-file]", "order_followup.json")
    expect(editor.locator(".cm-line", has_text='"module": "order_followup"')).to_be_visible()
    admin.select_option("[data-testid=json-file]", "crm.json")
    expect(editor.locator(".cm-line", has_text='"title": "CRM",')).to_be_visible()
    assert admin.js_errors == []
