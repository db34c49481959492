"""Generated pages through the test client: same gate and validation as the API."""
from __future__ import annotations

import re


def test_list_page_shows_configured_columns_and_total(browser, make_user):
    alice = browser("alice", "sales")
    page = alice.get("/f/customer").get_data(as_text=True)
    assert "客户名称" in page and 'data-testid="total">0<' in page


def test_create_customer_through_the_form(token_of, browser):
    alice = browser("alice", "sales")
    token = token_of(alice, "/f/customer/new")
    response = alice.post("/f/customer/new", data={"csrf_token": token, "name": "杭州测试", "grade": "A",
                                                   "owner": "alice", "phone": "13812345678"})
    assert response.status_code == 302
    detail = alice.get(response.headers["Location"]).get_data(as_text=True)
    assert "杭州测试" in detail and "A类" in detail


def test_a_readonly_date_with_a_default_shows_that_default_as_text(browser):
    """最近跟进日期 is readonly with default $today: the new form shows the date it will get as
    text (a browser date input would show mm/dd/yyyy or nothing), and — on a record without one."""
    alice = browser("alice", "sales")
    page = alice.get("/f/customer/new").get_data(as_text=True)
    block = page[page.index('data-field-block="last_follow_up"'):]
    block = block[:block.index('data-field-block="next_follow_up"')]
    assert re.search(r'data-readonly-value="last_follow_up">\d{4}-\d{2}-\d{2}</div>', block), block
    assert re.search(r'<input class="d-none"[^>]*disabled', block) and 'type="date" value="' in block


def test_admin_lists_name_people_by_display_name_and_login(browser, app):
    from engine.auth.tokens import issue_token
    from engine.auth.users import create_user

    with app.extensions["engine"].db.transaction() as session:
        lisa = create_user(session, "lisa", "lisa-password", {"sales_manager"}, display_name="李莎")
        create_user(session, "zhangwei", "zhangwei-password", {"sales"}, display_name="张伟", manager="lisa")
        issue_token(session, lisa, name="报表脚本")
    root = browser("root", "admin")
    tokens = root.get("/admin/tokens").get_data(as_text=True)
    assert re.search(r'data-user="lisa">李莎 \(lisa\)</td>', tokens), tokens
    users = root.get("/admin/users").get_data(as_text=True)
    assert "<td>李莎 (lisa)</td>" in users  # zhangwei's manager


