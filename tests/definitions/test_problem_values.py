"""Wrong JSON types in a definition are reported with JSON-style values (true, null, "yes",
[1, 2]) in both languages, and in Chinese with Chinese type names; a number where a name
belongs says what the name must look like."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.support import Translations

from engine.definitions import load_sources
from engine.errors import DefinitionError
from engine.i18n import translate_problem

ROOT = Path(__file__).resolve().parents[2]
ZH = Translations.load(str(ROOT / "engine" / "translations"), ["zh"])
MSGIDS = frozenset(k for k in ZH._catalog if isinstance(k, str) and k)
FIELD = {"name": "x", "label": "X", "type": "select", "default": True, "options": [1, None], "required": "yes"}
MODULE = {"module": "crm", "title": "C", "forms": [{"name": "a", "title": "A", "fields": [FIELD]}]}


def problems(doc) -> dict[str, str]:
    with pytest.raises(DefinitionError) as info:
        load_sources({"crm.json": json.dumps(doc)})
    lines = [str(p) for p in info.value.problems]
    return {line.split(": ", 2)[1]: line for line in lines} | {"all": "\n".join(lines)}


@pytest.mark.parametrize("doc, pointer, english, chinese", [
    (MODULE, "/forms/0/fields/0/default", "true is not of type 'string', 'null'", "true 不是 文本、空值 类型"),
    (MODULE, "/forms/0/fields/0/options/1", "null is not of type 'string'", "null 不是 文本 类型"),
    (MODULE, "/forms/0/fields/0/required", "\"yes\" is not of type 'boolean'", "\"yes\" 不是 是/否 类型"),
    ([1, 2], "/", "[1, 2] is not of type 'object'", "[1, 2] 不是 对象 类型"),
    ({"module": 5}, "/module", "5 must be text matching ^[a-z][a-z0-9_]{0,62}$",
     "5 必须是符合 ^[a-z][a-z0-9_]{0,62}$ 的文本"),
])
def test_type_problems_read_json_values_in_both_languages(doc, pointer, english, chinese):
    found = problems(doc)
    line = next(v for k, v in found.items() if k != "all" and v == f"crm.json: {pointer}: {english}")
    assert translate_problem(line, ZH.gettext, MSGIDS) == f"crm.json: {pointer}: {chinese}"


def test_no_python_repr_and_no_line_break_talk_for_a_number():
    text = problems(MODULE)["all"] + problems({"module": 5})["all"] + problems([1, 2])["all"]
    assert not re.search(r"\b(True|False|None)\b|'yes'", text), text
    assert "line break" not in text
