"""`engine demo` adds exactly the people of the demo data, each with a display name, and the
README and `make run` list every one of them (no unnamed users cluttering the pickers)."""
from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.demo import DemoLoader
from engine.store.system import users
from tests.conftest import SHIPPED

ROOT = Path(__file__).resolve().parents[2]


def _people_only(tmp_path: Path) -> Path:
    doc = json.loads((SHIPPED / "demo" / "demo.json").read_text(encoding="utf-8"))
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"users": doc["users"]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_demo_users_are_the_listed_people_with_display_names(app, tmp_path):
    state = app.extensions["engine"]
    DemoLoader(state.runtime(), state.db, ZoneInfo("Asia/Shanghai")).load([_people_only(tmp_path)])
    with state.db.session() as session:
        rows = session.execute(select(users.c.name, users.c.display_name).where(users.c.name != "admin")).all()
    listed = {u["name"] for u in json.loads((SHIPPED / "demo" / "demo.json").read_text(encoding="utf-8"))["users"]}
    assert {r.name for r in rows} == listed
    assert all(r.display_name for r in rows)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in listed:
        assert name in makefile and name in readme, name


def test_a_role_no_demo_person_has_gets_one_user_titled_like_the_role(app, tmp_path):
    state = app.extensions["engine"]
    runtime = state.runtime()
    DemoLoader(runtime, state.db, ZoneInfo("Asia/Shanghai")).load([])
    with state.db.session() as session:
        rows = dict(session.execute(select(users.c.name, users.c.display_name).where(users.c.name != "admin")).all())
    assert rows == {name: role.title for name, role in runtime.app.roles.items() if name != "admin"}
