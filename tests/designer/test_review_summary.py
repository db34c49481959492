"""The readable change list: one line per change, by name, with the labels people see, in
Chinese (the default) and English."""
from __future__ import annotations

from typing import Any

import pytest

from engine.definitions.diff import summarize, text_diff, texts
from engine.i18n import speaking
from tests.designer.review_module import changed, client_form, field_of, module


def lines(mutate, locale: str) -> list[str]:
    with speaking(locale):
        return texts(summarize(changed(lambda d: None), changed(mutate)))


def add_wechat(doc: dict[str, Any]) -> None:
    client_form(doc)["fields"].insert(2, {"name": "wechat", "type": "text", "label": "微信号"})


def rename_phone(doc: dict[str, Any]) -> None:
    field = field_of(doc, "phone")
    field.update(name="mobile", renamed_from="phone", label="手机")
    client_form(doc)["list"]["columns"][1] = "mobile"
    client_form(doc)["workflow"]["stages"][1]["editable"] = ["mobile"]


def rename_making(doc: dict[str, Any]) -> None:
    flow = client_form(doc)["workflow"]
    flow["stages"][1].update(name="producing", renamed_from="making")
    flow["transitions"][0]["to"] = flow["transitions"][1]["from"] = "producing"


def step(doc: dict[str, Any]) -> None:
    stage = client_form(doc)["workflow"]["stages"][1]
    stage["approval"] = {"steps": [{"name": "gm", "title": "总经理审批", "approvers": [{"role": "boss"}],
                                    "when": "level == 'A'"}], "approved": "done", "rejected": "new"}


def hide_note(doc: dict[str, Any]) -> None:
    client_form(doc)["permissions"]["sales"]["hide"] = ["email", "note"]
    client_form(doc)["permissions"]["sales"]["delete"] = "own"


def reminder(doc: dict[str, Any]) -> None:
    client_form(doc)["fields"].append({"name": "due", "type": "date", "label": "交期"})
    client_form(doc)["reminders"] = [{"name": "before_due", "date_field": "due", "offset": "-1d",
                                      "notify": [{"role": "sales"}]}]


