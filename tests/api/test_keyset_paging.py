"""GET /api/forms/{form}/records?after=CURSOR: keyset paging gives what page/offset paging gives."""
from __future__ import annotations

import base64
import json
import shutil
from decimal import Decimal

import pytest

URL = "/api/forms/customer/records"
GRADES = ["B", None, "A", "B", None, "C", "A", "B", None, "A", "C", None, "B"]
DAYS = ["2026-03-01", None, "2026-01-15", "2026-03-01", "2026-02-10", None, "2026-01-15",
        None, "2026-04-01", "2026-02-10", None, "2026-03-01", "2026-01-01"]


@pytest.fixture
def people(make_user):
    boss = make_user("boss", "sales_manager")
    alice = make_user("alice", "sales")
    make_user("bob", "sales")
    create_customers(boss)
    return boss, alice


def create_customers(boss) -> None:
    """13 customers with ties and empty values in grade and next_follow_up: alice owns 8, bob 5."""
    for i, (grade, day) in enumerate(zip(GRADES, DAYS, strict=True)):
        fields = {"name": f"客户{i:02d}", "owner": "alice" if i % 3 else "bob", "in_pool": False,
                  "region": "华东" if i % 2 else "华南"}
        if grade:
            fields["grade"] = grade
        if day:
            fields["next_follow_up"] = day
        boss.create("customer", **fields)


def ids_by_pages(client, query: str, per_page: int = 3) -> list[int]:
    ids, page = [], 1
    while True:
        body = client.get(f"{URL}?{query}&per_page={per_page}&page={page}").get_json()
        if not body["items"]:
            return ids
        ids += [item["id"] for item in body["items"]]
        page += 1


def ids_by_cursor(client, query: str, per_page: int = 3) -> tuple[list[int], int]:
    ids, after, calls = [], None, 0
    while True:
        response = client.get(URL, query_string={**_params(query), "per_page": per_page,
                                                 **({"after": after} if after else {})})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        calls += 1
        ids += [item["id"] for item in body["items"]]
        after = body["next"]
        if after is None:
            return ids, calls
        assert len(body["items"]) == per_page


def _params(query: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in query.split("&") if part)


