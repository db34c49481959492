"""The change list names an approval step's required fields (`require`, issue #14) by their labels."""
from __future__ import annotations

from typing import Any

from engine.definitions.diff import summarize, texts
from engine.i18n import speaking
from tests.designer.review_module import changed, client_form


def with_step(require: list[str]):
    def mutate(doc: dict[str, Any]) -> None:
        stage = client_form(doc)["workflow"]["stages"][1]
        stage["approval"] = {"steps": [{"name": "gm", "title": "总经理审批", "approvers": [{"role": "boss"}],
                                        **({"require": require} if require else {})}],
                             "approved": "done", "rejected": "new"}
    return mutate


def test_a_step_requiring_a_field_is_one_line_with_its_label():
    before, after = changed(with_step([])), changed(with_step(["phone"]))
    with speaking("zh_CN"):
        lines = texts(summarize(before, after))
    found = [line for line in lines if "总经理审批" in line]
    assert len(found) == 1 and "必填字段" in found[0] and "电话" in found[0], lines
    with speaking("en"):
        assert any("approval step" in line and "required fields" in line for line in texts(summarize(before, after)))
    assert texts(summarize(after, changed(with_step(["phone"])))) == []
