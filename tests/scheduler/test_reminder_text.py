"""A reminder's text names linked records and users as people know them, each reader seeing
only what they may: a linked record's title for a reader who may read it, nothing for one
who may not; a user field as the user's display name."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from engine.scheduler import run_pass
from tests.conftest import ENGINE_ZONE, ApiClient

MODULE = {
    "module": "visits", "title": "Visits",
    "roles": [{"name": "rep", "title": "Rep"}, {"name": "lead", "title": "Lead"}],
    "forms": [
        {"name": "site", "title": "Site", "title_field": "name", "owner_field": "owner",
         "fields": [{"name": "name", "type": "text", "label": "Name", "required": True},
                    {"name": "owner", "type": "user", "label": "Owner", "default": "$user"}],
         "permissions": {"rep": {"create": True, "read": "own", "update": "own"}}},
        {"name": "visit", "title": "Visit", "title_field": "subject", "owner_field": "owner",
         "fields": [{"name": "subject", "type": "text", "label": "Subject", "required": True},
                    {"name": "site", "type": "link", "form": "site", "label": "Site"},
                    {"name": "owner", "type": "user", "label": "Owner", "default": "$user"},
                    {"name": "on", "type": "date", "label": "On"}],
         "permissions": {"rep": {"create": True, "read": "own", "update": "own"}, "lead": {"read": "all"}},
         "reminders": [{"name": "soon", "date_field": "on", "offset": "-1d",
                        "notify": [{"field": "owner"}, {"role": "lead"}],
                        "message": "明天拜访 {site}（{owner}）"}]},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "visits", MODULE)
    return make_app(tmp_path / "visits")


def test_link_and_user_placeholders_read_as_each_reader_may_see_them(told, app, make_user):
    from engine.auth.users import create_user, issue_token

    with app.extensions["engine"].db.transaction() as session:
        rep = ApiClient(app, issue_token(session, create_user(session, "ada", "ada-password", {"rep"},
                                                              display_name="王艾达")), "ada")
    make_user("lou", "lead")
    site = rep.create("site", name="杭州工厂")
    day = date(2031, 6, 2)
    rep.create("visit", subject="回访", site=site["id"], on=day.isoformat())
    state = app.extensions["engine"]
    at = datetime.combine(day - timedelta(days=1), time(9), tzinfo=ENGINE_ZONE).astimezone(UTC)
    run_pass(state.db, state.holder, state.settings, at)
    (owner_text,) = [p["message"] for k, p in told(app, "ada") if k == "reminder"]
    (lead_text,) = [p["message"] for k, p in told(app, "lou") if k == "reminder"]
    assert owner_text == "明天拜访 杭州工厂（王艾达）"
    assert lead_text == "明天拜访 无权查看（王艾达）"  # the lead may not read the site: neither title nor id