CASES = [
    (add_wechat, "客户：新增字段 微信号（文本）", "客户: added field 微信号 (Text)"),
    (lambda d: client_form(d)["fields"].pop(4), "客户：删除字段 备注（文本）", "客户: removed field 备注 (Text)"),
    (rename_phone, "客户：字段改名 电话 (phone) → 手机 (mobile)", "客户: renamed field 电话 (phone) → 手机 (mobile)"),
    (lambda d: field_of(d, "phone").update(label="手机"), "客户：字段 电话 的名称改为 手机",
     "客户: field 电话 is now labelled 手机"),
    (lambda d: field_of(d, "note").update(type="textarea"), "客户：字段 备注 的类型 文本 → 多行文本",
     "客户: field 备注: type Text → Multi-line text"),
    (lambda d: field_of(d, "phone").update(required=True), "客户：字段 电话 改为必填",
     "客户: field 电话 is now required"),
    (lambda d: field_of(d, "phone").update(unique=True), "客户：字段 电话 改为不允许重复",
     "客户: field 电话 must now be unique"),
    (lambda d: field_of(d, "level")["options"].append("C"), "客户：字段 等级 新增选项 C",
     "客户: field 等级: added option C"),
    (lambda d: field_of(d, "level")["options"].remove("B"), "客户：字段 等级 删除选项 B",
     "客户: field 等级: removed option B"),
    (lambda d: field_of(d, "note").update(visible_if="level == 'A'"),
     "客户：字段 备注 改为仅在 等级 == 'A' 时显示", "客户: field 备注 is now shown only when 等级 == 'A'"),
    (lambda d: field_of(d, "level").update(default="A"), "客户：字段 等级 的默认值 （无） → A",
     "客户: field 等级: default (none) → A"),
    (lambda d: client_form(d)["fields"].insert(0, client_form(d)["fields"].pop(4)), "客户：字段 备注 移到最前",
     "客户: field 备注 moved to the top"),
    (lambda d: client_form(d)["list"].update(columns=["name", "level"]),
     "客户：列表列 名称、电话、邮箱、等级 → 名称、等级", "客户: list columns 名称, 电话, 邮箱, 等级 → 名称, 等级"),
    (lambda d: client_form(d)["list"].update(search=["name", "phone"]), "客户：快速搜索字段 名称 → 名称、电话",
     "客户: quick search fields 名称 → 名称, 电话"),
    (lambda d: client_form(d).update(title="顾客"), "表单 客户 的标题改为 顾客", "form 客户 is now called 顾客"),
    (lambda d: client_form(d)["workflow"]["stages"].insert(2, {"name": "check", "title": "质检"}),
     "客户：新增阶段 质检", "客户: added stage 质检"),
    (rename_making,
     "客户：阶段改名 生产中 (making) → 生产中 (producing)", "客户: renamed stage 生产中 (making) → 生产中 (producing)"),
    (lambda d: client_form(d)["workflow"]["transitions"][1].update(roles=["sales", "boss"]),
     "客户：流转 完工 的可操作角色 经理 → 销售、经理", "客户: transition 完工: who may use it 经理 → 销售, 经理"),
    (lambda d: client_form(d)["workflow"]["transitions"][0].update(condition="phone != ''"),
     "客户：流转 开工 的条件 （无） → 电话 != ''", "客户: transition 开工: condition (none) → 电话 != ''"),
    (lambda d: client_form(d)["workflow"]["transitions"][0].update(require=["phone"]),
     "客户：流转 开工 的必填字段 （无） → 电话", "客户: transition 开工: required fields (none) → 电话"),
    (lambda d: client_form(d)["workflow"]["transitions"].append(
        {"name": "reopen", "title": "重开", "from": "making", "to": "new"}),
     "客户：新增流转 重开（生产中 → 新建）", "客户: added transition 重开 (生产中 → 新建)"),
    (step, "客户：阶段 生产中 新增审批（1 步）", "客户: stage 生产中: added an approval (steps: 1)"),
    (step, "客户：阶段 生产中 新增审批步骤 总经理审批：当 等级 == 'A' → 经理（任一审批人通过（或签））",
     "客户: stage 生产中: added approval step 总经理审批 when 等级 == 'A' → 经理 (any one approver (或签))"),
    (lambda d: client_form(d)["workflow"]["stages"][1].update(due="2d"), "客户：阶段 生产中 的处理时限 （无） → 2 天",
     "客户: stage 生产中: due within (none) → 2 days"),
    (lambda d: client_form(d)["workflow"]["stages"][1].update(editable=["phone", "note"]),
     "客户：阶段 生产中 可编辑字段 电话 → 备注、电话", "客户: stage 生产中: editable fields 电话 → 备注, 电话"),
    (hide_note, "客户：对 销售 隐藏的字段 邮箱 → 邮箱、备注", "客户: fields hidden from 销售: 邮箱 → 邮箱, 备注"),
    (hide_note, "客户：销售 可删除的记录 无 → 本人的", "客户: 销售 may delete: none → their own"),
    (lambda d: client_form(d)["permissions"]["boss"].update(create=False), "客户：经理 不再可以新建记录",
     "客户: 经理 may no longer create records"),
    (reminder, "客户：新增提醒 交期前 1 天", "客户: added reminder 1 days before 交期"),
    (lambda d: client_form(d).update(charts=[{"title": "按等级", "type": "pie", "group_by": "level"}]),
     "客户：新增图表 按等级", "客户: added chart 按等级"),
    (lambda d: d["roles"].append({"name": "qc", "title": "质检员"}), "新增角色 质检员", "added role 质检员"),
]


@pytest.mark.parametrize("mutate, zh, en", CASES, ids=[c[2] for c in CASES])
def test_each_kind_of_change_reads_in_both_languages(mutate, zh, en):
    assert zh in lines(mutate, "zh_CN")
    assert en in lines(mutate, "en")


def test_no_change_says_nothing_and_a_first_set_lists_its_forms_and_roles():
    same = changed(lambda d: None)
    assert summarize(same, same) == []
    with speaking("zh_CN"):
        first = texts(summarize(None, same))
    assert "新增表单 客户（5 个字段）" in first
    assert "新增角色 销售" in first


def test_each_change_names_its_form_and_kind():
    changes = summarize(changed(lambda d: None), changed(add_wechat))
    assert [(c.kind, c.form, c.params["field"]) for c in changes] == [("added", "client", "微信号")]


def test_text_diff_is_a_unified_diff_per_changed_file():
    from tests.designer.review_module import text_of

    old, new = module(), module()
    add_wechat(new)
    diff = text_diff({"shop.json": text_of(old), "same.json": "{}\n"},
                     {"shop.json": text_of(new), "same.json": "{}\n", "more.json": "{}\n"})
    assert set(diff) == {"shop.json", "more.json"}
    assert diff["shop.json"].startswith("--- a/shop.json\n+++ b/shop.json\n@@ ")
    assert '+          "label": "微信号"\n' in diff["shop.json"]
    assert diff["more.json"] == "--- /dev/null\n+++ b/more.json\n@@ -0,0 +1 @@\n+{}\n"


def test_a_rename_is_one_line_not_a_change_of_everything_naming_it():
    assert lines(rename_phone, "en") == ["客户: renamed field 电话 (phone) → 手机 (mobile)"]
    assert lines(rename_making, "en") == ["客户: renamed stage 生产中 (making) → 生产中 (producing)"]
