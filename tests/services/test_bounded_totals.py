"""engine.services.totals: a list's count stops at its bound; the charts keep counting exactly."""
from __future__ import annotations

from sqlalchemy import literal

from engine.services.charts import chart_data
from engine.services.records import create_record, list_records
from engine.services.totals import bounded_total


def _tickets(act_as, n: int) -> None:
    with act_as("ann") as ctx:
        for i in range(n):
            create_record(ctx, "ticket", {"subject": f"t{i}", "area": "web" if i % 2 else "mail"})


def test_the_count_is_exact_up_to_the_limit_then_above_it(act_as, desk):
    _tickets(act_as, 4)
    with act_as("lea", write=False) as ctx:
        table = ctx.runtime.tables("ticket").table
        for limit, expected in ((4, (4, True)), (10, (4, True)), (0, None), (3, None), (1, None)):
            total = bounded_total(ctx.session, table, [literal(True)], limit, ctx.runtime.dialect)
            if expected:
                assert (total.count, total.exact) == expected
            else:
                assert not total.exact and total.count >= limit + 1
                if ctx.runtime.dialect == "sqlite":
                    assert total.count == limit + 1
        web = bounded_total(ctx.session, table, [table.c.area == "web"], 2, ctx.runtime.dialect)
        assert (web.count, web.exact) == (2, True)


def test_a_chart_counts_every_record_while_the_list_total_is_bounded(act_as, desk):
    _tickets(act_as, 6)
    with act_as("lea", write=False) as ctx:
        page = list_records(ctx, "ticket", {"per_page": "2"}, exact_limit=2)
        form = ctx.app.form("ticket")
        data = chart_data(ctx, form, form.charts[0])
    assert page["total_exact"] is False and page["total"] >= 3 and len(page["items"]) == 2
    assert dict(zip(data["labels"], data["values"], strict=True)) == {"web": 3, "mail": 3}


def test_the_default_bound_is_ten_thousand(act_as, desk):
    from engine.services import totals
    from engine.settings import DEFAULTS

    assert totals.EXACT_TOTAL_LIMIT == DEFAULTS["ENGINE_EXACT_TOTAL_LIMIT"] == 10_000
    _tickets(act_as, 3)
    with act_as("lea", write=False) as ctx:
        page = list_records(ctx, "ticket", {})
    assert (page["total"], page["total_exact"]) == (3, True)
