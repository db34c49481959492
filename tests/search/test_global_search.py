"""GET /api/search and the /search page: every form the caller may read, within row rules, never
matching (or showing) a field hidden from them, at most `limit` records per form with "more"."""
from __future__ import annotations

import pytest


@pytest.fixture
def people(make_user):
    boss = make_user("boss", "boss")
    ann = make_user("ann", "clerk")
    bob = make_user("bob", "clerk")
    return boss, ann, bob


def _forms(response) -> dict[str, dict]:
    assert response.status_code == 200, response.get_json()
    return {r["form"]: r for r in response.get_json()["results"]}


def test_row_rules_decide_which_records_are_found(people):
    boss, ann, bob = people
    mine = ann.create("ticket", subject="泵站维修 ann", kind="a")
    theirs = bob.create("ticket", subject="泵站维修 bob", kind="b")
    found = _forms(ann.get("/api/search?q=泵站"))
    assert [i["id"] for i in found["ticket"]["items"]] == [mine["id"]]
    assert found["ticket"]["form_title"] == "Ticket" and found["ticket"]["more"] is False
    assert found["ticket"]["items"][0]["title"] == "泵站维修 ann"
    assert {i["id"] for i in _forms(boss.get("/api/search?q=泵站"))["ticket"]["items"]} == {mine["id"], theirs["id"]}


def test_a_hidden_search_field_is_neither_matched_nor_shown(people):
    boss, ann, _bob = people
    own = ann.create("ticket", subject="plain", kind="a")
    assert boss.patch(f"/api/forms/ticket/records/{own['id']}",
                      json={"version": own["version"], "fields": {"secret": "暗号qz"}}).status_code == 200
    assert _forms(ann.get("/api/search?q=暗号qz")) == {}  # her own record, but the text is only in the hidden field
    found = _forms(boss.get("/api/search?q=暗号qz"))
    assert [i["id"] for i in found["ticket"]["items"]] == [own["id"]]
    assert {"field": "secret", "label": "Secret", "text": "暗号qz"} in found["ticket"]["items"][0]["summary"]
    # found by its subject, the clerk's summary still leaves the hidden field out
    item = _forms(ann.get("/api/search?q=plain"))["ticket"]["items"][0]
    assert [s["field"] for s in item["summary"]] == ["kind"] and "暗号qz" not in str(item)


def test_forms_the_user_may_not_read_are_absent(people):
    boss, ann, _bob = people
    boss.create("ledger", name="Zeta ledger")
    ann.create("ticket", subject="Zeta ticket")
    assert set(_forms(boss.get("/api/search?q=zeta"))) == {"ledger", "ticket"}  # case-insensitive
    assert set(_forms(ann.get("/api/search?q=zeta"))) == {"ticket"}


def test_a_limit_per_form_newest_first_and_more(people):
    boss, _ann, _bob = people
    made = [boss.create("ticket", subject=f"批量 {i}")["id"] for i in range(4)]
    found = _forms(boss.get("/api/search?q=批量&limit=3"))["ticket"]
    assert [i["id"] for i in found["items"]] == made[::-1][:3] and found["more"] is True
    found = _forms(boss.get("/api/search?q=批量&limit=4"))["ticket"]
    assert len(found["items"]) == 4 and found["more"] is False
    assert [i["id"] for i in _forms(boss.get("/api/search?q=批量"))["ticket"]["items"]] == made[::-1]


def test_like_wildcards_are_plain_text(people):
    boss, _ann, _bob = people
    boss.create("ticket", subject="100% done")
    boss.create("ticket", subject="1000 done")
    found = _forms(boss.get("/api/search?q=100%25"))["ticket"]
    assert [i["title"] for i in found["items"]] == ["100% done"]


@pytest.mark.parametrize("query, message", [
    ("", "'q' is required"), ("q=%20%20", "'q' is required"), ("q=" + "x" * 101, "at most 100"),
    ("q=a&limit=0", "between 1 and 50"), ("q=a&limit=51", "between 1 and 50"), ("q=a&limit=x", "whole number"),
    ("q=a&x=1", "unknown parameter 'x' (use q, limit, lang)"), ("q=a&q=b", "'q' is given more than once"),
    ("q=a&limit=2&limit=3", "'limit' is given more than once"),
])
def test_bad_parameters_are_400_saying_why(people, query, message):
    boss, _ann, _bob = people
    response = boss.get(f"/api/search?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert message in response.get_json()["error"]["message"]


def test_the_search_page_lists_hits_with_links_and_more(people, browser):
    boss, ann, _bob = people
    for i in range(6):
        boss.create("ticket", subject=f"阀门 {i}", kind="a")
    ann.create("ticket", subject="阀门 ann")
    client = browser("carl", "boss")
    html = client.get("/search?q=阀门&lang=en").get_data(as_text=True)
    assert html.count('data-testid="search-hit"') == 5
    assert 'href="/f/ticket?q=%E9%98%80%E9%97%A8"' in html  # more: the list searching the same text
    assert "阀门 ann" in html and "阀门 2" in html and "阀门 1" not in html  # the newest five
    assert 'data-testid="top-search"' in html  # the box in the top bar of every page
    clerk = browser("dan", "clerk")
    page = clerk.get("/search?q=阀门&lang=en").get_data(as_text=True)
    assert 'data-testid="search-hit"' not in page and "Nothing found" in page
    bad = clerk.get("/search?q=" + "y" * 101 + "&lang=en")
    assert bad.status_code == 400 and "at most 100" in bad.get_data(as_text=True)
    assert 'data-testid="top-search"' in clerk.get("/f/ticket").get_data(as_text=True)


@pytest.mark.parametrize(("window", "cap"), [(10_000, 1_000), (2, 1_000), (2, 1)])
def test_newest_first_whether_the_newest_window_holds_enough_matches_or_not(people, make_user, monkeypatch,
                                                                             window, cap):
    """PostgreSQL looks at the newest WINDOW records first, then at up to CAP + 1 matches in no order, and when
    there are more walks the newest records: all three give the same answer, with row rules and per-row hide
    sets (a user whose roles hide different fields in different rows)."""
    from engine.services import search as search_service

    monkeypatch.setattr(search_service, "WINDOW", window)
    monkeypatch.setattr(search_service, "CAP", cap)
    boss, ann, _bob = people
    mix = make_user("mix", "clerk", "auditor")  # own rows (secret hidden) and every kind-a row (nothing hidden)
    made = [boss.create("ticket", subject=f"混合 {i}", kind="a" if i % 2 else "b")["id"] for i in range(6)]
    own = mix.create("ticket", subject="混合 mine", kind="b")["id"]
    for _ in range(3):
        boss.create("ticket", subject="other", kind="a")  # newer records that do not match
    found = _forms(mix.get("/api/search?q=混合&limit=2"))["ticket"]
    assert [i["id"] for i in found["items"]] == [own, made[5]] and found["more"] is True
    found = _forms(mix.get("/api/search?q=混合&limit=10"))["ticket"]
    assert [i["id"] for i in found["items"]] == [own, made[5], made[3], made[1]] and found["more"] is False
    assert found["items"][1]["title"] == "混合 5"
    found = _forms(boss.get("/api/search?q=混合&limit=3"))["ticket"]
    assert [i["id"] for i in found["items"]] == [own, made[5], made[4]] and found["more"] is True
