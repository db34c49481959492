"""The schema plan's effect on stored data, with real counts read from the database
(SQLite and PostgreSQL), as the review shows it in zh-CN (the default) and English."""
from __future__ import annotations

from typing import Any

import pytest

from engine.services.definition_review import diff_versions, review
from engine.store.sync import plan_sync
from tests.designer.review_module import api_user, changed, client_form, field_of, load, module, write


@pytest.fixture
def shop(make_app, tmp_path):
    folder = tmp_path / "configs"
    write(folder, module())
    app = make_app(folder)
    return app, api_user(app, "bo", "boss")


def db_of(app: Any):
    return app.extensions["engine"].db


def add(boss, **fields: Any) -> int:
    return boss.create("client", **fields)["id"]


def start(boss, record_id: int) -> None:
    assert boss.post(f"/api/forms/client/records/{record_id}/transitions/start", json={}).status_code == 200


def rename_phone(doc: dict[str, Any]) -> None:
    field_of(doc, "phone").update(name="mobile", renamed_from="phone", label="手机")
    client_form(doc)["list"]["columns"][1] = "mobile"
    client_form(doc)["workflow"]["stages"][1]["editable"] = ["mobile"]


def drop_making(doc: dict[str, Any]) -> None:
    flow = client_form(doc)["workflow"]
    del flow["stages"][1]
    flow["transitions"] = [{"name": "finish", "title": "完工", "from": "new", "to": "done", "roles": ["boss"]}]


def drop_email(doc: dict[str, Any]) -> None:
    client_form(doc)["fields"].pop(2)
    client_form(doc)["list"]["columns"].remove("email")
    client_form(doc)["permissions"]["sales"]["hide"] = []


def english(app: Any, action):
    with app.test_request_context("/?lang=en"):
        return action()


def test_renaming_a_field_says_how_many_values_are_kept(shop):
    app, boss = shop
    for i, phone in enumerate(["1", "2", "3"]):
        add(boss, name=f"c{i}", phone=phone)
    add(boss, name="no phone")
    live, draft = load(module()), changed(rename_phone)
    plan = plan_sync(db_of(app), draft)
    [effect] = [e for e in plan.effects if e.kind == "rename_field"]
    assert dict(effect.params) == {"form": "client", "table": None, "field": "mobile", "old": "phone", "count": 3}
    result = review(db_of(app), live, draft)
    assert result["plan"] == {"changes": ["客户：字段改名 电话 → 手机（保留 3 个值）"], "refusals": []}
    assert "客户：字段改名 电话 (phone) → 手机 (mobile)" in result["summary"]
    assert '+          "renamed_from": "phone"' in result["diff"]["shop.json"]
    assert english(app, lambda: review(db_of(app), live, draft))["plan"]["changes"] == [
        "客户: renames 电话 → 手机 (3 values kept)"]


def test_removing_a_stage_that_holds_records_is_refused_with_their_number(shop):
    app, boss = shop
    for i in range(3):
        record = add(boss, name=f"c{i}")
        if i < 2:
            start(boss, record)
    live, draft = load(module()), changed(drop_making)
    plan = plan_sync(db_of(app), draft)
    [refusal] = plan.refused_effects
    assert (refusal.kind, refusal.params["stage"], refusal.params["count"]) == ("refuse_stage_removal", "making", 2)
    assert plan.refusals and "holds 2 records" in plan.refusals[0]  # the English line stays
    result = review(db_of(app), live, draft)
    assert result["plan"]["refusals"] == [
        "已拒绝：客户 的阶段 生产中 中还有 2 条记录，不能删除（可改名，或先把记录移走）"]
    assert "客户：删除阶段 生产中" in result["summary"]
    assert english(app, lambda: review(db_of(app), live, draft))["plan"]["refusals"] == [
        "refused: removing stage 生产中 of 客户 while 2 records are in it (rename it, or move the records first)"]


def test_a_removed_field_keeps_its_stored_values(shop):
    app, boss = shop
    add(boss, name="a", email="a@example.com")
    add(boss, name="b", email="b@example.com")
    add(boss, name="c")
    result = review(db_of(app), load(module()), changed(drop_email))
    assert result["plan"]["changes"] == [
        "客户：字段 邮箱 从表单中移除；已存的 2 个值保留在数据库中（不会删除任何数据）"]
    assert result["plan"]["refusals"] == []


def test_a_field_removed_by_an_earlier_version_is_not_news(shop):
    app, boss = shop
    add(boss, name="a", email="a@example.com")
    from engine.store.sync import sync_schema

    sync_schema(db_of(app), changed(drop_email))
    again = changed(lambda d: (drop_email(d), client_form(d)["fields"].append(
        {"name": "wechat", "type": "text", "label": "微信号"})))
    result = english(app, lambda: review(db_of(app), changed(drop_email), again))
    assert result["plan"]["changes"] == ["adds column 微信号 (Text) to 客户"]
    assert result["summary"] == ["客户: added field 微信号 (Text)"]


