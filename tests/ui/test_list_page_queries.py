"""The list page and the layout around it read in a fixed number of SQL statements, whatever the
number of users (and their roles) and of rows on the page: the session's user in one statement,
the page's people by name in one, the top bar's badges in one inside the page's own transaction."""
from __future__ import annotations

import re

import pytest

from engine.auth.users import create_user
from tests.sql_log import statements

MODULE = {
    "module": "jobs", "title": "Jobs",
    "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "boss", "title": "Boss"}],
    "forms": [
        {"name": "site", "title": "Site", "title_field": "name",
         "fields": [{"name": "name", "type": "text", "label": "Name"}],
         "permissions": {"clerk": {"create": True, "read": "all"}}},
        {"name": "job", "title": "Job", "title_field": "code",
         "fields": [
             {"name": "code", "type": "text", "label": "Code"},
             {"name": "owner", "type": "user", "label": "Owner", "role": "clerk", "default": "$user"},
             {"name": "helper", "type": "user", "label": "Helper"},
             {"name": "site", "type": "link", "label": "Site", "form": "site"},
             {"name": "hours", "type": "integer", "label": "Hours"},
         ],
         "list": {"columns": ["code", "owner", "helper", "site", "hours", "created_by"],
                  "filters": ["owner", "helper"], "page_size": 50},
         "charts": [{"name": "by_owner", "title": "By owner", "type": "bar", "group_by": "owner"}],
         "permissions": {"clerk": {"create": True, "read": "all", "update": "all"}}},
    ],
}


@pytest.fixture
def app(write_module, make_app, tmp_path):
    write_module(tmp_path / "jobs", MODULE)
    return make_app(tmp_path / "jobs")


def add_users(app, count: int) -> list[str]:
    """`count` more users named like people (person00, person01... on from those there are), each
    with one or two roles and a display name."""
    from engine.auth.users import list_users

    db = app.extensions["engine"].db
    with db.transaction() as session:
        start = sum(1 for u in list_users(session) if u.name.startswith("person"))
        names = [f"person{i:02d}" for i in range(start, start + count)]
        for i, name in enumerate(names, start):
            create_user(session, name, None, {"clerk", "boss"} if i % 2 else {"clerk"},
                        display_name=f"Person {i:02d}", enforce_rules=False)
    return names


def add_jobs(clerk, count: int, owners: list[str], site: int) -> None:
    for i in range(count):
        clerk.create("job", code=f"J{i:03d}", owner=owners[i % len(owners)], helper=owners[-1 - i % len(owners)],
                     site=site, hours=i)


@pytest.fixture
def clerk(make_user, browser):
    api = make_user("ann", "clerk")
    client = browser("cat", "clerk")
    client.get("/f/job?lang=en")  # the first page stores the language asked for; later ones only read
    return api, client


def list_page(app, client) -> tuple[list[str], str]:
    with statements(app) as seen:
        response = client.get("/f/job?lang=en")
    assert response.status_code == 200
    return seen, response.get_data(as_text=True)


def test_list_page_statements_do_not_grow_with_users(app, clerk):
    api, client = clerk
    site = api.create("site", name="North")["id"]
    owners = ["ann", *add_users(app, 2)]  # 3 people besides the viewer
    add_jobs(api, 6, owners, site)
    few, page = list_page(app, client)
    assert "Person 01" in page and "North" in page  # display names and link titles are shown

    add_users(app, 27)  # 30 users with roles besides the viewer; the page's rows stay the same
    more, page = list_page(app, client)
    assert len(more) == len(few), "\n".join(more)
    assert not [s for s in more if "engine_user_roles" in s and "engine_users" not in s]  # no roles per user
    assert 'value="person28"' in page  # the owner filter still offers every clerk


def test_list_page_statements_do_not_grow_with_rows(app, clerk):
    api, client = clerk
    site = api.create("site", name="North")["id"]
    owners = ["ann", *add_users(app, 4)]
    add_jobs(api, 5, owners, site)
    few, page = list_page(app, client)
    assert len(re.findall(r"<tr data-record-id=", page)) == 5

    add_jobs(api, 35, owners + add_users(app, 10), site)  # 40 rows, more people among them
    more, page = list_page(app, client)
    assert len(re.findall(r"<tr data-record-id=", page)) == 40
    assert len(more) == len(few), "\n".join(more)


def test_the_layout_counts_in_one_statement_inside_the_pages_transaction(app, clerk, db_url):
    api, client = clerk
    api.create("job", code="J1")
    seen, page = list_page(app, client)
    badges = [s for s in seen if "engine_tasks" in s or "engine_notifications" in s or "engine_incidents" in s]
    assert len(badges) == 1 and "engine_tasks" in badges[0] and "engine_notifications" in badges[0], badges
    assert "engine_incidents" not in badges[0]  # only admins see incidents
    users = [s for s in seen if "engine_users" in s or "engine_user_roles" in s]
    # the session's user (with roles), the page's people, everyone for the user filters' choices
    assert len(users) == 3, "\n".join(users)
    if db_url.startswith("sqlite"):  # no transaction of the layout's own: no BEGIN after the page's first read
        first = next(i for i, s in enumerate(seen) if "rec_job" in s)
        assert "BEGIN" not in seen[first:], "\n".join(seen)
    assert 'data-testid="nav-dashboard"' in page  # the menus are still worked out


def test_the_layout_badges_still_count(app, clerk, admin_browser):
    from engine.store.system import incidents, notifications

    api, client = clerk
    with app.extensions["engine"].db.transaction() as session:
        session.execute(notifications.insert().values(user_name="cat", kind="comment", params={}, created_at=_now()))
        session.execute(incidents.insert().values(kind="k", message="m", created_at=_now()))
    page = client.get("/f/job?lang=en").get_data(as_text=True)
    assert re.search(r'data-testid="unread-count">1<', page)
    assert 'data-testid="incident-badge"' not in page
    admin_page = admin_browser.get("/f/job?lang=en").get_data(as_text=True)
    assert re.search(r'data-testid="incident-badge">1<', admin_page)


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_list_cells_escape_what_people_typed(app, clerk):
    api, client = clerk
    site = api.create("site", name="Tom & <Jerry>")["id"]
    api.create("job", code="<i>J1</i>", owner="ann", site=site)
    api.create("job", code="", owner="ann")
    _seen, page = list_page(app, client)
    listed = re.search(r'data-testid="record-list".*?</table>', page, re.S).group(0)
    assert "&lt;i&gt;J1&lt;/i&gt;" in listed and "<i>J1</i>" not in listed
    assert "Tom &amp; &lt;Jerry&gt;" in listed
    assert re.search(r'<td class="" data-label="Code"><a href="/f/job/\d+">#\d+</a></td>', listed)  # no code: #id
    assert re.search(r'<td class="text-end text-nowrap" data-label="Hours">', listed)
