"""Dashboard filters (from/to in the engine's zone on each chart's date_field, owner, team) and
drill-down: every figure, bar, slice and point links to the form's list filtered the same way, and
that list's total is the figure, for each user under their own row rules."""
from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest

from engine.errors import BadRequest
from engine.services.charts import dashboard
from engine.services.list_filters import parse_dashboard_filters


@pytest.fixture
def office(make_user, create_at):
    """mgr manages ann, ann manages sub; bob has no manager. Times are Shanghai's."""
    people = {"boss": make_user("boss", "boss"), "mgr": make_user("mgr", "clerk"),
              "aud": make_user("aud", "auditor")}
    people["ann"] = make_user("ann", "clerk", manager="mgr")
    people["sub"] = make_user("sub", "clerk", manager="ann")
    people["bob"] = make_user("bob", "clerk")
    ids = {
        "t1": create_at(people["ann"], "2026-03-31T23:30:00+08:00", subject="t1", kind="a")["id"],
        "t2": create_at(people["ann"], "2026-04-01T00:30:00+08:00", subject="t2", kind="b", on="2026-04-02")["id"],
        "t3": create_at(people["sub"], "2026-04-10T10:00:00+08:00", subject="t3", kind="a")["id"],
        "t4": create_at(people["bob"], "2026-04-15T10:00:00+08:00", subject="t4", kind="a")["id"],
        "t5": create_at(people["mgr"], "2026-05-01T09:00:00+08:00", subject="t5", kind="b")["id"],
    }
    people["ids"] = ids
    return people


def _charts(act_as, name: str, **args: str) -> dict[str, dict]:
    with act_as(name, write=False) as ctx:
        filters = parse_dashboard_filters(ctx, args)
        return {c["name"]: c for group in dashboard(ctx, filters) for c in group["charts"]}


def _bars(chart: dict) -> dict[str, int]:
    return dict(zip(chart["labels"], chart["values"], strict=True))


def test_a_date_range_is_whole_days_in_the_engines_zone(office, act_as):
    april = _charts(act_as, "boss", **{"from": "2026-04-01", "to": "2026-04-30"})
    # t2 was made at 00:30 on 1 April in Shanghai (still 31 March in UTC): it is April's; t1 is not
    assert april["count"]["value"] == 3
    assert _bars(april["by_kind"]) == {"乙": 1, "甲": 2}
    assert _bars(april["by_on"]) == {"乙": 1}  # this chart's date_field is `on`: only t2 has one in April
    assert april["count"]["drill"] == {"chart": "1", "created_at__gte": "2026-04-01T00:00:00",
                                       "created_at__lte": "2026-04-30T23:59:59.999999"}
    assert _charts(act_as, "boss", to="2026-03-31")["count"]["value"] == 1
    assert _charts(act_as, "boss", **{"from": "2026-05-01"})["count"]["value"] == 1
    assert _charts(act_as, "boss")["count"]["value"] == 5


def test_owner_and_team_filters(office, act_as):
    assert _charts(act_as, "boss", owner="ann")["count"]["value"] == 2
    assert _charts(act_as, "boss", team="ann")["count"]["value"] == 3  # ann and sub
    assert _charts(act_as, "boss", team="mgr")["count"]["value"] == 4  # mgr, ann and (through her) sub
    assert _charts(act_as, "boss", team="bob")["count"]["value"] == 1
    both = _charts(act_as, "boss", team="mgr", **{"from": "2026-04-01", "to": "2026-04-30"})
    assert both["count"]["value"] == 2 and _bars(both["by_kind"]) == {"甲": 1, "乙": 1}


def test_filters_stay_within_row_rules_and_hidden_fields(office, act_as):
    ann = _charts(act_as, "ann", team="mgr")
    assert ann["count"]["value"] == 2  # only her own records
    assert "by_secret" not in ann  # grouped by a field hidden from clerks
    aud = _charts(act_as, "aud")
    assert aud["count"]["value"] == 3 and _bars(aud["by_kind"]) == {"甲": 3}
    assert _charts(act_as, "aud", team="mgr")["count"]["value"] == 2


@pytest.mark.parametrize("args, message", [
    ({"from": "2026-13-01"}, "'from' must be a date"), ({"to": "1 April"}, "'to' must be a date"),
    ({"from": "2026-04-02", "to": "2026-04-01"}, "'from' must not be after 'to'"),
    ({"owner": "nobody"}, "no user 'nobody'"), ({"team": "nobody"}, "no user 'nobody'"),
])
def test_bad_dashboard_filters_are_refused(office, act_as, login, app, args, message):
    with act_as("boss", write=False) as ctx, pytest.raises(BadRequest, match=message):
        parse_dashboard_filters(ctx, args)
    client = app.test_client()
    login(client, "boss", "boss-password")
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/dashboard?{query}&lang=en")
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))


