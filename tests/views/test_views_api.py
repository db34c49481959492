"""GET/POST/PUT/DELETE /api/forms/{form}/views and `saved=` on the list API: shared views by
role, own views only, checked like list requests, hidden columns dropped."""
from __future__ import annotations

import pytest

URL = "/api/forms/job/views"
LIST = "/api/forms/job/records"


def put(client, url, **kw):
    return client._call("put", url, **kw)


@pytest.fixture
def people(make_user):
    ann = make_user("ann", "staff")
    bob = make_user("bob", "staff")
    boss = make_user("boss1", "boss")
    ann.create("job", title="A-small", amount=5, level="low")
    ann.create("job", title="A-big", amount=500, level="low")
    bob.create("job", title="B-high", amount=50, level="high")
    bob.create("job", title="B-low", amount=70, level="low")
    return ann, bob, boss


def titles(response):
    assert response.status_code == 200, response.get_json()
    return [i["fields"]["title"] for i in response.get_json()["items"]]


def test_shared_views_by_role_and_hidden_columns_dropped(people):
    ann, _bob, boss = people
    staff_views = {v["name"]: v for v in ann.get(URL).get_json()["items"]}
    assert set(staff_views) == {"my_open", "big_this_month"}  # boss_only is for the boss role
    assert staff_views["my_open"]["shared"] is True and staff_views["my_open"]["id"] is None
    assert staff_views["my_open"]["columns"] == ["title", "amount"]  # secret is hidden from staff
    assert staff_views["my_open"]["title"] == "My open jobs"  # the API speaks English unless asked
    boss_views = {v["name"]: v for v in boss.get(URL).get_json()["items"]}
    assert set(boss_views) == {"my_open", "big_this_month", "boss_only"}
    assert boss_views["my_open"]["columns"] == ["title", "amount", "secret"]


def test_shared_view_applied_to_list_api(people):
    ann, _bob, boss = people
    assert titles(ann.get(f"{LIST}?saved=my_open")) == ["A-big", "A-small"]  # mine, open, -amount
    assert titles(boss.get(f"{LIST}?saved=boss_only")) == ["B-high"]
    assert ann.get(f"{LIST}?saved=boss_only").status_code == 404  # not for staff
    # the request's own parameters win over the view's
    assert titles(ann.get(f"{LIST}?saved=my_open&order_by=amount")) == ["A-small", "A-big"]


def test_row_rules_still_apply_to_a_view(people):
    ann, _bob, _boss = people
    created = ann.post(URL, json={"name": "everything", "filters": {}, "columns": ["title"]})
    assert created.status_code == 201, created.get_json()
    # ann reads her own and the high ones only, whatever the view asks
    assert sorted(titles(ann.get(f"{LIST}?saved={created.get_json()['id']}"))) == ["A-big", "A-small", "B-high"]


def test_own_view_crud_and_other_users_get_404(people):
    ann, bob, _boss = people
    created = ann.post(URL, json={"name": "Big ones", "filters": {"amount__gte": "60"}, "columns": ["title", "amount"],
                                  "order_by": "-amount"})
    assert created.status_code == 201, created.get_json()
    view = created.get_json()
    assert view["name"] == "Big ones" and view["shared"] is False and view["filters"] == {"amount__gte": "60"}
    assert titles(ann.get(f"{LIST}?saved={view['id']}")) == ["A-big"]
    listed = [v for v in ann.get(URL).get_json()["items"] if not v["shared"]]
    assert [v["id"] for v in listed] == [view["id"]]
    assert [v for v in bob.get(URL).get_json()["items"] if not v["shared"]] == []
    # another user's view: 404 on every verb, and unchanged
    assert bob.get(f"{LIST}?saved={view['id']}").status_code == 404
    assert put(bob, f"{URL}/{view['id']}", json={"name": "mine now"}).status_code == 404
    assert bob.delete(f"{URL}/{view['id']}").status_code == 404
    renamed = put(ann, f"{URL}/{view['id']}", json={"name": "Large"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Large"
    assert renamed.get_json()["filters"] == {"amount__gte": "60"}
    assert ann.delete(f"{URL}/{view['id']}").status_code == 204
    assert ann.get(f"{LIST}?saved={view['id']}").status_code == 404


@pytest.mark.parametrize(("body", "key"), [
    ({"name": "x", "filters": {"nope": "1"}}, "filters"),
    ({"name": "x", "filters": {"secret": "s"}}, "filters"),  # hidden from staff: not usable
    ({"name": "x", "filters": {"amount__gte": "many"}}, "filters"),
    ({"name": "x", "filters": {"quick": "someday"}}, "filters"),
    ({"name": "x", "filters": {"page": "2"}}, "filters"),
    ({"name": "x", "columns": ["secret"]}, "columns"),
    ({"name": "x", "columns": ["nope"]}, "columns"),
    ({"name": "x", "order_by": "-secret"}, "order_by"),
    ({"name": " "}, "name"),
    ({"filters": {}}, "name"),
])
def test_bad_views_are_422_at_the_key(people, body, key):
    ann, _bob, _boss = people
    response = ann.post(URL, json=body)
    assert response.status_code == 422, response.get_json()
    assert key in response.get_json()["error"]["fields"]


def test_duplicate_name_refused(people):
    ann, bob, _boss = people
    assert ann.post(URL, json={"name": "Mine"}).status_code == 201
    again = ann.post(URL, json={"name": "Mine"})
    assert again.status_code == 422 and "name" in again.get_json()["error"]["fields"]
    assert bob.post(URL, json={"name": "Mine"}).status_code == 201  # names are per user


def test_a_name_taken_at_the_same_moment_is_422_not_500(people, monkeypatch):
    """Two requests saving the same name at once both pass the look-up; the database's unique
    constraint refuses the second, which is the same 422 at `name` and leaves the first intact."""
    from engine.services import views as view_service

    ann, _bob, _boss = people
    assert ann.post(URL, json={"name": "Mine"}).status_code == 201
    other = ann.post(URL, json={"name": "Other"}).get_json()["id"]
    monkeypatch.setattr(view_service, "_taken", lambda *a, **k: None)  # as if the other request had not committed
    again = ann.post(URL, json={"name": "Mine"})
    assert again.status_code == 422, again.get_json()
    assert "Mine" in again.get_json()["error"]["fields"]["name"][0]
    renamed = put(ann, f"{URL}/{other}", json={"name": "Mine"})
    assert renamed.status_code == 422 and "name" in renamed.get_json()["error"]["fields"]
    assert sorted(v["name"] for v in ann.get(URL).get_json()["items"] if not v["shared"]) == ["Mine", "Other"]


def test_saved_view_on_the_list_page(people, app, login):
    ann, _bob, _boss = people
    view = ann.post(URL, json={"name": "Big ones", "filters": {"amount__gte": "60"}, "columns": ["title", "level"],
                               "order_by": "-amount"}).get_json()
    client = app.test_client()
    assert login(client, "ann", "ann-password").status_code == 302
    html = client.get(f"/f/job?saved={view['id']}").get_data(as_text=True)
    assert "A-big" in html and "A-small" not in html and "B-low" not in html
    assert 'data-testid="view-current"' in html and "Big ones" in html
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    assert "Level" in head and "Amount" not in head  # the view's columns
    shared = client.get("/f/job?saved=my_open").get_data(as_text=True)
    head = shared.split("<thead", 1)[1].split("</thead>", 1)[0]
    assert "Amount" in head and "Secret" not in head  # hidden column dropped
    assert client.get("/f/job?saved=boss_only").status_code == 404
