"""Every comment is bounded like a record comment (2,000 characters): a transition's and a
task decision's too, so a megabyte of text is not stored in tasks, history and notices; a
long unknown name a task is handed to is quoted cut in the refusal."""
from __future__ import annotations

from tests.workflows.claims import CHECKERS, URL, step

LONG = "c" * 2001


def test_a_transition_comment_over_the_limit_is_refused(build):
    app, cast = build([step(CHECKERS)])
    record = cast["ann"].create("claim", subject="Taxi")
    answer = cast["ann"].post(f"{URL}/{record['id']}/transitions/submit", json={"comment": LONG})
    assert answer.status_code == 422
    assert "2000" in answer.get_json()["error"]["fields"]["comment"][0]
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] != "approval"


def test_a_task_comment_over_the_limit_is_refused_also_in_a_batch(submit_claim, build):
    app, cast = build([step(CHECKERS)])
    record = submit_claim(cast["ann"])
    (task,) = cast["bob"].get("/api/tasks?status=open").get_json()
    answer = cast["bob"].post(f"/api/tasks/{task['id']}/approve", json={"comment": LONG})
    assert answer.status_code == 422
    # the batch's one comment is checked once, before any task: the whole request is refused at `comment`
    batch = cast["bob"].post("/api/tasks/approve", json={"ids": [task["id"]], "comment": LONG})
    assert batch.status_code == 422 and list(batch.get_json()["error"]["fields"]) == ["comment"]
    assert cast["bob"].get("/api/tasks?status=open").get_json()[0]["id"] == task["id"]  # still open
    assert cast["ann"].get(f"{URL}/{record['id']}").get_json()["stage"] != "approved"


def test_handing_a_task_to_a_long_unknown_name_quotes_it_cut(submit_claim, build):
    app, cast = build([step(CHECKERS)])
    submit_claim(cast["ann"])
    (task,) = cast["bob"].get("/api/tasks?status=open").get_json()
    answer = cast["bob"].post(f"/api/tasks/{task['id']}/reassign", json={"to": "z" * 200_000})
    assert answer.status_code == 422
    assert len(answer.get_data()) < 2000 and "…" in answer.get_json()["error"]["fields"]["to"][0]
