"""Expression problems read the same in the designer's live check (expr-parse.js + expr-check.js, in the
page's texts) and in the draft's problems (the server's parser, through the catalogue), in Chinese: no
English parser words (probe of issue #12, finding 9). Node runs the page's own modules."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.services import designer as service
from tests.conftest import SHIPPED

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
EXPRESSIONS = ["nosuch_field * 2 +", "grade == 'A' and (", "grade = 'A'", "grade == 'A')", "名称 == 'x'",
               "grade == 'A", "_x == 1", "True", "grade is null", "sum", "grade == 01", "grade ==", "a b"]
SAME_POSITION = {"nosuch_field * 2 +", "grade == 'A' and (", "grade = 'A'", "grade == 'A')", "名称 == 'x'",
                 "grade == 'A", "grade ==", "a b"}
SCRIPT = """
import { checkExpression } from "%(root)s/engine/ui/static/js/designer/expr-check.js";
import { Store } from "%(root)s/engine/ui/static/js/designer/store.js";
import fs from "node:fs";
const texts = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const store = new Store({ texts });
const out = {};
for (const text of JSON.parse(process.argv[3])) {
  const fields = [{ name: "grade", kind: "text" }, { name: "a", kind: "text" }];
  const found = checkExpression(text, { fields }, { condition: true });
  out[text] = found ? store.text(found.key, found.params) : null;
}
console.log(JSON.stringify(out));
"""


def _page_texts(browser) -> dict:
    html = browser("root9", "admin").get("/admin/designer").get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="designer-text">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_live_check_and_draft_problems_say_the_same_in_chinese(browser, tmp_path):
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(_page_texts(browser), ensure_ascii=False), encoding="utf-8")
    script = tmp_path / "check.mjs"
    script.write_text(SCRIPT % {"root": ROOT}, encoding="utf-8")
    run = subprocess.run([NODE, str(script), str(texts), json.dumps(EXPRESSIONS)], capture_output=True, text=True,
                         timeout=60, check=True)
    live = json.loads(run.stdout)
    sources = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SHIPPED.glob("*.json")}
    for text in EXPRESSIONS:
        sources["crm.json"]["forms"][0]["fields"][0]["visible_if"] = text
        problems = [p["message"] for p in service.check(sources, "zh_CN") if p["pointer"].endswith("/visible_if")]
        assert len(problems) == 1, (text, problems)
        said, shown = problems[0], live[text]
        assert shown, text
        for message in (said, shown):  # no English parser words, no "character 0"
            assert not re.search(r"syntax|invalid|unexpected|bracket|allowed|literal|expected|第 0 个",
                                 message), message
        # the same words (and for a syntax error the same position): the draft's problem ends with what
        # the live check says; a check of the parsed tree may point at another part of it
        position = re.compile(r"（第 \d+ 个字符处）$")
        if text in SAME_POSITION:
            assert said.endswith(shown), (text, said, shown)
        else:
            assert position.sub("", said).endswith(position.sub("", shown)), (text, said, shown)
    assert live["nosuch_field * 2 +"] == "表达式没有写完（结尾缺少内容）（第 19 个字符处）"
    assert live["grade == 'A' and ("] == "括号没有闭合（第 19 个字符处）"
