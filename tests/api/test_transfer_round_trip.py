"""Export → import gives back every value of every field type exactly, as CSV and as XLSX."""
from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.auth.users import get_user
from engine.errors import Conflict
from engine.records.context import Context
from engine.services import imports, sheets
from engine.store.system import users

pytestmark = pytest.mark.kitchen

URL = "/api/forms/thing/records"
#: Not carried by a sheet: the serial number is assigned anew, a file cannot travel in a cell.
NEW_ON_IMPORT = {"serial", "attachment"}


@pytest.fixture
def clerk(make_user):
    return make_user("clerk1", "clerk")


def things(clerk, party, attachment):
    """Values that stress each type: seconds and microseconds, precision, formulas, options."""
    return [
        {"code": "AB-1", "notes": "line1\nline2 ☃ 😀\r\nthird", "count": 0, "price": "12345678.90",
         "rate": "-0.0001", "active": False, "day": "2025-02-28", "moment": "2025-03-01T09:30:17.123456+08:00",
         "color": "blue", "tags": ["a", "c"], "mail": "a@b.cn", "tel": "010-12345678",
         "site": "https://example.cn/x?a=1&b=2", "keeper": "clerk1", "party": party, "attachment": attachment,
         "lines": [{"item": "=cmd|' /C calc'!A0", "qty": 2, "unit_price": "1.25"}, {"item": "y"}]},
        {"code": "CD-22", "notes": "=1+1", "count": 1000, "price": "0.10", "rate": "3.1416", "active": True,
         "day": "2024-02-29", "moment": "2024-12-31T23:59:59+08:00", "color": "red", "reason": "+why",
         "tags": [], "keeper": "clerk1"},
        {"code": "EF-3", "moment": "2026-06-30T16:00:00.5+08:00", "color": "green", "tags": ["b"],
         "keeper": "clerk3", "notes": "-2", "price": "1234567890123.45", "count": 999, "day": "1899-12-31"},
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_field_type_survives_export_and_import(csrf_from, login, app, clerk, admin, make_user, fmt):
    for name in ("clerk2", "clerk3"):  # the same display name: export and import use the user name
        make_user(name, "clerk")
        with app.extensions["engine"].db.transaction() as session:
            session.execute(users.update().where(users.c.name == name).values(display_name="同名"))
    party = clerk.create("party", name="P1")["id"]
    originals = []
    upload = clerk.post("/api/files", data={"file": (io.BytesIO(b"hello"), "note.txt")},
                        content_type="multipart/form-data")
    for fields in things(clerk, party, upload.get_json()["id"]):
        response = clerk.post(URL, json={"fields": fields})
        assert response.status_code == 201, response.get_json()
        originals.append(response.get_json())
    browser = app.test_client()
    assert login(browser, "clerk1", "clerk1-password").status_code == 302
    exported = browser.get(f"/f/thing/export?format={fmt}").get_data()
    for record in originals:  # the codes are unique: make room for the imported copies
        assert admin.delete(f"{URL}/{record['id']}").status_code == 204
    token = csrf_from(browser.get("/f/thing/import").get_data(as_text=True))
    response = browser.post("/f/thing/import", data={"csrf_token": token, "file": (io.BytesIO(exported), f"t.{fmt}")},
                            content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    imported = {r["fields"]["code"]: r for r in clerk.get(URL).get_json()["items"]}
    assert len(imported) == len(originals)
    for original in originals:
        copy = imported[original["fields"]["code"]]
        for name, value in original["fields"].items():
            if name not in NEW_ON_IMPORT:  # an empty list and no value are the same empty cell
                got = copy["fields"].get(name)
                assert got == value or (got in ([], None) and value in ([], None)), (fmt, name)
        assert copy["links"] == original["links"]


def test_a_unique_value_taken_while_checking_fails_the_whole_import(app, clerk, make_user, monkeypatch):
    """Rows are checked before the write transaction: a value taken in between is caught by the
    database, and nothing of the file is written (a reserved serial number is skipped, not reused)."""
    state = app.extensions["engine"]
    rival = make_user("rival", "clerk")
    reserve = imports.reserve_serials

    def reserve_after_a_rival(ctx, form, count):
        assert rival.post(URL, json={"fields": {"code": "GH-2"}}).status_code == 201
        return reserve(ctx, form, count)
    monkeypatch.setattr(imports, "reserve_serials", reserve_after_a_rival)
    head, rows = sheets.read_rows(b"Code,Notes\nGH-1,a\nGH-2,b\nGH-3,c\n", "t.csv")
    with state.db.session() as session:
        user = get_user(session, "clerk1")

    @contextmanager
    def use_case(write=False):
        with state.db.session(write=write) as session, session.begin():
            yield Context(state.runtime(), session, user, now=datetime.now(UTC), tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.raises(Conflict):
        imports.import_rows(use_case, "thing", head, rows)
    codes = sorted(r["fields"]["code"] for r in clerk.get(URL).get_json()["items"])
    assert codes == ["GH-2"]  # only the rival's
    later = clerk.post(URL, json={"fields": {"code": "GH-9"}}).get_json()["fields"]["serial"]
    assert int(later.rsplit("-", 1)[1]) == 5  # 1 the rival's, 2-4 reserved by the failed import
