"""Texts in two languages in a definition: `{"zh-CN": …, "en": …}` wherever a display text may
be written; zh-CN is required, en optional, no other key, each refused at its JSON pointer
with a message in the reader's language. The model reads them in the current language."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from babel.support import Translations

from engine.definitions import load_directory, load_sources
from engine.errors import DefinitionError
from engine.i18n import LocalText, local_text, resolve_text, speaking, translate_problem

ROOT = Path(__file__).resolve().parents[2]
ZH = Translations.load(str(ROOT / "engine" / "translations"), ["zh"])
MSGIDS = frozenset(k for k in ZH._catalog if isinstance(k, str) and k)
BILINGUAL = ROOT / "tests" / "configs" / "bilingual"


def _module(**texts):
    """A module whose form title, a field label and an option label are given."""
    return {"module": "m", "title": "M", "forms": [{
        "name": "f", "title": texts.get("title", "F"),
        "fields": [{"name": "x", "type": "select", "label": texts.get("label", "X"),
                    "options": [{"value": "a", "label": texts.get("option", "A")}]}]}]}


def _problems(doc) -> dict[str, str]:
    with pytest.raises(DefinitionError) as info:
        load_sources({"m.json": json.dumps(doc, ensure_ascii=False)})
    return {p.pointer: p.message for p in info.value.problems}


@pytest.mark.parametrize("texts, pointer, english, chinese", [
    ({"title": {"en": "Form"}}, "/forms/0/title",
     'a text in two languages needs its Chinese text, "zh-CN" ("en" is optional)',
     '双语文本必须有中文 "zh-CN"（"en" 可省略）'),
    ({"label": {"zh-CN": "甲", "fr": "A"}}, "/forms/0/fields/0/label", "unknown key 'fr'; allowed: en, zh-CN", None),
    ({"option": {"zh-CN": "甲", "en": ""}}, "/forms/0/fields/0/options/0/label/en", '"" should be non-empty', None),
    ({"label": 5}, "/forms/0/fields/0/label", '5 is not a text: give a string or {"zh-CN": "…", "en": "…"}',
     '5 不是文本：请写字符串或 {"zh-CN": "…", "en": "…"}'),
    ({"title": {"zh-CN": "表" * 201}}, "/forms/0/title/zh-CN", None, None),
])
def test_a_wrong_text_is_refused_at_its_pointer(texts, pointer, english, chinese):
    found = _problems(_module(**texts))
    assert pointer in found, found
    if english:
        assert found[pointer] == english
    if chinese:
        assert translate_problem(f"m.json: {pointer}: {found[pointer]}", ZH.gettext, MSGIDS) == \
            f"m.json: {pointer}: {chinese}"


def test_every_display_text_of_the_bilingual_module_reads_in_the_current_language():
    app = load_directory(BILINGUAL)
    form = app.form("ticket")
    module, role = app.module("desk"), app.roles["agent"]
    wf = form.workflow
    step = wf.stage("review").approval.steps[0]
    subject, level = form.field("subject"), form.field("level")

    def read():
        return [module.title, module.description, role.title, role.description, form.title, form.description,
                subject.label, subject.help, subject.placeholder, level.options[0].label, level.options[2].label,
                form.field("parts").fields[1].label, wf.stage("open").title, wf.transitions[0].title,
                wf.transitions[0].confirm, step.title, form.charts[0].title, form.reminders[0].message,
                form.field("room").label]

    with speaking("en"):
        english = read()
    chinese = read()  # outside a request and without `speaking`: the product's language
    assert english == ["Service desk", "Requests and their handling", "Agent", "Handles tickets", "Ticket",
                       "One request", "Subject", "One line", "e.g. paper jam", "Urgent", "低", "Quantity", "Open",
                       "Send for review", "Send it now?", "Lead check", "By level",
                       "Due tomorrow: {subject} ({level})", "房间号"]
    assert chinese == ["服务台", "报修与处理", "坐席", "处理工单", "工单", "一次报修", "主题", "一句话说明",
                       "例如：打印机卡纸", "紧急", "低", "数量", "待处理", "提交审核", "确定提交？", "组长审核",
                       "按级别", "明天到期：{subject}（{level}）", "房间号"]
    # every language stays at hand, also through dataclasses.replace and in the source documents
    assert local_text(subject, "label") == LocalText({"zh-CN": "主题", "en": "Subject"})
    assert local_text(replace(subject, required=False), "label").texts == {"zh-CN": "主题", "en": "Subject"}
    assert LocalText.of(subject.label).source == {"zh-CN": "主题", "en": "Subject"}
    assert LocalText.of(form.field("room").label).source == "房间号"
    assert app.sources["desk.json"]["forms"][0]["fields"][0]["label"] == {"zh-CN": "主题", "en": "Subject"}
    assert resolve_text({"zh-CN": "低"}, "en") == "低" and resolve_text("同", "en") == "同"
    assert subject.help is not None and form.field("room").help is None


def test_shipped_and_test_configs_with_texts_in_two_languages_validate():
    for folder in (ROOT / "configs", BILINGUAL):
        assert load_directory(folder).forms


def test_a_text_keeps_its_languages_when_copied_or_pickled():
    import copy
    import pickle

    text = LocalText({"zh-CN": "客户", "en": "Customer"})
    with speaking("en"):
        label = local_text(load_directory(BILINGUAL).form("ticket").field("subject"), "label")
        read = load_directory(BILINGUAL).form("ticket").field("subject").label
    for made in (copy.copy(text), copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert made == text and made.texts == {"zh-CN": "客户", "en": "Customer"}
    for made in (copy.deepcopy(read), pickle.loads(pickle.dumps(read))):
        assert made == "Subject" and LocalText.of(made) == label
    with pytest.raises(ValueError):
        LocalText({"en": "Customer"})
