"""People see field types by their translated names (文本, 单选, 用户 …), never the internal
names of the definition files: on the import page and in the import template's guide."""
from __future__ import annotations

import html
import io
import re

from openpyxl import load_workbook

import engine.fieldtypes as fieldtypes
from engine.fieldtypes import REGISTRY, type_label


def test_every_registered_type_has_a_label_with_chinese(app):
    from flask_babel import force_locale

    assert all(kind.label for kind in REGISTRY.values())  # each type owns its label
    with app.test_request_context("/"), force_locale("zh_CN"):
        chinese = {name: type_label(name) for name in REGISTRY}
    assert all(not re.search("[A-Za-z]", label) for label in chinese.values()), chinese
    assert len(set(chinese.values())) == len(chinese)  # no two types look alike
    assert type_label("text") == "Text" and type_label("no-such-type") == "no-such-type"  # outside a request


def type_column(page: str) -> list[str]:
    table = re.search(r"<table.*?</table>", page, re.S).group(0)
    head = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    at = head.index("类型")
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S)
    return [html.unescape(re.findall(r"<td>(.*?)</td>", r, re.S)[at]) for r in rows]


def test_the_import_page_and_template_show_translated_type_names(browser):  # noqa: F811
    boss = browser("boss", "sales_manager")
    types = type_column(boss.get("/f/customer/import").get_data(as_text=True))
    assert types and not set(types) & set(fieldtypes.REGISTRY), types
    assert "文本" in types and "单选" in types and "用户" in types

    sheet = load_workbook(io.BytesIO(boss.get("/f/customer/import/template?format=xlsx").data)).worksheets[-1]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    at = rows[0].index("类型")
    guide_types = [r[at] for r in rows[1:]]
    assert guide_types == types


def test_admin_tokens_and_api_docs_have_no_english_words_in_chinese(browser):  # noqa: F811
    root = browser("root7", "admin")
    tokens = root.get("/admin/tokens").get_data(as_text=True)
    assert 'aria-label="breadcrumb"' not in tokens and 'aria-label="当前位置"' in tokens
    docs = root.get("/api/docs", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">read-only<" not in docs and ">只读<" in docs
