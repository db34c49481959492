"""@mentions in record comments: each mentioned user who may read the record is told once
(kind `mention`, the title as they may read it), nobody else and never the author; the
comment box's completion lists only readers; a mention reaches the chat robots with the @."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select, update

from engine.notify import delivery
from engine.notify.addresses import set_addresses
from engine.notify.rendering import render
from engine.store.system import notifications, users

MODULE = {
    "module": "desk", "title": "Desk",
    "roles": [{"name": "staff", "title": "Staff"}, {"name": "guest", "title": "Guest"},
              {"name": "rep", "title": "Rep"}, {"name": "outsider", "title": "Outsider"}],
    "forms": [{
        "name": "note", "title": "Note", "title_field": "subject", "owner_field": "owner",
        "fields": [{"name": "subject", "type": "text", "label": "Subject", "required": True},
                   {"name": "secret", "type": "text", "label": "Secret"},
                   {"name": "owner", "type": "user", "label": "Owner", "default": "$user"}],
        "permissions": {"staff": {"create": True, "read": "all", "update": "all"},
                        "guest": {"read": "all", "hide": ["secret"]},
                        "rep": {"read": "own"}},
    }, {
        "name": "memo", "title": "Memo", "title_field": "text",
        "fields": [{"name": "text", "type": "text", "label": "Text"}],
        "permissions": {"outsider": {"create": True, "read": "all"}},
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "desk", MODULE)
    return make_app(tmp_path / "desk", ENGINE_BASE_URL="https://erp.example.cn")


@pytest.fixture
def people(app, make_user):
    """al (staff) writes; bo (staff), zw (guest, 张伟: a field hidden), rep1 (rep, not the
    owner) and out (no read on notes) are mentioned."""
    made = {name: make_user(name, role) for name, role in
            (("al", "staff"), ("bo", "staff"), ("zw", "guest"), ("rep1", "rep"), ("out", "outsider"))}
    with app.extensions["engine"].db.transaction() as session:
        for name, display in (("al", "李雷"), ("zw", "张伟")):
            session.execute(update(users).where(users.c.name == name).values(display_name=display))
    return made


def _mentions(app) -> list[dict[str, Any]]:
    with app.extensions["engine"].db.session() as session:
        return [dict(r) for r in session.execute(select(notifications).where(
            notifications.c.kind == "mention").order_by(notifications.c.user_name)).mappings()]


def test_a_comment_tells_each_mentioned_reader_once_and_nobody_else(app, people):
    al = people["al"]
    note = al.create("note", subject="Printer")
    said = "@bo 请看 @张伟请确认 @rep1 @out @al @nobody @bo again, @zwx @bob"
    answer = al.post(f"/api/forms/note/records/{note['id']}/comments", json={"comment": said})
    assert answer.status_code == 201
    told = _mentions(app)
    assert [(n["user_name"], n["form"], n["record_id"]) for n in told] == [
        ("bo", "note", note["id"]), ("zw", "note", note["id"])]
    assert told[0]["params"]["actor"] == "李雷"
    assert render("mention", told[0]["params"]) == f"李雷 在 Note Printer 中提到了你：{said}"
    assert render("mention", told[1]["params"]) == f"李雷 在 Note Printer 中提到了你：{said}"
    assert render("mention", told[0]["params"], locale="en").startswith("李雷 mentioned you in Note Printer: @bo")


def test_the_owner_rep_may_read_and_is_told_others_are_not(app, people):
    al = people["al"]
    theirs = al.create("note", subject="Rep's", owner="rep1")
    al.post(f"/api/forms/note/records/{theirs['id']}/comments", json={"comment": "@rep1 and @out, look"})
    assert [n["user_name"] for n in _mentions(app)] == ["rep1"]


def test_a_mention_from_the_comment_page_and_without_any_at_tells_nobody(app, people, login, csrf_from):
    al = people["al"]
    note = al.create("note", subject="Printer")
    al.post(f"/api/forms/note/records/{note['id']}/comments", json={"comment": "no mention, mail ops@bo.example"})
    assert _mentions(app) == []
    client = app.test_client()
    login(client, "al", "al-password")
    page = client.get(f"/f/note/{note['id']}").get_data(as_text=True)
    assert f'data-mentions="/api/forms/note/records/{note["id"]}/mentionable"' in page
    posted = client.post(f"/f/note/{note['id']}/comment", data={"csrf_token": csrf_from(page), "comment": "@张伟 ok"})
    assert posted.status_code == 302
    assert [n["user_name"] for n in _mentions(app)] == ["zw"]


def test_mentionable_lists_only_readers_but_the_caller(app, people):
    al = people["al"]
    note = al.create("note", subject="Printer")
    url = f"/api/forms/note/records/{note['id']}/mentionable"
    assert al.get(url).get_json() == {"items": [{"name": "admin", "display": "admin"},  # reads everything
                                                {"name": "bo", "display": "bo"},
                                                {"name": "zw", "display": "张伟"}]}
    assert al.get(url + "?q=张").get_json() == {"items": [{"name": "zw", "display": "张伟"}]}
    assert al.get(url + "?q=B").get_json() == {"items": [{"name": "bo", "display": "bo"}]}
    assert al.get(url + "?q=%25").get_json() == {"items": []}  # a LIKE wildcard is text
    assert people["bo"].get(url + "?q=李").get_json() == {"items": [{"name": "al", "display": "李雷"}]}
    assert people["out"].get(url).status_code == 404  # may not read the record
    assert people["rep1"].get(url).status_code == 404


def test_mentionable_asks_once_per_role_set_not_once_per_person(app, people):
    from sqlalchemy import event

    from engine.auth.users import create_user

    db = app.extensions["engine"].db
    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()
    al = people["al"]
    note = al.create("note", subject="Printer")
    url = f"/api/forms/note/records/{note['id']}/mentionable?q=x"

    def asked() -> tuple[int, list[str]]:
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        for engine in engines:
            event.listen(engine, "before_cursor_execute", count)
        try:
            items = al.get(url).get_json()["items"]
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", count)
        return len(statements), [i["name"] for i in items]

    def add(names: list[tuple[str, str]]) -> None:
        with db.transaction() as session:
            for name, role in names:
                create_user(session, name, None, {role})

    def name(role: str, i: int) -> str:  # the outsiders, who may not read it, listed first
        return f"xa{i:02}" if role == "outsider" else f"xb{i:02}{role[0]}"

    roles = ("outsider", "guest", "staff")
    add([(name(role, 0), role) for role in roles])
    asked()
    few, found = asked()
    assert found == ["xb00g", "xb00s"]
    add([(name(role, i), role) for i in range(1, 30) for role in roles])
    many, found = asked()
    assert many == few  # 90 people of 3 role sets: a question per role set, as for 3 people
    assert found == [name(role, i) for i in range(5) for role in ("guest", "staff")]


def test_mentionable_asks_about_people_whose_rule_names_them_one_by_one_up_to_a_cap(app, people, monkeypatch):
    from engine.auth.users import create_user
    from engine.services import mentions

    db = app.extensions["engine"].db
    with db.transaction() as session:
        for name in ("rep2", "rep3"):
            create_user(session, name, None, {"rep"})
    theirs = people["al"].create("note", subject="Rep's", owner="rep3")
    url = f"/api/forms/note/records/{theirs['id']}/mentionable?q=rep"
    assert people["al"].get(url).get_json()["items"] == [{"name": "rep3", "display": "rep3"}]  # the owner
    monkeypatch.setattr(mentions, "MAX_OWN_CHECKS", 2)  # rep1 and rep2 asked; rep3 left out
    assert people["al"].get(url).get_json()["items"] == []


class Robot:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                robot.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                data = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_mention_reaches_the_group_robot_with_the_at(app, people):
    robot = Robot()
    try:
        db = app.extensions["engine"].db
        with db.transaction() as session:
            bo_id = session.execute(select(users.c.id).where(users.c.name == "bo")).scalar_one()
            set_addresses(session, bo_id, {"wecom": "BoWeCom"})
        note = people["al"].create("note", subject="Printer")
        people["al"].post(f"/api/forms/note/records/{note['id']}/comments", json={"comment": "@bo 请看"})
        (told,) = _mentions(app)
        channels = delivery.Channels.from_settings({"ENGINE_WECOM_ROBOTS": json.dumps({"staff": robot.url}),
                                                    "ENGINE_BASE_URL": "https://erp.example.cn"})
        delivery.plan(db, channels, told["created_at"])
        assert [line.split()[0] for line in delivery.send_due(db, channels, told["created_at"])] == ["sent"]
        (body,) = robot.bodies
        # a group robot: who wrote what about which record stays in the app
        assert body["markdown"]["content"] == (
            f"**有人在评论中提到了你**\n[查看记录](https://erp.example.cn/f/note/{note['id']})\n<@BoWeCom>")
    finally:
        robot.server.shutdown()
        robot.server.server_close()
