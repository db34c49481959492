"""Why a JSON text cannot be parsed is said in the reader's language: json's English reasons
("Unterminated string starting at", "Expecting ',' delimiter", …) map to catalogue messages in
the config editor, `engine validate` and the API."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from engine.definitions import load_sources
from engine.errors import DefinitionError
from engine.json_reasons import REASONS, reason_of

BROKEN = {  # text → the reason's msgid
    '{"module": "crm", "title": "cut': "the text in double quotes that starts here is not closed",
    '{"module" "crm"}': "a colon is missing after a key",
    '{"module": "crm" "title": "t"}': "a comma is missing between two items",
    '{"module": "crm",}': "a key in double quotes is expected here (is there one comma too many before it?)",
    '{"module": "crm"} x': "more text after the end of the JSON value",
    '{"module": "a\nb"}': "a line break or other control character inside a text in double quotes",
    '{"module": "\\q"}': "an invalid escape after a backslash",
    '{"module": "\\u12"}': "an invalid \\u escape (it needs four hexadecimal digits)",
    '{"module": }': "a value is missing here (a text in double quotes, a number, true, false, null, "
                    "a list or an object)",
}


@pytest.mark.parametrize("text", sorted(BROKEN))
def test_every_reason_of_json_is_a_catalogue_message(text):
    with pytest.raises(DefinitionError) as info:
        load_sources({"crm.json": text})
    [problem] = info.value.problems
    assert problem.message.startswith("invalid JSON at line ")
    assert problem.message.endswith(": " + BROKEN[text]), problem.message


def test_an_unknown_reason_keeps_line_and_column_only():
    error = json.JSONDecodeError("Some future reason", '{"a": 1', 3)
    assert reason_of(error) is None
    assert reason_of(ValueError("Exceeds the limit (4300 digits) for integer string conversion"))


def test_every_reason_has_chinese(app):
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"), force_locale("zh_CN"):
        for _phrase, msgid in REASONS:
            assert gettext(msgid) != msgid, msgid


def test_the_editor_says_why_in_chinese(csrf_from, app, admin_browser):
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    original = (folder / "crm.json").read_text(encoding="utf-8")
    cut = original[:original.index(': "', 200) + 5]  # cut off inside a string value
    token = csrf_from(admin_browser.get("/admin/definitions/crm.json/edit").get_data(as_text=True))
    response = admin_browser.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": cut})
    assert response.status_code == 422
    box = html.unescape(re.search(r'data-testid="edit-problems">(.*?)</div>', response.get_data(as_text=True),
                                  re.S).group(1))
    assert "JSON 格式错误，第" in box and "从此处开始的双引号文本没有结束" in box, box
    assert "Unterminated" not in box and "starting at" not in box


def test_the_api_says_why_in_the_readers_language(make_user):
    clerk = make_user("jane9", "admin")
    zh = clerk.post("/api/forms/customer/records", data='{"fields": {"name": "x",}}',
                    content_type="application/json", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 400
    message = zh.get_json()["error"]["message"]
    assert message == "JSON 格式错误，第 1 行第 25 列：此处应为双引号括起的键名（前面是否多了一个逗号？）", message
    en = clerk.post("/api/forms/customer/records", data='{"fields": NaN}', content_type="application/json")
    assert en.get_json()["error"]["message"] == "invalid JSON: NaN and Infinity are not JSON numbers"
