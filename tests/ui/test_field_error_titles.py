"""A field error names a role and a linked form by their titles (销售, 客户), never by the
internal names of the definition files."""
from __future__ import annotations


def test_field_errors_name_roles_and_forms_by_their_titles(make_user):
    boss = make_user("boss8", "sales_manager")
    make_user("fin8", "finance")
    zh = {"Accept-Language": "zh-CN"}
    owner = boss.post("/api/forms/customer/records", json={"fields": {"name": "甲", "owner": "fin8"}}, headers=zh)
    assert owner.status_code == 422
    message = " ".join(owner.get_json()["error"]["fields"]["owner"])
    assert "销售" in message and "sales" not in message, message
    link = boss.post("/api/forms/contact/records", json={"fields": {"name": "乙", "customer": 999999}}, headers=zh)
    assert link.status_code == 422
    message = " ".join(link.get_json()["error"]["fields"]["customer"])
    assert "客户" in message and "customer" not in message, message
