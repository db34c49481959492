"""A table row whose link changed takes fresh copies (docs/reference.md, Linked choices and
filling): rows have no identity, so a row's link is new when no stored row has the same link;
its targets sent back as the stored row at its position held them are refilled, a target typed
with the new link is kept; a row whose link is a stored row's keeps its copies (snapshot)."""
from __future__ import annotations

DEALS = "/api/forms/deal/records"


def lines(record):
    return [(r["part"], r["unit"], r["price"]) for r in record["fields"]["items"]]


def save(staff, deal, items):
    r = staff.patch(f"{DEALS}/{deal['id']}", json={"version": deal["version"], "fields": {"items": items}})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_row_whose_link_changed_takes_fresh_copies(staff):
    bolt = staff.create("part", name="Bolt", kind="metal", unit="pc", price="2.50")["id"]
    nut = staff.create("part", name="Nut", kind="metal", unit="box", price="9.00")["id"]
    deal = staff.create("deal", subject="T", kind="metal", items=[{"part": bolt, "qty": 4}])
    assert lines(deal) == [(bolt, "pc", "2.50")]
    # another part in the row, the old copies sent back as they were: refilled
    deal = save(staff, deal, [{"part": nut, "qty": 4, "unit": "pc", "price": "2.50"}])
    assert lines(deal) == [(nut, "box", "9.00")]
    # a price typed together with the new part wins; the unit sent back is refilled
    deal = save(staff, deal, [{"part": bolt, "qty": 4, "unit": "box", "price": "3.00"}])
    assert lines(deal) == [(bolt, "pc", "3.00")]


def test_rows_whose_link_is_unchanged_keep_their_copies(staff):
    bolt = staff.create("part", name="Bolt", kind="metal", unit="pc", price="2.50")
    nut = staff.create("part", name="Nut", kind="metal", unit="box", price="9.00")
    deal = staff.create("deal", subject="T", kind="metal",
                        items=[{"part": bolt["id"], "qty": 1}, {"part": nut["id"], "qty": 2, "price": "8.00"}])
    r = staff.patch(f"/api/forms/part/records/{bolt['id']}", json={"version": bolt["version"],
                                                                   "fields": {"price": "2.75"}})
    assert r.status_code == 200
    rows = deal["fields"]["items"]
    deal = save(staff, deal, [rows[1], rows[0]])  # reordered: no row's link is new
    assert lines(deal) == [(nut["id"], "box", "8.00"), (bolt["id"], "pc", "2.50")]
    deal = save(staff, deal, [{**deal["fields"]["items"][0], "price": "7.00"}, deal["fields"]["items"][1]])
    assert lines(deal)[0] == (nut["id"], "box", "7.00")
