"""A chart by month or year of a date field adds up its days first (`_by_day_then_period` in
engine.services.charts): the same labels, values and drill-down groups as grouping every row by
its period, for count, sum of integers and of decimals, min and max, empty dates, a `where`, and
for users whose row rules differ (own rows, all rows), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.services import charts
from engine.services.charts import chart_data
from engine.services.records import create_record

CHARTS = [
    {"name": "n", "title": "Count by month", "type": "bar", "group_by": "on", "interval": "month"},
    {"name": "s", "title": "Points by month", "type": "bar", "group_by": "on", "interval": "month",
     "value": "sum(points)", "where": "points != 7"},
    {"name": "d", "title": "Amount by year", "type": "line", "group_by": "on", "interval": "year",
     "value": "sum(amount)"},
    {"name": "lo", "title": "Least by month", "type": "bar", "group_by": "on", "interval": "month",
     "value": "min(amount)"},
    {"name": "hi", "title": "Most by month", "type": "bar", "group_by": "on", "interval": "month",
     "value": "max(points)"},
]
LOG = {
    "module": "log", "title": "Log",
    "roles": [{"name": "agent", "title": "Agent"}, {"name": "lead", "title": "Lead"}],
    "forms": [{
        "name": "entry", "title": "Entry", "title_field": "subject", "owner_field": "agent",
        "fields": [
            {"name": "subject", "type": "text", "label": "Subject"},
            {"name": "agent", "type": "user", "label": "Agent"},
            {"name": "on", "type": "date", "label": "On"},
            {"name": "points", "type": "integer", "label": "Points"},
            {"name": "amount", "type": "decimal", "label": "Amount", "precision": 2},
        ],
        "permissions": {"agent": {"create": True, "read": "own"}, "lead": {"create": True, "read": "all"}},
        "charts": CHARTS,
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "log"
    write_module(folder, LOG)
    return make_app(folder)


def _figures(act_as: Any, name: str, days_first: bool, monkeypatch: Any) -> list[dict[str, Any]]:
    monkeypatch.setattr(charts, "GROUP_DAYS_FIRST", days_first)
    with act_as(name, write=False) as ctx:
        form = ctx.app.form("entry")
        return [chart_data(ctx, form, chart) for chart in form.charts]


def test_adding_up_days_gives_the_figures_of_grouping_every_row(act_as, make_user, monkeypatch):
    make_user("ann", "agent")
    make_user("bob", "agent")
    make_user("lea", "lead")
    start = dt.date(2024, 11, 28)
    for i in range(60):
        who = "ann" if i % 3 else "bob"
        day = start + dt.timedelta(days=(i * 7) % 95)  # several rows a day, across months and years
        values = {"subject": f"e{i}", "agent": who, "points": (i * 13) % 11,
                  "amount": f"{(i * 37) % 500}.{i % 100:02d}"}
        if i % 10 != 4:
            values["on"] = day.isoformat()  # some without a date: the empty group
        if i % 9 == 2:
            del values["points"]  # the sums and minima skip empty values
        with act_as(who) as ctx:
            create_record(ctx, "entry", values)
    for name in ("ann", "bob", "lea"):
        plain = _figures(act_as, name, False, monkeypatch)
        staged = _figures(act_as, name, True, monkeypatch)
        assert staged == plain, name
        assert plain[0]["labels"] and any(v for v in plain[1]["values"]), name
    whole = _figures(act_as, "lea", True, monkeypatch)
    assert whole[2]["labels"][:2] == ["2024", "2025"] and sum(whole[0]["values"]) == 60
    assert all(isinstance(v, int) for v in whole[0]["values"] + whole[1]["values"])


def test_only_charts_of_a_date_by_an_additive_aggregate_go_by_day(app):
    form = app.extensions["engine"].runtime().app.form("entry")
    assert all(charts._days_first(form, chart) for chart in form.charts)
    from dataclasses import replace
    assert not charts._days_first(form, replace(form.charts[1], aggregate="avg"))
