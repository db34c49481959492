"""Link `filter`, `where` and `fill` (docs/reference.md, Linked choices and filling from a
linked record): enforced on create, update, import and table rows, filled on create, update,
import and transition create, the choices endpoint, and the reader's permissions (a hidden
field is neither matched on nor copied; unreadable records are never offered)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "links"
DEALS = "/api/forms/deal/records"


@pytest.fixture
def world(staff):
    """Two accounts (one private), their people, parts of two kinds."""
    north = staff.create("account", name="North", address="1 North Rd", terms="net30", note="secret")
    south = staff.create("account", name="South", address="9 South St", terms="cash")
    hush = staff.create("account", name="Hush", address="0 Quiet Ln", private=True)
    ann = staff.create("person", name="Ann", account=north["id"], phone="111")
    bob = staff.create("person", name="Bob", account=south["id"], phone="222")
    old = staff.create("person", name="Old", account=north["id"], phone="333", active=False)
    quiet = staff.create("person", name="Quiet", account=hush["id"], phone="444")
    bolt = staff.create("part", name="Bolt", kind="metal", unit="pc", price="2.50")
    wood = staff.create("part", name="Plank", kind="wood", unit="m", price="7.00")
    gone = staff.create("part", name="Gone", kind="metal", unit="pc", price="1.00", enabled=False)
    return {k: v["id"] for k, v in locals().items() if isinstance(v, dict) and "id" in v}


def test_fill_on_create_and_explicit_values_win(staff, world):
    deal = staff.create("deal", subject="A", account=world["north"], contact=world["ann"])
    f = deal["fields"]
    assert (f["address"], f["terms"], f["remark"], f["contact_phone"]) == ("1 North Rd", "net30", "secret", "111")
    mine = staff.create("deal", subject="B", account=world["north"], address="Dock 4")["fields"]
    assert (mine["address"], mine["terms"]) == ("Dock 4", "net30")


def test_a_contact_outside_the_filter_or_the_where_is_refused(staff, world):
    r = staff.post(DEALS, json={"fields": {"subject": "A", "account": world["north"], "contact": world["bob"]}})
    assert r.status_code == 422
    assert "Account" in r.get_json()["error"]["fields"]["contact"][0] or r.get_json()
    r = staff.post(DEALS, json={"fields": {"subject": "A", "account": world["north"], "contact": world["old"]}})
    assert r.status_code == 422 and "contact" in r.get_json()["error"]["fields"]
    # an empty account does not restrict
    assert staff.post(DEALS, json={"fields": {"subject": "A", "contact": world["bob"]}}).status_code == 201


def test_changing_the_filtered_field_rechecks_the_link_and_refills(staff, world):
    deal = staff.create("deal", subject="A", account=world["north"], contact=world["ann"])
    url = f"{DEALS}/{deal['id']}"
    r = staff.patch(url, json={"version": deal["version"], "fields": {"account": world["south"]}})
    assert r.status_code == 422 and "contact" in r.get_json()["error"]["fields"]
    r = staff.patch(url, json={"version": deal["version"],
                               "fields": {"account": world["south"], "contact": world["bob"], "terms": "net30"}})
    assert r.status_code == 200, r.get_json()
    f = r.get_json()["fields"]
    assert (f["address"], f["terms"], f["contact_phone"]) == ("9 South St", "net30", "222")  # terms given: kept


def test_table_rows_are_filtered_and_filled(staff, world):
    body = {"subject": "T", "kind": "metal", "items": [{"part": world["bolt"], "qty": 4},
                                                        {"part": world["bolt"], "qty": 1, "price": "2.00"}]}
    deal = staff.create("deal", **body)
    rows = deal["fields"]["items"]
    assert [(r["unit"], r["price"], r["subtotal"]) for r in rows] == [("pc", "2.50", "10.00"), ("pc", "2.00", "2.00")]
    assert deal["fields"]["total"] == "12.00"
    for part in ("wood", "gone"):
        r = staff.post(DEALS, json={"fields": {**body, "items": [{"part": world["bolt"]}, {"part": world[part]}]}})
        assert r.status_code == 422
        assert list(r.get_json()["error"]["fields"]) == ["items.1.part"], r.get_json()


def test_transition_create_fills_as_the_system(staff, world):
    deal = staff.create("deal", subject="A", account=world["north"])
    r = staff.post(f"{DEALS}/{deal['id']}/transitions/follow", json={})
    assert r.status_code == 200, r.get_json()
    created = [d for d in staff.get(DEALS).get_json()["items"] if d["fields"]["subject"] == "follow-up"]
    assert created[0]["fields"]["address"] == "1 North Rd" and created[0]["fields"]["remark"] == "secret"


def test_sync_follows_the_linked_record_until_a_final_stage(staff, world):
    open_deal = staff.create("deal", subject="O", account=world["north"], contact=world["ann"])
    closed = staff.create("deal", subject="C", account=world["north"], contact=world["ann"])
    assert staff.post(f"{DEALS}/{closed['id']}/transitions/close", json={}).status_code == 200
    ann = staff.get(f"/api/forms/person/records/{world['ann']}").get_json()
    r = staff.patch(f"/api/forms/person/records/{world['ann']}", json={"version": ann["version"],
                                                                         "fields": {"phone": "999"}})
    assert r.status_code == 200
    assert staff.get(f"{DEALS}/{open_deal['id']}").get_json()["fields"]["contact_phone"] == "999"
    assert staff.get(f"{DEALS}/{closed['id']}").get_json()["fields"]["contact_phone"] == "111"
    history = staff.get(f"{DEALS}/{open_deal['id']}/history").get_json()
    assert history[-1]["actor"] == "sam" and history[-1]["via"]["id"] == world["ann"]
    assert history[-1]["via"]["form"] == "person"
    assert history[-1]["changes"] == [{"field": "contact_phone", "old": "111", "new": "999"}]
    # a transition's `set` on the linked record syncs too
    assert staff.post(f"/api/forms/person/records/{world['ann']}/transitions/reset_phone", json={}).status_code == 200
    assert staff.get(f"{DEALS}/{open_deal['id']}").get_json()["fields"]["contact_phone"] == "000"
    # snapshot: the account's address change does not move
    north = staff.get(f"/api/forms/account/records/{world['north']}").get_json()
    staff.patch(f"/api/forms/account/records/{world['north']}", json={"version": north["version"],
                                                                        "fields": {"address": "moved"}})
    assert staff.get(f"{DEALS}/{open_deal['id']}").get_json()["fields"]["address"] == "1 North Rd"


def test_a_hidden_source_is_not_copied(make_user, world):
    clerk = make_user("cleo", "clerk")
    deal = clerk.create("deal", subject="A", account=world["north"], items=[{"part": world["bolt"], "qty": 2}])
    assert deal["fields"]["remark"] is None and deal["fields"]["address"] == "1 North Rd"
    assert deal["fields"]["items"][0]["price"] is None and deal["fields"]["items"][0]["unit"] == "pc"


def test_a_filter_on_a_hidden_field_is_not_applied(make_user, world):
    outsider = make_user("otto", "outsider")
    body = {"subject": "A", "account": world["north"], "contact": world["bob"]}
    assert outsider.post(DEALS, json={"fields": body}).status_code == 201  # person.account hidden from them
    items = outsider.get("/api/forms/deal/fields/contact/choices",
                         query_string={"values": json.dumps({"account": world["north"]})}).get_json()["items"]
    assert {i["title"] for i in items} == {"Ann", "Bob", "Quiet"}  # not narrowed; `where` still applies


def test_choices_narrow_fill_and_never_offer_unreadable_records(staff, make_user, world):
    items = staff.get("/api/forms/deal/fields/contact/choices",
                      query_string={"values": json.dumps({"account": world["north"]})}).get_json()["items"]
    assert [(i["title"], i["fill"]) for i in items] == [("Ann", {"contact_phone": "111"})]
    clerk = make_user("cleo", "clerk")
    accounts = clerk.get("/api/forms/deal/fields/account/choices").get_json()["items"]
    assert [a["title"] for a in accounts] == ["North", "South"]  # Hush is private
    assert accounts[0]["fill"] == {"address": "1 North Rd", "terms": "net30"}  # note hidden
    parts = clerk.get("/api/forms/deal/fields/items.part/choices",
                      query_string={"values": json.dumps({"kind": "wood", "row": {"qty": 1}})}).get_json()["items"]
    assert [(p["title"], p["fill"]) for p in parts] == [("Plank", {"unit": "m"})]
    found = staff.get("/api/forms/deal/fields/account/choices", query_string={"q": "sou"}).get_json()["items"]
    assert [a["title"] for a in found] == ["South"]
    checked = staff.get("/api/forms/deal/fields/contact/choices", query_string={
        "values": json.dumps({"account": world["north"]}), "ids": f"{world['ann']},{world['bob']}"}).get_json()
    assert [i["id"] for i in checked["items"]] == [world["ann"]]
    assert staff.get("/api/forms/deal/fields/subject/choices").status_code == 404
    assert staff.get("/api/forms/deal/fields/contact/choices", query_string={"limit": "0"}).status_code == 400


def test_import_fills_and_checks(csrf_from, login, app, staff, make_user, world):
    make_user("imp", "staff")
    client = app.test_client()
    login(client, "imp", "imp-password")
    data = f"Subject,Account,Contact\nI1,{world['south']},{world['bob']}\n".encode()
    token = csrf_from(client.get("/f/deal/import").get_data(as_text=True))
    response = client.post("/f/deal/import", data={"csrf_token": token, "file": (io.BytesIO(data), "d.csv")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[-1500:]
    (deal,) = [d for d in staff.get(DEALS).get_json()["items"] if d["fields"]["subject"] == "I1"]
    assert (deal["fields"]["address"], deal["fields"]["contact_phone"]) == ("9 South St", "222")
    bad = f"Subject,Account,Contact\nI2,{world['south']},{world['ann']}\n".encode()
    response = client.post("/f/deal/import", data={"csrf_token": token, "file": (io.BytesIO(bad), "d.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422


@pytest.mark.parametrize("change, pointer, words", [
    (lambda c: c.update(filter={"nope": "account"}), "contact/filter/nope", "no field of 'person'"),
    (lambda c: c.update(filter={"account": "nope"}), "contact/filter/account", "no field of this form"),
    (lambda c: c.update(filter={"account": "subject"}), "contact/filter/account", "cannot be compared"),
    (lambda c: c.update(where="missing == 1"), "contact/where", "has no field 'missing'"),
    (lambda c: c.update(fill={"total": "phone"}), "contact/fill/total", "a fill cannot set"),
    (lambda c: c.update(fill={"nope": "phone"}), "contact/fill/nope", "no other field"),
    (lambda c: c.update(fill={"contact_phone": "active"}), "contact/fill/contact_phone", "cannot take a copy"),
])
def test_definition_refusals(tmp_path, change, pointer, words):
    from click.testing import CliRunner

    doc = json.loads((CONFIG / "links.json").read_text(encoding="utf-8"))
    deal = doc["forms"][3]
    contact = next(f for f in deal["fields"] if f["name"] == "contact")
    change(contact)
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "links.json").write_text(json.dumps(doc), encoding="utf-8")
    from engine.cli import main as cli

    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    index = deal["fields"].index(contact)
    assert f"/forms/3/fields/{index}/" + pointer.split("/", 1)[1] in result.output, result.output
    assert words in result.output, result.output


def test_sync_is_refused_on_a_table_column(tmp_path):
    from click.testing import CliRunner

    from engine.cli import main as cli

    doc = json.loads((CONFIG / "links.json").read_text(encoding="utf-8"))
    items = next(f for f in doc["forms"][3]["fields"] if f["name"] == "items")
    items["fields"][0]["fill_mode"] = "sync"
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "links.json").write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1 and "/fields/0/fill_mode" in result.output, result.output


def test_sync_writes_by_batches_not_per_record(app, staff, world, monkeypatch):
    """Saving a linked record that 120 records sync from: a few statements per batch of 50."""
    from sqlalchemy import event

    from engine.services import link_sync

    monkeypatch.setattr(link_sync, "BATCH", 50)
    for i in range(120):
        staff.create("deal", subject=f"D{i}", contact=world["bob"])
    statements: list[str] = []
    engine = app.extensions["engine"].db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        bob = staff.get(f"/api/forms/person/records/{world['bob']}").get_json()
        r = staff.patch(f"/api/forms/person/records/{world['bob']}",
                        json={"version": bob["version"], "fields": {"phone": "555"}})
        assert r.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    deal_updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE") and "deal" in s]
    assert len(deal_updates) == 3  # one executemany per batch of 50
    phones = {d["fields"]["contact_phone"] for d in staff.get(DEALS + "?per_page=200").get_json()["items"]}
    assert phones == {"555"}
    assert len(statements) < 40


def test_a_transition_set_is_held_to_the_filter(app, staff, world):
    """A transition's `set` changing the field a filter names re-checks the link."""
    deal = staff.create("deal", subject="A", account=world["north"], contact=world["ann"], other=world["south"])
    r = staff.post(f"{DEALS}/{deal['id']}/transitions/switch", json={})
    assert r.status_code == 422 and "contact" in r.get_json()["error"]["fields"], r.get_json()
    fine = staff.create("deal", subject="B", account=world["north"], other=world["south"])
    assert staff.post(f"{DEALS}/{fine['id']}/transitions/switch", json={}).status_code == 200


