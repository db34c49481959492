"""Renames are consumed once, a restore reverses the renames made since (the values follow),
and the review, restore and editor answers say what happens to the data (probe of issue 12:
findings 1, 2, 3, 4, 8, 10, 12, 16, 17), on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from engine.definitions import load_sources
from engine.definitions.loader import build_unchecked
from engine.errors import DefinitionError
from engine.services.definition_review import review
from engine.store.sync import plan_sync, sync_schema
from engine.store.tables import table_name
from tests.designer.review_module import api_user, client_form, field_of, module, text_of, write


@pytest.fixture
def shop(make_app, tmp_path):
    folder = tmp_path / "configs"
    write(folder, module())
    app = make_app(folder)
    return app, api_user(app, "bo", "boss"), api_user(app, "ada", "admin", "boss")


def db_of(app: Any):
    return app.extensions["engine"].db


def live_signature(admin) -> str:
    return admin.get("/api/admin/designer").get_json()["live"]["signature"]


def publish_doc(admin, doc: dict[str, Any], lang: str = "zh-CN") -> dict[str, Any]:
    body = {"base_signature": live_signature(admin), "sources": {"shop.json": doc}}
    assert admin._call("put", "/api/admin/designer/draft", json=body).status_code == 200
    answer = admin.post(f"/api/admin/designer/publish?lang={lang}", json={})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def draft_review(admin, doc: dict[str, Any], lang: str = "zh-CN") -> dict[str, Any]:
    body = {"base_signature": live_signature(admin), "sources": {"shop.json": doc}}
    assert admin._call("put", "/api/admin/designer/draft", json=body).status_code == 200
    return admin.get(f"/api/admin/designer/review?lang={lang}").get_json()


def record(boss, record_id: int) -> dict[str, Any]:
    return boss.get(f"/api/forms/client/records/{record_id}").get_json()


def start(boss, record_id: int) -> None:
    assert boss.post(f"/api/forms/client/records/{record_id}/transitions/start", json={}).status_code == 200


def rename_making(doc: dict[str, Any]) -> dict[str, Any]:
    flow = client_form(doc)["workflow"]
    flow["stages"][1].update(name="producing", renamed_from="making", title="生产")
    flow["transitions"][0]["to"] = flow["transitions"][1]["from"] = "producing"
    return doc


def load(doc: dict[str, Any]):
    return load_sources({"shop.json": text_of(doc)})


def problems_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        load(doc)
    except DefinitionError as exc:
        return [(p.pointer, p.message) for p in exc.problems]
    return []


# -- finding 8: a leftover renamed_from ------------------------------------------------------------

def test_a_stage_rename_runs_once_and_a_new_stage_of_the_old_name_keeps_its_records(shop):
    app, boss, ada = shop
    first = boss.create("client", name="a")["id"]
    start(boss, first)
    renamed = rename_making(module())
    assert publish_doc(ada, renamed)["changes"] == ["客户：阶段改名 生产中 → 生产（其中 1 条记录随之保留）"]
    assert record(boss, first)["stage"] == "producing"

    # an unrelated change later: no phantom rename (the leftover renamed_from moves nothing)
    later = rename_making(module())
    field_of(later, "note")["label"] = "备注说明"
    result = draft_review(ada, later)
    assert not any("改名" in line for line in result["plan"]["changes"]), result["plan"]
    assert not any("改名" in line for line in result["summary"]), result["summary"]
    assert plan_sync(db_of(app), load(later)).changes == []

    # a new stage named like the old one, while the renamed stage still says renamed_from: a problem there
    again = rename_making(module())
    flow = client_form(again)["workflow"]
    flow["stages"].insert(1, {"name": "making", "title": "新生产准备"})
    flow["transitions"].append({"name": "prepare", "title": "准备", "from": "new", "to": "making",
                                "roles": ["boss"]})
    problems = draft_review(ada, again)["problems"]
    assert [p["pointer"] for p in problems] == ["/forms/0/workflow/stages/2/renamed_from"]
    assert "生产" not in problems[0]["message"] and "making" in problems[0]["message"]
    assert "renamed_from" in problems[0]["message"] or "改名" in problems[0]["message"]
    # the planner on its own (sets built without the checks): a stage named like the old one keeps its records
    with_records = build_unchecked({"shop.json": text_of(again)})
    assert with_records is not None
    sync_schema(db_of(app), with_records)
    table = table_name("client")
    with db_of(app).transaction() as session:
        session.execute(text(f"UPDATE {table} SET stage = 'making' WHERE id = :id"), {"id": first})
    assert [e.kind for e in plan_sync(db_of(app), with_records).effects if e.kind == "rename_stage"] == []
    field_of(again, "note")["label"] = "备注说明"
    sync_schema(db_of(app), build_unchecked({"shop.json": text_of(again)}))  # publishing anything else ...
    with db_of(app).session() as session:  # ... leaves the record where the workflow put it
        assert session.execute(text(f"SELECT stage FROM {table} WHERE id = :id"), {"id": first}).scalar() == "making"


def test_a_field_or_form_renamed_from_a_name_that_exists_again_is_a_problem_at_the_pointer():
    doc = module()
    field_of(doc, "note")["renamed_from"] = "phone"
    [(pointer, message)] = problems_of(doc)
    assert pointer == "/forms/0/fields/4/renamed_from" and "'phone'" in message and "exists again" in message
    doc = module()
    client_form(doc)["renamed_from"] = "client"
    assert [p for p, _m in problems_of(doc)] == ["/forms/0/renamed_from"]
    doc = module()
    client_form(doc)["workflow"]["stages"][2]["renamed_from"] = "new"
    assert [p for p, _m in problems_of(doc)] == ["/forms/0/workflow/stages/2/renamed_from"]
    doc = module()  # a rename whose old name is gone: fine
    field_of(doc, "note").update(name="memo", renamed_from="note")
    assert problems_of(doc) == []


def test_the_renamed_from_problem_reads_in_chinese(shop):
    _app, _boss, ada = shop
    doc = module()
    field_of(doc, "note")["renamed_from"] = "phone"
    [problem] = draft_review(ada, doc)["problems"]
    assert problem["pointer"] == "/forms/0/fields/4/renamed_from"
    assert "phone" in problem["message"] and "exists" not in problem["message"]


# -- finding 10: an unknown stage in a condition ------------------------------------------------

def test_an_unknown_stage_in_a_condition_is_a_problem():
    doc = module()
    field_of(doc, "note")["visible_if"] = "stage == 'nope' or stage in ['new', 'gone']"
    found = problems_of(doc)
    assert [p for p, _m in found] == ["/forms/0/fields/4/visible_if"] * 2
    assert "'nope'" in found[0][1] and "'gone'" in found[1][1]
    doc = module()
    field_of(doc, "note")["visible_if"] = "stage != 'done' and level == 'A'"
    client_form(doc)["workflow"]["transitions"][0]["condition"] = "stage in ['new', 'making']"
    assert problems_of(doc) == []


# -- finding 2: restore reverses the renames made since ---------------------------------------------

def test_restoring_a_version_from_before_renames_brings_the_values_back(shop):
    app, boss, ada = shop
    before = ada.get("/api/admin/designer").get_json()["live"]["publication"]
    first = boss.create("client", name="a", phone="111")["id"]
    start(boss, first)
    doc = rename_making(module())
    field_of(doc, "phone").update(name="mobile", renamed_from="phone", label="手机")
    client_form(doc)["list"]["columns"][1] = "mobile"
    client_form(doc)["workflow"]["stages"][1]["editable"] = ["mobile"]
    publish_doc(ada, doc)
    second = boss.create("client", name="b", mobile="222")["id"]  # typed under the new name
    start(boss, second)

    preview = ada.get(f"/api/admin/designer/versions/{before}/review?lang=zh-CN")
    assert preview.status_code == 200
    shown = preview.get_json()
    assert shown["problems"] == [] and shown["live_signature"] == live_signature(ada)
    assert sorted(shown["plan"]["changes"]) == ["客户：字段改名 手机 → 电话（保留 2 个值）",
                                                "客户：阶段改名 生产 → 生产中（其中 2 条记录随之保留）"]
    assert shown["plan"]["refusals"] == [] and shown["summary"] and '"renamed_from": "mobile"' in \
        shown["diff"]["shop.json"]

    answer = ada.post(f"/api/admin/designer/versions/{before}/restore?lang=zh-CN",
                      json={"base_signature": shown["live_signature"], "note": "back"})
    assert answer.status_code == 200, answer.get_json()
    assert sorted(answer.get_json()["changes"]) == sorted(shown["plan"]["changes"])
    for rid, phone in ((first, "111"), (second, "222")):
        got = record(boss, rid)
        assert got["fields"]["phone"] == phone and got["stage"] == "making"

    # and forward again: the values follow once more
    forward = [v for v in ada.get("/api/admin/designer/versions").get_json() if v["origin"] == "designer"][0]
    again = ada.post(f"/api/admin/designer/versions/{forward['publication']}/restore",
                     json={"base_signature": live_signature(ada)})
    assert again.status_code == 200, again.get_json()
    assert [record(boss, r)["fields"]["mobile"] for r in (first, second)] == ["111", "222"]
    assert {record(boss, r)["stage"] for r in (first, second)} == {"producing"}


def test_restoring_a_version_from_before_a_form_rename_keeps_its_records(shop):
    _app, boss, ada = shop
    before = ada.get("/api/admin/designer").get_json()["live"]["publication"]
    boss.create("client", name="a")
    doc = module()
    client_form(doc).update(name="customer", renamed_from="client")
    publish_doc(ada, doc)
    assert len(boss.get("/api/forms/customer/records").get_json()["items"]) == 1
    shown = ada.get(f"/api/admin/designer/versions/{before}/review?lang=en").get_json()
    assert shown["plan"]["changes"] == ["renames form 客户 → 客户 (1 records kept)"]
    answer = ada.post(f"/api/admin/designer/versions/{before}/restore", json={"base_signature": live_signature(ada)})
    assert answer.status_code == 200, answer.get_json()
    assert len(boss.get("/api/forms/client/records").get_json()["items"]) == 1


# -- finding 17: restore needs a base of text -------------------------------------------------------

@pytest.mark.parametrize("body", [{}, {"base_signature": 0}, {"base_signature": 5}, {"base_signature": ""}])
def test_a_restore_without_a_text_base_is_refused(shop, body):
    _app, _boss, ada = shop
    before = ada.get("/api/admin/designer").get_json()["live"]
    doc = module()
    field_of(doc, "note")["label"] = "备注说明"
    publish_doc(ada, doc)
    answer = ada.post(f"/api/admin/designer/versions/{before['publication']}/restore", json=body)
    assert answer.status_code == 400, answer.get_json()
    assert live_signature(ada) != before["signature"]  # nothing restored
    stale = ada.post(f"/api/admin/designer/versions/{before['publication']}/restore?lang=en",
                     json={"base_signature": before["signature"]})
    assert stale.status_code == 409 and "draft" not in stale.get_json()["error"]["message"]


# -- finding 1: out-of-range publication ids ------------------------------------------------------

def test_publication_ids_too_large_for_the_database_are_not_found(shop):
    _app, _boss, ada = shop
    live = ada.get("/api/admin/designer").get_json()["live"]["publication"]
    huge = "99999999999999999"
    assert ada.get(f"/api/admin/designer/diff?from={live}&to={huge}").status_code == 404
    assert ada.get(f"/api/admin/designer/diff?from={huge}0000&to={live}").status_code == 404
    assert ada.get(f"/api/admin/designer/versions/{huge}").status_code == 404
    assert ada.get(f"/api/admin/designer/versions/{huge}/review").status_code == 404
    assert ada.post(f"/api/admin/designer/versions/{huge}/restore", json={}).status_code == 404
    listed = ada.get(f"/api/admin/designer/versions?before={huge}0000")
    assert listed.status_code == 200 and listed.get_json()[0]["publication"] == live
    assert ada.get("/api/admin/designer/versions?before=-1").status_code == 400


# -- findings 3 and 12: review lines ----------------------------------------------------------------

def test_unique_over_duplicates_says_only_the_refusal(shop):
    app, boss, _ada = shop
    for name in ("a", "a", "b"):
        boss.create("client", name=name)
    doc = module()
    field_of(doc, "name")["unique"] = True
    result = review(db_of(app), load(module()), load(doc))
    assert result["plan"]["refusals"] == ["已拒绝：客户 的 名称 不能设为不允许重复，有 1 个值出现了不止一次"]
    assert not any("名称" in line for line in result["plan"]["changes"]), result["plan"]


def test_a_field_name_whose_column_still_holds_values_says_they_come_back(shop):
    app, boss, ada = shop
    boss.create("client", name="a", phone="111")
    boss.create("client", name="b")
    without = module()
    client_form(without)["fields"].pop(1)
    client_form(without)["list"]["columns"].remove("phone")
    client_form(without)["workflow"]["stages"][1]["editable"] = ["note"]
    publish_doc(ada, without)
    back = module()
    field_of(back, "phone")["label"] = "座机"
    result = draft_review(ada, back, "en")
    assert result["plan"]["changes"] == [
        "客户: field 座机 comes back with its 1 stored values (kept in the database since the field was removed)"]
    zh = draft_review(ada, back)
    assert zh["plan"]["changes"] == ["客户：字段 座机 重新出现，带回数据库中保留的 1 个值（自该字段被移除起一直保留）"]
    publish_doc(ada, back)
    field_of(back, "phone")["label"] = "固定电话"
    assert draft_review(ada, back)["plan"]["changes"] == []  # a field of the live set: not news


# -- findings 4 and 16: publish answers and the review of a draft with problems -------------------

def test_publish_answers_the_effects_in_the_callers_language(shop):
    _app, _boss, ada = shop
    doc = module()
    client_form(doc)["fields"].append({"name": "wechat", "type": "text", "label": "微信号"})
    assert publish_doc(ada, doc)["changes"] == ["在 客户 中新增列 微信号（文本）"]


def test_the_review_of_a_draft_with_problems_shows_its_summary_and_says_why_no_plan(shop):
    _app, _boss, ada = shop
    doc = module()
    client_form(doc)["fields"].pop(4)  # note, still in nothing else; and a new field
    client_form(doc)["fields"].append({"name": "wechat", "type": "text", "label": "微信号"})
    client_form(doc)["workflow"]["stages"][1]["editable"] = ["gone"]
    result = draft_review(ada, doc, "en")
    assert [p["pointer"] for p in result["problems"]] == ["/forms/0/workflow/stages/1/editable"]
    assert "客户: added field 微信号 (Text)" in result["summary"]
    assert any("备注" in line for line in result["summary"])
    assert result["plan"]["changes"] == [] and result["plan"]["unavailable"].startswith("What the change does")
    assert "wechat" in result["diff"]["shop.json"]
    assert draft_review(ada, doc)["plan"]["unavailable"] == "问题解决后，这里会显示本次修改对已存数据的影响。"


def test_restoring_a_version_from_before_a_role_rename_moves_its_users_back(shop):
    app, _boss, ada = shop
    api_user(app, "sam", "sales")
    before = ada.get("/api/admin/designer").get_json()["live"]["publication"]
    doc = module()
    doc["roles"][0] = {"name": "seller", "renamed_from": "sales", "title": "销售"}
    perms = client_form(doc)["permissions"]
    perms["seller"] = perms.pop("sales")
    client_form(doc)["workflow"]["transitions"][0]["roles"] = ["seller", "boss"]
    publish_doc(ada, doc)
    assert roles_of(app, "sam") == ["seller"]
    answer = ada.post(f"/api/admin/designer/versions/{before}/restore", json={"base_signature": live_signature(ada)})
    assert answer.status_code == 200, answer.get_json()
    assert roles_of(app, "sam") == ["sales"]


def roles_of(app: Any, name: str) -> list[str]:
    from sqlalchemy import select

    from engine.store.system import user_roles, users

    with db_of(app).session() as session:
        return list(session.execute(select(user_roles.c.role).join(users, users.c.id == user_roles.c.user_id)
                                    .where(users.c.name == name)).scalars())
