"""The JSON tab's and the Publish & versions tab's words: every key their scripts use is in
engine/ui/designer_texts/publish.py, and the designer page and the definition editor page carry them in
Chinese (the default) and in English."""
from __future__ import annotations

import json
import re
from pathlib import Path

from engine.ui.designer_texts import publish

SCRIPTS = Path(__file__).resolve().parents[2] / "engine" / "ui" / "static" / "js" / "designer"
OWN = ("json-*.js", "publish*.js", "versions.js")
#: keys made in code: CodeMirror's own words, the origins of a publication, the syntax errors, the
#: completion detail ("json." + "required")
MADE = {f"json.cm_{w}" for w in ("find", "replace", "next", "previous", "all", "match_case", "regexp", "by_word",
                                  "replace_all", "close", "go_to_line", "go", "diagnostics", "no_diagnostics",
                                  "completions")} \
    | {f"versions.origin_{o}" for o in ("init", "files", "designer", "editor", "restore", "import")} \
    | {"json.required", "json.err_comma_object", "json.err_key", "json.err_end", "json.err_token"}


def _used() -> set[str]:
    keys: set[str] = set()
    for pattern in OWN:
        for path in SCRIPTS.glob(pattern):
            keys.update(re.findall(r'["`]((?:json|publish|versions)\.[a-z_]+)["`]', path.read_text(encoding="utf-8")))
    return {key for key in keys if not key.endswith("_")}  # a prefix of keys made in code


def _block(html: str, block: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert match, block
    return json.loads(match.group(1))


def test_every_key_the_scripts_use_has_a_text():
    used = _used()
    assert len(used) > 80
    assert used - set(publish.TEXTS) == set()
    assert MADE - set(publish.TEXTS) == set()


def test_the_tabs_speak_chinese_by_default_and_english_on_request(browser):
    admin = browser("root9", "admin")
    zh = _block(admin.get("/admin/designer").get_data(as_text=True), "designer-text")
    en = _block(admin.get("/admin/designer?lang=en").get_data(as_text=True), "designer-text")
    assert zh["publish.publish"] == "发布" and en["publish.publish"] == "Publish"
    assert zh["json.cm_find"] == "查找" and en["json.cm_find"] == "Find"
    for key in publish.TEXTS:
        assert en[key] and zh[key], key
        # every text is translated: the Chinese one differs from the English one or has Chinese in it
        assert zh[key] != en[key] or re.search(r"[\u4e00-\u9fff]", zh[key]), key
    for key in publish.TEXTS:  # placeholders survive the translation
        assert set(re.findall(r"\{([a-z_]+)\}", zh[key])) == set(re.findall(r"\{([a-z_]+)\}", en[key])), key


def test_the_definition_editor_page_carries_the_schema_and_the_editor_words(browser):
    admin = browser("root9", "admin")
    page = admin.get("/admin/definitions/crm.json/edit").get_data(as_text=True)
    data = _block(page, "json-editor-data")
    assert data["file"] == "crm.json"
    assert "field_type" in data["schema"]["$defs"]
    assert data["text"]["json.syntax_error"].startswith("JSON 语法错误")
    assert set(data["text"]) == {key for key in publish.TEXTS if key.startswith("json.")}
    assert 'src="/static/js/designer/json-page.js"' in page and "data-json-editor" in page