def test_the_openapi_document_lists_the_choices_of_the_links_shown(make_user, world):
    outsider = make_user("otto", "outsider")
    paths = outsider.get("/api/openapi.json").get_json()["paths"]
    (field,) = [p for p in paths["/api/forms/deal/fields/{field}/choices"]["get"]["parameters"] if p["name"] == "field"]
    assert field["schema"]["enum"] == ["account", "contact", "other", "items.part"]
    assert "/api/forms/part/fields/{field}/choices" not in paths  # no link field


def test_an_import_looks_each_linked_record_up_once(csrf_from, login, app, staff, make_user, world):
    from sqlalchemy import event

    make_user("imp", "staff")
    client = app.test_client()
    login(client, "imp", "imp-password")
    rows = "".join(f"R{i},{world['north']},{world['ann']},metal\n" for i in range(40))
    token = csrf_from(client.get("/f/deal/import").get_data(as_text=True))
    statements: list[str] = []
    db = app.extensions["engine"].db
    engines = {db.engine, db.read_engine}
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    for engine in engines:
        event.listen(engine, "before_cursor_execute", listen)
    try:
        response = client.post("/f/deal/import", data={
            "csrf_token": token, "file": (io.BytesIO(f"Subject,Account,Contact,Kind\n{rows}".encode()), "d.csv")},
            content_type="multipart/form-data")
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listen)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[-1500:]
    deals = staff.get(DEALS + "?per_page=100").get_json()["items"]
    assert len(deals) == 40 and {d["fields"]["contact_phone"] for d in deals} == {"111"}
    person_reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "rec_person" in s]
    assert len(person_reads) <= 4, len(person_reads)  # titles, check, fill: not one per row


