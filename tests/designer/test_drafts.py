"""Drafts: saved per admin, never touching the live set; checked like `engine validate`, with
problems at their JSON pointers in the caller's language."""
from __future__ import annotations

from tests.designer.conftest import docs


def live_state(client):
    response = client.get("/api/admin/designer")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_designer_state_has_the_live_documents_and_no_draft(designer):
    state = live_state(designer.ada)
    assert state["draft"] is None
    assert state["files"] == docs()
    assert list(state["files"]["notes.json"]) == list(docs()["notes.json"])  # key order kept
    assert state["live"]["publication"] is not None and len(state["live"]["signature"]) == 64


def test_a_saved_draft_comes_back_and_leaves_the_live_set_alone(designer):
    state = live_state(designer.ada)
    sources = state["files"]
    sources["notes.json"]["forms"][0]["fields"].append({"name": "tag", "type": "text", "label": "Tag"})
    response = designer.ada.client.put("/api/admin/designer/draft", json={
        "base_signature": state["live"]["signature"], "sources": sources},
        headers={"Authorization": f"Bearer {designer.ada.token}"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["problems"] == []
    again = live_state(designer.ada)
    assert again["draft"]["sources"] == sources and again["draft"]["problems"] == []
    assert again["draft"]["base_signature"] == state["live"]["signature"]
    assert again["live"] == state["live"]
    forms = designer.ada.get("/api/forms").get_json()
    assert [f["name"] for f in next(f for f in forms if f["name"] == "note")["fields"]] == ["title", "body"]
    assert designer.ada.delete("/api/admin/designer/draft").status_code == 200
    assert live_state(designer.ada)["draft"] is None


def put(client, body, lang="en"):
    return client.client.put(f"/api/admin/designer/draft?lang={lang}", json=body,
                             headers={"Authorization": f"Bearer {client.token}"})


def test_problems_carry_file_pointer_and_the_callers_language(designer):
    state = live_state(designer.ada)
    sources = state["files"]
    sources["notes.json"]["forms"][0]["fields"][1]["type"] = "nonsense"
    body = {"base_signature": state["live"]["signature"], "sources": sources}
    english = put(designer.ada, body, "en").get_json()["problems"]
    chinese = put(designer.ada, body, "zh_CN").get_json()["problems"]
    assert [(p["file"], p["pointer"]) for p in english] == [("notes.json", "/forms/0/fields/1/type")]
    assert [(p["file"], p["pointer"]) for p in chinese] == [("notes.json", "/forms/0/fields/1/type")]
    assert "nonsense" in english[0]["message"] and english[0]["message"].isascii()
    assert chinese[0]["message"] != english[0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese[0]["message"]), chinese[0]["message"]
    # the draft is kept although it is invalid, and the live set still serves
    assert live_state(designer.ada)["draft"]["problems"][0]["pointer"] == "/forms/0/fields/1/type"


def test_check_validates_without_saving(designer):
    sources = docs()
    sources["notes.json"]["forms"][0]["title_field"] = "missing"
    response = designer.ada.post("/api/admin/designer/check?lang=zh_CN", json={"sources": sources})
    assert response.status_code == 200
    problems = response.get_json()["problems"]
    assert problems and problems[0]["file"] == "notes.json" and problems[0]["pointer"] == "/forms/0/title_field"
    assert live_state(designer.ada)["draft"] is None
    assert designer.ada.post("/api/admin/designer/check", json={"sources": docs()}).get_json() == {"problems": []}


def test_bad_shapes_are_problems_of_their_file(designer):
    response = designer.ada.post("/api/admin/designer/check", json={"sources": {
        "notes.json": [], "../evil.json": {}, "x.txt": {}}})
    problems = response.get_json()["problems"]
    assert {(p["file"], p["pointer"]) for p in problems} == {("notes.json", ""), ("../evil.json", ""), ("x.txt", "")}
    nothing = designer.ada.post("/api/admin/designer/check", json={"sources": {}}).get_json()["problems"]
    assert nothing[0]["pointer"] == ""
    assert designer.ada.post("/api/admin/designer/check", json={"sources": []}).status_code == 400


def test_a_draft_on_an_unknown_base_is_refused(designer):
    response = put(designer.ada, {"base_signature": "0" * 64, "sources": docs()})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "unknown_base"


def test_drafts_are_per_admin(designer):
    other = designer.admin("bob")
    state = live_state(designer.ada)
    assert put(designer.ada, {"base_signature": state["live"]["signature"], "sources": docs()}).status_code == 200
    assert live_state(other)["draft"] is None
    assert live_state(designer.ada)["draft"] is not None


def test_only_admins(designer):
    walt = designer.walt
    assert walt.get("/api/admin/designer").status_code == 403
    assert put(walt, {"base_signature": "x", "sources": {}}).status_code == 403
    assert walt.delete("/api/admin/designer/draft").status_code == 403
    assert walt.post("/api/admin/designer/check", json={"sources": {}}).status_code == 403
    assert walt.get("/api/admin/designer/review").status_code == 403
    assert walt.post("/api/admin/designer/publish", json={}).status_code == 403
    assert walt.post("/api/admin/designer/rebase").status_code == 403
    assert walt.get("/api/admin/designer/versions").status_code == 403
    assert walt.get("/api/admin/designer/versions/1").status_code == 403
    assert walt.get("/api/admin/designer/diff?from=1&to=1").status_code == 403
    assert walt.post("/api/admin/designer/versions/1/restore", json={}).status_code == 403


def test_a_draft_larger_than_the_usual_json_limit_is_taken(designer):
    state = live_state(designer.ada)
    sources = state["files"]
    sources["notes.json"]["forms"][0]["fields"][1]["help"] = "长" * 600_000  # ~1.8 MB as UTF-8
    response = put(designer.ada, {"base_signature": state["live"]["signature"], "sources": sources})
    assert response.status_code == 200, response.status_code
    assert live_state(designer.ada)["draft"]["sources"] == sources
    too_big = designer.ada.post("/api/forms/note/records", json={"fields": {"title": "长" * 600_000}})
    assert too_big.status_code == 413  # other endpoints keep ENGINE_MAX_JSON_BODY


def test_a_draft_keeps_key_order_and_unknown_keys(designer):
    state = live_state(designer.ada)
    sources = state["files"]
    field = sources["notes.json"]["forms"][0]["fields"][0]
    sources["notes.json"]["forms"][0]["fields"][0] = {"label": field["label"], "x-note": {"z": 1, "a": [2, 1]},
                                                      **{k: v for k, v in field.items() if k != "label"}}
    put(designer.ada, {"base_signature": state["live"]["signature"], "sources": sources})
    saved = live_state(designer.ada)["draft"]["sources"]["notes.json"]["forms"][0]["fields"][0]
    assert list(saved) == ["label", "x-note", "name", "type", "required"]
    assert list(saved["x-note"]) == ["z", "a"]


def test_a_draft_saved_in_another_window_is_never_overwritten(designer):
    """Two windows of one admin: each save names the draft it started from (`draft_updated_at`); the
    window that is behind gets 409 draft_changed, and the other window's draft stays as saved."""
    state = live_state(designer.ada)
    base = state["live"]["signature"]
    first, second = docs(), docs()
    first["notes.json"]["title"] = "From window one"
    second["notes.json"]["title"] = "From window two"
    # both windows opened with no draft; window one saves first
    saved = put(designer.ada, {"base_signature": base, "sources": first, "draft_updated_at": None})
    assert saved.status_code == 200, saved.get_json()
    behind = put(designer.ada, {"base_signature": base, "sources": second, "draft_updated_at": None})
    assert behind.status_code == 409 and behind.get_json()["error"]["code"] == "draft_changed"
    assert live_state(designer.ada)["draft"]["sources"]["notes.json"]["title"] == "From window one"
    # window one goes on from its own save; window two, reloaded, from the newest one
    stamp = saved.get_json()["updated_at"]
    assert live_state(designer.ada)["draft"]["updated_at"] == stamp
    again = put(designer.ada, {"base_signature": base, "sources": first, "draft_updated_at": stamp})
    assert again.status_code == 200, again.get_json()
    stale = put(designer.ada, {"base_signature": base, "sources": second, "draft_updated_at": stamp})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "draft_changed"
    newest = live_state(designer.ada)["draft"]["updated_at"]
    assert put(designer.ada, {"base_signature": base, "sources": second,
                              "draft_updated_at": newest}).status_code == 200
    # discarded (or published) in another window: a save naming the old draft does not bring it back
    assert designer.ada.delete("/api/admin/designer/draft").status_code == 200
    gone = put(designer.ada, {"base_signature": base, "sources": first, "draft_updated_at": newest})
    assert gone.status_code == 409 and live_state(designer.ada)["draft"] is None
    # a bad stamp is a 400; without the key (API clients, scripts) a save simply replaces the draft
    bad = {"base_signature": base, "sources": first, "draft_updated_at": "yesterday"}
    assert put(designer.ada, bad).status_code == 400
    assert put(designer.ada, {"base_signature": base, "sources": first}).status_code == 200