def test_validation_errors_show_next_to_fields_and_keep_input(token_of, browser):
    alice = browser("alice", "sales")
    token = token_of(alice, "/f/customer/new")
    response = alice.post("/f/customer/new", data={"csrf_token": token, "name": "", "phone": "12345",
                                                   "address": "保留的地址", "owner": "alice"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="phone"' in page and "is-invalid" in page
    assert "电话号码不正确" in page and "必填" in page
    assert "保留的地址" in page and 'value="12345"' in page
    assert alice.get("/api/forms/customer/records").get_json()["total"] == 0


def test_order_with_line_items_through_the_form(token_of, browser, catalogue):
    alice = browser("alice", "sales")
    token = token_of(alice, "/f/customer/new")
    alice.post("/f/customer/new", data={"csrf_token": token, "name": "客户甲", "owner": "alice"})
    customer = alice.get("/api/forms/customer/records").get_json()["items"][0]["id"]
    token = token_of(alice, "/f/sales_order/new")
    data = {"csrf_token": token, "customer": str(customer), "salesperson": "alice", "order_date": "2026-01-05",
            "delivery_date": "2026-02-01", "discount": "10",
            "items-0-product": str(catalogue("螺丝", price="10.50")), "items-0-qty": "3",  # list prices
            "items-1-product": "", "items-1-qty": "",
            "items-2-product": str(catalogue("螺母", price="1.25")), "items-2-qty": "2"}
    response = alice.post("/f/sales_order/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    order = alice.get("/api/forms/sales_order/records").get_json()["items"][0]["fields"]
    assert [r["product"] for r in order["items"]] == [catalogue("螺丝"), catalogue("螺母")]
    assert order["amount"] == "34.00" and order["total"] == "24.00"


def test_row_errors_land_on_the_right_cells(token_of, browser, catalogue):
    alice = browser("alice", "sales")
    token = token_of(alice, "/f/customer/new")
    alice.post("/f/customer/new", data={"csrf_token": token, "name": "客户乙", "owner": "alice"})
    customer = alice.get("/api/forms/customer/records").get_json()["items"][0]["id"]
    token = token_of(alice, "/f/sales_order/new")
    data = {"csrf_token": token, "customer": str(customer), "salesperson": "alice", "order_date": "2026-01-05",
            "delivery_date": "2026-02-01", "items-0-product": "", "items-0-qty": "", "items-0-price": "",
            "items-1-product": str(catalogue("螺丝")), "items-1-qty": "0", "items-1-price": "1"}
    response = alice.post("/f/sales_order/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    cell = re.search(r'name="items-1-qty"[^>]*>\s*<div class="invalid-feedback d-block">([^<]*)<', page)
    assert cell and "不能小于 1" in cell.group(1)


def test_form_post_without_csrf_is_refused(browser):
    alice = browser("alice", "sales")
    response = alice.post("/f/customer/new", data={"name": "X", "owner": "alice"})
    assert response.status_code == 400
    assert alice.get("/api/forms/customer/records").get_json()["total"] == 0


def test_other_users_records_are_404_on_pages(browser, make_user):
    bob = make_user("bob", "sales")
    record = bob.create("customer", name="Bob 的客户")
    alice = browser("alice", "sales")
    assert alice.get(f"/f/customer/{record['id']}").status_code == 404
    assert alice.get(f"/f/customer/{record['id']}/edit").status_code == 404
    assert "Bob 的客户" not in alice.get("/f/customer").get_data(as_text=True)


def test_edit_page_updates_with_version(token_of, csrf_from, browser):
    alice = browser("alice", "sales")
    token = token_of(alice, "/f/customer/new")
    alice.post("/f/customer/new", data={"csrf_token": token, "name": "原名", "owner": "alice"})
    record = alice.get("/api/forms/customer/records").get_json()["items"][0]
    edit = alice.get(f"/f/customer/{record['id']}/edit").get_data(as_text=True)
    assert 'name="version" value="1"' in edit
    response = alice.post(f"/f/customer/{record['id']}/edit", data={
        "csrf_token": csrf_from(edit), "version": "1", "name": "新名", "owner": "alice"})
    assert response.status_code == 302
    assert alice.get(f"/api/forms/customer/records/{record['id']}").get_json()["fields"]["name"] == "新名"
    stale = alice.post(f"/f/customer/{record['id']}/edit", data={
        "csrf_token": csrf_from(edit), "version": "1", "name": "过期", "owner": "alice"})
    assert stale.status_code == 409
    assert "过期" in stale.get_data(as_text=True)  # what the user typed is still there


def test_unreadable_forms_are_not_in_navigation(browser):
    clerk = browser("wh", "warehouse")
    page = clerk.get("/").get_data(as_text=True)
    assert "/f/sales_order" in page and "/f/opportunity" not in page
    assert clerk.get("/f/opportunity").status_code == 404


def test_warehouse_does_not_see_prices_on_pages(approve_for_production, browser, make_user, catalogue):
    alice = make_user("alice", "sales")
    customer = alice.create("customer", name="甲")
    order = alice.create("sales_order", customer=customer["id"], delivery_date="2030-01-01",
                         items=[{"product": catalogue("P"), "qty": 2, "price": "123.45"}])
    clerk = browser("wh", "warehouse")
    assert clerk.get(f"/f/sales_order/{order['id']}").status_code == 404  # a draft: not theirs yet
    approve_for_production(alice, order["id"])
    shown = clerk.get(f"/f/sales_order/{order['id']}")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "123.45" not in page and "246.90" not in page and ">P<" in page


def test_admin_pages_are_for_admins(browser):
    alice = browser("alice", "sales")
    assert alice.get("/admin/users").status_code == 403
    admin = browser("root2", "admin")
    assert admin.get("/admin/users").status_code == 200
    assert "配置" in admin.get("/admin/definitions").get_data(as_text=True)


def test_admin_creates_edits_and_deactivates_a_user(token_of, login, browser, app):
    admin = browser("root2", "admin")
    token = token_of(admin, "/admin/users/new")
    response = admin.post("/admin/users/new", data={"csrf_token": token, "name": "carol", "display_name": "卡罗",
                                                    "roles": ["sales"], "password": "carol-password", "email": ""})
    assert response.status_code == 302
    carol = app.test_client()
    assert login(carol, "carol", "carol-password").status_code == 302
    token = token_of(admin, "/admin/users/carol")
    response = admin.post("/admin/users/carol", data={"csrf_token": token, "name": "carol", "roles": ["finance"],
                                                      "manager": "", "email": "carol@example.cn"})
    assert response.status_code == 302  # unchecked "active": deactivated
    assert carol.get("/").status_code == 302  # her session no longer works
    assert login(app.test_client(), "carol", "carol-password").status_code == 401


def test_admin_issues_an_api_token(token_of, browser, app):
    admin = browser("root2", "admin")
    token = token_of(admin, "/admin/users/root2")
    page = admin.post("/admin/users/root2/token", data={"csrf_token": token}).get_data(as_text=True)
    api_token = re.search(r'data-testid="token">([^<]+)<', page).group(1)
    assert app.test_client().get("/api/forms", headers={"Authorization": f"Bearer {api_token}"}).status_code == 200


def test_language_switch(browser):
    alice = browser("alice", "sales")
    assert "退出登录" in alice.get("/").get_data(as_text=True)
    assert "Log out" in alice.get("/?lang=en").get_data(as_text=True)
    assert "Log out" in alice.get("/").get_data(as_text=True)  # remembered
    assert "退出登录" in alice.get("/?lang=zh_CN").get_data(as_text=True)


def test_api_speaks_english_unless_asked(browser, make_user):
    alice = make_user("alice", "sales")
    english = alice.post("/api/forms/customer/records", json={"fields": {}}).get_json()
    chinese = alice.post("/api/forms/customer/records", json={"fields": {}},
                         headers={"Accept-Language": "zh-CN"}).get_json()
    assert english["error"]["fields"]["name"] == ["required"]
    assert chinese["error"]["fields"]["name"] == ["必填"]


def test_pages_escape_user_content(token_of, browser):
    alice = browser("alice", "sales")
    token = token_of(alice, "/f/customer/new")
    alice.post("/f/customer/new", data={"csrf_token": token, "name": "<script>alert(1)</script>", "owner": "alice",
                                        "remark": '"><img src=x onerror=alert(1)>'})
    record = alice.get("/api/forms/customer/records").get_json()["items"][0]
    for url in ("/f/customer", f"/f/customer/{record['id']}", f"/f/customer/{record['id']}/edit", "/"):
        page = alice.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_security_headers(browser):
    response = browser("alice", "sales").get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_admin_edits_a_definition_file_checked_before_saving(token_of, browser, app):
    import json
    from pathlib import Path

    admin = browser("root3", "admin")
    folder = Path(app.config["ENGINE"]["ENGINE_CONFIG_DIR"])
    page = admin.get("/admin/definitions").get_data(as_text=True)
    assert 'data-testid="edit-crm.json"' in page
    original = (folder / "crm.json").read_text(encoding="utf-8")

    # broken JSON: nothing saved, the problem is shown with its place
    token = token_of(admin, "/admin/definitions/crm.json/edit")
    refused = admin.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": "{ broken"})
    assert refused.status_code == 422 and 'data-testid="edit-problems"' in refused.get_data(as_text=True)
    assert (folder / "crm.json").read_text(encoding="utf-8") == original

    # a valid file whose schema change would lose data (text with values → integer): refused
    doc = json.loads(original)
    tokened = token_of(admin, "/f/customer/new")
    assert admin.post("/f/customer/new", data={"csrf_token": tokened, "name": "有记录的客户"}).status_code == 302
    retyped = json.loads(original)
    for form in retyped["forms"]:
        for field in form["fields"] if form["name"] == "customer" else []:
            if field["name"] == "remark":
                field.update(type="integer")
    tokened = token_of(admin, "/f/customer/1/edit")
    admin.post("/f/customer/1/edit", data={"csrf_token": tokened, "version": "1", "name": "有记录的客户",
                                            "remark": "有备注"})
    refused = admin.post("/admin/definitions/crm.json/edit", data={
        "csrf_token": token, "text": json.dumps(retyped, ensure_ascii=False)})
    assert refused.status_code == 422 and "remark" in refused.get_data(as_text=True)
    assert (folder / "crm.json").read_text(encoding="utf-8") == original

    # a new field: saved and served at once
    for form in doc["forms"]:
        if form["name"] == "customer":
            form["fields"].append({"name": "wechat", "type": "text", "label": "微信号"})
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    # a post that does not say which live set the page was opened on: refused, nothing saved
    unbased = admin.post("/admin/definitions/crm.json/edit", data={"csrf_token": token, "text": text})
    assert unbased.status_code == 422 and "微信号" not in admin.get("/f/customer/new").get_data(as_text=True)
    base = re.search(r'name="base_signature" value="([^"]+)"',
                     admin.get("/admin/definitions/crm.json/edit").get_data(as_text=True)).group(1)
    saved = admin.post("/admin/definitions/crm.json/edit", data={
        "csrf_token": token, "text": text, "base_signature": base})
    assert saved.status_code == 302
    assert "微信号" in admin.get("/f/customer/new").get_data(as_text=True)
    versions = admin.get("/admin/definitions").get_data(as_text=True)
    # a published version is "版本 #N" (the publication's number), its page too; the content's id is not shown
    version_link = re.search(r'href="(/admin/definitions/publications/\d+)"', versions).group(1)
    shown = admin.get(version_link).get_data(as_text=True)
    assert "wechat" in shown and f"版本 #{version_link.rsplit('/', 1)[1]}" in shown

    assert admin.get("/admin/definitions/..%2Fsecret.json/edit").status_code == 404
    assert browser("alice9", "sales").get("/admin/definitions/crm.json/edit").status_code == 403