def test_emptying_a_link_empties_its_copies_unless_given(staff, world):
    deal = staff.create("deal", subject="A", account=world["north"], contact=world["ann"])
    url = f"{DEALS}/{deal['id']}"
    assert deal["fields"]["contact_phone"] == "111"
    r = staff.patch(url, json={"version": deal["version"], "fields": {"contact": None}})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["fields"]["contact_phone"] is None
    # the account emptied with an address given in the same request: that one is kept
    r = staff.patch(url, json={"version": r.get_json()["version"], "fields": {"account": None, "address": "Dock 4"}})
    f = r.get_json()["fields"]
    assert (f["address"], f["terms"], f["remark"]) == ("Dock 4", None, None)
    # a change of another field leaves the copies of a link that stays empty alone
    r = staff.patch(url, json={"version": r.get_json()["version"], "fields": {"terms": "cash"}})
    assert r.get_json()["fields"]["terms"] == "cash"


def test_an_unchanged_row_keeps_a_link_that_no_longer_fits(staff, world):
    nut = staff.create("part", name="Nut", kind="metal", unit="pc", price="0.50")["id"]
    deal = staff.create("deal", subject="T", kind="metal", items=[{"part": world["bolt"], "qty": 1},
                                                                    {"part": nut, "qty": 2}])
    bolt = staff.get(f"/api/forms/part/records/{world['bolt']}").get_json()
    assert staff.patch(f"/api/forms/part/records/{world['bolt']}",
                       json={"version": bolt["version"], "fields": {"enabled": False}}).status_code == 200
    url = f"{DEALS}/{deal['id']}"
    rows = [{"part": nut, "qty": 3}, {"part": world["bolt"], "qty": 1}]  # reordered, one qty changed
    r = staff.patch(url, json={"version": deal["version"], "fields": {"items": rows}})
    assert r.status_code == 200, r.get_json()
    version = r.get_json()["version"]
    # a row that newly chooses it is refused, and so is a second row with it
    for extra in ({"part": world["bolt"], "qty": 5},):
        r = staff.patch(url, json={"version": version, "fields": {"items": [*rows, extra]}})
        assert r.status_code == 422 and list(r.get_json()["error"]["fields"]) == ["items.2.part"], r.get_json()
    # a change of the record field the filter names checks every row again
    r = staff.patch(url, json={"version": version, "fields": {"kind": "wood"}})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"items.0.part", "items.1.part"}, r.get_json()


