"""Import cells holding text no database stores (NUL) are errors at their row and column,
never a failed statement: text, user and link cells alike (the API refuses such text at the
door; imports and pages meet it in the field types)."""
from __future__ import annotations

CUSTOMERS = "/api/forms/customer/records"




def test_nul_in_text_user_and_link_cells_is_a_row_error(upload, people, browse):
    people["zhang"].create("customer", name="常州戊", owner="zhang")
    customers = "客户名称,负责销售\n甲\x00乙,zhang\n丙,zh\x00ang\n".encode()
    response = upload(browse("zhang"), "customer", customers, "c.csv")
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert "<td>2</td><td>客户名称</td>" in page and "<td>3</td><td>负责销售</td>" in page
    assert people["boss"].get(CUSTOMERS).get_json()["total"] == 1

    contacts = "所属客户,姓名,手机\n常\x00州戊,赵六,13900001111\n".encode()
    response = upload(browse("zhang"), "contact", contacts, "contacts.csv")
    assert response.status_code == 422
    assert "<td>2</td><td>所属客户</td>" in response.get_data(as_text=True)
