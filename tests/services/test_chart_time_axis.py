"""A chart grouped by a date (by day, month or year) is a time axis: its groups in time order,
and past MAX_GROUPS the most recent ones kept, whatever their values (engine.services.charts)."""
from __future__ import annotations

import datetime as dt

import pytest

from engine.services.charts import MAX_GROUPS, chart_data
from engine.services.records import create_record

LOG = {
    "module": "log", "title": "Log",
    "roles": [{"name": "agent", "title": "Agent"}],
    "forms": [{
        "name": "entry", "title": "Entry", "title_field": "subject",
        "fields": [
            {"name": "subject", "type": "text", "label": "Subject"},
            {"name": "on", "type": "date", "label": "On"},
            {"name": "points", "type": "integer", "label": "Points"},
        ],
        "permissions": {"agent": {"create": True, "read": "all"}},
        "charts": [
            {"title": "By month", "type": "bar", "group_by": "on", "interval": "month", "value": "sum(points)"},
            {"title": "By day", "type": "bar", "group_by": "on", "value": "sum(points)"},
        ],
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "log"
    write_module(folder, LOG)
    return make_app(folder)


def test_a_time_axis_is_in_time_order_and_keeps_the_latest_groups(act_as, make_user):
    make_user("ann", "agent")
    months = [dt.date(2023 + (i // 12), i % 12 + 1, 15) for i in range(MAX_GROUPS + 2)]  # 2023-01 … 2025-08
    with act_as("ann") as ctx:
        for i, day in enumerate(months):  # the older, the larger: by value the newest would be cut
            create_record(ctx, "entry", {"subject": "e", "on": day.isoformat(), "points": 100 - i})
        create_record(ctx, "entry", {"subject": "e", "on": "2025-08-01", "points": 1})
    with act_as("ann", write=False) as ctx:
        form = ctx.app.form("entry")
        by_month = chart_data(ctx, form, form.charts[0])
        by_day = chart_data(ctx, form, form.charts[1])
    assert by_month["labels"] == [d.strftime("%Y-%m") for d in months[2:]]
    assert by_month["values"][-1] == 100 - (MAX_GROUPS + 1) + 1 and by_month["values"][0] == 98
    assert len(by_day["labels"]) == MAX_GROUPS
    assert by_day["values"][-2:] == [1, 100 - (MAX_GROUPS + 1)]  # 2025-08-01, then 2025-08-15