@pytest.mark.parametrize("query", [
    "", "order_by=-created_at", "order_by=id", "order_by=-id",
    "order_by=grade", "order_by=-grade", "order_by=next_follow_up", "order_by=-next_follow_up",
    "order_by=grade,-next_follow_up", "order_by=-grade,name",
    "order_by=grade&region=华东", "order_by=-next_follow_up&q=客户0", "order_by=grade&stage=active",
])
def test_walk_with_after_gives_every_record_once_in_page_order(people, query):
    boss, _alice = people
    full = [item["id"] for item in boss.get(f"{URL}?{query}&per_page=200").get_json()["items"]]
    walked, calls = ids_by_cursor(boss, query)
    assert walked == full == ids_by_pages(boss, query)
    assert len(set(walked)) == len(walked)
    assert calls == max(1, -(-len(full) // 3))


@pytest.mark.parametrize("order_by", ["grade", "-grade", "next_follow_up", "-next_follow_up"])
def test_empty_values_come_last_in_either_direction(people, order_by):
    boss, _alice = people
    name = order_by.lstrip("-")
    items = boss.get(f"{URL}?order_by={order_by}&per_page=200").get_json()["items"]
    values = [item["fields"][name] for item in items]
    filled = [v for v in values if v is not None]
    assert values == filled + [None] * (len(values) - len(filled))
    assert filled == sorted(filled, reverse=order_by.startswith("-"))


def test_walk_under_a_row_rule_sees_only_own(people):
    boss, alice = people
    for query in ("", "order_by=grade", "order_by=-next_follow_up"):
        walked, _calls = ids_by_cursor(alice, query, per_page=2)
        readable = [i for i in ids_by_pages(boss, query) if boss.get(f"{URL}/{i}").get_json()["fields"]["owner"]
                    == "alice"]
        assert walked == readable == ids_by_pages(alice, query, per_page=2)


def test_next_is_given_from_the_first_page_and_null_on_the_last(people):
    boss, _alice = people
    first = boss.get(f"{URL}?per_page=5").get_json()
    assert isinstance(first["next"], str) and first["total"] == len(GRADES)
    assert boss.get(f"{URL}?per_page=200").get_json()["next"] is None
    assert boss.get(f"{URL}?per_page={len(GRADES)}").get_json()["next"] is None
    last = boss.get(f"{URL}?per_page=5&page=3").get_json()
    assert len(last["items"]) == 3 and last["next"] is None


def test_a_record_added_behind_the_cursor_is_not_repeated(people):
    boss, _alice = people
    before = [item["id"] for item in boss.get(f"{URL}?per_page=200").get_json()["items"]]
    first = boss.get(f"{URL}?per_page=4").get_json()
    ids = [item["id"] for item in first["items"]]
    added = boss.create("customer", name="新客户", owner="alice", in_pool=False)["id"]
    after = first["next"]
    while after:
        body = boss.get(URL, query_string={"per_page": 4, "after": after}).get_json()
        ids += [item["id"] for item in body["items"]]
        after = body["next"]
    assert ids == before and added not in ids


def _cursor(doc) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("after", [
    "!!!", "e30", "x" * 5000, _cursor([1, 2]), _cursor({"o": "-created_at"}),
    _cursor({"o": "grade", "k": [None, 1]}),  # made for another order
    _cursor({"o": "-created_at", "k": ["yesterday", 1]}),
    _cursor({"o": "-created_at", "k": ["2026-01-01T00:00:00", 1]}),  # no offset
    _cursor({"o": "-created_at", "k": ["2026-01-01T00:00:00+00:00", "1"]}),
    _cursor({"o": "-created_at", "k": ["2026-01-01T00:00:00+00:00", None]}),
    _cursor({"o": "-created_at", "k": ["2026-01-01T00:00:00+00:00", 2**70]}),
    _cursor({"o": "-created_at", "k": [None, 1]}),  # created_at is never empty
    _cursor({"o": "-created_at", "k": ["2026-01-01T00:00:00+00:00"]}),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
def test_a_malformed_cursor_is_a_400(people, after):
    boss, _alice = people
    response = boss.get(URL, query_string={"after": after})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert "after" in response.get_json()["error"]["message"]


def test_a_cursor_naming_an_unreadable_row_is_refused(people):
    boss, alice = people
    ids = {item["fields"]["owner"]: item["id"] for item in boss.get(f"{URL}?per_page=200").get_json()["items"]}
    for owner, status in (("alice", 200), ("bob", 400)):
        cursor = _cursor({"o": "name", "k": [{"r": 1}, ids[owner]]})
        assert alice.get(URL, query_string={"order_by": "name", "after": cursor}).status_code == status


def test_after_with_a_later_page_is_refused(people):
    boss, _alice = people
    cursor = boss.get(f"{URL}?per_page=3").get_json()["next"]
    response = boss.get(URL, query_string={"after": cursor, "page": 2, "per_page": 3})
    assert response.status_code == 400 and "page" in response.get_json()["error"]["message"]


def test_a_typed_cursor_of_a_text_field_is_accepted(people):
    boss, _alice = people
    response = boss.get(URL, query_string={"order_by": "grade", "after": _cursor({"o": "grade", "k": ["B", 0]})})
    assert response.status_code == 200
    assert {item["fields"]["grade"] for item in response.get_json()["items"]} <= {"B", "C", None}


def test_openapi_names_after_and_next(people):
    boss, _alice = people
    doc = boss.get("/api/openapi.json").get_json()
    operation = next(ops["get"] for path, ops in doc["paths"].items() if path.endswith("/forms/customer/records"))
    assert "after" in {p["name"] for p in operation["parameters"]}
    lists = [s for name, s in doc["components"]["schemas"].items() if name.endswith("customer.list")]
    assert lists and lists[0]["properties"]["next"]["nullable"] is True


@pytest.fixture
def kitchen_dir(tmp_path):
    """The kitchen module plus a role that reads red things only, unhidden: a viewer who also has
    it sees the price of red things and not of the others."""
    from tests.conftest import TEST_CONFIGS

    target = tmp_path / "kitchen"
    shutil.copytree(TEST_CONFIGS / "kitchen", target)
    path = target / "kitchen.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["roles"].append({"name": "checker", "title": "Checker"})
    thing = next(f for f in doc["forms"] if f["name"] == "thing")
    thing["permissions"]["checker"] = {"read": {"where": "color == 'red'"}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.mark.kitchen
def test_a_cursor_never_carries_a_value_hidden_in_its_row(make_user):
    """Ordering by a field hidden in any row the caller reads is refused, so a cursor only
    holds visible values; were one hidden in the last row, the cursor names the row instead."""
    clerk = make_user("clerk1", "clerk")
    reader = make_user("reader", "viewer", "checker")
    ids = {}
    for i, price in enumerate(["7.00", "3.00", "5.00", "1.00"]):
        red = i % 2 == 0
        ids[f"AA-{i}"] = clerk.create("thing", code=f"AA-{i}", color="red" if red else "blue", price=price,
                                      **({"reason": "r"} if red else {}))["id"]
    url = "/api/forms/thing/records"
    assert reader.get(f"{url}?order_by=price").status_code == 400
    body = reader.get(f"{url}?order_by=code&per_page=1").get_json()
    assert "price" in body["items"][0]["fields"]  # AA-0 is red: its price is shown
    cursor = json.loads(base64.urlsafe_b64decode(body["next"] + "=" * (-len(body["next"]) % 4)))
    assert cursor == {"o": "code", "k": ["AA-0", ids["AA-0"]]}
    by_row = reader.get(url, query_string={"order_by": "code",
                                           "after": _cursor({"o": "code", "k": [{"r": 1}, ids["AA-1"]]})})
    assert [i["fields"]["code"] for i in by_row.get_json()["items"]] == ["AA-2", "AA-3"]
    gone = reader.get(url, query_string={"order_by": "code", "after": _cursor({"o": "code", "k": [{"r": 1}, 10**9]})})
    assert gone.status_code == 400


def test_encode_cursor_names_the_row_for_a_value_hidden_in_it():
    from sqlalchemy import Column, Integer, MetaData, Numeric, Table

    from engine.services.cursors import SortKey, encode_cursor

    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("price", Numeric(10, 2)))
    keys = [SortKey(table.c.price, False), SortKey(table.c.id, False)]
    text = encode_cursor("price", keys, [Decimal("7.00"), 3], frozenset({"price"}))
    assert json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))) == {"o": "price", "k": [{"r": 1}, 3]}
    assert "7" not in base64.urlsafe_b64decode(text + "==").decode()


@pytest.mark.kitchen
@pytest.mark.parametrize("order_by", ["price", "-price", "moment", "-moment", "active", "-active", "count,-day",
                                      "-rate,code"])
def test_walk_over_decimal_datetime_and_boolean_orders(make_user, order_by):
    clerk = make_user("clerk1", "clerk")
    rows = [("7.00", "2026-01-02T09:00:00+08:00", True, 1), (None, None, False, 1), ("7.00", None, True, 2),
            ("0.10", "2026-01-02T09:00:00.123456+00:00", False, 2), (None, "2025-12-31T23:59:59+00:00", True, 3)]
    for i, (price, moment, active, count) in enumerate(rows * 2):
        fields = {"code": f"AA-{i}", "color": "blue", "active": active, "count": count,
                  **({"price": price, "rate": price} if price else {}), **({"moment": moment} if moment else {})}
        clerk.create("thing", **fields)
    url = "/api/forms/thing/records"
    full = [i["id"] for i in clerk.get(f"{url}?order_by={order_by}&per_page=200").get_json()["items"]]
    walked, after = [], None
    while True:
        body = clerk.get(url, query_string={"order_by": order_by, "per_page": 3, **({"after": after} if after else {})})
        assert body.status_code == 200, body.get_json()
        walked += [i["id"] for i in body.get_json()["items"]]
        after = body.get_json()["next"]
        if after is None:
            break
    assert walked == full and len(full) == 10
