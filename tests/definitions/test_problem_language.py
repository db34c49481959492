"""Definition problems read in the admin's language: every problem of the broken-config
corpus, and the refusals of a change that would strand data, translate into Chinese through
the catalogue (file and JSON pointer kept), while `engine validate` keeps the English."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from babel.support import Translations

from engine.definitions import load_directory
from engine.errors import DefinitionError
from engine.i18n import translate_problem

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "configs" / "bad"
CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = Translations.load(str(ROOT / "engine" / "translations"), ["zh"])
MSGIDS = frozenset(k for k in ZH._catalog if isinstance(k, str) and k)


def corpus_problems() -> list[str]:
    lines = []
    for case in sorted(BAD.glob("*.json")):
        if case.name == "expected.json":
            continue
        with tempfile.TemporaryDirectory() as folder:
            shutil.copy(case, folder)
            with pytest.raises(DefinitionError) as info:
                load_directory(folder)
        lines += [str(p) for p in info.value.problems]
    return lines


def test_every_corpus_problem_reads_in_chinese_with_its_place_kept():
    english = corpus_problems()
    assert len(english) > 60
    for line in english:
        chinese = translate_problem(line, ZH.gettext, MSGIDS)
        file, pointer, _message = line.split(": ", 2)
        assert chinese.startswith(f"{file}: {pointer}: "), chinese
        assert CJK.search(chinese.split(": ", 2)[2]), f"untranslated: {line}"


@pytest.mark.parametrize("line, expected", [
    ("crm.json: form 'visit' has 3 records and cannot be removed (to rename it, add \"renamed_from\": \"visit\" "
     "to the new form)", "crm.json: 表单“visit”有 3 条记录，不能删除"),
    ("a.json: /forms/0/fields/1: unknown key 'lable' (did you mean 'label'?); allowed: label, name, type",
     "a.json: /forms/0/fields/1: 未知的键 “lable”（是否想写“label”？）；允许的键：label, name, type"),
    ("a.json: /forms/0/title_field: unknown field 'Name'", "a.json: /forms/0/title_field: 未知字段“Name”"),
    ("a.json: /forms/0/list/order_by: unknown field 'Save'", "a.json: /forms/0/list/order_by: 未知字段“Save”"),
])
def test_refusals_and_nested_messages_translate(line, expected):
    assert translate_problem(line, ZH.gettext, MSGIDS).startswith(expected)


def test_text_that_is_no_message_stays_as_it_is():
    line = "a.json: /forms/0: 客户 is what the admin typed"
    assert translate_problem(line, ZH.gettext, MSGIDS) == line
