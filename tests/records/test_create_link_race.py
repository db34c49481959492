"""A create is checked in a reading transaction and written in a short one of its own: a linked
record deleted in between is caught in the writing one (409, nothing written), never left as a
link to a record that is gone."""
from __future__ import annotations

from sqlalchemy import delete, select

from engine.services import records as service

from ..ui.test_list_page_queries import app, clerk  # noqa: F401  (fixtures)


def test_a_link_deleted_between_check_and_write_is_a_409_and_nothing_is_written(app, clerk, monkeypatch):  # noqa: F811
    api, _client = clerk
    site = api.create("site", name="North")["id"]
    state = app.extensions["engine"]
    check = service.prepare_create

    def check_then_someone_deletes_the_site(ctx, form, fields, **kw):
        checked = check(ctx, form, fields, **kw)
        with state.db.transaction() as session:  # another request: nothing links to the site yet
            table = state.runtime().tables("site").table
            session.execute(delete(table).where(table.c.id == site))
        return checked
    monkeypatch.setattr(service, "prepare_create", check_then_someone_deletes_the_site)
    response = api.post("/api/forms/job/records", json={"fields": {"code": "J1", "site": site}})
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "link_conflict"
    job = state.runtime().tables("job").table
    with state.db.transaction() as session:
        assert session.execute(select(job.c.id)).all() == []


def test_a_create_with_its_links_in_place_still_writes(app, clerk):  # noqa: F811
    api, _client = clerk
    site = api.create("site", name="North")["id"]
    created = api.post("/api/forms/job/records", json={"fields": {"code": "J2", "site": site}})
    assert created.status_code == 201 and created.get_json()["fields"]["site"] == site
