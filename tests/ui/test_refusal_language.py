"""Refusals shown on pages speak the user's language: a stale edit and a delete refused
because other records link here (never "record 3 was changed by someone else")."""
from __future__ import annotations

import html


def test_stale_edit_and_referenced_delete_are_explained_in_chinese(token_of, csrf_from, browser):
    boss = browser("boss", "sales_manager")
    token = token_of(boss, "/f/customer/new")
    boss.post("/f/customer/new", data={"csrf_token": token, "name": "原名", "owner": ""})
    customer = boss.get("/api/forms/customer/records").get_json()["items"][0]["id"]
    token = token_of(boss, "/f/contact/new")
    assert boss.post("/f/contact/new", data={"csrf_token": token, "customer": str(customer),
                                             "name": "王经理"}).status_code == 302

    edit = boss.get(f"/f/customer/{customer}/edit").get_data(as_text=True)
    boss.post(f"/f/customer/{customer}/edit", data={"csrf_token": csrf_from(edit), "version": "1", "name": "新名"})
    stale = boss.post(f"/f/customer/{customer}/edit", data={"csrf_token": csrf_from(edit), "version": "1",
                                                            "name": "过期"})
    assert stale.status_code == 409
    text = html.unescape(stale.get_data(as_text=True))
    assert "已被他人修改" in text and "changed by someone else" not in text

    detail = boss.get(f"/f/customer/{customer}").get_data(as_text=True)
    refused = boss.post(f"/f/customer/{customer}/delete", data={"csrf_token": csrf_from(detail)},
                        follow_redirects=True)
    text = html.unescape(refused.get_data(as_text=True))
    assert "仍被引用" in text and "联系人 (contact) 1 条" in text
    assert "still referenced" not in text
