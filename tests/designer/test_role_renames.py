"""Renaming a role moves the users who hold it (`renamed_from` on the role, applied in the same
transaction as the rest of the set); removing a role users still hold is refused with their
number and changes nothing; a role nobody holds can go. Through the designer (publish, review)
and through the config files (reload), on SQLite and PostgreSQL."""
from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from engine.auth.users import get_user
from engine.errors import DefinitionError
from engine.store.system import user_roles
from tests.designer.conftest import docs
from tests.designer.review_module import load, module
from tests.designer.test_files_rule import edit_file, status
from tests.designer.test_publish import publish, put_draft, state_of


def rename_writer(sources: dict[str, Any]) -> dict[str, Any]:
    """writer → author everywhere, as the designer's roles panel writes it."""
    notes, extra = sources["notes.json"], sources["extra.json"]
    notes["roles"] = [{"name": "author", "title": "Author", "renamed_from": "writer"}]
    for doc in (notes, extra):
        form = doc["forms"][0]
        form["permissions"] = {"author": form["permissions"]["writer"]}
    notes["forms"][0]["workflow"]["transitions"][0]["roles"] = ["author"]
    return sources


def drop_writer(sources: dict[str, Any]) -> dict[str, Any]:
    sources["notes.json"].pop("roles")
    for doc in sources.values():
        doc["forms"][0]["permissions"] = {}
    sources["notes.json"]["forms"][0]["workflow"]["transitions"][0].pop("roles")
    return sources


def roles_of(designer, name: str) -> set[str]:
    with designer.db.session() as session:
        user = get_user(session, name)
        assert user is not None
        return set(user.roles)


def held(designer) -> list[tuple[str, str]]:
    with designer.db.session() as session:
        return sorted(session.execute(select(user_roles.c.role, user_roles.c.user_id)).all())


