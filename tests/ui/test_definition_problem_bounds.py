"""The config editor and the admin API answer a file with thousands of mistakes briefly: the
unknown keys are named up to a limit and counted, at most MAX_PROBLEMS_SHOWN problem lines
plus a count, in the admin's language."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from engine.errors import MAX_PROBLEMS_SHOWN
from tests.definitions.test_problem_bounds import many_keys, many_schema_errors


def problems_box(page: str) -> str:
    m = re.search(r'data-testid="edit-problems">(.*?)</div>', page, re.S)
    assert m, page[:2000]
    return html.unescape(m.group(1))


@pytest.fixture
def post_text(token_of):
    """post_text(app, client, text) → the definition editor's answer to saving text as crm.json."""

    def save(app, client, text):
        token = token_of(client, "/admin/definitions/crm.json/edit")
        return client.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": text})
    return save


def test_the_editor_names_a_few_unknown_keys_and_counts_the_rest(post_text, app, admin_browser):
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    original = (folder / "crm.json").read_text(encoding="utf-8")
    response = post_text(app, admin_browser, many_keys())
    assert response.status_code == 422
    box = problems_box(response.get_data(as_text=True))
    assert len(box) < 5_000, len(box)
    assert "'k0'" in box and "'k49999'" not in box and "49,980" in box
    assert "unknown keys" not in box  # shown in the admin's language (zh-CN here)
    assert (folder / "crm.json").read_text(encoding="utf-8") == original


def test_the_editor_shows_at_most_the_limit_of_problems(post_text, app, admin_browser):
    response = post_text(app, admin_browser, many_schema_errors())
    assert response.status_code == 422
    box = problems_box(response.get_data(as_text=True))
    assert box.count("<li>") <= MAX_PROBLEMS_SHOWN + 1
    assert f"{5_000 - MAX_PROBLEMS_SHOWN + 1:,}" in box and "more problems" not in box


def test_the_admin_api_reports_a_bounded_list(app, admin):
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    (folder / "crm.json").write_text(many_schema_errors(), encoding="utf-8")
    status = admin.get("/api/admin/definitions").get_json()
    assert status["valid"] is False
    assert len(status["problems"]) <= MAX_PROBLEMS_SHOWN + 1
    assert any(f"{5_000 - MAX_PROBLEMS_SHOWN + 1:,} more problems" in p for p in status["problems"])
    (folder / "crm.json").write_text(many_keys(), encoding="utf-8")
    problems = admin.get("/api/admin/definitions").get_json()["problems"]
    assert sum(map(len, problems)) < 5_000 and "49,980 more" in problems[0]
