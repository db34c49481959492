"""A list's `total` is exact up to ENGINE_EXACT_TOTAL_LIMIT and an estimate above it
(`"total_exact": false`); `before=CURSOR` walks a list backwards as `after=` walks it forwards.
The bound is set to 5 here so the lists stay small."""
from __future__ import annotations

import base64
import json

import pytest

from tests.api.test_keyset_paging import create_customers, ids_by_cursor

URL = "/api/forms/customer/records"
BOUND = 5


@pytest.fixture
def app(make_app, config_dir, kitchen_dir, request):
    folder = kitchen_dir if request.node.get_closest_marker("kitchen") else config_dir
    return make_app(folder, ENGINE_EXACT_TOTAL_LIMIT=BOUND)


@pytest.fixture
def people(make_user):
    """13 customers: alice owns 8 of them, bob 5."""
    boss = make_user("boss", "sales_manager")
    alice = make_user("alice", "sales")
    bob = make_user("bob", "sales")
    create_customers(boss)
    return boss, alice, bob


def _decoded(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def _cursor(doc) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()


def test_total_is_exact_up_to_the_bound(people):
    boss, _alice, bob = people
    for client, query, count in ((bob, "", 5), (boss, "grade=B", 4), (boss, "grade=A&region=华南", 2),
                                 (boss, "grade=Z", 0)):
        body = client.get(f"{URL}?{query}").get_json()
        assert (body["total"], body["total_exact"]) == (count, True), query


def test_total_above_the_bound_is_an_estimate_never_below_bound_plus_one(people, db_url):
    boss, alice, _bob = people
    for client in (boss, alice):  # 13 and, under alice's row rule, 8 records
        body = client.get(f"{URL}?per_page=2").get_json()
        assert body["total_exact"] is False
        assert body["total"] >= BOUND + 1
        if db_url.startswith("sqlite"):
            assert body["total"] == BOUND + 1  # SQLite has no planner estimate
        assert len(body["items"]) == 2 and body["next"]


def test_the_estimate_is_the_planners_on_postgresql(people, db_url, monkeypatch):
    """PostgreSQL's estimate comes from EXPLAIN of the filtered query (never below bound + 1)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's planner")
    from engine.services import totals

    seen = []
    real = totals.planner_rows

    def spy(session, statement):
        seen.append(str(statement))
        return real(session, statement)
    monkeypatch.setattr(totals, "planner_rows", spy)
    boss, _alice, _bob = people
    body = boss.get(f"{URL}?region=华东").get_json()  # 6 of 13
    assert body["total_exact"] is False and body["total"] >= BOUND + 1
    assert len(seen) == 1 and "region" in seen[0]
    monkeypatch.setattr(totals, "planner_rows", lambda session, statement: 1_234_567)
    assert boss.get(URL).get_json()["total"] == 1_234_567
    monkeypatch.setattr(totals, "planner_rows", lambda session, statement: 1)
    assert boss.get(URL).get_json()["total"] == BOUND + 1


def test_a_reader_under_a_row_rule_gets_no_planner_estimate(people, db_url, monkeypatch):
    """The planner's statistics cover rows the reader may not see (and guess a row rule's OR
    poorly): above the bound a restricted reader is told only "more than the bound"."""
    from engine.services import totals

    monkeypatch.setattr(totals, "planner_rows", lambda session, statement: 1_234_567)
    _boss, alice, _bob = people
    body = alice.get(URL).get_json()  # 8 of her own, bound 5
    assert (body["total"], body["total_exact"]) == (BOUND + 1, False)


@pytest.mark.parametrize("query", ["", "order_by=grade", "order_by=-grade", "order_by=next_follow_up",
                                   "order_by=-next_follow_up", "order_by=grade,-next_follow_up", "order_by=id",
                                   "order_by=-grade,name&region=华东"])
def test_before_walks_back_the_pages_after_walked_forward(people, query):
    """Forward with `next`, then back from the last page with `previous`: the same pages in
    reverse, every record once, ties and empty values included."""
    boss, _alice, _bob = people
    params = dict(p.split("=", 1) for p in query.split("&") if p)
    full = [i["id"] for i in boss.get(URL, query_string={**params, "per_page": 200}).get_json()["items"]]
    pages, cursor = [], None
    while True:
        body = boss.get(URL, query_string={**params, "per_page": 3, **({"after": cursor} if cursor else {})}
                        ).get_json()
        pages.append(([i["id"] for i in body["items"]], body))
        cursor = body["next"]
        if cursor is None:
            break
    assert [i for ids, _b in pages for i in ids] == full
    assert pages[0][1]["previous"] is None and all(b["previous"] for _ids, b in pages[1:])
    back, cursor = [pages[-1][0]], pages[-1][1]["previous"]
    while cursor:
        body = boss.get(URL, query_string={**params, "per_page": 3, "before": cursor}).get_json()
        assert body["next"]  # the page it came from follows
        back.append([i["id"] for i in body["items"]])
        cursor = body["previous"]
    assert back == [ids for ids, _b in reversed(pages)]


def test_before_under_a_row_rule_sees_only_own(people):
    _boss, alice, _bob = people
    forward, _calls = ids_by_cursor(alice, "order_by=grade", per_page=2)
    last = alice.get(URL, query_string={"order_by": "grade", "per_page": 2, "page": 4}).get_json()
    ids, cursor = [i["id"] for i in last["items"]], last["previous"]
    while cursor:
        body = alice.get(URL, query_string={"order_by": "grade", "per_page": 2, "before": cursor}).get_json()
        ids = [i["id"] for i in body["items"]] + ids
        cursor = body["previous"]
    assert ids == forward and len(ids) == 8


def test_page_n_still_works_and_offers_cursors_both_ways(people):
    boss, _alice, _bob = people
    full = [i["id"] for i in boss.get(f"{URL}?per_page=200").get_json()["items"]]
    body = boss.get(f"{URL}?per_page=3&page=3").get_json()
    assert [i["id"] for i in body["items"]] == full[6:9]
    before = boss.get(URL, query_string={"per_page": 3, "before": body["previous"]}).get_json()
    after = boss.get(URL, query_string={"per_page": 3, "after": body["next"]}).get_json()
    assert [i["id"] for i in before["items"]] == full[3:6]
    assert [i["id"] for i in after["items"]] == full[9:12]


@pytest.mark.parametrize("query", [{"before": "!!!"}, {"before": _cursor({"o": "grade", "k": [None, 1]})},
                                   {"before": "x" * 5000}])
def test_a_malformed_before_is_a_400_naming_it(people, query):
    boss, _alice, _bob = people
    response = boss.get(URL, query_string=query)
    assert response.status_code == 400 and "before" in response.get_json()["error"]["message"]


def test_before_with_after_or_a_later_page_is_refused(people):
    boss, _alice, _bob = people
    body = boss.get(f"{URL}?per_page=3&page=2").get_json()
    both = boss.get(URL, query_string={"before": body["previous"], "after": body["next"]})
    later = boss.get(URL, query_string={"before": body["previous"], "page": 2})
    assert both.status_code == later.status_code == 400
    assert "before" in later.get_json()["error"]["message"]


def test_a_before_cursor_naming_an_unreadable_row_is_refused(people):
    boss, alice, _bob = people
    ids = {item["fields"]["owner"]: item["id"] for item in boss.get(f"{URL}?per_page=200").get_json()["items"]}
    for owner, status in (("alice", 200), ("bob", 400)):
        cursor = _cursor({"o": "name", "k": [{"r": 1}, ids[owner]]})
        assert alice.get(URL, query_string={"order_by": "name", "before": cursor}).status_code == status


@pytest.mark.kitchen
def test_previous_never_carries_a_value_hidden_in_its_row(make_user):
    """A reader who may not see `price` of blue things: the cursors of their pages hold only the
    values they may see, backwards as forwards."""
    clerk = make_user("clerk1", "clerk")
    reader = make_user("reader", "viewer")
    for i, price in enumerate(["7.00", "3.00", "5.00", "1.00"]):
        red = i % 2 == 0
        clerk.create("thing", code=f"AA-{i}", color="red" if red else "blue", price=price,
                     **({"reason": "r"} if red else {}))
    url = "/api/forms/thing/records"
    body = reader.get(f"{url}?order_by=code&per_page=1&page=2").get_json()
    assert "price" not in body["items"][0]["fields"]
    for cursor in (body["previous"], body["next"]):
        assert set(_decoded(cursor)) == {"o", "k"} and _decoded(cursor)["o"] == "code"
        assert "3.00" not in json.dumps(_decoded(cursor)) and "3" not in str(_decoded(cursor)["k"][0])
    back = reader.get(url, query_string={"order_by": "code", "per_page": 1, "before": body["previous"]})
    assert [i["fields"]["code"] for i in back.get_json()["items"]] == ["AA-0"]


def test_openapi_names_before_previous_and_total_exact(people):
    boss, _alice, _bob = people
    doc = boss.get("/api/openapi.json").get_json()
    operation = next(ops["get"] for path, ops in doc["paths"].items() if path.endswith("/forms/customer/records"))
    assert {"after", "before"} <= {p["name"] for p in operation["parameters"]}
    schema = next(s for name, s in doc["components"]["schemas"].items() if name.endswith("customer.list"))
    assert schema["properties"]["total_exact"]["type"] == "boolean"
    assert schema["properties"]["previous"]["nullable"] is True
    assert "10,000" in schema["properties"]["total"]["description"]
