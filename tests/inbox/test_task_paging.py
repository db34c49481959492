"""The inbox in pages: GET /api/tasks takes `per_page` and names the next page in its `Link`
header (`after=CURSOR`), the /tasks page shows 100 tasks then 下一页; each tab keeps its order
across pages, a task decided between two pages neither repeats nor hides another, and a cursor
this tab did not give is a 400."""
from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from tests.conftest import FROZEN_NOW
from tests.inbox.conftest import page_as, task_rows

ZH = {"Accept-Language": "zh-CN"}


def _next(answer) -> str | None:
    """The path and query of the `Link: <…>; rel="next"` header, or None."""
    link = answer.headers.get("Link")
    if link is None:
        return None
    found = re.fullmatch(r'<http://[^/]+(/[^>]+)>; rel="next"', link)
    assert found, link
    return found.group(1)


def _walk(client, url: str) -> list[list[int]]:
    """Every page's task ids, following the Link headers from `url`."""
    pages = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.get_json()
        pages.append([item["id"] for item in answer.get_json()])
        url = _next(answer)
    return pages


def _deals(deal, count: int) -> None:
    """`count` deals submitted a minute apart (their tasks due in that order, 2 h later)."""
    with time_machine.travel(FROZEN_NOW, tick=False) as clock:
        for number in range(count):
            deal(f"Deal {number}", "800")
            clock.shift(timedelta(minutes=1))


def test_open_tasks_in_pages_keep_the_order_of_the_whole_list(cast, deal):
    _deals(deal, 7)
    fin = cast["fin"]
    whole = [item["id"] for item in fin.get("/api/tasks").get_json()]
    assert len(whole) == 7 and fin.get("/api/tasks").headers.get("Link") is None
    pages = _walk(fin, "/api/tasks?status=open&per_page=3")
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [task for page in pages for task in page] == whole
    assert "status=open" in _next(fin.get("/api/tasks?status=open&per_page=3"))  # the query is kept


def test_a_task_decided_between_two_pages_neither_repeats_nor_hides_one(cast, deal):
    _deals(deal, 6)
    fin = cast["fin"]
    first = fin.get("/api/tasks?per_page=2")
    shown = [item["id"] for item in first.get_json()]
    assert fin.post(f"/api/tasks/{shown[0]}/approve", json={}).status_code == 200
    rest = _walk(fin, _next(first))
    assert [task for page in rest for task in page] == [item["id"] for item in fin.get("/api/tasks").get_json()][1:]


def test_done_and_copied_tabs_page_the_latest_first(cast, deal):
    _deals(deal, 5)
    fin = cast["fin"]
    with time_machine.travel(FROZEN_NOW + timedelta(hours=1), tick=False) as clock:
        for task in fin.get("/api/tasks").get_json():
            assert fin.post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
            clock.shift(timedelta(seconds=30))
    done = [item["id"] for item in fin.get("/api/tasks?status=done").get_json()]
    assert len(done) == 5 and done == sorted(done, reverse=True)  # decided in task order: latest first
    assert [t for page in _walk(fin, "/api/tasks?status=done&per_page=2") for t in page] == done
    copied = [item["id"] for item in cast["aud"].get("/api/tasks?status=cc").get_json()]
    assert len(copied) == 5
    assert [t for page in _walk(cast["aud"], "/api/tasks?status=cc&per_page=4") for t in page] == copied


def test_a_cursor_of_another_tab_or_a_bad_page_size_is_a_400(cast, deal):
    _deals(deal, 3)
    fin = cast["fin"]
    following = _next(fin.get("/api/tasks?per_page=1"))
    cursor = following.split("after=")[1]
    for url in (f"/api/tasks?status=done&after={cursor}", "/api/tasks?after=bm9wZQ", "/api/tasks?after=%7B"):
        answer = fin.get(url)
        assert answer.status_code == 400 and "after" in answer.get_json()["error"]["message"], url
    for size in ("0", "201", "x", "-1"):
        answer = fin.get(f"/api/tasks?per_page={size}")
        assert answer.status_code == 400 and "per_page" in answer.get_json()["error"]["message"], size
    assert fin.get(following).status_code == 200




def test_the_page_links_the_next_tasks_and_back_to_the_first(app, cast, deal, login):
    _deals(deal, 5)
    page = page_as(app, login, "fin")
    html = page.get("/tasks?per_page=2", headers=ZH).get_data(as_text=True)
    assert len(task_rows(html)) == 2
    seen = list(task_rows(html))
    while True:
        found = re.search(r'href="(/tasks\?[^"]*after=[^"]+)" data-testid="page-next"', html)
        if not found:
            assert 'page-item disabled"><a class="page-link" rel="next"' in html  # the last page
            break
        html = page.get(found.group(1).replace("&amp;", "&"), headers=ZH).get_data(as_text=True)
        assert "下一页" in html and "首页" in html
        seen += task_rows(html)
    whole = [str(item["id"]) for item in cast["fin"].get("/api/tasks").get_json()]
    assert seen == whole
    plain = page.get("/tasks", headers=ZH).get_data(as_text=True)
    assert len(task_rows(plain)) == 5 and 'data-testid="pages"' not in plain  # one page: no page links


def test_after_a_batch_the_tabs_and_filters_lead_back_to_the_inbox(app, cast, deal, login):
    _deals(deal, 2)
    page = page_as(app, login, "fin")
    html = page.get("/tasks").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    first = task_rows(html)[0]
    answer = page.post("/tasks/batch-approve", data={"csrf_token": token, "ids": [first]}, headers=ZH)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'data-testid="batch-results"' in html
    assert 'href="/tasks?tab=done"' in html and 'action="/tasks" class="inbox-filters' in html
    assert 'href="?tab=' not in html
