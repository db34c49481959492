"""The dashboard reads a form's single-figure charts in one pass over its rows (`number_charts`: each
chart's aggregate with FILTER (WHERE its own `where`), under the viewer's row filter), with the same
figures as each chart alone; a chart by value keeps its largest groups in SQL (only those get labels)."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from engine.services.charts import MAX_GROUPS, chart_data, dashboard, number_charts
from engine.services.records import create_record

SHOP = {
    "module": "shop", "title": "Shop",
    "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "boss", "title": "Boss"}],
    "forms": [{
        "name": "sale", "title": "Sale", "title_field": "subject", "owner_field": "seller",
        "fields": [
            {"name": "subject", "type": "text", "label": "Subject"},
            {"name": "seller", "type": "user", "label": "Seller"},
            {"name": "kind", "type": "text", "label": "Kind"},
            {"name": "amount", "type": "integer", "label": "Amount"},
            {"name": "paid", "type": "boolean", "label": "Paid"},
        ],
        "permissions": {"clerk": {"create": True, "read": "own"}, "boss": {"create": True, "read": "all"}},
        "charts": [
            {"name": "count", "title": "Sales", "type": "number"},
            {"name": "big", "title": "Big sales", "type": "number", "value": "sum(amount)", "where": "amount >= 50"},
            {"name": "paid_rate", "title": "Paid", "type": "number", "value": "avg(paid)"},
            {"name": "none", "title": "Nothing", "type": "number", "value": "avg(amount)", "where": "amount > 1000"},
            {"name": "by_kind", "title": "By kind", "type": "bar", "group_by": "kind", "value": "sum(amount)"},
        ],
    }],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "shop"
    write_module(folder, SHOP)
    return make_app(folder)


@pytest.fixture
def sales(act_as, make_user):
    make_user("ann", "clerk")
    make_user("ben", "clerk")
    make_user("max", "boss")
    for seller, amounts in [("ann", [10, 60, 70]), ("ben", [5, 500])]:
        with act_as(seller) as ctx:
            for i, amount in enumerate(amounts):
                create_record(ctx, "sale", {"subject": "s", "seller": seller, "kind": f"k{i}", "amount": amount,
                                            "paid": amount > 50})


def test_the_figures_of_one_pass_are_those_of_each_chart_alone(act_as, sales):
    for viewer in ("ann", "ben", "max"):
        with act_as(viewer, write=False) as ctx:
            form = ctx.app.form("sale")
            numbers = [(i, c) for i, c in enumerate(form.charts) if c.type == "number"]
            together = number_charts(ctx, form, numbers)
            alone = [chart_data(ctx, form, c, index=i) for i, c in numbers]
        assert together == alone, viewer
    with act_as("ann", write=False) as ctx:
        form = ctx.app.form("sale")
        figures = {b["name"]: b["value"] for b in number_charts(ctx, form, numbers)}
    assert figures == {"count": 3, "big": 130, "paid_rate": 66.7, "none": None}


def test_the_dashboard_reads_the_single_figures_in_one_statement(app, act_as, sales):
    engine = app.extensions["engine"].db.read_engine  # the reader's (on SQLite not the writer's)
    statements: list[str] = []

    def seen(conn, cursor, sql, *args):
        statements.append(sql)

    with act_as("max", write=False) as ctx:
        event.listen(engine, "before_cursor_execute", seen)
        try:
            cards = dashboard(ctx)[0]["charts"]
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert [c["name"] for c in cards] == ["count", "big", "paid_rate", "none", "by_kind"]
    assert {c["name"]: c.get("value") for c in cards[:4]} == {"count": 5, "big": 630, "paid_rate": 60.0,
                                                              "none": None}
    assert len([s for s in statements if "FILTER (WHERE" in s]) == 1
    assert len([s for s in statements if "FROM rec_sale" in s]) == 2  # the figures, the bars


def test_a_chart_by_value_keeps_its_largest_groups(app, act_as, make_user):
    make_user("max", "boss")
    with act_as("max") as ctx:
        for i in range(MAX_GROUPS + 5):
            create_record(ctx, "sale", {"subject": "s", "seller": "max", "kind": f"k{i:02d}", "amount": i})
    engine = app.extensions["engine"].db.read_engine
    statements: list[str] = []

    def seen(conn, cursor, sql, *args):
        statements.append(sql)

    with act_as("max", write=False) as ctx:
        form = ctx.app.form("sale")
        event.listen(engine, "before_cursor_execute", seen)
        try:
            bars = chart_data(ctx, form, form.charts[4])
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    grouped = [s for s in statements if "GROUP BY" in s]
    assert len(grouped) == 1 and "LIMIT" in grouped[0]  # the other groups never leave the database
    assert len(bars["labels"]) == MAX_GROUPS
    assert bars["values"] == list(range(MAX_GROUPS + 4, 4, -1))
    assert bars["labels"][0] == f"k{MAX_GROUPS + 4:02d}"


def test_groups_tied_at_the_cut_are_chosen_by_their_value(app, act_as, make_user):
    """With more tied groups than are shown, the same ones show on every database: the first by value."""
    make_user("max", "boss")
    with act_as("max") as ctx:
        for i in reversed(range(MAX_GROUPS + 5)):
            create_record(ctx, "sale", {"subject": "s", "seller": "max", "kind": f"k{i:02d}", "amount": 7})
        create_record(ctx, "sale", {"subject": "s", "seller": "max", "amount": 7})  # no kind
    with act_as("max", write=False) as ctx:
        form = ctx.app.form("sale")
        bars = chart_data(ctx, form, form.charts[4])
    assert bars["labels"] == [f"k{i:02d}" for i in range(MAX_GROUPS)]
