"""The form designer speaks to an admin who has never seen JSON (probe of issue #12, findings 6, 9, 15):
a second field labelled like an existing one gets a warning (not a problem); a new link field says
"choose the form it links to" and the problems list says where (客户管理 › 客户 › 关联记录, the JSON
pointer only as a tooltip); an unfinished formula condition reads in Chinese, the same in the live check
and in the draft's problems. Runs on SQLite and PostgreSQL (drafts live in the database)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import db_url  # noqa: F401
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_designer_form import commit, open_designer


def test_duplicate_label_warning_choose_messages_and_where(open_page, live):
    page = open_page("admin", viewport=DESKTOP)
    open_designer(page, live)
    # a second 客户来源: a warning on its card and under its label, no problem
    page.click("[data-testid=palette-select]")
    commit(page, "prop-label", "客户来源")
    selected = page.locator("[data-field-card][aria-pressed=true]")
    expect(selected.locator("[data-testid=dup-label]")).to_have_text("同名")
    expect(page.locator("[data-testid=prop-label-warning]")).to_contain_text("也叫 客户来源")
    expect(page.locator("[data-field-card][data-name=source] [data-testid=dup-label]")).to_be_visible()
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    expect(page.locator("#designer-problem-count")).to_have_text("0")
    commit(page, "prop-label", "客户渠道")
    expect(page.locator("[data-testid=dup-label]")).to_have_count(0)

    # a new link field: what to choose, and where, in words
    page.click("[data-testid=palette-link]")
    expect(page.locator("#designer-problem-count")).to_have_text("1", timeout=15_000)
    page.click("[data-testid=designer-problems-toggle]")
    link = page.locator("[data-testid=problem-link]")
    expect(link).to_contain_text("请选择此字段关联的表单")
    expect(link.locator("[data-testid=problem-where]")).to_have_text("客户管理 › 客户 › 关联记录")
    assert "/forms/0/fields/" in (link.get_attribute("title") or "")
    expect(page.locator("[data-testid=props] .dz-problem-list")).to_contain_text("请选择此字段关联的表单")
    page.select_option("[data-testid=prop-form]", "contact")
    expect(page.locator("#designer-problem-count")).to_have_text("0", timeout=15_000)

    # an unfinished condition: Chinese in the live check and in the draft's problem, the same words
    page.click("[data-testid=visible-if-mode-text]")
    box = page.locator("[data-testid=visible-if-text]")
    box.fill("grade == 'A' and (")
    box.press("Tab")
    expect(page.locator("[data-testid=props]")).to_contain_text("括号没有闭合（第 19 个字符处）")
    expect(page.locator("#designer-problem-count")).to_have_text("1", timeout=15_000)
    expect(page.locator("[data-testid=problem-link]")).to_contain_text("括号没有闭合（第 19 个字符处）")
    assert "unclosed" not in page.locator("#designer").inner_text()
    # the publish tab's review lists it the same way
    page.wait_for_function("() => window.designerStore.status === 'saved'", timeout=15_000)
    page.click("[data-testid=tab-publish]")
    item = page.locator("[data-testid=review-problem]")
    expect(item).to_contain_text("括号没有闭合", timeout=15_000)
    expect(item.locator("[data-testid=review-problem-where]")).to_have_text("客户管理 › 客户 › 关联记录")
    assert "/visible_if" in (item.get_attribute("title") or "")
    assert page.js_errors == []  # type: ignore[attr-defined]