def review(client, lang: str) -> dict[str, Any]:
    response = client.get(f"/api/admin/designer/review?lang={lang}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def titles(client, form: str = "note") -> list[str]:
    response = client.get(f"/api/forms/{form}/records")
    assert response.status_code == 200, response.get_json()
    return [r["fields"]["title"] for r in response.get_json()["items"]]


def test_publishing_a_role_rename_moves_its_users_who_keep_their_access(designer):
    designer.walt.create("note", title="walt's note")
    designer.walt.create("memo", title="walt's memo")
    assert titles(designer.walt) == ["walt's note"]
    state = state_of(designer.ada)
    base = state["live"]["signature"]
    put_draft(designer.ada, base, rename_writer(state["files"]))

    english, chinese = review(designer.ada, "en"), review(designer.ada, "zh-CN")
    assert english["plan"] == {"changes": ["renames role Writer → Author (2 users moved)"], "refusals": []}
    assert chinese["plan"] == {"changes": ["角色改名 Writer → Author（2 位用户随之改名）"], "refusals": []}
    # one rename line: the permissions and the transition that follow the rename are no change
    assert english["summary"] == ["renamed role Writer (writer) → Author (author)"]
    assert chinese["summary"] == ["角色改名 Writer (writer) → Author (author)"]

    response = publish(designer.ada, base)
    assert response.status_code == 200, response.get_json()
    assert roles_of(designer, "walt") == {"author"}
    assert roles_of(designer, "ada") == {"admin", "author"}
    assert "writer" not in {role for role, _ in held(designer)}
    # the records walt could read before still read, and he may still fire the renamed role's transition
    assert titles(designer.walt) == ["walt's note"]
    assert titles(designer.walt, "memo") == ["walt's memo"]
    note = designer.walt.get("/api/forms/note/records").get_json()["items"][0]
    fired = designer.walt.post(f"/api/forms/note/records/{note['id']}/transitions/finish", json={})
    assert fired.status_code == 200, fired.get_json()

    # once applied, the rename has nothing left to move and the next review does not repeat it
    state = state_of(designer.ada)
    sources = state["files"]
    sources["notes.json"]["forms"][0]["fields"].append({"name": "tag", "type": "text", "label": "Tag"})
    put_draft(designer.ada, state["live"]["signature"], sources)
    assert review(designer.ada, "en")["plan"]["changes"] == ["adds column Tag (Text) to Note"]


def test_a_user_holding_both_names_keeps_one(designer):
    state = state_of(designer.ada)
    sources = rename_writer(state["files"])
    with designer.db.transaction() as session:  # walt was given the new name by hand already
        walt = get_user(session, "walt")
        assert walt is not None
        session.execute(user_roles.insert().values(user_id=walt.id, role="author"))
    put_draft(designer.ada, state["live"]["signature"], sources)
    assert publish(designer.ada, state["live"]["signature"]).status_code == 200
    assert roles_of(designer, "walt") == {"author"}


def test_removing_a_role_users_hold_is_refused_with_their_number_and_changes_nothing(designer):
    state = state_of(designer.ada)
    base = state["live"]["signature"]
    before = held(designer)
    put_draft(designer.ada, base, drop_writer(state["files"]))
    refusal = ("refused: removing role Writer while 2 users hold it (rename it, so that they move with it, or "
               "give them other roles first)")
    assert review(designer.ada, "en")["plan"]["refusals"] == [refusal]
    assert review(designer.ada, "zh-CN")["plan"]["refusals"] == [
        "已拒绝：仍有 2 位用户拥有角色 Writer，不能删除（请改名，用户会随之改名；或先给这些用户分配其他角色）"]
    assert "removed role Writer" in review(designer.ada, "en")["summary"]
    response = publish(designer.ada, base)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "schema_change_refused"
    assert error["refusals"] == [refusal]
    assert state_of(designer.ada)["live"]["signature"] == base
    assert held(designer) == before
    assert titles(designer.walt) == []


def test_a_role_nobody_holds_can_be_removed(designer):
    state = state_of(designer.ada)
    sources = state["files"]
    sources["extra.json"]["roles"] = [{"name": "spare", "title": "Spare"}]
    put_draft(designer.ada, state["live"]["signature"], sources)
    assert publish(designer.ada, state["live"]["signature"]).status_code == 200
    state = state_of(designer.ada)
    sources = state["files"]
    sources["extra.json"].pop("roles")
    put_draft(designer.ada, state["live"]["signature"], sources)
    assert review(designer.ada, "en")["plan"] == {"changes": [], "refusals": []}
    response = publish(designer.ada, state["live"]["signature"])
    assert response.status_code == 200, response.get_json()
    assert "spare" not in json.dumps(state_of(designer.ada)["files"])


def test_changed_files_rename_and_remove_roles_by_the_same_rules(designer):
    edit_file(designer.folder, lambda doc: drop_writer({"notes.json": doc, "extra.json": docs()["extra.json"]}))
    edit_file(designer.folder, lambda doc: doc["forms"][0].update(permissions={}), "extra.json")
    problems = status(designer.ada)["problems"]
    assert any("role 'writer' is held by 2 users and cannot be removed" in p for p in problems), problems
    assert roles_of(designer, "walt") == {"writer"}
    assert titles(designer.walt) == []  # the live set keeps serving

    renamed = rename_writer({"notes.json": docs()["notes.json"], "extra.json": docs()["extra.json"]})
    edit_file(designer.folder, lambda doc: (doc.clear(), doc.update(renamed["notes.json"])))
    edit_file(designer.folder, lambda doc: (doc.clear(), doc.update(renamed["extra.json"])), "extra.json")
    assert status(designer.ada)["problems"] == []
    assert roles_of(designer, "walt") == {"author"}
    assert titles(designer.walt) == []


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load(doc)
    return [str(p) for p in info.value.problems]


def test_renamed_from_must_name_a_role_that_is_gone():
    doc = module()
    doc["roles"][1]["renamed_from"] = "sales"
    assert problems_of(doc) == ["shop.json: /roles/1/renamed_from: 'sales' is still a role; a role can only be "
                                "renamed from a name that is no longer one"]
    doc = module()
    doc["roles"][0]["renamed_from"] = "admin"
    assert [p for p in problems_of(doc) if "renamed_from" in p] == [
        "shop.json: /roles/0/renamed_from: 'admin' is still a role; a role can only be renamed from a name that "
        "is no longer one"]
    doc = module()
    doc["roles"] = [{"name": "sales", "renamed_from": "old"}, {"name": "boss", "renamed_from": "old"}]
    assert problems_of(doc) == ["shop.json: /roles/1/renamed_from: roles 'boss' and 'sales' are both renamed from "
                                "'old'; only one can be"]
    doc = module()
    doc["roles"][0]["renamed_from"] = "seller"
    assert load(doc).role_renames == {"seller": "sales"}


def _renamed_everywhere(value: Any, old: str, new: str) -> Any:
    """The shipped modules with role `old` called `new` wherever a role is named (as the designer's
    roles panel does): permissions keys, `roles` lists (the module's declarations are renamed
    apart), `{"role": ...}` recipients and user fields."""
    if isinstance(value, list):
        return [new if item == old else _renamed_everywhere(item, old, new) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "permissions" and isinstance(item, dict):
                out[key] = {new if k == old else k: _renamed_everywhere(v, old, new) for k, v in item.items()}
            elif key == "role" and item == old:
                out[key] = new
            else:
                out[key] = _renamed_everywhere(item, old, new)
        return out
    return value


def test_a_role_rename_in_the_shipped_modules_reads_as_one_line_wherever_the_role_is_named():
    from pathlib import Path

    from engine.definitions import load_sources
    from engine.definitions.diff import summarize, texts
    from engine.i18n import speaking

    folder = Path(__file__).resolve().parents[2] / "configs"
    live_texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.json"))}
    docs_ = {name: json.loads(text) for name, text in live_texts.items()}
    for role in ("finance", "sales"):  # finance: approvals and recipients; sales: in two modules
        renamed = {name: _renamed_everywhere(doc, role, f"{role}_team") for name, doc in docs_.items()}
        uses = sum(json.dumps(doc).count(f'"{role}_team"') for doc in renamed.values())
        assert uses > 5
        for doc in renamed.values():
            for declared in doc.get("roles", []):
                if declared["name"] == role:
                    declared.update(name=f"{role}_team", renamed_from=role)
        live = load_sources(live_texts)
        draft = load_sources({name: json.dumps(doc, ensure_ascii=False) for name, doc in renamed.items()})
        assert draft.role_renames == {role: f"{role}_team"}
        with speaking("en"):
            title = live.roles[role].title
            assert texts(summarize(live, draft)) == [f"renamed role {title} ({role}) → {title} ({role}_team)"]


def test_engine_init_renames_and_refuses_by_the_same_rules(engine_cli, env, db_url, tmp_path):
    import shutil

    from sqlalchemy import create_engine

    from tests.conftest import SHIPPED
    from tests.designer.conftest import canonical

    folder = tmp_path / "configs"
    shutil.copytree(SHIPPED, folder)
    env = {**env, "ENGINE_CONFIG_DIR": str(folder)}
    path = folder / "crm.json"
    shipped = json.loads(path.read_text(encoding="utf-8"))

    def write_roles(*extra: dict[str, Any]) -> None:
        path.write_text(canonical({**shipped, "roles": [*shipped["roles"], *extra]}), encoding="utf-8")

    def holders() -> list[tuple[str, str]]:
        engine = create_engine(db_url)
        try:
            with engine.connect() as conn:
                return sorted((role, user) for role, user in conn.execute(
                    select(user_roles.c.role, user_roles.c.user_id)).all() if role.startswith(("spare", "extra")))
        finally:
            engine.dispose()

    write_roles({"name": "spare", "title": "Spare"})
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    engine_cli(env, "users", "add", "sam", "--password", "password1", "--roles", "spare,sales", cwd=tmp_path)
    before = holders()
    assert [role for role, _ in before] == ["spare"]

    write_roles()  # spare removed while sam holds it
    refused = engine_cli(env, "init", check=False, cwd=tmp_path)
    assert refused.returncode == 1, refused.stdout
    assert "role 'spare' is held by 1 users and cannot be removed" in refused.stderr
    assert holders() == before

    write_roles({"name": "extra", "title": "Extra", "renamed_from": "spare"})
    done = engine_cli(env, "init", cwd=tmp_path)
    assert "rename role spare → extra" in done.stdout
    assert [role for role, _ in holders()] == ["extra"]
