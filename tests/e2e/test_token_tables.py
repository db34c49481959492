"""API token lists on a 375 px phone: short cells (status, dates, 永不过期, 吊销) stay on one
line, the issue button does not wrap, and the admin list names people `张伟 (zhangwei)`."""
from __future__ import annotations

from datetime import timedelta

from engine.auth.tokens import issue_token
from engine.auth.users import create_user, get_user
from engine.store.db import Database
from tests.e2e.conftest import PHONE

ONE_LINE = """(selector) => [...document.querySelectorAll(selector)].map(e => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  const tops = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) { continue; }
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) { if (r.width > 0) { tops.add(Math.round(r.top)); } }
  }
  return [e.innerText.trim(), tops.size <= 1];
})"""  # the lines a cell's text takes: the distinct tops of its text boxes


def test_token_tables_keep_short_cells_on_one_line_on_a_phone(open_page, live, db_url, tmp_path):
    db = Database(db_url)
    with db.transaction() as session:
        create_user(session, "guanli", "guanli-password", {"admin"}, display_name="管理员")
        zhang = get_user(session, "zhangwei")
        issue_token(session, zhang, name="报表脚本")
        issue_token(session, zhang, name="夜间同步", expires_in=timedelta(days=30))
    db.dispose()

    page = open_page("guanli", viewport=PHONE)
    page.goto(f"{live}/admin/tokens")
    users = page.eval_on_selector_all("[data-testid=tokens] td[data-user]", "cells => cells.map(c => c.innerText)")
    assert users and set(users) == {"张伟 (zhangwei)"}, users
    for selector in ("[data-testid=tokens] td.text-nowrap", "[data-testid=tokens] button",
                     "[data-testid=tokens] th"):
        lines = page.evaluate(ONE_LINE, selector)
        assert lines and all(ok for _text, ok in lines), (selector, lines)
    page.screenshot(path=str(tmp_path / "admin-tokens-phone.png"), full_page=True)

    mine = open_page("zhangwei", viewport=PHONE)
    mine.goto(f"{live}/account/tokens")
    for selector in ("[data-testid=tokens] td.text-nowrap", "form button[type=submit]"):
        lines = mine.evaluate(ONE_LINE, selector)
        assert lines and all(ok for _text, ok in lines), (selector, lines)
    mine.screenshot(path=str(tmp_path / "my-tokens-phone.png"), full_page=True)
