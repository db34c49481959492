"""Exports speak the exporter's language (headers, option labels, stage titles); an import
accepts column headers and option labels in either language, or the field names and values."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from engine.i18n import speaking
from engine.services.imports import import_rows
from engine.services.records import list_records
from tests.services.conftest import context_opener


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_an_export_speaks_the_exporters_language(browser, ticket):
    client = browser("bea", "agent")
    head, row = _csv(client.get("/f/ticket/export?format=csv&lang=en"))
    assert head[:5] == ["ID", "Stage", "Subject", "Level", "Tags"] and "房间号" in head and "Parts" in head
    assert "Urgent" in row and "Hardware" in row and "Open" in row
    head, row = _csv(client.get("/f/ticket/export?format=csv&lang=zh_CN"))
    assert head[2:5] == ["主题", "级别", "标签"] and "紧急" in row and "硬件" in row and "待处理" in row
    book = load_workbook(io.BytesIO(client.get("/f/ticket/export?format=xlsx&lang=en").get_data()))
    sheet = book.active
    assert [c.value for c in sheet[1]][2:4] == ["Subject", "Level"] and sheet.title == "Ticket"
    assert "Urgent" in [c.value for c in sheet[2]]


def test_an_import_takes_headers_and_option_labels_in_either_language(app, agent):
    acting = context_opener(app)

    def as_ann(write=False):
        return acting("ann", write)

    with speaking("zh_CN"):  # the importer reads Chinese, the file is written in English
        english = import_rows(as_ann, "ticket", ["Subject", "Level", "Tags", "房间号"],
                              [["Jammed", "Urgent", "Hardware, Software", "B-2"], ["Slow", "低", "Software", ""]])
    with speaking("en"):  # and the other way round, with field names and values too
        chinese = import_rows(as_ann, "ticket", ["主题", "级别", "tags"],
                              [["卡纸", "普通", "硬件"], ["断网", "high", "sw"]])
    assert english.imported and chinese.imported and not english.ignored_columns and not chinese.ignored_columns
    with acting("ann", write=False) as ctx:
        items = list_records(ctx, "ticket", {"order_by": "id"})["items"]
    assert [(r["fields"]["subject"], r["fields"]["level"], r["fields"]["tags"]) for r in items] == [
        ("Jammed", "high", ["hw", "sw"]), ("Slow", "low", ["sw"]), ("卡纸", "normal", ["hw"]), ("断网", "high", ["sw"])]
    assert items[0]["fields"]["room"] == "B-2"
