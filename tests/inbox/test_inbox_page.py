"""The /tasks page (issue #14, point 1): rows with the record's title and summary, the step, the
waiting time and the overdue badge; filters as GET parameters; batch approve and batch reject with
one comment, answered with one line per task."""
from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from tests.conftest import FROZEN_NOW
from tests.inbox.conftest import page_as, task_rows

ZH = {"Accept-Language": "zh-CN"}




def test_rows_show_summary_step_waiting_and_overdue(app, cast, deal, login):
    start = FROZEN_NOW.replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        deal("Lathes", "8000")
        clock.shift(timedelta(hours=3, minutes=5))
        html = page_as(app, login, "fin").get("/tasks", headers=ZH).get_data(as_text=True)
    assert len(task_rows(html)) == 1
    assert "交易 Lathes" in html and "8,000.00" in html and "华东机械" in html and "山姆" in html
    assert 'data-testid="step">财务审核' in html and 'data-testid="overdue"' in html
    assert "已等待 3 小时" in html
    aud = page_as(app, login, "aud").get("/tasks?tab=cc", headers=ZH).get_data(as_text=True)
    assert "华东机械" in aud and "8,000.00" not in aud  # the auditor's summary: no amount


def test_filters_are_get_parameters_like_the_api(app, cast, deal, login):
    deal("Lathes", "8000")
    fin = cast["fin"]
    (task,) = fin.get("/api/tasks").get_json()
    assert fin.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    deal("Pens", "6000")
    (task,) = fin.get("/api/tasks").get_json()
    assert fin.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    page = page_as(app, login, "max")
    assert len(task_rows(page.get("/tasks").get_data(as_text=True))) == 2
    html = page.get("/tasks?form=deal&step=boss", headers=ZH).get_data(as_text=True)
    assert len(task_rows(html)) == 2 and '<option value="boss" selected>经理审批' in html
    assert task_rows(page.get("/tasks?step=check").get_data(as_text=True)) == []
    assert task_rows(page.get("/tasks?overdue=1").get_data(as_text=True)) == []


def test_batch_reject_with_one_comment_shows_each_tasks_result(app, cast, deal, login, token_of):
    deal("Lathes", "100")
    deal("Pens", "200")
    ids = [t["id"] for t in cast["fin"].get("/api/tasks").get_json()]
    page = page_as(app, login, "fin")
    token = token_of(page, "/tasks")
    refused = page.post("/tasks/batch-reject", data={"csrf_token": token, "ids": ids, "comment": ""},
                        headers=ZH, follow_redirects=True).get_data(as_text=True)
    assert "审批意见" in refused and len(task_rows(refused)) == 2  # nothing rejected without a comment
    html = page.post("/tasks/batch-reject", data={"csrf_token": token, "ids": [*ids, 999999], "comment": "价格不对"},
                     headers=ZH).get_data(as_text=True)
    results = re.findall(r'data-ok="(true|false)"', html)
    assert results == ["true", "true", "false"] and "已驳回 2 条，1 条无法处理。" in html
    assert "Lathes" in html and "Pens" in html and task_rows(html) == []
    assert cast["fin"].get("/api/tasks").get_json() == []


def test_batch_approve_shows_each_tasks_result(app, cast, deal, login, token_of):
    deal("Lathes", "100")
    deal("Pens", "200")
    ids = [t["id"] for t in cast["fin"].get("/api/tasks").get_json()]
    page = page_as(app, login, "fin")
    html = page.post("/tasks/batch-approve", data={"csrf_token": token_of(page, "/tasks"), "ids": ids},
                     headers=ZH).get_data(as_text=True)
    assert re.findall(r'data-ok="(true|false)"', html) == ["true", "true"] and "已同意 2 条，0 条无法处理。" in html
    assert all(cast["sam"].get(f"/api/forms/deal/records/{r}").get_json()["stage"] == "approved"
               for r in (t["record_id"] for t in cast["fin"].get("/api/tasks?status=done").get_json()))


def test_bad_filters_show_the_reason_with_400_not_an_error_page(app, cast, deal, login):
    deal("Lathes", "8000")
    page = page_as(app, login, "fin")
    for query, what in (("overdue=abc", "overdue"), ("status=bogus", "status"), ("tab=bogus", "tab"),
                        ("step=nosuch", "nosuch")):
        answer = page.get(f"/tasks?{query}")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 400 and 'data-testid="filter-problem"' in html and what in html, query
        assert len(task_rows(html)) == 1  # the open tab below the reason
    assert page.get("/tasks?tab=done&form=deal&step=check").status_code == 200
    # the page also takes the API's name for the tab
    done = page.get("/tasks?status=done")
    assert done.status_code == 200 and 'data-testid="filter-problem"' not in done.get_data(as_text=True)
    answer = page.get("/notifications?unread=abc")
    assert answer.status_code == 400 and 'data-testid="filter-problem"' in answer.get_data(as_text=True)
    assert page.get("/notifications?unread=1").status_code == 200


def test_the_home_page_names_each_task_with_its_form_and_summary(app, cast, deal, login):
    deal("Lathes", "8000")
    home = page_as(app, login, "fin").get("/", headers=ZH).get_data(as_text=True)
    tasks = re.search(r'data-testid="home-tasks">(.*?)</ul>', home, re.S).group(1)
    assert "交易 Lathes" in tasks and "财务审核" in tasks
    summary = re.search(r'data-testid="home-task-summary">(.*?)</div>', tasks, re.S).group(1)
    assert summary == "客户 华东机械 · 金额 8,000.00 · 交付日期 2031-06-30 · 销售 山姆"
