"""engine.services.charts and engine.services.imports without HTTP."""
from __future__ import annotations

import pytest

from engine.services.charts import chart_data
from engine.services.imports import ImportRejected, import_rows
from engine.services.records import create_record, list_records


def test_a_bar_chart_counts_the_records_the_viewer_may_read_per_group(act_as, desk):
    with act_as("ann") as ctx:
        for area in ["web", "web", "mail"]:
            create_record(ctx, "ticket", {"subject": "t", "area": area})
    with act_as("bob") as ctx:
        create_record(ctx, "ticket", {"subject": "t", "area": "web"})
    for viewer, expected in [("ann", {"web": 2, "mail": 1}), ("lea", {"web": 3, "mail": 1})]:
        with act_as(viewer, write=False) as ctx:
            form = ctx.app.form("ticket")
            data = chart_data(ctx, form, form.charts[0])
        assert dict(zip(data["labels"], data["values"], strict=True)) == expected, data


def test_an_import_creates_a_record_per_row_matching_columns_by_label(act_as, desk):
    report = import_rows(lambda write=False: act_as("ann", write), "ticket",
                         ["Subject", "Points", "Extra"], [["one", 1], ["two", "2"]])
    assert (report.imported, len(report.created), report.ignored_columns) == (True, 2, ["Extra"])
    with act_as("ann", write=False) as ctx:
        items = list_records(ctx, "ticket", {"order_by": "subject"})["items"]
    assert [(r["fields"]["subject"], r["fields"]["points"], r["created_by"]) for r in items] == \
        [("one", 1, "ann"), ("two", 2, "ann")]


def test_an_import_with_a_bad_row_writes_nothing_and_names_the_row(act_as, desk):
    with pytest.raises(ImportRejected) as rejected:
        import_rows(lambda write=False: act_as("ann", write), "ticket",
                    ["subject", "points"], [["one", 1], ["two", "minus"]])
    assert [failure["row"] for failure in rejected.value.report.failed] == [3]  # the header is row 1
    with act_as("ann", write=False) as ctx:
        assert list_records(ctx, "ticket", {})["total"] == 0


def test_an_import_of_valid_rows_only_skips_the_bad_ones(act_as, desk):
    report = import_rows(lambda write=False: act_as("ann", write), "ticket",
                         ["subject", "points"], [["one", 1], ["", 2]], valid_only=True)
    assert (len(report.created), [f["row"] for f in report.failed]) == (1, [3])
