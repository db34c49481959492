"""The review's change list names what the admin sees, not internal names (probe of issue #12, finding
7): a condition reads with field labels (as the condition builder shows it; quoted texts, keywords and
functions stay), a reminder is named by its date field and offset, not its internal name."""
from __future__ import annotations

import json

from engine.definitions import load_sources
from engine.definitions.diff import summarize, texts
from engine.i18n import speaking
from tests.conftest import SHIPPED
from tests.designer.review_module import changed, client_form


def test_conditions_read_with_labels_and_quoted_texts_stay() -> None:
    def mutate(doc):
        client_form(doc)["workflow"]["transitions"][0]["condition"] = \
            "phone != 'phone' and level in ['A'] and len(name) > 1 and stage != 'done'"
    with speaking("zh_CN"):
        lines = texts(summarize(changed(lambda d: None), changed(mutate)))
    assert lines == ["客户：流转 开工 的条件 （无） → 电话 != 'phone' and 等级 in ['A'] and len(名称) > 1 and "
                     "stage != 'done'"]


def test_the_story_s_approval_step_and_reminder_use_labels() -> None:
    """The issue's story: 总经理 approves orders with 应收金额 ≥ 100000; a reminder 2 days before the next
    follow-up (its name, made by the designer, is never shown)."""
    texts_before = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED.glob("*.json")}
    docs = {name: json.loads(text) for name, text in texts_before.items()}
    order = next(f for f in docs["order_followup.json"]["forms"] if f.get("workflow", {}).get("stages")
                 and any(s.get("approval") for s in f["workflow"]["stages"]))
    stage = next(s for s in order["workflow"]["stages"] if s.get("approval"))
    stage["approval"]["steps"].append({"name": "big_order", "title": "大额订单审批",
                                       "approvers": [{"role": "sales_manager"}], "when": "total >= 100000"})
    customer = docs["crm.json"]["forms"][0]
    customer.setdefault("reminders", []).append({"name": "reminder", "date_field": "next_follow_up", "offset": "-2d",
                                                 "notify": [{"field": "owner"}], "message": "跟进 {name}"})
    after = {name: json.dumps(doc, ensure_ascii=False, indent=2) + "\n" for name, doc in docs.items()}
    with speaking("zh_CN"):
        lines = texts(summarize(load_sources(texts_before), load_sources(after)))
    step = [line for line in lines if "大额订单审批" in line]
    assert len(step) == 1 and "当 应收金额 >= 100000" in step[0] and "total" not in step[0], lines
    assert "客户：新增提醒 下次跟进日期前 2 天" in lines, lines
    assert not any("reminder" in line for line in lines), lines
