"""Publishing a draft: the live set changes for every process; a stale draft, a second
publish on the same base, problems and data-losing changes are refused and change nothing."""
from __future__ import annotations

import threading

from tests.designer.conftest import docs


def state_of(client):
    response = client.get("/api/admin/designer")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def put_draft(client, base, sources, lang="en"):
    response = client.client.put(f"/api/admin/designer/draft?lang={lang}",
                                 json={"base_signature": base, "sources": sources},
                                 headers={"Authorization": f"Bearer {client.token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def with_field(sources, name="tag", label="Tag"):
    sources["notes.json"]["forms"][0]["fields"].append({"name": name, "type": "text", "label": label})
    return sources


def field_names(client, form="note"):
    forms = client.get("/api/forms").get_json()
    return [f["name"] for f in next(f for f in forms if f["name"] == form)["fields"]]


def publish(client, base=None, note=None, lang="en"):
    body = {k: v for k, v in {"base_signature": base, "note": note}.items() if v is not None}
    return client.post(f"/api/admin/designer/publish?lang={lang}", json=body)


def test_publishing_changes_the_live_set_for_this_and_another_process(designer, make_app):
    other = designer.client(make_app(designer.folder), designer.walt)  # a second process, idle so far
    assert field_names(other) == ["title", "body"]
    state = state_of(designer.ada)
    put_draft(designer.ada, state["live"]["signature"], with_field(state["files"]))
    response = publish(designer.ada, state["live"]["signature"], note="adds a tag")
    assert response.status_code == 200, response.get_json()
    done = response.get_json()
    assert done["publication"] != state["live"]["publication"] and done["signature"] != state["live"]["signature"]
    assert field_names(designer.walt) == ["title", "body", "tag"]
    assert field_names(other) == ["title", "body", "tag"]
    assert other.create("note", title="x", tag="y")["fields"]["tag"] == "y"
    after = state_of(designer.ada)
    assert after["draft"] is None
    assert after["live"]["publication"] == done["publication"] and after["live"]["published_by"] == "ada"
    assert after["live"]["note"] == "adds a tag" and after["live"]["origin"] == "designer"
    assert after["files"] == with_field(docs())
    # the files were not touched, and a restarted process keeps serving the published set
    assert '"tag"' not in (designer.folder / "notes.json").read_text()
    restarted = designer.client(make_app(designer.folder), designer.walt)
    assert field_names(restarted) == ["title", "body", "tag"]
    assert designer.ada.get("/api/admin/definitions").get_json()["valid"] is True


def test_a_stale_draft_is_refused_with_the_other_admins_changes(designer):
    bob = designer.admin("bob")
    base = state_of(designer.ada)["live"]["signature"]
    put_draft(designer.ada, base, with_field(docs(), "tag", "Tag"))
    put_draft(bob, base, with_field(docs(), "mood", "Mood"))
    assert publish(bob, base).status_code == 200
    response = publish(designer.ada, base, lang="zh_CN")
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "stale_draft"
    assert body["live"]["published_by"] == "bob"
    assert "mood" in body["their_changes"]["diff"]["notes.json"]
    assert any("Mood" in line for line in body["their_changes"]["summary"]), body["their_changes"]
    assert field_names(designer.ada) == ["title", "body", "mood"]  # bob's set, never overwritten
    draft = state_of(designer.ada)["draft"]
    assert draft is not None and draft["stale"] is True  # ada's draft is kept


def test_two_publishes_at_once_one_wins_the_other_is_told(designer, make_app):
    bob = designer.admin("bob")
    second = designer.client(make_app(designer.folder), bob)  # bob publishes through another process
    base = state_of(designer.ada)["live"]["signature"]
    put_draft(designer.ada, base, with_field(docs(), "tag", "Tag"))
    put_draft(second, base, with_field(docs(), "mood", "Mood"))
    answers = {}
    start = threading.Barrier(2)

    def run(name, client):
        start.wait()
        answers[name] = publish(client, base)

    threads = [threading.Thread(target=run, args=("ada", designer.ada)),
               threading.Thread(target=run, args=("bob", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(a.status_code for a in answers.values())
    assert codes == [200, 409], {k: (v.status_code, v.get_json()) for k, v in answers.items()}
    winner = next(k for k, v in answers.items() if v.status_code == 200)
    loser = answers["bob" if winner == "ada" else "ada"].get_json()
    assert loser["error"]["code"] == "stale_draft" and loser["live"]["published_by"] == winner
    expected = "tag" if winner == "ada" else "mood"
    assert field_names(designer.ada) == ["title", "body", expected]
    assert len([v for v in versions(designer.ada) if v["origin"] == "designer"]) == 1


def versions(client, query=""):
    response = client.get(f"/api/admin/designer/versions{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_problems_are_refused_and_the_draft_kept(designer):
    state = state_of(designer.ada)
    sources = state["files"]
    sources["notes.json"]["forms"][0]["fields"][0]["type"] = "nonsense"
    put_draft(designer.ada, state["live"]["signature"], sources)
    response = publish(designer.ada, lang="zh_CN")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_definition"
    assert error["problems"][0]["pointer"] == "/forms/0/fields/0/type"
    assert state_of(designer.ada)["draft"] is not None
    assert state_of(designer.ada)["live"] == state["live"]


def test_removing_a_stage_that_holds_records_is_refused_with_counts(designer):
    designer.walt.create("note", title="one")
    designer.walt.create("note", title="two")
    state = state_of(designer.ada)
    sources = state["files"]
    workflow = sources["notes.json"]["forms"][0]["workflow"]
    workflow["stages"][0]["name"] = "new"
    workflow["initial"] = "new"
    workflow["transitions"][0]["from"] = "new"
    put_draft(designer.ada, state["live"]["signature"], sources)
    review = designer.ada.get("/api/admin/designer/review").get_json()
    assert review["plan"]["refusals"] and "2" in review["plan"]["refusals"][0]
    response = publish(designer.ada, lang="en")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "schema_change_refused"
    assert any("2" in r and "open" in r.lower() for r in error["refusals"]), error["refusals"]
    after = state_of(designer.ada)
    assert after["live"] == state["live"] and after["draft"] is not None
    records = designer.walt.get("/api/forms/note/records").get_json()["items"]
    assert {r["stage"] for r in records} == {"open"}


def test_removing_a_form_with_records_is_refused(designer):
    designer.walt.create("memo", title="kept")
    state = state_of(designer.ada)
    sources = state["files"]
    del sources["extra.json"]
    put_draft(designer.ada, state["live"]["signature"], sources)
    response = publish(designer.ada, lang="zh_CN")
    assert response.status_code == 409
    refusals = response.get_json()["error"]["refusals"]
    assert refusals and "1" in refusals[0] and any("\u4e00" <= c <= "\u9fff" for c in refusals[0]), refusals
    assert state_of(designer.ada)["live"] == state["live"]
    assert designer.walt.get("/api/forms/memo/records").get_json()["items"][0]["fields"]["title"] == "kept"


def test_a_draft_of_the_live_documents_publishes_nothing_new(designer):
    state = state_of(designer.ada)
    put_draft(designer.ada, state["live"]["signature"], state["files"])
    before = versions(designer.ada)
    response = publish(designer.ada)
    assert response.status_code == 200
    assert response.get_json()["publication"] == state["live"]["publication"]
    assert response.get_json()["signature"] == state["live"]["signature"]
    assert versions(designer.ada) == before


def test_versions_mark_the_live_one_and_restore_publishes_an_old_one_again(designer, make_app):
    first = state_of(designer.ada)["live"]
    put_draft(designer.ada, first["signature"], with_field(docs()))
    second = publish(designer.ada, note="tag").get_json()
    listed = versions(designer.ada)
    assert [v["publication"] for v in listed][:2] == [second["publication"], first["publication"]]
    assert [v["live"] for v in listed][:2] == [True, False]
    assert listed[0]["origin"] == "designer" and listed[0]["published_by"] == "ada" and listed[0]["note"] == "tag"
    assert listed[1]["published_by"] is None  # from the files
    assert versions(designer.ada, f"?before={second['publication']}&limit=1") == [listed[1]]
    detail = designer.ada.get(f"/api/admin/designer/versions/{first['publication']}").get_json()
    assert detail["files"] == docs() and detail["live"] is False
    diff = designer.ada.get(f"/api/admin/designer/diff?from={first['publication']}&to={second['publication']}")
    assert diff.status_code == 200 and "tag" in diff.get_json()["diff"]["notes.json"]
    assert diff.get_json()["summary"]
    # restoring is publishing the old texts again, as a new publication
    other = designer.client(make_app(designer.folder), designer.walt)
    assert field_names(other) == ["title", "body", "tag"]
    response = designer.ada.post(f"/api/admin/designer/versions/{first['publication']}/restore",
                                 json={"note": "back", "base_signature": second["signature"]})
    assert response.status_code == 200, response.get_json()
    restored = response.get_json()
    assert restored["signature"] == first["signature"] and restored["publication"] > second["publication"]
    top = versions(designer.ada)[0]
    assert top["origin"] == "restore" and top["restored_from"] == first["publication"] and top["live"]
    assert field_names(other) == ["title", "body"]
    # the same 409 rule: a restore against a base that is no longer live is refused
    stale = designer.ada.post(f"/api/admin/designer/versions/{second['publication']}/restore",
                              json={"base_signature": second["signature"]})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_draft"
    assert designer.ada.post("/api/admin/designer/versions/999999/restore", json={}).status_code == 404


def test_restoring_a_version_that_would_lose_data_is_refused(designer):
    first = state_of(designer.ada)["live"]
    sources = docs()
    sources["notes.json"]["forms"].append({
        "name": "idea", "title": "Idea", "title_field": "title",
        "fields": [{"name": "title", "type": "text", "label": "Title"}],
        "permissions": {"writer": {"create": True, "read": "all", "update": "all", "delete": "all"}}})
    put_draft(designer.ada, first["signature"], sources)
    assert publish(designer.ada).status_code == 200
    designer.walt.create("idea", title="keep me")
    response = designer.ada.post(f"/api/admin/designer/versions/{first['publication']}/restore",
                                 json={"base_signature": state_of(designer.ada)["live"]["signature"]})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "schema_change_refused"
    assert field_names(designer.walt, "idea") == ["title"]


def test_rebase_keeps_both_sides_and_reports_conflicts(designer):
    bob = designer.admin("bob")
    base = state_of(designer.ada)["live"]["signature"]
    mine = with_field(docs(), "tag", "Tag")
    mine["notes.json"]["title"] = "My notes"
    put_draft(designer.ada, base, mine)
    theirs = with_field(docs(), "mood", "Mood")
    theirs["notes.json"]["title"] = "Their notes"
    put_draft(bob, base, theirs)
    assert publish(bob).status_code == 200
    response = designer.ada.post("/api/admin/designer/rebase")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    merged = body["draft"]["sources"]["notes.json"]
    # each side's new field where it put it (both after "body": theirs, then mine right after body)
    assert [f["name"] for f in merged["forms"][0]["fields"]] == ["title", "body", "tag", "mood"]
    assert merged["title"] == "My notes"
    assert [(c["file"], c["pointer"]) for c in body["conflicts"]] == [("notes.json", "/title")]
    assert body["conflicts"][0]["message"]
    assert body["draft"]["base_signature"] == body["live"]["signature"] and body["draft"]["stale"] is False
    assert publish(designer.ada).status_code == 200
    assert field_names(designer.ada) == ["title", "body", "tag", "mood"]


def test_review_says_what_the_draft_changes_in_the_callers_language(designer):
    state = state_of(designer.ada)
    put_draft(designer.ada, state["live"]["signature"], with_field(state["files"], "wechat", "微信号"))
    review = designer.ada.get("/api/admin/designer/review?lang=zh_CN").get_json()
    assert review["problems"] == [] and review["stale"] is False
    assert review["base_signature"] == review["live_signature"] == state["live"]["signature"]
    assert any("微信号" in line for line in review["summary"]), review["summary"]
    assert '"wechat"' in review["diff"]["notes.json"]
    assert any("微信号" in line for line in review["plan"]["changes"]) and review["plan"]["refusals"] == []
    english = designer.ada.get("/api/admin/designer/review?lang=en").get_json()
    assert english["summary"] != review["summary"]
    bob = designer.admin("bob")
    put_draft(bob, state["live"]["signature"], with_field(docs(), "mood", "Mood"))
    assert publish(bob).status_code == 200
    assert designer.ada.get("/api/admin/designer/review").get_json()["stale"] is True
    assert designer.ada.delete("/api/admin/designer/draft").status_code == 200
    assert designer.ada.get("/api/admin/designer/review").status_code == 404


def test_a_publish_reaches_a_host_with_its_own_copy_of_the_files(designer, make_app, tmp_path):
    import shutil

    copy = tmp_path / "host_b" / "configs"
    shutil.copytree(designer.folder, copy)  # no shared file system: host B has its own files
    host_b = designer.client(make_app(copy), designer.walt)
    assert field_names(host_b) == ["title", "body"]
    state = state_of(designer.ada)
    put_draft(designer.ada, state["live"]["signature"], with_field(state["files"]))
    assert publish(designer.ada).status_code == 200
    assert field_names(host_b) == ["title", "body", "tag"]
    restarted_b = designer.client(make_app(copy), designer.walt)
    assert field_names(restarted_b) == ["title", "body", "tag"]
    assert (copy / "notes.json").read_text(encoding="utf-8") == (designer.folder / "notes.json").read_text(
        encoding="utf-8")