def test_the_message_says_whether_the_filter_or_the_where_failed(staff, world):
    body = {"subject": "A", "account": world["north"]}
    r = staff.post(DEALS, json={"fields": {**body, "contact": world["old"]}})  # North's, but inactive
    assert r.get_json()["error"]["fields"]["contact"] == ["is not among the Person records that may be chosen here"]
    r = staff.post(DEALS, json={"fields": {**body, "contact": world["bob"]}})  # active, but South's
    assert r.get_json()["error"]["fields"]["contact"] == ["must be a Person of the chosen Account"]


def test_a_user_default_the_field_refuses_is_left_empty(staff, make_user, world):
    """`owner` takes `$user` only for users with its role (staff); for others it stays empty,
    as the page shows it, instead of refusing the record."""
    assert staff.create("deal", subject="A")["fields"]["owner"] == "sam"
    clerk = make_user("cleo", "clerk")
    r = clerk.post(DEALS, json={"fields": {"subject": "B"}})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["fields"]["owner"] is None
    # given explicitly, the role still holds
    r = clerk.post(DEALS, json={"fields": {"subject": "C", "owner": "cleo"}})
    assert r.status_code == 422 and "owner" in r.get_json()["error"]["fields"]


def test_import_names_the_table_row_of_a_link_that_does_not_fit(csrf_from, login, app, staff, make_user, world):
    make_user("imp", "staff")
    client = app.test_client()
    login(client, "imp", "imp-password")
    items = json.dumps([{"part": world["bolt"], "qty": 1}, {"part": world["gone"], "qty": 1}]).replace('"', '""')
    data = f'Subject,Kind,Items\nI3,metal,"{items}"\n'.encode()
    token = csrf_from(client.get("/f/deal/import").get_data(as_text=True))
    response = client.post("/f/deal/import", data={"csrf_token": token, "file": (io.BytesIO(data), "d.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Items第 2 行Part" in response.get_data(as_text=True), response.get_data(as_text=True)[-3000:]  # zh-CN
