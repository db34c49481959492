"""The record page and the create page read what they need in a fixed number of SQL statements,
whatever the number of links and table rows, and the create page checks a submission before
its write transaction (on SQLite the write lock is then held only for the writes)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

LINKS = ["p1", "p2", "p3", "p4"]
MODULE = {
    "module": "trips", "title": "Trips",
    "roles": [{"name": "clerk", "title": "Clerk"}],
    "forms": [
        {"name": "place", "title": "Place", "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "Name"}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}}},
        {"name": "trip", "title": "Trip", "title_field": "code", "owner_field": "owner",
         "fields": [
             {"name": "code", "type": "text", "label": "Code", "unique": True},
             *({"name": n, "type": "link", "label": n.upper(), "form": "place"} for n in LINKS),
             {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
             {"name": "start", "type": "date", "label": "Start"},
             {"name": "stops", "type": "table", "label": "Stops", "fields": [
                 {"name": "place", "type": "link", "label": "Place", "form": "place"},
                 {"name": "days", "type": "integer", "label": "Days"}]},
         ],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "own", "delete": "own"}},
         "workflow": {"initial": "planned", "stages": [{"name": "planned", "title": "Planned", "editable": ["*"]},
                                                       {"name": "done", "title": "Done", "final": True}],
                      "transitions": [{"name": "finish", "title": "Finish", "from": "planned", "to": "done",
                                       "roles": ["clerk"], "condition": "code != 'X'"}]},
         "reminders": [{"name": f"before{days}", "date_field": "start", "offset": f"-{days}d",
                        "notify": [{"field": "owner"}], "message": "Trip {code} starts on {start}"}
                       for days in (1, 2, 7)]},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "trips", MODULE)
    return make_app(tmp_path / "trips")


@pytest.fixture
def clerks(make_user):
    return make_user("ann", "clerk"), make_user("bob", "clerk")


@pytest.fixture
def places(clerks):
    return [clerks[0].create("place", name=f"Place {i}")["id"] for i in range(5)]


@contextmanager
def statements(app) -> Iterator[list[tuple[str, str]]]:
    """(engine, SQL) of every statement run inside the block: "write" for the writing engine."""
    db = app.extensions["engine"].db
    seen: list[tuple[str, str]] = []
    engines = {"write": db.engine} if db.engine is db.read_engine else {"write": db.engine, "read": db.read_engine}
    listeners = []
    for name, engine in engines.items():
        def listener(conn, cursor, statement, *args, name=name):
            seen.append((name, " ".join(statement.split())))
        event.listen(engine, "before_cursor_execute", listener)
        listeners.append((engine, listener))
    try:
        yield seen
    finally:
        for engine, listener in listeners:
            event.remove(engine, "before_cursor_execute", listener)


def browse(app, login, name):
    client = app.test_client()
    assert login(client, name, f"{name}-password").status_code == 302
    client.get("/f/trip")  # the session's first page is behind us
    return client


def trip_fields(places, links: int, rows: int) -> dict:
    fields = {name: places[i] for i, name in enumerate(LINKS[:links])}
    fields["stops"] = [{"place": places[i % len(places)], "days": i + 1} for i in range(rows)]
    return fields


def test_the_record_page_reads_the_record_once_whatever_its_links_and_rows(app, login, clerks, places):
    ann, _bob = clerks
    small = ann.create("trip", code="S", **trip_fields(places, 1, 0))
    big = ann.create("trip", code="B", **trip_fields(places, 4, 5))
    client = browse(app, login, "ann")
    counts = []
    for trip in (small, big):
        with statements(app) as seen:
            page = client.get(f"/f/trip/{trip['id']}")
        assert page.status_code == 200
        counts.append(len(seen))
        reads = [sql for _e, sql in seen if re.search(r"\bFROM rec_trip\b", sql)]
        assert len(reads) == 1, reads  # the row and the update/delete rules in one, for the workflow panel too
        assert 'data-transition="finish"' in page.get_data(as_text=True)  # the panel had the record too
        assert not [sql for _e, sql in seen if "count(" in sql and "rec_trip" in sql]
    assert counts[0] == counts[1], counts


def test_the_record_page_offers_edit_and_delete_by_the_row_rules(app, login, clerks, places):
    ann, bob = clerks
    mine = ann.create("trip", code="A", **trip_fields(places, 1, 0))
    theirs = bob.create("trip", code="B", **trip_fields(places, 1, 0))
    client = browse(app, login, "ann")
    own = client.get(f"/f/trip/{mine['id']}").get_data(as_text=True)
    other = client.get(f"/f/trip/{theirs['id']}").get_data(as_text=True)
    assert f"/f/trip/{mine['id']}/edit" in own and f"/f/trip/{mine['id']}/delete" in own
    assert f"/f/trip/{theirs['id']}/edit" not in other and f"/f/trip/{theirs['id']}/delete" not in other


def _post_new(client, csrf_from, code: str, fields: dict):
    token = csrf_from(client.get("/f/trip/new").get_data(as_text=True))
    data = {"csrf_token": token, "code": code, "owner": "ann",
            **{k: str(v) for k, v in fields.items() if k != "stops"}}
    for i, row in enumerate(fields["stops"]):
        data[f"stops-{i}-place"] = str(row["place"])
        data[f"stops-{i}-days"] = str(row["days"])
    return client.post("/f/trip/new", data=data)


def test_creating_on_the_page_costs_the_same_statements_whatever_its_links_and_rows(app, login, csrf_from,
                                                                                    clerks, places):
    client = browse(app, login, "ann")
    counts = []
    for code, links, rows in (("S", 1, 1), ("B", 4, 5)):
        fields = trip_fields(places, links, rows)
        with statements(app) as seen:
            response = _post_new(client, csrf_from, code, fields)
        assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
        assert re.search(r"/f/trip/\d+$", response.headers["Location"])
        counts.append(len(seen))
        record_id = int(response.headers["Location"].rsplit("/", 1)[1])
        created = clerks[0].get(f"/api/forms/trip/records/{record_id}").get_json()
        assert [created["fields"][n] for n in LINKS[:links]] == [fields[n] for n in LINKS[:links]]
        assert created["fields"]["stops"] == fields["stops"]
        assert [h["action"] for h in clerks[0].get(f"/api/forms/trip/records/{created['id']}/history")
                .get_json()] == ["create"]
    assert counts[0] == counts[1], counts


def test_the_create_page_checks_before_it_takes_the_write_lock(app, login, csrf_from, clerks, places):
    client = browse(app, login, "ann")
    with statements(app) as seen:
        response = _post_new(client, csrf_from, "W", trip_fields(places, 4, 3))
    assert response.status_code == 302
    first = next(i for i, (_e, sql) in enumerate(seen) if sql.startswith(("INSERT", "UPDATE", "DELETE")))
    checks = [sql for _e, sql in seen[first:] if sql.startswith("SELECT")]
    assert checks == [], checks  # the unique code, the links and the user were checked before
    if app.extensions["engine"].db.is_sqlite:  # the writing engine (BEGIN IMMEDIATE) runs only the writes
        written = [sql for e, sql in seen if e == "write"]
        # and one look by primary key that the linked places are still there (one query for all of them)
        confirms = [sql for sql in written if sql.startswith("SELECT")]
        assert len(confirms) == 1 and "FROM rec_place WHERE rec_place.id IN" in confirms[0], confirms
        assert {sql.split()[0] for sql in written} <= {"BEGIN", "INSERT", "SELECT"}, seen


def test_a_link_the_user_may_not_read_is_still_refused_by_the_page(app, login, csrf_from, clerks, places):
    client = browse(app, login, "ann")
    fields = trip_fields(places, 2, 1)
    fields["p2"] = 999999
    response = _post_new(client, csrf_from, "X", fields)
    assert response.status_code == 422
    assert "999999" in response.get_data(as_text=True)


def test_a_code_taken_on_the_page_is_refused_at_the_field(app, login, csrf_from, clerks, places):
    clerks[0].create("trip", code="T", **trip_fields(places, 1, 0))
    client = browse(app, login, "ann")
    response = _post_new(client, csrf_from, "T", trip_fields(places, 1, 0))
    assert response.status_code == 422
    assert "&#39;T&#39;" in response.get_data(as_text=True)  # "'T' is already used by another record"
    assert clerks[0].get("/api/forms/trip/records?code=T").get_json()["total"] == 1


def test_a_code_taken_between_the_check_and_the_write_is_a_conflict_on_the_form(app, login, csrf_from,
                                                                               clerks, places, monkeypatch):
    """Another user's save may take a unique value after this one was checked: the insert is refused
    by the database and the page says so, keeping what was typed."""
    from engine.auth.users import get_user
    from engine.records.context import open_context
    from engine.services import records

    client = browse(app, login, "ann")
    original = records.write_created
    state = app.extensions["engine"]

    def racing(ctx, form, *args, **kwargs):
        monkeypatch.setattr(records, "write_created", original)
        with state.db.session() as session:
            bob = get_user(session, "bob")
        with open_context(state.db, ctx.runtime, bob, tzinfo=ctx.tzinfo, write=True) as other:
            records.create_record(other, "trip", {"code": "R", "p1": places[0]})  # in between, committed
        return original(ctx, form, *args, **kwargs)
    monkeypatch.setattr(records, "write_created", racing)
    response = _post_new(client, csrf_from, "R", trip_fields(places, 1, 0))
    assert response.status_code == 409
    assert 'value="R"' in response.get_data(as_text=True)
    assert clerks[0].get("/api/forms/trip/records?code=R").get_json()["total"] == 1


def test_a_create_arms_its_date_reminders_in_two_statements_whatever_their_number(app, login, csrf_from, clerks,
                                                                                   places):
    client = browse(app, login, "ann")
    with statements(app) as seen:
        token = csrf_from(client.get("/f/trip/new").get_data(as_text=True))
        response = client.post("/f/trip/new", data={"csrf_token": token, "code": "D", "owner": "ann",
                                                     "p1": str(places[0]), "start": "2030-05-10",
                                                     "stops-0-place": str(places[0]), "stops-0-days": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    on_timers = [sql.split()[0] for _e, sql in seen if "engine_timers" in sql]
    assert on_timers == ["SELECT", "INSERT"], on_timers  # the armed ones read once, the new ones in one insert
    with app.extensions["engine"].db.session() as session:
        armed = session.execute(text("SELECT name, fire_at FROM engine_timers WHERE form = 'trip' "
                                     "AND kind = 'date' AND status = 'pending' ORDER BY name")).all()
    assert [row[0] for row in armed] == ["before1", "before2", "before7"]
