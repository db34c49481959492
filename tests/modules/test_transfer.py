"""Import and export (CSV and XLSX) through the pages and the CLI: same rules as the form,
errors by row and column, nothing imported when a row fails unless asked."""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

CUSTOMERS = "/api/forms/customer/records"


def test_export_csv_has_labels_and_readable_values_and_only_what_the_user_may_read(people, browse):
    people["zhang"].create("customer", name="杭州甲", grade="A", owner="zhang", in_pool=False)
    people["li"].create("customer", name="苏州乙", owner="li")
    response = browse("zhang").get("/f/customer/export?format=csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    head = rows[0]
    assert head[:3] == ["ID", "阶段", "客户名称"] and "客户等级" in head
    assert len(rows) == 2  # not li's customer
    line = dict(zip(head, rows[1], strict=True))
    assert line["客户名称"] == "杭州甲" and line["客户等级"].startswith("A类") and line["公海"] == "否"
    assert line["阶段"] == "跟进中"


def test_export_xlsx_follows_the_list_filters(people, browse):
    people["boss"].create("customer", name="甲", grade="A", owner="zhang")
    people["boss"].create("customer", name="乙", grade="B", owner="zhang")
    data = browse("boss").get("/f/customer/export?format=xlsx&grade=B").get_data()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "乙" in rows[1]


def test_template_has_the_columns_and_a_guide(browse):
    data = browse("zhang").get("/f/customer/import/template?format=xlsx").get_data()
    book = load_workbook(io.BytesIO(data))
    head = next(book.worksheets[0].iter_rows(values_only=True))
    assert "客户名称" in head and "最近跟进日期" not in head  # read-only fields are not imported
    guide = list(book.worksheets[1].iter_rows(values_only=True))
    assert any(row[1] == "grade" and "A类" in row[4] for row in guide)


def test_one_bad_row_imports_nothing_and_says_where(upload, xlsx, people, browse):
    data = xlsx([["客户名称", "客户等级", "联系电话", "负责销售"],
                 ["宁波丙", "A类（重点）", "13812345678", "zhang"],
                 ["", "B", "", "zhang"],
                 ["温州丁", "Z", "12345", "zhang"]])
    response = upload(browse("boss"), "customer", data, "customers.xlsx")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-testid="import-rejected"' in page
    assert "<td>3</td><td>客户名称</td>" in page and "<td>4</td><td>联系电话</td>" in page
    assert people["boss"].get(CUSTOMERS).get_json()["total"] == 0
    again = upload(browse("boss"), "customer", data, "customers.xlsx", valid_only="1")
    assert again.status_code == 200 and 'data-testid="import-done"' in again.get_data(as_text=True)
    names = [c["fields"]["name"] for c in people["boss"].get(CUSTOMERS).get_json()["items"]]
    assert names == ["宁波丙"]
    assert people["boss"].get(CUSTOMERS).get_json()["items"][0]["fields"]["grade"] == "A"


def test_links_by_title_and_gb18030_csv(upload, people, browse):
    people["zhang"].create("customer", name="常州戊", owner="zhang")
    text = "所属客户,姓名,手机\n常州戊,赵六,13900001111\n不存在的客户,钱七,13900002222\n"
    response = upload(browse("zhang"), "contact", text.encode("gb18030"), "contacts.csv", valid_only="1")
    page = response.get_data(as_text=True)
    assert "不存在的客户" in page  # the unknown link is reported at its row
    contacts = people["zhang"].get("/api/forms/contact/records").get_json()["items"]
    assert [(c["fields"]["name"], c["links"]["customer"]) for c in contacts] == [("赵六", "常州戊")]


def test_orders_with_line_items_round_trip(upload, xlsx, people, browse, catalogue):
    customer = people["zhang"].create("customer", name="台州己", owner="zhang")["id"]
    people["zhang"].create("sales_order", customer=customer, delivery_date="2030-01-31",
                           items=[{"product": catalogue("阀门", price="12.50"), "qty": 3}])
    exported = browse("zhang").get("/f/sales_order/export?format=xlsx").get_data()
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    again = upload(browse("zhang"), "sales_order", xlsx(rows), "orders.xlsx")
    assert again.status_code == 200, again.get_data(as_text=True)[-3000:]
    orders = people["zhang"].get("/api/forms/sales_order/records").get_json()["items"]
    assert len(orders) == 2 and {o["fields"]["total"] for o in orders} == {"37.50"}
    assert len({o["fields"]["order_no"] for o in orders}) == 2  # serials are new, not copied


def test_import_needs_create_permission(people, make_user, browse):
    make_user("keeper", "warehouse")
    assert browse("keeper").get("/f/sales_order/import").status_code in (403, 404)


def test_cli_export_and_import(app, people, db_url, tmp_path, browse):
    """The CLI speaks the product's default language (zh_CN) like the web export; --lang en
    gives English headers (the labels' English texts), values and messages."""
    engine_cmd = str(Path(sys.executable).with_name("engine"))
    env = {**os.environ, "DATABASE_URL": db_url, "ENGINE_SECRET_KEY": "x",
           "ENGINE_CONFIG_DIR": app.config["ENGINE"]["ENGINE_CONFIG_DIR"]}

    def cli(*args):
        return subprocess.run([engine_cmd, *args], env=env, capture_output=True, text=True, timeout=60)

    people["zhang"].create("customer", name="嘉兴庚", owner="zhang", in_pool=False)
    out = cli("export", "customer", "--as", "zhang")
    assert out.returncode == 0 and "嘉兴庚" in out.stdout
    web = browse("zhang").get("/f/customer/export?format=csv").get_data(as_text=True).lstrip("\ufeff")
    assert out.stdout.splitlines()[0] == web.splitlines()[0] and out.stdout.startswith("ID,阶段,客户名称")
    assert ",否," in out.stdout.splitlines()[1]  # values as on the page too
    english = cli("export", "customer", "--as", "zhang", "--lang", "en")
    assert english.returncode == 0 and english.stdout.startswith("ID,Stage,Customer name,Grade")
    assert ",No," in english.stdout.splitlines()[1]
    refused = cli("export", "customer", "--as", "zhang", "--where", "nonsense=1")
    assert refused.returncode == 1 and re.search(r"[\u4e00-\u9fff]", refused.stderr), refused.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("客户名称,联系电话\n湖州辛,123\n", encoding="utf-8")
    failed = cli("import", "customer", str(bad), "--as", "boss")
    assert failed.returncode == 1 and "第 2 行：联系电话：" in failed.stdout and "未导入" in failed.stdout
    failed = cli("import", "customer", str(bad), "--as", "boss", "--lang", "en")
    assert failed.returncode == 1 and "row 2: Phone: " in failed.stdout and "nothing imported" in failed.stdout
    good = tmp_path / "good.csv"
    good.write_text("客户名称,负责销售\n湖州辛,zhang\n", encoding="utf-8")
    done = cli("import", "customer", str(good), "--as", "boss", "--lang", "en")
    assert done.returncode == 0 and "1 of 1 rows imported" in done.stdout


def test_duplicate_phone_warning_names_what_the_user_may_see(people):
    people["zhang"].create("customer", name="金华壬", phone="13811112222", owner="zhang")
    url = "/api/forms/customer/duplicates?field=phone&value=13811112222"
    mine = people["zhang"].get(url).get_json()
    assert mine == {"count": 1, "records": [{"id": mine["records"][0]["id"], "title": "金华壬"}], "others": 0}
    theirs = people["li"].get(url).get_json()
    assert theirs == {"count": 1, "records": [], "others": 1}  # li learns it exists, not whose
    assert people["zhang"].get(f"{url}&exclude={mine['records'][0]['id']}").get_json()["count"] == 0
    assert people["zhang"].get("/api/forms/customer/duplicates?field=grade&value=A").status_code == 400
    # a warning, not a refusal
    people["li"].create("customer", name="金华癸", phone="13811112222", owner="li")
