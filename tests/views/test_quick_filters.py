"""`quick=mine,this_month,overdue` on the list API, at frozen instants in the engine's named zone
(Asia/Shanghai): the month turns at 16:00 UTC there."""
from __future__ import annotations

from datetime import UTC, datetime

import time_machine

LIST = "/api/forms/job/records"


def titles(response):
    assert response.status_code == 200, response.get_json()
    return sorted(i["fields"]["title"] for i in response.get_json()["items"])


def at(moment: str):
    return time_machine.travel(datetime.fromisoformat(moment).astimezone(UTC), tick=False)


def test_this_month_turns_at_midnight_in_shanghai(make_user):
    boss = make_user("boss1", "boss")
    with at("2026-03-31T15:59:00+00:00"):  # 23:59 on 31 March in Shanghai
        boss.create("job", title="march")
    with at("2026-03-31T16:01:00+00:00"):  # 00:01 on 1 April in Shanghai (still 31 March in UTC)
        boss.create("job", title="april")
    with at("2026-04-30T15:30:00+00:00"):  # 23:30 on 30 April in Shanghai
        assert titles(boss.get(f"{LIST}?quick=this_month")) == ["april"]
    with at("2026-03-31T15:59:30+00:00"):
        assert titles(boss.get(f"{LIST}?quick=this_month")) == ["march"]
    with at("2026-04-30T16:30:00+00:00"):  # 1 May in Shanghai
        assert titles(boss.get(f"{LIST}?quick=this_month")) == []


def test_mine_and_overdue(make_user):
    ann = make_user("ann", "staff")
    boss = make_user("boss1", "boss")
    with at("2026-05-10T02:00:00+00:00"):
        ann.create("job", title="ann-old")
        done = ann.create("job", title="ann-finished")
        assert ann.post(f"/api/forms/job/records/{done['id']}/transitions/finish", json={}).status_code == 200
        boss.create("job", title="boss-old", level="high")
    with at("2026-05-11T01:00:00+00:00"):
        ann.create("job", title="ann-new")
    with at("2026-05-11T03:00:00+00:00"):  # the first ones are 25 h old: past their 24 h
        assert titles(ann.get(f"{LIST}?quick=mine")) == ["ann-finished", "ann-new", "ann-old"]
        assert titles(boss.get(f"{LIST}?quick=overdue")) == ["ann-old", "boss-old"]
        assert titles(ann.get(f"{LIST}?quick=overdue")) == ["ann-old", "boss-old"]  # boss-old is high: readable
        assert titles(ann.get(f"{LIST}?quick=mine,overdue")) == ["ann-old"]
        assert titles(ann.get(f"{LIST}?quick=mine&quick=overdue")) == ["ann-old"]


def test_unknown_quick_filter_is_400(make_user):
    ann = make_user("ann", "staff")
    response = ann.get(f"{LIST}?quick=tomorrow")
    assert response.status_code == 400, response.get_json()
    assert "'tomorrow'" in response.get_json()["error"]["message"]
    assert "(use mine, this_month, overdue)" in response.get_json()["error"]["message"]


def test_mine_and_owner_filters_refused_alike_when_the_owner_is_hidden(make_user):
    make_user("ann", "staff").create("job", title="A")
    temp = make_user("tim", "temp")
    for query, param in (("quick=mine", "quick"), ("owner=ann", "owner"), ("team=ann", "team")):
        response = temp.get(f"{LIST}?{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 400, (query, response.get_json())
        assert response.get_json()["error"]["message"] == f"parameter '{param}': the owner of Job is hidden from you"
    assert titles(temp.get(f"{LIST}?quick=this_month")) == ["A"]


def test_month_placeholders_in_a_shared_view(make_user):
    boss = make_user("boss1", "boss")
    for title, day in (("feb", "2026-02-28"), ("mar-first", "2026-03-01"), ("mar-last", "2026-03-31"),
                       ("apr", "2026-04-01")):
        boss.create("job", title=title, amount=200, close_day=day)
    boss.create("job", title="mar-small", amount=10, close_day="2026-03-15")
    with at("2026-03-31T15:00:00+00:00"):  # 23:00 on 31 March in Shanghai
        assert titles(boss.get(f"{LIST}?saved=big_this_month")) == ["mar-first", "mar-last"]
    with at("2026-03-31T16:30:00+00:00"):  # already April there
        assert titles(boss.get(f"{LIST}?saved=big_this_month")) == ["apr"]


def test_today_placeholder_reaches_the_end_of_the_day_only_on_date_and_time_values(make_user, desk_dir):
    """`__lte` `$today` on a date-and-time value (a datetime field, updated_at) reaches the end of the day in the
    engine's zone; on a day value (a date field, a formula whose result is a date) it is that day. One rule
    (FormDef.is_datetime) decides for views, dashboard drill-downs and filters."""
    from engine.definitions import load_directory

    form = load_directory(desk_dir).form("job")
    assert [n for n in ("closed_at", "close_day", "closing_day", "created_at", "due_at", "id", "title")
            if form.is_datetime(n)] == ["closed_at", "created_at", "due_at"]
    boss = make_user("boss1", "boss")
    with at("2026-03-30T02:00:00+00:00"):
        boss.create("job", title="evening", closed_at="2026-03-31T22:00:00+08:00", close_day="2026-03-31")
        boss.create("job", title="tomorrow", closed_at="2026-04-01T00:30:00+08:00", close_day="2026-04-01")
    cases = {"closed_at__lte": ["evening"], "close_day__lte": ["evening"], "closing_day__lte": ["evening"],
             "created_at__lte": ["evening", "tomorrow"]}
    for param, expected in cases.items():
        view = boss.post("/api/forms/job/views", json={"name": param, "filters": {param: "$today"}})
        assert view.status_code == 201, view.get_json()
        with at("2026-03-31T02:00:00+00:00"):  # 10:00 on 31 March in Shanghai
            assert titles(boss.get(f"{LIST}?saved={view.get_json()['id']}")) == expected, param
