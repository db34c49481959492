"""What every page shares, done once: the session check's read of the user is the first read of the
page's own transaction (and still made on every request), the layout's fixed parts are rendered
once per language, menu, admin flag and definitions (badges, the user's name and the CSRF token
filled in per request), and the record page looks up only the people it shows."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import request
from flask_login import current_user
from sqlalchemy import event, insert, update

from engine.auth.users import get_user, set_roles
from engine.store.system import notifications, users

from . import test_list_page_queries as list_page
from .test_list_page_queries import add_users

app = list_page.app  # the same module and signed-in clerk as the list page tests
clerk = list_page.clerk


@contextmanager
def events(app) -> Iterator[list[str]]:
    """Every statement run inside the block, and "<begin>" / "<commit>" / "<rollback>" where a
    transaction began or ended (on either engine; the same markers on SQLite and PostgreSQL)."""
    db = app.extensions["engine"].db
    seen: list[str] = []
    listeners = {
        "before_cursor_execute": lambda conn, cursor, statement, *a: seen.append(" ".join(statement.split())),
        "begin": lambda conn: seen.append("<begin>"),
        "commit": lambda conn: seen.append("<commit>"),
        "rollback": lambda conn: seen.append("<rollback>"),
    }
    engines = {id(e): e for e in (db.engine, db.read_engine)}.values()
    for engine in engines:
        for name, listener in listeners.items():
            event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for engine in engines:
            for name, listener in listeners.items():
                event.remove(engine, name, listener)


def page_transaction(seen: list[str], page_table: str) -> list[str]:
    """The statements from the session check's read of the user to the top bar's counts, asserting
    that no transaction began or ended between them."""
    first = next(i for i, s in enumerate(seen) if s.startswith("SELECT engine_users.id"))
    last = max(i for i, s in enumerate(seen) if "engine_notifications" in s)
    inside = seen[first:last + 1]
    assert any(page_table in s for s in inside), "\n".join(seen)
    assert not [s for s in inside if s.startswith("<") or s.startswith("BEGIN")], "\n".join(seen)
    return inside


def test_the_user_is_read_inside_the_pages_transaction(app, clerk):
    api, client = clerk
    job = api.create("job", code="J1", owner="ann")["id"]
    for url, table in (("/f/job?lang=en", "rec_job"), (f"/f/job/{job}?lang=en", "rec_job"),
                       ("/tasks?lang=en", "engine_tasks"), ("/notifications?lang=en", "engine_notifications"),
                       ("/?lang=en", "rec_job")):
        with events(app) as seen:
            assert client.get(url).status_code == 200
        page_transaction(seen, table)
        # the session's user: read once, on every request
        assert sum(1 for s in seen if s.startswith("SELECT engine_users.id") and "WHERE engine_users.id =" in s) == 1


def test_a_deactivated_user_or_a_new_role_counts_at_the_next_request(app, clerk):
    api, client = clerk
    db = app.extensions["engine"].db
    assert client.get("/f/job?lang=en").status_code == 200
    with db.transaction() as session:  # no longer a clerk: the same session cannot read jobs
        set_roles(session, get_user(session, "cat").id, set())
    with events(app) as seen:
        assert client.get("/f/job?lang=en").status_code == 404  # a form one may not read is not there
    assert any(s.startswith("SELECT engine_users.id") for s in seen)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/f/job"' not in page  # and the kept menu is not the clerk's
    with db.transaction() as session:
        set_roles(session, get_user(session, "cat").id, {"clerk"})
    assert 'href="/f/job"' in client.get("/?lang=en").get_data(as_text=True)
    with db.transaction() as session:
        session.execute(update(users).where(users.c.name == "cat").values(active=False))
    answer = client.get("/f/job?lang=en")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_what_the_request_writes_before_its_first_read_is_seen(app, clerk):
    """The kept transaction is given up once the request writes: a snapshot taken before the
    write (SQLite) would not show it."""
    api, client = clerk
    db = app.extensions["engine"].db
    runtime = app.extensions["engine"].runtime()

    def write_first() -> None:
        if request.args.get("write") and current_user.is_authenticated:  # the user is read (and kept) first
            with db.transaction() as session:
                session.execute(insert(runtime.schema["job"].table).values(
                    code="Written", stage="", version=1, created_by="cat", created_at=_now(), updated_at=_now()))

    app.before_request_funcs.setdefault(None, []).append(write_first)
    page = client.get("/f/job?lang=en&write=1").get_data(as_text=True)
    assert "Written" in page


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 12, 5, 6, 0, tzinfo=UTC)  # a fixed instant, UTC


def test_the_kept_layout_fills_in_what_is_per_request(app, clerk, browser):
    api, client = clerk
    other = browser("dan", "clerk")  # the same roles: the same kept top bar
    with app.extensions["engine"].db.transaction() as session:
        session.execute(update(users).where(users.c.name == "dan").values(display_name="Dan <D>"))
    first = client.get("/f/job?lang=en").get_data(as_text=True)
    assert 'data-testid="unread-count"' not in first
    with app.extensions["engine"].db.transaction() as session:
        session.execute(notifications.insert().values(user_name="cat", kind="comment", params={},
                                                      created_at=_now()))
    page = client.get("/f/job?lang=en").get_data(as_text=True)
    assert re.search(r'data-testid="unread-count">1<', page)  # the badge is live
    assert re.search(r'data-testid="user-menu">cat<', page)
    theirs = other.get("/f/job?lang=en").get_data(as_text=True)
    assert re.search(r'data-testid="user-menu">Dan &lt;D&gt;<', theirs)  # their name, escaped
    assert 'data-testid="unread-count"' not in theirs
    for html in (page, theirs):  # the logout form's token is the page's own
        meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
        form = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', html).group(1)
        assert meta == form
    searched = client.get('/search?q=a"<b&lang=en').get_data(as_text=True)
    assert 'value="a&#34;&lt;b" data-testid="top-search"' in searched  # the search words, escaped
    assert 'value="" data-testid="top-search"' in page
    chinese = client.get("/f/job?lang=zh-CN").get_data(as_text=True)
    assert '<html lang="zh-CN">' in chinese and "退出登录" in chinese and "Log out" not in chinese  # kept per language
    assert re.search(r'data-testid="unread-count">1<', chinese)


def test_the_record_page_reads_the_people_it_shows_in_one_statement(app, clerk):
    api, client = clerk
    owners = add_users(app, 3)
    created = api.create("job", code="J1", owner=owners[0], helper=owners[1])
    job = created["id"]
    with events(app) as seen:
        page = client.get(f"/f/job/{job}?lang=en").get_data(as_text=True)
    few = [s for s in seen if not s.startswith("<")]
    assert "Person 00" in page and "Person 01" in page  # user fields show display names
    people = [s for s in few if s.startswith("SELECT engine_users.name, engine_users.display_name")]
    assert len(people) == 1

    add_users(app, 30)
    changed = api.patch(f"/api/forms/job/records/{job}",  # history: the owner changed
                        json={"version": created["version"], "fields": {"owner": owners[2]}})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    with events(app) as seen:
        page = client.get(f"/f/job/{job}?lang=en").get_data(as_text=True)
    more = [s for s in seen if not s.startswith("<")]
    assert len(more) == len(few), "\n".join(more)
    assert not [s for s in more if s.startswith("SELECT engine_users.id") and "WHERE engine_users.id" not in s]
    history = page.split('data-testid="history"')[1]
    assert "Person 00" in history and "Person 02" in history  # old and new owner, by their names
