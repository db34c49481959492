"""Taking part in an approval grants read access only while the part lasts (SPEC §5, §7):
an open task grants it; a task the person decided (approve, reject, send back) keeps it, so
what is under 已办 stays readable; a task handed on, closed because another approver
decided, or withdrawn grants nothing any more; a copy (抄送) grants it for good.
Checked on the record API, the list API and its search, the record page and the inbox."""
from __future__ import annotations

import pytest

from tests.workflows.claims import URL, step


@pytest.fixture
def reads(login, build):
    """reads(app, cast) → reads(name, record_id): where that user can see the record."""

    def make(app, cast):
        pages = {}

        def check(name: str, record_id: int) -> dict[str, bool]:
            client = cast[name]
            listing = client.get(f"{URL}?per_page=200")
            search = client.get(f"{URL}?q=Trip")
            if name not in pages:
                pages[name] = app.test_client()
                assert login(pages[name], name, f"{name}-password").status_code == 302
            ids = [r["id"] for r in listing.get_json()["items"]] if listing.status_code == 200 else []
            found = [r["id"] for r in search.get_json()["items"]] if search.status_code == 200 else []
            return {"api": client.get(f"{URL}/{record_id}").status_code == 200,
                    "list": record_id in ids, "search": record_id in found,
                    "page": pages[name].get(f"/f/claim/{record_id}").status_code == 200}
        return check
    return make


EVERYWHERE = {"api": True, "list": True, "search": True, "page": True}
NOWHERE = {"api": False, "list": False, "search": False, "page": False}


def task_of(client) -> dict:
    (task,) = client.get("/api/tasks?status=open").get_json()
    return task


def test_handing_a_task_on_ends_read_access(submit_claim, login, build, reads):
    app, cast = build([step([{"user": "dan"}])])
    check = reads(app, cast)
    record = submit_claim(cast["ann"])
    assert check("dan", record["id"]) == EVERYWHERE and check("eve", record["id"]) == NOWHERE
    task = task_of(cast["dan"])
    # a hand-on may not widen who reads the record: eve reads claims only by taking part
    assert cast["dan"].post(f"/api/tasks/{task['id']}/reassign", json={"to": "eve"}).status_code == 422
    assert check("eve", record["id"]) == NOWHERE
    assert cast["dan"].post(f"/api/tasks/{task['id']}/reassign", json={"to": "cat"}).status_code == 200
    assert check("dan", record["id"]) == NOWHERE
    assert check("cat", record["id"]) == EVERYWHERE
    # 已办 still lists the hand-over, without the record's title or a link to it
    (done,) = cast["dan"].get("/api/tasks?status=done").get_json()
    assert (done["status"], done["readable"], done["title"]) == ("reassigned", False, f"#{record['id']}")
    inbox = app.test_client()
    login(inbox, "dan", "dan-password")
    text = inbox.get("/tasks?tab=done").get_data(as_text=True)
    assert "Trip" not in text and f"/f/claim/{record['id']}" not in text


@pytest.mark.parametrize("action", ["approve", "reject", "send_back"])
def test_a_decision_keeps_read_access(submit_claim, build, reads, action):
    app, cast = build([step([{"user": "dan"}])])
    check = reads(app, cast)
    record = submit_claim(cast["ann"])
    task = task_of(cast["dan"])
    assert cast["dan"].post(f"/api/tasks/{task['id']}/{action}", json={"comment": "seen"}).status_code == 200
    assert check("dan", record["id"]) == EVERYWHERE
    (done,) = cast["dan"].get("/api/tasks?status=done").get_json()
    assert done["readable"] is True and done["title"] == "Trip"


def test_a_task_closed_by_another_approver_ends_read_access(submit_claim, build, reads):
    app, cast = build([step([{"user": "dan"}, {"user": "eve"}])])  # mode any
    check = reads(app, cast)
    record = submit_claim(cast["ann"])
    task = task_of(cast["dan"])
    assert cast["dan"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    assert check("dan", record["id"]) == EVERYWHERE
    assert check("eve", record["id"]) == NOWHERE


def test_a_withdrawn_approval_ends_read_access(submit_claim, build, reads):
    app, cast = build([step([{"user": "dan"}])])
    check = reads(app, cast)
    record = submit_claim(cast["ann"])
    assert cast["ann"].post(f"{URL}/{record['id']}/withdraw", json={}).status_code == 200
    assert check("dan", record["id"]) == NOWHERE


def test_a_copy_keeps_read_access(submit_claim, build, reads):
    app, cast = build([{**step([{"user": "dan"}]), "cc": [{"user": "eve"}]}])
    check = reads(app, cast)
    record = submit_claim(cast["ann"])
    task = task_of(cast["dan"])
    cast["dan"].post(f"/api/tasks/{task['id']}/approve", json={})
    assert check("eve", record["id"]) == EVERYWHERE
