"""`fill_mode: "sync"` writes: a record changed after sync read it is read again, never
overwritten with formulas computed from what it held before; what the written records
trigger (rollups over them, their date reminders)."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from engine.services import link_sync
from engine.store.system import timers

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "link_sync"
LINES = "/api/forms/line/records"


@pytest.fixture
def app(make_app, tmp_path):
    folder = tmp_path / "sync"
    shutil.copytree(CONFIG, folder)
    return make_app(folder)


def change_item(staff, item_id, **fields):
    item = staff.get(f"/api/forms/item/records/{item_id}").get_json()
    r = staff.patch(f"/api/forms/item/records/{item_id}", json={"version": item["version"], "fields": fields})
    assert r.status_code == 200, r.get_json()


@pytest.mark.parametrize("how", ["same transaction", "another connection"])
def test_a_record_edited_after_sync_read_it_is_read_again(app, staff, monkeypatch, how):
    db = app.extensions["engine"].db
    if how == "another connection" and db.dialect == "sqlite":
        pytest.skip("SQLite has one writer: no other connection writes while the save runs")
    item = staff.create("item", name="Bolt", price="2.00")
    line = staff.create("line", title="L", item=item["id"], qty=2, parts=[{"n": 3}, {"n": 4}])
    assert line["fields"]["amount"] == "4.00" and line["fields"]["pieces"] == "7.00"
    real = link_sync.compute_formulas
    raced = []

    def racing(form, values, meta, ctx):
        """Between sync's read and its write, someone saves qty 5 (and the amount it makes)."""
        if form.name == "line" and not raced:
            raced.append(True)
            table = ctx.runtime.tables("line").table
            edit = (update(table).where(table.c.id == line["id"])
                    .values(qty=5, amount="10.00", version=table.c.version + 1,
                            updated_at=datetime(2020, 1, 1, tzinfo=UTC)))
            if how == "same transaction":
                ctx.session.execute(edit)
            else:
                with db.engine.connect() as other:
                    other.execute(edit)
                    other.commit()
        return real(form, values, meta, ctx)

    monkeypatch.setattr(link_sync, "compute_formulas", racing)
    change_item(staff, item["id"], price="3.00")
    got = staff.get(f"{LINES}/{line['id']}").get_json()
    assert raced
    assert (got["fields"]["qty"], got["fields"]["price"], got["fields"]["amount"]) == (5, "3.00", "15.00")
    assert got["fields"]["pieces"] == "7.00"  # a formula over the line's table keeps its rows
    assert got["version"] == 3
    history = staff.get(f"{LINES}/{line['id']}/history").get_json()
    assert (history[-1]["via"]["form"], history[-1]["via"]["id"]) == ("item", item["id"])
    assert {c["field"]: (c["old"], c["new"]) for c in history[-1]["changes"]} == {
        "price": ("2.00", "3.00"), "amount": ("10.00", "15.00")}


def test_sync_refreshes_the_rollups_over_what_it_wrote(staff):
    item = staff.create("item", name="Bolt", price="2.00")
    other = staff.create("item", name="Nut", price="1.00")
    holder = staff.create("holder", name="H")
    for qty in (1, 2, 3):
        staff.create("line", title=f"L{qty}", item=item["id"], holder=holder["id"], qty=qty)
    staff.create("line", title="N", item=other["id"], holder=holder["id"], qty=10)
    got = staff.get(f"/api/forms/holder/records/{holder['id']}").get_json()["fields"]
    assert (got["lines_total"], got["double"]) == ("22.00", "44.00")
    change_item(staff, item["id"], price="5.00")
    got = staff.get(f"/api/forms/holder/records/{holder['id']}").get_json()
    assert (got["fields"]["lines_total"], got["fields"]["double"]) == ("40.00", "80.00")
    history = staff.get(f"/api/forms/holder/records/{holder['id']}/history").get_json()
    assert history[-1]["via"]["form"] == "item" and history[-1]["via"]["id"] == item["id"]


def test_sync_plans_the_date_reminders_of_what_it_wrote(app, staff):
    item = staff.create("item", name="Bolt", price="2.00", due="2030-05-10")
    lines = [staff.create("line", title=f"L{i}", item=item["id"], qty=1) for i in range(3)]
    change_item(staff, item["id"], due="2030-06-20")
    db = app.extensions["engine"].db
    with db.session() as session:
        rows = session.execute(select(timers.c.record_id, timers.c.fire_at, timers.c.status).where(
            timers.c.form == "line", timers.c.kind == "date", timers.c.name == "due_soon")).all()
    assert sorted(r.record_id for r in rows) == sorted(line["id"] for line in lines)
    assert {(r.fire_at.astimezone(UTC).date().isoformat(), r.status) for r in rows} == {("2030-06-19", "pending")}
    change_item(staff, item["id"], due=None)
    with db.session() as session:
        statuses = set(session.execute(select(timers.c.status).where(timers.c.form == "line")).scalars())
    assert statuses == {"cancelled"}
