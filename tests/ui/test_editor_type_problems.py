"""The definition editor (zh and en) reports wrong JSON types with JSON-style values; in
Chinese with Chinese type names, never `True`, `None` or `'yes'`."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest


@pytest.mark.parametrize("lang, expected", [
    ("zh_CN", ["true 不是 文本、空值 类型", "null 不是 对象 类型", "\"yes\" 不是 是/否 类型"]),
    ("en", ["true is not of type 'string', 'null'", "null is not of type 'object'",
            "\"yes\" is not of type 'boolean'"]),
])
def test_editor_type_problems_read_json_values(csrf_from, app, admin_browser, lang, expected):
    doc = json.loads((Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"]) / "crm.json").read_text(encoding="utf-8"))
    field = doc["forms"][0]["fields"][0]
    field.update({"default": True, "required": "yes"})
    doc["forms"][0]["fields"][1]["options"] = [{"value": "a", "label": "A"}, None]
    admin_browser.get(f"/?lang={lang}")
    url = "/admin/definitions/crm.json/edit"
    token = csrf_from(admin_browser.get(url).get_data(as_text=True))
    page = admin_browser.post(url, data={"csrf_token": token, "text": json.dumps(doc, ensure_ascii=False)})
    text = html.unescape(page.get_data(as_text=True))
    for message in expected:
        assert message in text, re.findall(r"crm\.json: /forms[^<]*", text)
    assert not re.search(r"\b(True|None)\b|'yes'", text)

    token = csrf_from(admin_browser.get(url).get_data(as_text=True))
    numbers = admin_browser.post(url, data={"csrf_token": token, "text": "[1,2]"})
    shown = html.unescape(numbers.get_data(as_text=True))
    assert ("[1, 2] 不是 对象 类型" if lang == "zh_CN" else "[1, 2] is not of type 'object'") in shown
