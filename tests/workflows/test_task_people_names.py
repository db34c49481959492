"""Task refusals name people as people know them (display name and user name), not by the
bare user name alone."""
from __future__ import annotations

from sqlalchemy import update

from engine.store.system import users


def act(client, task_id, action, **body):
    return client.post(f"/api/tasks/{task_id}/{action}", json=body, headers={"Accept-Language": "zh-CN"})


def test_task_refusals_show_display_names(open_tasks, submit, app, people, admin):
    db = app.extensions["engine"].db
    with db.transaction() as session:
        session.execute(update(users).where(users.c.name == "fin1").values(display_name="财务一"))
        session.execute(update(users).where(users.c.name == "fin2").values(display_name="财务二"))
    submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    taken = act(admin, task["id"], "approve")
    assert taken.status_code == 403
    assert "财务一 (fin1)" in taken.get_json()["error"]["message"]
    twice = act(people["fin1"], task["id"], "reassign", to="fin2")
    assert twice.status_code == 409 and "财务二 (fin2)" in twice.get_json()["error"]["message"]

