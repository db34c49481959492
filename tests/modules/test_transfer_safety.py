"""Import and export against hostile or careless files and users: formula cells, records
created for a colleague, files that claim huge sizes, and an import running while others
work."""
from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from engine.auth.users import get_user
from engine.errors import BadRequest
from engine.records.context import Context
from engine.services import imports, sheets
from engine.store.system import history, timers

CUSTOMERS = "/api/forms/customer/records"


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\tlead\nline", "\rcr\r\nline",
            "'=quoted", "''+twice", "'plain", "-", "a=b", "_x000D_ \x01 ctl"]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_neutralises_formulas_and_import_gives_them_back(upload, people, browse):
    for i, text in enumerate(FORMULAS):
        people["zhang"].create("customer", name=f"客户{i}", remark=text, owner="zhang")
    client = browse("zhang")
    data = client.get("/f/customer/export?format=csv").get_data()
    rows = csv_rows(data)
    remarks = [dict(zip(rows[0], r, strict=True))["备注"] for r in rows[1:]]
    assert all(not re.match(r"[=+\-@\t\r]", r) for r in remarks), remarks  # no cell starts a formula
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in remarks and "''=quoted" in remarks
    workbook = client.get("/f/customer/export?format=xlsx").get_data()
    cells = [c for row in load_workbook(io.BytesIO(workbook)).active.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)  # text cells, never formulas
    assert {c for row in sheets.read_rows(workbook, "x.xlsx")[1] for c in row} >= set(FORMULAS)  # exact texts
    # Round trip: import the CSV back (as new records) and the texts are exactly the same.
    rows = [row if i == 0 else [c.replace("客户", "导入") for c in row] for i, row in enumerate(rows)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    renamed = out.getvalue().encode("utf-8")
    response = upload(client, "customer", renamed, "again.csv")
    assert response.status_code == 200, re.findall(r'<div class="alert.*?</div>|<td>.*?</tr>',
                                                   response.get_data(as_text=True), re.S)[:5]
    items = people["zhang"].get(CUSTOMERS + "?per_page=100").get_json()["items"]
    imported = {c["fields"]["name"]: c["fields"]["remark"] for c in items if c["fields"]["name"].startswith("导入")}
    assert sorted(imported.values()) == sorted(FORMULAS)


def test_template_and_guide_cells_are_text(browse):
    book = load_workbook(io.BytesIO(browse("zhang").get("/f/customer/import/template?format=xlsx").get_data()))
    assert all(c.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    # a label or help text from a definition is written the same way
    data = sheets.write_xlsx(["=label"], [], "t", [["=HYPERLINK(\"x\")", "+help", "@x"]])
    cells = [c for sheet in load_workbook(io.BytesIO(data)).worksheets for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells] == ["s"] * 4 and cells[1].value == "=HYPERLINK(\"x\")"
    assert "".join(sheets.write_csv(["=label"], [])) == "\ufeff'=label\r\n"
    titled = load_workbook(io.BytesIO(sheets.write_xlsx(["a"], [], "售后/工单[2026]: 'x'?")))
    assert titled.sheetnames[0] == "售后_工单_2026__ 'x'_"


# -- creating for a colleague -----------------------------------------------------------------

def test_api_create_for_a_colleague_is_refused_like_the_edit(people):
    refused = people["zhang"].post(CUSTOMERS, json={"fields": {"name": "别人的", "owner": "li"}})
    assert refused.status_code == 422 and "owner" in refused.get_json()["error"]["fields"]
    mine = people["zhang"].create("customer", name="自己的")
    assert mine["fields"]["owner"] == "zhang"
    edit = people["zhang"].patch(f"{CUSTOMERS}/{mine['id']}", json={"version": 1, "fields": {"owner": "li"}})
    assert edit.status_code == 403
    assert people["boss"].post(CUSTOMERS, json={"fields": {"name": "分给李", "owner": "li"}}).status_code == 201
    assert people["li"].get(CUSTOMERS).get_json()["total"] == 1  # only the manager's record for li


def test_page_form_create_for_a_colleague_is_refused(csrf_from, people, browse):
    client = browse("zhang")
    token = csrf_from(client.get("/f/customer/new").get_data(as_text=True))
    response = client.post("/f/customer/new", data={"csrf_token": token, "name": "别人的", "owner": "li"})
    assert response.status_code == 422
    assert people["boss"].get(CUSTOMERS).get_json()["total"] == 0


def test_import_for_a_colleague_is_refused_at_its_row(upload, xlsx, people, browse):
    data = xlsx([["客户名称", "负责销售"], ["自己的", "zhang"], ["别人的", "li"]])
    response = upload(browse("zhang"), "customer", data, "c.xlsx")
    assert response.status_code == 422
    assert "<td>3</td><td>负责销售</td>" in response.get_data(as_text=True)
    assert people["boss"].get(CUSTOMERS).get_json()["total"] == 0


# -- files that claim more than they hold -----------------------------------------------------

def crafted_xlsx(rows: list[list], *, dimension: str | None = None, extra_xml: str = "",
                 far_cell: bool = False) -> bytes:
    """An XLSX whose sheet XML is edited: a claimed dimension, rows appended as raw XML."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if far_cell:
        book.active["XFD2"] = None
        book.active["XFD2"].style = "Normal"
    source = io.BytesIO()
    book.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', text)
                if far_cell:
                    text = text.replace('<c r="XFD2" s="0"/>', '<c r="XFD2" t="inlineStr"><is><t></t></is></c>')
                text = text.replace("</sheetData>", extra_xml + "</sheetData>")
                data = text.encode()
            zout.writestr(item, data)
    return out.getvalue()


def read_all(data: bytes, name: str, **limits) -> tuple[list, list]:
    head, rows = sheets.read_rows(data, name, **limits)
    return head, [r for r in rows if any(c not in (None, "") for c in r)]


def test_xlsx_claiming_every_column_and_row_reads_only_its_content():
    data = crafted_xlsx([["客户名称", "备注"], ["甲", "x"], ["乙", None]], dimension="A1:XFD1048576")
    head, rows = read_all(data, "big.xlsx")
    assert head == ["客户名称", "备注"] and rows == [["甲", "x"], ["乙", None]]


def test_xlsx_with_200000_empty_rows_and_a_far_cell_reads_only_its_content():
    empty = "".join(f'<row r="{n}" spans="1:2"/>' for n in range(4, 200_004))
    data = crafted_xlsx([["客户名称", "备注"], ["甲", "x"], ["乙", None]], extra_xml=empty, far_cell=True)
    head, rows = sheets.read_rows(data, "rows.xlsx")
    assert head == ["客户名称", "备注"]
    body = list(rows)
    assert all(len(r) <= 2 for r in body)
    assert [r for r in body if any(r)] == [["甲", "x"], ["乙", None]]


def test_too_many_rows_or_cells_stop_while_reading_and_say_where():
    data = crafted_xlsx([["a", "b"]] + [[f"r{i}", "x"] for i in range(30)])
    with pytest.raises(BadRequest, match="row 12"):
        read_all(data, "many.xlsx", max_rows=10)
    with pytest.raises(BadRequest, match="cells.*row 7"):
        read_all(data, "many.xlsx", max_cells=10)
    text = "a,b" + "," * 16_000 + "\n" + "1,2" + "," * 16_000 + "\n"
    assert read_all(text.encode(), "wide.csv") == (["a", "b"], [["1", "2"]])


def test_a_long_csv_cell_is_read_whole():
    long = "x" * 300_000  # a large table field's JSON is longer than the csv module's default limit
    assert read_all("".join(sheets.write_csv(["a"], [[long]])).encode(), "long.csv") == (["a"], [[long]])


def test_lines_beyond_a_spreadsheets_last_row_are_refused():
    with pytest.raises(BadRequest, match="1048576 lines"):
        read_all(b"a,b\n1,2\n" + b"\n" * sheets.MAX_SHEET_ROWS, "blank.csv")
    far = crafted_xlsx([["a", "b"], ["1", "2"]], extra_xml='<row r="5000000"><c r="A5000000"><v>1</v></c></row>')
    with pytest.raises(BadRequest, match="1048576 lines"):
        read_all(far, "far.xlsx")


def test_unpacked_size_is_bounded(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_UNPACKED", 1000)
    with pytest.raises(BadRequest, match="unpacked"):
        sheets.read_rows(crafted_xlsx([["a"], ["b"]]), "bomb.xlsx")


def test_import_of_a_file_claiming_huge_dimensions_imports_its_rows(upload, people, browse):
    empty = "".join(f'<row r="{n}"/>' for n in range(4, 50_004))
    data = crafted_xlsx([["客户名称", "负责销售"], ["甲", "zhang"], ["乙", "zhang"]],
                        dimension="A1:XFD1048576", extra_xml=empty)
    response = upload(browse("boss"), "customer", data, "c.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    assert people["boss"].get(CUSTOMERS).get_json()["total"] == 2


# -- an import does not hold others up ------------------------------------------------------

def test_others_create_orders_while_an_import_is_checking_its_rows(app, people):
    customer = people["zhang"].create("customer", name="并发客户", owner="zhang")["id"]
    state = app.extensions["engine"]
    with state.db.session() as session:
        boss = get_user(session, "boss")

    @contextmanager
    def use_case(write: bool = False):
        with state.db.session(write=write) as session, session.begin():
            yield Context(state.runtime(), session, boss, now=datetime.now(UTC), tzinfo=ZoneInfo("Asia/Shanghai"))

    started, release = threading.Event(), threading.Event()

    def slow_rows():
        for i in range(20):
            if i == 5:
                started.set()
                release.wait(60)
            yield [str(customer), "zhang", "2026-03-01", f"导入{i}"]

    outcome: dict = {}

    def run_import():
        try:
            outcome["report"] = imports.import_rows(use_case, "sales_order", ["客户", "销售", "下单日期", "备注"],
                                                    slow_rows())
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc
    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        assert started.wait(30)
        created: dict = {}
        other = threading.Thread(target=lambda: created.update(
            response=people["li"].post("/api/forms/sales_order/records", json={"fields": {
                "customer": people["li"].create("customer", name="李的客户")["id"]}})))
        other.start()
        other.join(25)
        assert not other.is_alive(), "another user's create waited for the import"
        assert created["response"].status_code == 201, created["response"].get_json()
    finally:
        release.set()
        worker.join(60)
    assert "error" not in outcome, outcome.get("error")
    assert len(outcome["report"].created) == 20
    numbers = [o["fields"]["order_no"] for o in
               people["boss"].get("/api/forms/sales_order/records?per_page=100").get_json()["items"]]
    assert len(numbers) == 21 and len(set(numbers)) == 21


# -- a bulk import does what one create does ----------------------------------------------

def side_effects(app, form: str, record_id: int) -> tuple[list, list]:
    """The record's timers (stage timers relative to its creation) and history entries."""
    state = app.extensions["engine"]
    table = state.runtime().tables(form).table
    with state.db.session() as session:
        created = session.execute(select(table.c.created_at).where(table.c.id == record_id)).scalar_one()
        armed = sorted((t.kind, t.name, t.fire_at - created if t.kind != "date" else t.fire_at, t.status)
                       for t in session.execute(select(timers).where(timers.c.form == form,
                                                                     timers.c.record_id == record_id)))
        entries = [(h.action, h.actor, sorted(h.details["values"])) for h in session.execute(
            select(history).where(history.c.form == form, history.c.record_id == record_id))]
    return armed, entries


def test_an_imported_record_gets_the_timers_history_links_and_rollups_of_a_created_one(
        upload, xlsx, login, app, people, browse, make_user, catalogue):
    fin = make_user("fin", "finance")
    boss = people["boss"]
    customer = boss.create("customer", name="对照客户", owner="zhang", next_follow_up="2030-05-06")
    order = boss.create("sales_order", customer=customer["id"], salesperson="zhang",
                        items=[{"product": catalogue("阀门"), "qty": 2, "price": "50.00"}])
    cases = [
        (boss, "customer", {"name": "对照客户2", "owner": "zhang", "next_follow_up": "2030-05-06"},
         [["客户名称", "负责销售", "下次跟进日期"], ["导入客户", "zhang", "2030-05-06"]]),
        (boss, "after_sales", {"order": order["id"], "description": "漏水"},
         [["销售订单", "问题描述"], [str(order["id"]), "漏水"]]),
        (boss, "follow_up", {"subject": "电话", "customer": customer["id"], "content": "聊了"},
         [["跟进主题", "客户", "跟进内容"], ["电话", "对照客户", "聊了"]]),
        (fin, "payment", {"order": order["id"], "amount": "30.00"},
         [["销售订单", "回款金额（元）"], [order["id"], 40]]),
    ]
    logins = {"boss": browse("boss")}
    client_fin = app.test_client()
    assert login(client_fin, "fin", "fin-password").status_code == 302
    logins["fin"] = client_fin
    for user, form, fields, sheet in cases:
        created = user.post(f"/api/forms/{form}/records", json={"fields": fields})
        assert created.status_code == 201, created.get_json()
        client = logins["fin" if user is fin else "boss"]
        response = upload(client, form, xlsx(sheet), "one.xlsx")
        assert response.status_code == 200, (form, response.get_data(as_text=True)[-1500:])
        items = user.get(f"/api/forms/{form}/records?per_page=100").get_json()["items"]
        imported = max(i["id"] for i in items)
        assert side_effects(app, form, imported) == side_effects(app, form, created.get_json()["id"]), form
    order_now = boss.get(f"/api/forms/sales_order/records/{order['id']}").get_json()["fields"]
    assert order_now["collected"] == "70.00" and order_now["outstanding"] == "30.00"  # rollup of both payments
    customer_now = boss.get(f"{CUSTOMERS}/{customer['id']}").get_json()["fields"]
    assert customer_now["last_follow_up"] == customer["fields"]["last_follow_up"]  # set by both follow-ups
    with app.extensions["engine"].db.session() as session:
        via = [h.details.get("via", {}).get("form") for h in session.execute(select(history).where(
            history.c.form == "sales_order", history.c.record_id == order["id"]))]
    assert via.count("payment") == 2