def test_a_new_field_adds_a_column(shop):
    app, _boss = shop
    draft = changed(lambda d: client_form(d)["fields"].append({"name": "wechat", "type": "text", "label": "微信号"}))
    [effect] = plan_sync(db_of(app), draft).effects
    assert dict(effect.params) == {"form": "client", "table": None, "field": "wechat", "type": "text",
                                   "label": "微信号", "form_title": "客户"}
    result = review(db_of(app), load(module()), draft)
    assert result["plan"] == {"changes": ["在 客户 中新增列 微信号（文本）"], "refusals": []}
    assert result["summary"] == ["客户：新增字段 微信号（文本）"]


def test_renaming_a_stage_counts_the_records_in_it(shop):
    app, boss = shop
    for i in range(2):
        start(boss, add(boss, name=f"c{i}"))

    def rename(doc: dict[str, Any]) -> None:
        flow = client_form(doc)["workflow"]
        flow["stages"][1].update(name="producing", renamed_from="making", title="生产")
        flow["transitions"][0]["to"] = flow["transitions"][1]["from"] = "producing"
    result = english(app, lambda: review(db_of(app), load(module()), changed(rename)))
    assert result["plan"] == {"changes": ["客户: renames stage 生产中 → 生产 (2 records in it keep their place)"],
                              "refusals": []}


def test_unique_with_duplicates_and_a_type_change_with_values_are_refused_with_counts(shop):
    app, boss = shop
    for name in ("a", "a", "b", "b", "c"):
        add(boss, name=name, note="x")

    def mutate(doc: dict[str, Any]) -> None:
        field_of(doc, "name")["unique"] = True
        field_of(doc, "note")["type"] = "integer"
        field_of(doc, "level").update(type="integer")
        del field_of(doc, "level")["options"]
        client_form(doc)["list"]["filters"] = []
    result = english(app, lambda: review(db_of(app), load(module()), changed(mutate)))
    assert sorted(result["plan"]["refusals"]) == [
        "refused: changing the type of 客户 备注 from Text to Whole number would rewrite 5 stored values; "
        "add a new field instead",
        "refused: 客户 名称 cannot be made unique, 2 values occur more than once",
    ]
    assert "客户: changes the type of 等级 from Single choice to Whole number (it holds no values)" \
        in result["plan"]["changes"]


def test_unique_without_duplicates_says_how_many_values_were_checked(shop):
    app, boss = shop
    for name in ("a", "b", "c"):
        add(boss, name=name)
    result = review(db_of(app), load(module()), changed(lambda d: field_of(d, "name").update(unique=True)))
    assert "客户：名称 今后不允许重复（已检查 3 个值，没有重复）" in result["plan"]["changes"]


def test_review_reads_and_changes_nothing(shop):
    app, boss = shop
    add(boss, name="a", phone="1")
    review(db_of(app), load(module()), changed(rename_phone))
    assert plan_sync(db_of(app), load(module())).changes == []  # the live tables are as they were
    assert boss.get("/api/forms/client/records").get_json()["items"][0]["fields"]["phone"] == "1"


def test_diff_versions_gives_the_summary_and_the_file_diff():
    result = diff_versions(load(module()), changed(rename_phone))
    assert result["summary"][0] == "客户：字段改名 电话 (phone) → 手机 (mobile)"
    assert list(result["diff"]) == ["shop.json"]


def test_the_designer_review_api_answers_with_these_texts_in_the_callers_language(shop):
    app, boss = shop
    for phone in ("1", "2", "3"):
        add(boss, name=f"c{phone}", phone=phone)
    admin = api_user(app, "ada", "admin")
    live = admin.get("/api/admin/designer").get_json()["live"]["signature"]
    doc = module()
    rename_phone(doc)
    body = {"base_signature": live, "sources": {"shop.json": doc}}
    assert admin._call("put", "/api/admin/designer/draft", json=body).status_code == 200
    zh = admin.get("/api/admin/designer/review?lang=zh-CN").get_json()
    assert zh["plan"] == {"changes": ["客户：字段改名 电话 → 手机（保留 3 个值）"], "refusals": []}
    assert zh["summary"] == ["客户：字段改名 电话 (phone) → 手机 (mobile)"]
    en = admin.get("/api/admin/designer/review?lang=en").get_json()
    assert en["plan"]["changes"] == ["客户: renames 电话 → 手机 (3 values kept)"]
    assert list(en["diff"]) == ["shop.json"]


def test_a_new_line_item_table_and_a_column_added_to_one(shop):
    app, _boss = shop
    lines = {"name": "lines", "type": "table", "label": "明细",
             "fields": [{"name": "qty", "type": "integer", "label": "数量"}]}
    with_table = changed(lambda d: client_form(d)["fields"].append(lines))
    result = english(app, lambda: review(db_of(app), load(module()), with_table))
    assert result["plan"]["changes"] == ["客户: creates the table of the line items 明细"]
    from engine.store.sync import sync_schema

    sync_schema(db_of(app), with_table)

    def more(doc: dict[str, Any]) -> None:
        client_form(doc)["fields"].append({**lines, "fields": [*lines["fields"],
                                                               {"name": "price", "type": "decimal", "label": "单价"}]})
    result = english(app, lambda: review(db_of(app), with_table, changed(more)))
    assert result["plan"]["changes"] == ["adds column 明细 › 单价 (Decimal number) to 客户"]
    assert result["summary"] == ["客户: added field 明细 › 单价 (Decimal number)"]
