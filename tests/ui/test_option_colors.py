"""Coloured options on the pages, on both databases: the list, the board and the record page
show a coloured option as a badge of its colour (a multiselect as chips) and an uncoloured one
as plain text; exports keep the plain labels; a chart grouped by the field draws each option
in its colour; the forms API tells the colour."""
from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from engine.fieldtypes.choices import COLORS

MODULE = {
    "module": "tickets", "title": "工单", "roles": [{"name": "agent", "title": "客服"}],
    "forms": [{
        "name": "ticket", "title": "工单", "title_field": "subject",
        "fields": [
            {"name": "subject", "type": "text", "label": "主题", "required": True},
            {"name": "priority", "type": "select", "label": "优先级", "options": [
                {"value": "high", "label": "高", "color": "red"}, {"value": "normal", "label": "中"},
                {"value": "low", "label": "低", "color": "green"}]},
            {"name": "tags", "type": "multiselect", "label": "标签", "options": [
                {"value": "vip", "label": "大客户", "color": "purple"}, {"value": "repeat", "label": "重复"}]},
            {"name": "lines", "type": "table", "label": "明细", "fields": [
                {"name": "item", "type": "text", "label": "项目"},
                {"name": "urgency", "type": "select", "label": "紧急", "options": [
                    {"value": "now", "label": "立即", "color": "orange"}, {"value": "later", "label": "稍后"}]}]},
        ],
        "workflow": {"initial": "open", "stages": [{"name": "open", "title": "处理中", "editable": ["*"]},
                                {"name": "done", "title": "已完成", "final": True}],
                     "transitions": [{"name": "finish", "title": "完成", "from": "open", "to": "done",
                                      "roles": ["agent"]}]},
        "list": {"columns": ["subject", "priority", "tags"]},
        "charts": [{"name": "by_priority", "title": "按优先级", "type": "pie", "group_by": "priority"},
                   {"name": "by_subject", "title": "按主题", "type": "bar", "group_by": "subject"}],
        "permissions": {"agent": {"create": True, "read": "all", "update": "all"}},
    }],
}
RED = '<span class="badge option-badge option-color-red">高</span>'
GREEN = '<span class="badge option-badge option-color-green">低</span>'
VIP = '<span class="badge option-badge option-color-purple">大客户</span>'
REPEAT_CHIP = '<span class="badge option-badge option-color-none">重复</span>'


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "tickets"
    write_module(folder, MODULE)
    return make_app(folder)


@pytest.fixture
def records(app, make_user):
    agent = make_user("agent1", "agent")
    made = {
        "hot": agent.create("ticket", subject="Hot", priority="high", tags=["repeat", "vip"],
                            lines=[{"item": "x", "urgency": "now"}, {"item": "y", "urgency": "later"}]),
        "calm": agent.create("ticket", subject="Calm", priority="normal", tags=["repeat"]),
        "cold": agent.create("ticket", subject="Cold", priority="low"),
    }
    return made


def test_the_list_shows_coloured_options_as_badges_and_others_as_text(records, browser):
    client = browser("agent2", "agent")
    page = client.get("/f/ticket").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-record-id="(\d+)">(.*?)</tr>', page, re.S))
    hot, calm, cold = (rows[str(records[k]["id"])] for k in ("hot", "calm", "cold"))
    assert RED in hot and f'<span class="option-chips">{REPEAT_CHIP} {VIP}</span>' in hot
    assert GREEN in cold
    assert re.search(r'data-label="优先级">中</td>', calm) and re.search(r'data-label="标签">重复</td>', calm)
    assert "option-badge" not in calm  # no colour: plain text, as before
    board = client.get("/f/ticket?view=board").get_data(as_text=True)
    assert 'data-testid="board"' in board and RED in board and GREEN in board


def test_the_record_page_shows_the_badges_also_in_a_table(records, browser):
    client = browser("agent3", "agent")
    page = client.get(f"/f/ticket/{records['hot']['id']}").get_data(as_text=True)
    assert RED in page and VIP in page
    assert '<span class="badge option-badge option-color-orange">立即</span>' in page
    assert re.search(r"<td[^>]*>稍后</td>", page)
    calm = client.get(f"/f/ticket/{records['calm']['id']}").get_data(as_text=True)
    assert "option-badge" not in calm.split('data-value="priority"')[1].split("</dd>")[0]


def test_exports_keep_the_plain_labels(records, browser):
    client = browser("agent4", "agent")
    sheet = load_workbook(io.BytesIO(client.get("/f/ticket/export?format=xlsx").data)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    head = rows[0]
    got = {row[head.index("主题")]: (row[head.index("优先级")], row[head.index("标签")]) for row in rows[1:]}
    assert got == {"Hot": ("高", "重复、大客户"), "Calm": ("中", "重复"), "Cold": ("低", None)}
    text = client.get("/f/ticket/export?format=csv").get_data(as_text=True).lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text)))
    assert {r[table[0].index("主题")]: r[table[0].index("优先级")] for r in table[1:]} == \
        {"Hot": "高", "Calm": "中", "Cold": "低"}
    assert "option-" not in text and "<span" not in text


def test_a_chart_grouped_by_the_field_draws_each_option_in_its_colour(records, browser):
    page = browser("agent5", "agent").get("/dashboard?inline=1").get_data(as_text=True)
    charts = {c["name"]: c for c in map(json.loads, map(unescape, re.findall(r'data-chart="([^"]+)"', page)))}
    pie = charts["by_priority"]
    colours = dict(zip(pie["labels"], pie["colors"], strict=True))
    assert colours == {"高": COLORS["red"].background, "中": None, "低": COLORS["green"].background}
    assert "colors" not in charts["by_subject"]  # a group without options keeps the chart's palette


def test_the_forms_api_tells_the_colour(records, make_user):
    form = make_user("agent6", "agent").get("/api/forms/ticket").get_json()
    priority = next(f for f in form["fields"] if f["name"] == "priority")
    assert priority["options"] == [{"value": "high", "label": "高", "color": "red"},
                                   {"value": "normal", "label": "中"},
                                   {"value": "low", "label": "低", "color": "green"}]
