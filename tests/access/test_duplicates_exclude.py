"""Duplicate lookups (`warn_duplicates`): `exclude=<id>` leaves out only a record the user
may read, so comparing counts with and without it never confirms what a hidden record holds."""
from __future__ import annotations

URL = "/api/forms/customer/duplicates?field=phone&value=13811112222"


def test_exclude_of_an_unreadable_record_is_ignored(make_user):
    zhang, li = make_user("zhang", "sales"), make_user("li", "sales")
    hidden = zhang.create("customer", name="金华壬", phone="13811112222", owner="zhang")
    assert li.get(URL).get_json() == {"count": 1, "records": [], "others": 1}
    # li guesses the id: excluding it must not turn the count to 0 (that would confirm the phone)
    assert li.get(f"{URL}&exclude={hidden['id']}").get_json() == {"count": 1, "records": [], "others": 1}
    assert li.get(f"{URL}&exclude=999999").get_json()["count"] == 1


def test_exclude_of_a_readable_record_leaves_it_out(make_user):
    zhang = make_user("zhang", "sales")
    mine = zhang.create("customer", name="金华壬", phone="13811112222", owner="zhang")
    assert zhang.get(f"{URL}&exclude={mine['id']}").get_json() == {"count": 0, "records": [], "others": 0}