def _drill_links(page: str) -> list[tuple[str, int]]:
    """(list URL, figure) for every link of the dashboard page: groups in each chart's table, figures in cards."""
    links = [(html.unescape(url), int(value)) for url, value in re.findall(
        r'<a href="([^"]+)" data-testid="drill">[^<]*</a></th><td>(\d+)</td>', page)]
    links += [(html.unescape(url), int(value.replace(",", ""))) for value, url in re.findall(
        r'data-testid="figure">([\d,]+)</div>\s*<a class="stretched-link" href="([^"]+)" data-testid="drill"', page)]
    return links


@pytest.mark.parametrize("who, args", [
    ("boss", ""), ("boss", "from=2026-04-01&to=2026-04-30"), ("boss", "team=mgr"), ("boss", "owner=ann&to=2026-04-05"),
    ("ann", "team=mgr"), ("ann", ""), ("aud", "from=2026-04-01"), ("aud", "team=ann"),
])
def test_each_drill_down_lists_exactly_the_records_counted(office, login, app, who, args):
    client = app.test_client()
    login(client, who, f"{who}-password")
    page = client.get(f"/dashboard?inline=1&{args}").get_data(as_text=True)
    links = _drill_links(page)
    assert len(links) >= 4, page
    assert any(url.startswith("/f/ticket?chart=1") for url, _v in links)  # the number card "All tickets"
    for url, figure in links:
        assert url.startswith("/f/ticket?"), url
        total = office[who].get("/api/forms/ticket/records?" + url.split("?", 1)[1]).get_json()["total"]
        assert total == figure, (unquote(url), figure, total)
        listed = client.get(url).get_data(as_text=True)
        assert f'data-testid="total">{figure}<' in listed and 'data-testid="drill-note"' in listed
    months = [u for u, _v in links if "created_at__gte=2026-03-01" in unquote(u)]
    assert who != "boss" or args or months  # the line chart's month points link too


def test_drill_parameters_on_the_list(office):
    boss, ann = office["boss"], office["ann"]
    total = lambda client, q: client.get(f"/api/forms/ticket/records?{q}").get_json()["total"]  # noqa: E731
    assert total(boss, "chart=2") == 3  # the chart's where: kind a
    assert total(boss, "chart=2&stage=open&team=mgr") == 2
    assert total(boss, "team=ann") == 3 and total(ann, "team=mgr") == 2
    assert total(boss, "owner=sub") == 1
    for query, message in [("chart=9", "has no chart 9"), ("chart=x", "'chart' must be"), ("team=zed", "no user 'zed'"),
                           ("owner=zed", "no user 'zed'")]:
        response = boss.get(f"/api/forms/ticket/records?{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 400 and message in response.get_json()["error"]["message"], query
    hidden = ann.get("/api/forms/ticket/records?chart=5", headers={"Accept-Language": "en"})  # grouped by secret
    assert hidden.status_code == 400 and "has no chart 5" in hidden.get_json()["error"]["message"]


def test_owner_filters_are_refused_where_the_owner_is_hidden(office, act_as, make_user):
    viewer = make_user("vic", "viewer")  # reads every ticket, but not who owns it
    assert _charts(act_as, "vic")["count"]["value"] == 5
    assert _charts(act_as, "vic", owner="ann") == {} and _charts(act_as, "vic", team="mgr") == {}
    assert _charts(act_as, "vic", **{"from": "2026-04-01"})["count"]["value"] == 4
    for query in ("owner=ann", "team=mgr"):
        response = viewer.get(f"/api/forms/ticket/records?{query}", headers={"Accept-Language": "en"})
        assert response.status_code == 400, query
        assert "the owner of Ticket is hidden from you" in response.get_json()["error"]["message"]


def test_owner_and_team_choices_are_the_active_people(office, act_as, app, login):
    """The owner choices are the active users by display name; the team choices those of them who manage
    an active person (ann manages only sub: when sub leaves, ann's team is empty and not offered)."""
    from sqlalchemy import update

    from engine.services.charts import filter_people
    from engine.store.system import users

    with app.extensions["engine"].db.transaction() as session:
        session.execute(update(users).where(users.c.name.in_(["bob", "sub"])).values(active=False))
        session.execute(update(users).where(users.c.name == "mgr").values(display_name="Manager Ma"))
    with act_as("boss", write=False) as ctx:
        people, teams = filter_people(ctx)
    assert [p for p in people if p[0] != "admin"] == [("ann", "ann"), ("aud", "aud"), ("boss", "boss"),
                                                      ("mgr", "Manager Ma")]
    assert teams == [("mgr", "Manager Ma")]
    client = app.test_client()
    login(client, "boss", "boss-password")
    page = client.get("/dashboard?lang=en").get_data(as_text=True)
    assert 'value="mgr"' in page and "Manager Ma" in page and 'value="bob"' not in page
