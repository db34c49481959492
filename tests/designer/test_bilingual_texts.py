"""The designer's server side with texts in two languages: the documents keep the object form
as written (state, draft, publish), the review names labels in the admin's language, and a
text changed in English only is listed with both languages."""
from __future__ import annotations

import copy

from engine.definitions import load_sources
from engine.definitions.diff import summarize, texts
from engine.i18n import speaking
from tests.designer.conftest import canonical, docs
from tests.designer.test_publish import publish, put_draft, state_of

LABEL = {"zh-CN": "标签", "en": "Tag"}


def _with_tag(sources, label=LABEL):
    sources = copy.deepcopy(sources)
    note = sources["notes.json"]["forms"][0]
    note["title"] = {"zh-CN": "笔记", "en": "Note"}
    note["fields"].append({"name": "tag", "type": "select", "label": label,
                           "options": [{"value": "a", "label": {"zh-CN": "甲", "en": "Alpha"}}, {"value": "b"}]})
    return sources


def test_a_draft_with_texts_in_two_languages_is_reviewed_and_published_as_written(designer):
    state = state_of(designer.ada)
    drafted = _with_tag(state["files"])
    put_draft(designer.ada, state["live"]["signature"], drafted)
    assert state_of(designer.ada)["draft"]["sources"] == drafted  # the object form, untouched
    review = designer.ada.get("/api/admin/designer/review?lang=en").get_json()
    summary = " ".join(review["summary"])
    assert "Tag" in summary and "标签" not in summary, review["summary"]
    review = designer.ada.get("/api/admin/designer/review?lang=zh_CN").get_json()
    assert "标签" in " ".join(review["summary"]), review["summary"]
    checked = designer.ada.post("/api/admin/designer/check?lang=en", json={"sources": drafted})
    assert checked.status_code == 200 and checked.get_json()["problems"] == [], checked.get_json()
    assert publish(designer.ada, state["live"]["signature"]).status_code == 200
    after = state_of(designer.ada)
    assert after["files"]["notes.json"]["forms"][0]["fields"][-1]["label"] == LABEL
    forms = designer.walt.get("/api/forms", headers={"Accept-Language": "en"}).get_json()
    note = next(f for f in forms if f["name"] == "note")
    assert note["title"] == "Note" and next(f for f in note["fields"] if f["name"] == "tag")["label"] == "Tag"


def test_a_text_changed_in_english_only_is_listed_with_both_languages():
    before = {name: canonical(doc) for name, doc in _with_tag(docs()).items()}
    after = {name: canonical(doc) for name, doc in _with_tag(docs(), {"zh-CN": "标签", "en": "Label"}).items()}
    with speaking("zh_CN"):
        lines = texts(summarize(load_sources(before), load_sources(after)))
    assert lines == ["笔记：字段 标签 / Tag 的名称改为 标签 / Label"], lines
