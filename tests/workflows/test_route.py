"""The route of a record (issue 14, point 4): `GET /api/forms/{form}/records/{id}/route`: stages in
order, the current one, each approval step's condition and whether it applies to this record, who
acted and who is waiting, and the preview of the steps a transition would start. A condition
reading a field hidden from the caller is neither shown nor evaluated for them; approvers named by
a hidden field are left out. The query count does not grow with runs and tasks."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from engine.auth.users import update_user
from tests.workflows.claims import URL as CLAIMS
from tests.workflows.claims import cast_of, module
from tests.workflows.conftest import URL


def route_of(client, url, record_id):
    answer = client.get(f"{url}/{record_id}/route")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def steps_of(route, stage="review"):
    return {s["name"]: s for s in next(x for x in route["stages"] if x["name"] == stage)["approval"]["steps"]}


def act(client, task_id, action, **body):
    return client.post(f"/api/tasks/{task_id}/{action}", json=body)


def test_stages_in_order_with_the_current_one_and_the_steps_that_apply(app, open_tasks, submit, people):
    with app.extensions["engine"].db.transaction() as session:
        update_user(session, "fin1", display_name="Fiona")
    body = submit(people["rita"], amount="2000")
    route = route_of(people["rita"], URL, body["id"])
    assert [s["name"] for s in route["stages"]] == ["draft", "review", "approved", "ordered", "cancelled", "done"]
    assert [s["name"] for s in route["stages"] if s["current"]] == ["review"]
    assert {s["name"]: s["visited"] for s in route["stages"]} == {
        "draft": True, "review": True, "approved": False, "ordered": False, "cancelled": False, "done": False}
    assert next(s for s in route["stages"] if s["name"] == "draft")["approval"] is None
    steps = steps_of(route)
    assert list(steps) == ["finance", "manager", "gm"]
    finance, manager, gm = steps["finance"], steps["manager"], steps["gm"]
    assert (finance["condition"], finance["applies"], finance["status"], finance["mode"]) == \
        (None, None, "current", "any")
    assert finance["waiting_for"] == [{"user": "fin1", "display": "Fiona"}, {"user": "fin2", "display": "fin2"}]
    assert finance["acted"] == []
    assert (manager["condition"], manager["applies"], manager["status"]) == ("amount >= 1000", True, "waiting")
    assert manager["approvers"] == ["boss"]  # the manager of rita
    assert (gm["condition"], gm["applies"], gm["status"]) == ("amount >= 5000", False, "skipped")
    assert gm["approvers"] == ["General manager", "Manager"]  # role titles
    # the first step decided: who acted (decision, time), who is waiting now
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve", comment="fine")
    steps = steps_of(route_of(people["rita"], URL, body["id"]))
    [acted] = steps["finance"]["acted"]
    assert (steps["finance"]["status"], acted["user"], acted["display"], acted["decision"], acted["comment"]) == \
        ("done", "fin1", "Fiona", "approved", "fine")
    assert acted["at"].startswith(str(body["created_at"])[:10])
    assert steps["manager"]["status"] == "current" and [w["user"] for w in steps["manager"]["waiting_for"]] == ["boss"]
    act(people["boss"], open_tasks(people["boss"])[0]["id"], "approve")
    route = route_of(people["rita"], URL, body["id"])
    assert [s["name"] for s in route["stages"] if s["current"]] == ["approved"]
    assert {n: s["status"] for n, s in steps_of(route).items()} == \
        {"finance": "done", "manager": "done", "gm": "skipped"}
    assert route["preview"] == {}  # rita may fire nothing that starts an approval now


def test_a_send_back_shows_the_route_continuing_from_the_target(open_tasks, submit, people):
    body = submit(people["rita"], amount="2000")
    act(people["fin1"], open_tasks(people["fin1"])[0]["id"], "approve")
    act(people["boss"], open_tasks(people["boss"])[0]["id"], "send_back", to="finance")
    steps = steps_of(route_of(people["rita"], URL, body["id"]))
    assert (steps["finance"]["status"], steps["manager"]["status"]) == ("current", "waiting")
    assert steps["finance"]["acted"] == [] and steps["manager"]["acted"] == []


def test_a_draft_previews_the_steps_its_submit_would_start(people):
    record = people["rita"].create("request", subject="Desk", amount="9000")
    route = route_of(people["rita"], URL, record["id"])
    assert [s["name"] for s in route["stages"] if s["current"]] == ["draft"]
    assert {n: s["status"] for n, s in steps_of(route).items()} == {"finance": "waiting", "manager": "waiting",
                                                                     "gm": "waiting"}
    assert [(p["step"], p["title"], p["approvers"]) for p in route["preview"]["submit"]] == [
        ("finance", "Finance check", ["Finance"]), ("manager", "Manager", ["boss"]),
        ("gm", "GM", ["General manager", "Manager"])]
    small = people["rita"].create("request", subject="Pen", amount="10")
    assert [p["step"] for p in route_of(people["rita"], URL, small["id"])["preview"]["submit"]] == ["finance"]
    transitions = {t["name"]: t for t in route["transitions"]}
    assert transitions["submit"]["from"] == ["draft"] and transitions["submit"]["to"] == "review"
    assert "done" not in transitions["cancel"]["from"] and "draft" in transitions["cancel"]["from"]


def test_the_route_is_404_where_the_record_is_not_readable(people, make_user):
    record = people["rita"].create("request", subject="Desk", amount="9000")
    assert people["buyer"].get(f"{URL}/{record['id']}/route").status_code == 200
    assert make_user("ron", "requester").get(f"{URL}/{record['id']}/route").status_code == 404  # own only
    assert people["rita"].get(f"{URL}/{record['id'] + 99}/route").status_code == 404


HIDDEN_STEPS = [
    {"name": "check", "title": "Check", "approvers": [{"role": "checker"}]},
    {"name": "big", "title": "Big amounts", "approvers": [{"user": "dan"}], "when": "amount >= 1000"},
    {"name": "named", "title": "Named reviewer", "approvers": [{"field": "reviewer"}]},
]


@pytest.fixture
def hidden_app(write_module, make_app, tmp_path):
    """Claims with an amount; clerks may not see the amount nor the reviewer."""
    doc = module(HIDDEN_STEPS)
    form = doc["forms"][0]
    form["fields"].append({"name": "amount", "type": "decimal", "label": "Amount"})
    form["permissions"]["clerk"]["hide"] = ["amount", "reviewer"]
    folder = tmp_path / "hidden"
    write_module(folder, doc)
    app = make_app(folder)
    return app, cast_of(app)


@pytest.mark.parametrize("amount", ["5000", "10"])
def test_a_condition_over_a_hidden_field_is_neither_shown_nor_evaluated(hidden_app, admin, amount):
    _app, cast = hidden_app
    claim = admin.create("claim", subject="Trip", owner="cat", amount=amount, reviewer="bob")
    clerk = route_of(cast["cat"], CLAIMS, claim["id"])
    big, named = steps_of(clerk)["big"], steps_of(clerk)["named"]
    assert (big["conditional"], big["condition"], big["applies"], big["status"]) == (True, None, None, "waiting")
    assert named["approvers"] == []  # who that is would tell the hidden reviewer
    assert [(p["step"], p["applies"]) for p in clerk["preview"]["submit"]] == [
        ("check", None), ("big", None), ("named", None)]  # the same whatever the amount
    seen = route_of(admin, CLAIMS, claim["id"])
    applies = amount == "5000"
    assert (steps_of(seen)["big"]["condition"], steps_of(seen)["big"]["applies"]) == ("amount >= 1000", applies)
    assert steps_of(seen)["big"]["status"] == ("waiting" if applies else "skipped")
    assert steps_of(seen)["named"]["approvers"] == ["bob"]
    assert [p["step"] for p in seen["preview"]["submit"]] == (["check", "big", "named"] if applies
                                                              else ["check", "named"])


def test_the_query_count_does_not_grow_with_runs_and_tasks(app, open_tasks, submit, people):
    fresh = submit(people["rita"], amount="9000")
    busy = submit(people["rita"], amount="9000")
    for _round in range(3):  # three rounds of finance, manager, gm, each sent back to the start
        for person in ("fin1", "boss"):
            task = next(t for t in open_tasks(people[person]) if t["record_id"] == busy["id"])
            act(people[person], task["id"], "approve")
        task = next(t for t in open_tasks(people["gm"]) if t["record_id"] == busy["id"])
        act(people["gm"], task["id"], "send_back", to="finance")
    engine = app.extensions["engine"].db.read_engine
    counts = []
    for record in (fresh, busy):
        statements: list[int] = []

        def listener(*args, statements=statements):
            statements.append(1)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            route_of(people["rita"], URL, record["id"])
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] < 20, counts


@pytest.mark.parametrize("amount", ["5000", "10"])
def test_a_step_passed_by_a_hidden_condition_does_not_read_skipped(hidden_app, admin, amount):
    """Review probe 2: `skipped` would tell the clerk the hidden amount is below 1000."""
    _app, cast = hidden_app
    claim = admin.create("claim", subject="Trip", owner="cat", amount=amount, reviewer="bob")
    assert admin.post(f"{CLAIMS}/{claim['id']}/transitions/submit", json={}).status_code == 200
    [task] = cast["ann"].get("/api/tasks").get_json()
    assert act(cast["ann"], task["id"], "approve").status_code == 200
    applies = amount == "5000"
    assert steps_of(route_of(admin, CLAIMS, claim["id"]))["big"]["status"] == ("current" if applies else "skipped")
    clerk = steps_of(route_of(cast["cat"], CLAIMS, claim["id"]))
    assert clerk["big"]["status"] == ("current" if applies else "not_shown")
    assert clerk["check"]["status"] == "done"
    [run] = cast["cat"].get(f"{CLAIMS}/{claim['id']}/approvals").get_json()
    assert {s["name"]: s["condition_hidden"] for s in run["steps"]} == {"check": False, "big": True, "named": False}
    if not applies:  # the approval ends without the step: still not `skipped` for the clerk
        for task in cast["bob"].get("/api/tasks").get_json():
            assert act(cast["bob"], task["id"], "approve").status_code == 200
        assert steps_of(route_of(cast["cat"], CLAIMS, claim["id"]))["big"]["status"] == "not_shown"
        assert steps_of(route_of(admin, CLAIMS, claim["id"]))["big"]["status"] == "skipped"
