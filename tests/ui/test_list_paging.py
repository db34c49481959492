"""The list page above the exact-total bound: "5+" or "约 N" instead of the count, and first /
previous / next links by keyset cursor (`after=`, `before=`) instead of page numbers; below the
bound, numbered pages as before; `page=N` still served. The bound is 5 here."""
from __future__ import annotations

import html
import re

import pytest

from engine.services import totals
from tests.api.test_keyset_paging import DAYS, GRADES

BOUND = 5
PAGE = "/f/customer"
API = "/api/forms/customer/records"


@pytest.fixture
def app(make_app, config_dir):
    return make_app(config_dir, ENGINE_EXACT_TOTAL_LIMIT=BOUND)


@pytest.fixture
def boss(app, make_user, login):
    """A sales manager with 13 customers (ties and empty values in grade), and their browser."""
    api = make_user("boss", "sales_manager")
    make_user("alice", "sales")
    for i, (grade, day) in enumerate(zip(GRADES, DAYS, strict=True)):
        api.create("customer", name=f"客户{i:02d}", owner="alice", in_pool=False, region="华东" if i % 2 else "华南",
                   **({"grade": grade} if grade else {}), **({"next_follow_up": day} if day else {}))
    client = app.test_client()
    assert login(client, "boss", "boss-password").status_code == 302
    return api, client


def _page(client, url: str, **query) -> str:
    response = client.get(url, query_string=query or None)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(text: str) -> list[int]:
    body = text[text.index('data-testid="record-list"'):]
    return [int(i) for i in re.findall(r'<tr data-record-id="(\d+)">', body)]


def _link(text: str, name: str) -> str | None:
    """The href of a pager link (data-testid page-NAME), None when it is disabled."""
    match = re.search(r'<li class="page-item( disabled)?"><a class="page-link"(?: rel="\w+")? href="([^"]*)" '
                      rf'data-testid="page-{name}">', text)
    assert match, name
    return None if match.group(1) else html.unescape(match.group(2))


def _total(text: str) -> str:
    match = re.search(r'data-testid="total">([^<]*)<', text)
    assert match
    return match.group(1)


@pytest.fixture
def no_estimate(monkeypatch):
    """The planner's estimate out of the way (PostgreSQL), so every backend shows the bound."""
    monkeypatch.setattr(totals, "planner_rows", lambda session, statement: 0)


@pytest.mark.parametrize("order_by", ["", "grade", "-grade", "next_follow_up", "-next_follow_up,name"])
def test_keyset_links_walk_the_whole_list_both_ways(boss, no_estimate, order_by):
    api, client = boss
    query = {"per_page": "3", **({"order_by": order_by} if order_by else {})}
    full = [i["id"] for i in api.get(API, query_string={**query, "per_page": 200}).get_json()["items"]]
    text = _page(client, PAGE, **query)
    assert _total(text) == "5+" and not re.search(r"[?&;]page=2", text)
    assert _link(text, "previous") is None and _link(text, "first") is None
    pages = [_rows(text)]
    while (href := _link(text, "next")) is not None:
        assert "after=" in href and not re.search(r"[?&]page=", href)
        text = _page(client, PAGE + href)
        pages.append(_rows(text))
    assert [i for ids in pages for i in ids] == full and len(full) == len(GRADES)
    back = [_rows(text)]
    while (href := _link(text, "previous")) is not None:
        assert "before=" in href
        text = _page(client, PAGE + href)
        back.append(_rows(text))
    assert back == pages[::-1]
    assert _link(text, "next") is not None


def test_an_old_page_link_is_still_served_and_continues_by_cursor(boss, no_estimate):
    api, client = boss
    full = [i["id"] for i in api.get(API, query_string={"per_page": 200}).get_json()["items"]]
    text = _page(client, PAGE, page="3", per_page="3")
    assert _rows(text) == full[6:9]
    assert _rows(_page(client, PAGE + _link(text, "next"))) == full[9:12]
    assert _rows(_page(client, PAGE + _link(text, "previous"))) == full[3:6]
    assert _rows(_page(client, PAGE + _link(text, "first"))) == full[:3]


def test_an_estimate_reads_about_n(boss, monkeypatch):
    _api, client = boss
    monkeypatch.setattr(totals, "bounded_total", lambda *args, **kwargs: totals.Total(1_234_567, False))
    assert _total(_page(client, PAGE)) == "约 1,234,567"
    assert _total(_page(client, PAGE, lang="en")) == "about 1,234,567"


def test_a_list_within_the_bound_keeps_numbered_pages(boss):
    _api, client = boss
    text = _page(client, PAGE, grade="B", per_page="2")  # 4 records
    assert _total(text) == "4"
    assert 'data-testid="page-next"' not in text
    assert re.search(r"[?&]page=2", html.unescape(text))


def test_a_bad_cursor_on_the_page_shows_the_first_page_with_a_message(boss, no_estimate):
    api, client = boss
    first = [i["id"] for i in api.get(API, query_string={"per_page": 3}).get_json()["items"]]
    text = _page(client, PAGE, after="!!!")
    assert _rows(text)[:3] == first and "after" in text


def test_a_sort_link_leaves_the_cursor_behind(boss, no_estimate):
    _api, client = boss
    text = _page(client, PAGE, per_page="3")
    text = _page(client, PAGE + _link(text, "next"))
    sort = re.findall(r'href="(\?[^"]*order_by=[^"]*)"', text)
    assert sort and all("after=" not in html.unescape(h) for h in sort)
