"""The designer page: admins only, six tab containers, and the JSON blocks its scripts read."""
from __future__ import annotations

import json
import re

from engine.fieldtypes import REGISTRY


def _block(html: str, name: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_designer_is_for_admins_only(browser):
    assert browser("alice", "sales").get("/admin/designer").status_code == 403


def test_designer_page_has_the_tabs_and_its_data(browser):
    admin = browser("root9", "admin")
    html = admin.get("/admin/designer").get_data(as_text=True)
    for tab in ("form", "flow", "perms", "reminders", "json", "publish"):
        assert f'<section data-tab="{tab}"' in html
    assert "js/designer/main.js" in html and 'type="module"' in html
    assert "css/designer.css" in html
    meta = _block(html, "designer-meta")
    assert [t["name"] for t in meta["types"]] == list(REGISTRY)
    text_type = next(t for t in meta["types"] if t["name"] == "text")
    assert text_type["label"] == "文本" and "max_length" in text_type["options_schema"]
    table = next(t for t in meta["types"] if t["name"] == "table")
    assert table["is_table"] and table["group"] == "structure"
    assert meta["schema"]["$defs"]["field"]["required"] == ["name", "type"]
    assert "sum" in meta["functions"] and meta["lang"] == "zh_CN"
    texts = _block(html, "designer-text")
    assert texts["tab.form"] == "表单"
    live = _block(html, "designer-live")
    assert "crm.json" in live["files"] and live["signature"]


def test_designer_is_linked_from_the_admin_pages(browser):
    admin = browser("root9", "admin")
    html = admin.get("/admin/definitions").get_data(as_text=True)
    assert 'href="/admin/designer"' in html and 'data-testid="designer-link"' in html
    assert 'data-testid="nav-designer"' in html


def test_designer_texts_follow_the_language(browser):
    admin = browser("root9", "admin")
    html = admin.get("/admin/designer?lang=en").get_data(as_text=True)
    assert _block(html, "designer-text")["tab.form"] == "Forms"
    assert next(t for t in _block(html, "designer-meta")["types"] if t["name"] == "text")["label"] == "Text"
