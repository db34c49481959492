"""GET /api/tasks (issue #14, point 1): each task with its record's summary as the caller may
read it, the step, the stage, when it opened, how long it has waited and whether it is overdue;
filters by form, step and overdue; the whole list read without a query per task."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import event

from engine.auth.users import get_user
from engine.records.context import open_context
from engine.services.inbox import task_choices
from tests.conftest import FROZEN_NOW
from tests.inbox.conftest import URL, summary_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZH = {"Accept-Language": "zh-CN"}


def test_a_task_shows_the_records_summary_step_and_stage(cast, deal):
    record = deal("Lathes", "1234.5")
    (task,) = cast["fin"].get("/api/tasks", headers=ZH).get_json()
    assert task["record_id"] == record["id"] and task["title"] == "Lathes"
    assert task["summary"] == [
        {"field": "client", "label": "客户", "text": "华东机械"},
        {"field": "amount", "label": "金额", "text": "1,234.50"},
        {"field": "due_on", "label": "交付日期", "text": "2031-06-30"},
        {"field": "seller", "label": "销售", "text": "山姆"},
    ]
    assert task["step"] == "check" and task["step_title"] == "财务审核"
    assert task["stage"] == "review" and task["form_title"] == "交易"
    assert task["overdue"] is False and task["waiting"] >= 0


def test_the_summary_is_in_the_callers_language(cast, deal):
    deal("Lathes", "1234.5")
    (task,) = cast["fin"].get("/api/tasks", headers={"Accept-Language": "en"}).get_json()
    assert [(e["label"], e["text"]) for e in task["summary"]][:2] == [("Client", "华东机械"), ("Amount", "1,234.50")]
    assert task["step_title"] == "Finance check" and task["form_title"] == "Deal"


def test_a_field_hidden_from_the_reader_is_left_out_even_where_only_some_rows_hide_it(cast, deal):
    small, big = deal("Pens", "500"), deal("Lathes", "8000")
    copied = {item["record_id"]: item for item in cast["aud"].get("/api/tasks?status=cc").get_json()}
    assert set(copied) == {small["id"], big["id"]}
    for item in copied.values():  # the auditor's role hides the amount in every row
        assert "amount" not in summary_of(item) and summary_of(item)["client"] == "华东机械"
    mixed = {item["record_id"]: item for item in cast["mix"].get("/api/tasks?status=cc").get_json()}
    assert summary_of(mixed[small["id"]])["amount"] == "500.00"  # `small` grants the row without hiding
    assert "amount" not in summary_of(mixed[big["id"]])  # only the auditor role grants this row
    assert summary_of(mixed[big["id"]])["seller"] == "山姆"


def test_filters_by_form_step_and_overdue(cast, deal):
    first = deal("Lathes", "8000")
    (task,) = cast["fin"].get("/api/tasks").get_json()
    assert cast["fin"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    deal("Pens", "6000")
    mine = cast["max"].get("/api/tasks").get_json()
    assert [t["record_id"] for t in mine] == [first["id"]]
    assert [t["step"] for t in cast["max"].get("/api/tasks?step=boss").get_json()] == ["boss"]
    assert cast["max"].get("/api/tasks?step=check").get_json() == []
    assert len(cast["fin"].get("/api/tasks?form=deal").get_json()) == 1
    assert cast["fin"].get("/api/tasks?form=client").get_json() == []
    assert cast["fin"].get("/api/tasks?overdue=1").get_json() == []
    assert cast["fin"].get("/api/tasks?overdue=yes").status_code == 400
    done = cast["fin"].get("/api/tasks?status=done&form=deal&step=check").get_json()
    assert [t["record_id"] for t in done] == [first["id"]] and summary_of(done[0])["amount"] == "8,000.00"


def test_overdue_and_waiting_by_a_frozen_clock_in_the_engines_zone(cast, deal):
    start = FROZEN_NOW.replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        deal("Lathes", "100")
        clock.shift(timedelta(hours=1, minutes=30))
        (task,) = cast["fin"].get("/api/tasks").get_json()
        assert task["overdue"] is False and task["waiting"] == 90 * 60
        assert task["created_at"] == start.astimezone(SHANGHAI).isoformat()  # 2h due: not yet
        assert task["due_at"] == (start + timedelta(hours=2)).astimezone(SHANGHAI).isoformat()
        assert cast["fin"].get("/api/tasks?overdue=1").get_json() == []
        clock.shift(timedelta(hours=1))
        (task,) = cast["fin"].get("/api/tasks?overdue=1").get_json()
        assert task["overdue"] is True and task["waiting"] == 150 * 60
        assert cast["fin"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
        assert cast["fin"].get("/api/tasks?status=done").get_json()  # decided after its due time…
        assert cast["fin"].get("/api/tasks?status=done&overdue=1").get_json() == []  # …but no longer open


def test_the_list_costs_the_same_queries_for_3_tasks_as_for_15(app, cast, deal):
    db = app.extensions["engine"].db
    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()  # SQLite reads on an engine of their own

    def queries() -> tuple[int, list]:
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        for engine in engines:
            event.listen(engine, "before_cursor_execute", count)
        try:
            items = cast["fin"].get("/api/tasks").get_json()
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", count)
        assert all(summary_of(i)["client"].startswith("Client ") for i in items)
        return len(statements), items

    for i in range(3):
        deal(f"Deal {i}", str(100 + i), client=f"Client {i}")
    queries()  # the first request of the app reads what it then keeps
    few, items = queries()
    assert len(items) == 3
    for i in range(3, 15):
        deal(f"Deal {i}", str(100 + i), client=f"Client {i}")
    many, items = queries()
    assert len(items) == 15 and many == few < 20, (few, many)  # batched per form, never a query per task


@pytest.mark.parametrize("body, field", [({"ids": [1]}, "comment"), ({"ids": [1], "comment": "  "}, "comment")])
def test_batch_reject_needs_a_comment(cast, body, field):
    answer = cast["fin"].post("/api/tasks/reject", json=body)
    assert answer.status_code == 422 and field in answer.get_json()["error"]["fields"]


def test_batch_reject_answers_per_task_and_rejects_each_in_its_own_transaction(cast, deal):
    one, two = deal("Lathes", "100"), deal("Pens", "200")
    tasks = {t["record_id"]: t["id"] for t in cast["fin"].get("/api/tasks").get_json()}
    theirs = cast["max"]  # not max's tasks: refused per task, the others still rejected
    answer = theirs.post("/api/tasks/reject", json={"ids": [tasks[one["id"]]], "comment": "no"})
    assert answer.get_json()["results"][0]["ok"] is False
    answer = cast["fin"].post("/api/tasks/reject", json={"ids": [tasks[one["id"]], 999999, tasks[two["id"]],
                                                                  tasks[one["id"]]], "comment": "价格太低"})
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert [(r["id"], r["ok"]) for r in results] == [(tasks[one["id"]], True), (999999, False),
                                                   (tasks[two["id"]], True)]
    assert results[0]["status"] == "rejected" and results[1]["code"] == "not_found"
    for record in (one, two):
        back = cast["sam"].get(f"{URL}/{record['id']}").get_json()
        assert back["stage"] == "draft"
    assert cast["fin"].get("/api/tasks").get_json() == []
    assert all(t["comment"] == "价格太低" for t in cast["fin"].get("/api/tasks?status=done").get_json())


def test_batch_reject_refuses_more_than_200_ids(cast):
    answer = cast["fin"].post("/api/tasks/reject", json={"ids": list(range(1, 202)), "comment": "no"})
    assert answer.status_code == 400


@pytest.mark.parametrize("query, what", [
    ("form=nosuch", "nosuch"), ("step=nosuch", "nosuch"), ("x=1", "'x'"), ("page=-1", "'page'"),
    ("status=bogus", "status"), ("overdue=abc", "overdue")])
def test_a_bad_parameter_is_400_saying_what(cast, deal, query, what):
    deal("Lathes", "8000")
    answer = cast["fin"].get(f"/api/tasks?{query}")
    assert answer.status_code == 400 and what in answer.get_json()["error"]["message"], answer.get_json()
    assert cast["fin"].get("/api/tasks?form=deal&step=check&status=open&overdue=0&lang=en").status_code == 200
    assert cast["fin"].get("/api/notifications?unread=abc").status_code == 400
    assert cast["fin"].get("/api/notifications?unread=1").status_code == 200


def test_a_decision_answers_the_task_with_its_summary(cast, deal):
    deal("Lathes", "8000")
    (task,) = cast["fin"].get("/api/tasks").get_json()
    answer = cast["fin"].post(f"/api/tasks/{task['id']}/approve", json={})
    assert answer.status_code == 200 and answer.get_json()["status"] == "approved"
    assert summary_of(answer.get_json())["amount"] == "8,000.00"
    assert answer.get_json()["summary"] == task["summary"]
    deal("Pens", "6000")
    (task,) = cast["fin"].get("/api/tasks").get_json()
    sent = cast["fin"].post(f"/api/tasks/{task['id']}/send_back", json={"comment": "again"}).get_json()
    assert sent["status"] == "sent_back" and summary_of(sent)["client"] == "华东机械"


def test_the_filter_choices_cost_one_query_however_many_tasks(app, cast, deal):
    """Review 3: the forms and steps of a tab in one query (the approval's stage joined in), not one
    per approval."""
    state = app.extensions["engine"]
    engines = {id(e): e for e in (state.db.engine, state.db.read_engine)}.values()

    def choices(tab: str) -> tuple[list[str], list]:
        with state.db.session() as session:
            user = get_user(session, "fin")
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        with open_context(state.db, state.runtime(), user, tzinfo=state.tzinfo, write=False) as ctx:
            for engine in engines:
                event.listen(engine, "before_cursor_execute", count)
            try:
                found = task_choices(ctx, tab)
            finally:
                for engine in engines:
                    event.remove(engine, "before_cursor_execute", count)
        return statements, found

    for i in range(6):
        deal(f"Deal {i}", str(100 + i))
    for task in cast["fin"].get("/api/tasks").get_json()[:4]:
        assert cast["fin"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    for tab in ("open", "done"):
        statements_seen, found = choices(tab)
        queries = len([q for q in statements_seen if "engine_tasks" in q or "engine_approvals" in q])
        assert found == [{"form": "deal", "form_title": found[0]["form_title"],
                          "steps": [{"name": "check", "title": found[0]["steps"][0]["title"]}]}]
        assert found[0]["steps"][0]["title"] != "check"  # the step's title from the definition
        assert queries == 1, (tab, statements_seen)


def test_the_batch_endpoints_say_their_limit_in_the_api_description(cast):
    spec = cast["fin"].get("/api/openapi.json").get_json()
    for path in ("/api/tasks/approve", "/api/tasks/reject"):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body["properties"]["ids"]["maxItems"] == 200


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_batch_comment_that_is_not_text_is_422_at_comment(cast, deal, action):
    deal("Lathes", "8000")
    (task,) = cast["fin"].get("/api/tasks").get_json()
    answer = cast["fin"].post(f"/api/tasks/{action}", json={"ids": [task["id"]], "comment": 5})
    assert answer.status_code == 422 and answer.get_json()["error"]["fields"] == {"comment": ["must be text"]}
    assert [t["id"] for t in cast["fin"].get("/api/tasks").get_json()] == [task["id"]]  # nothing decided
