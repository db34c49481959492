"""The admin's definition editor answers bad text with problem lines (422), never 500,
and accepts a file as large as the editor's documented limit."""
from __future__ import annotations

from pathlib import Path

import pytest

HEAD = '{"module": "crm", "title": "t", "forms": '


@pytest.mark.parametrize("text", [
    HEAD + "[" * 100_000 + "]" * 100_000 + "}",
    HEAD + "[" * 900 + "]" * 900 + "}",
    '{"module": "crm", "title": "\\ud800", "forms": []}',
    '{"module": "crm", "title": "a\\u0000", "forms": []}',
])
def test_bad_definition_text_is_a_problem_line_and_saves_nothing(csrf_from, app, admin_browser, text):
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    original = (folder / "crm.json").read_text(encoding="utf-8")
    token = csrf_from(admin_browser.get("/admin/definitions/crm.json/edit").get_data(as_text=True))
    response = admin_browser.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="edit-problems"' in page and "crm.json: /" in page
    assert (folder / "crm.json").read_text(encoding="utf-8") == original


def test_a_large_chinese_definition_reaches_the_editor_checks(csrf_from, app, admin_browser):
    """About 1 MB of Chinese text is 3 MB once form-encoded: the editor must see it."""
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    original = (folder / "crm.json").read_text(encoding="utf-8")
    text = original.replace('"zh-CN": "客户管理"', '"zh-CN": "' + "客" * 350_000 + '"', 1)
    assert text != original
    token = csrf_from(admin_browser.get("/admin/definitions/crm.json/edit").get_data(as_text=True))
    response = admin_browser.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": text})
    assert response.status_code in (302, 422), response.status_code
