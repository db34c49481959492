"""Rules the pages and the API share: written once in a service, so a page never offers what
the service then refuses (or hides what it takes). Each test compares both sides."""
from __future__ import annotations

import re

import pytest

from tests.workflows.conftest import URL


@pytest.fixture
def page(page):
    """The cast's logged-in sessions (tests/workflows/conftest.py), with pages in English."""
    english = set()

    def open_as(name: str):
        client = page(name)
        if name not in english:
            client.get("/?lang=en")  # pages in English (the lang cookie)
            english.add(name)
        return client
    return open_as


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def offers_withdraw(client, record_id: int) -> bool:
    return 'data-testid="withdraw"' in html(client, f"/f/request/{record_id}")


# -- withdraw -------------------------------------------------------------------------


def test_withdraw_is_offered_exactly_while_the_service_takes_it(open_tasks, submit, people, page):
    body = submit(people["rita"], amount="2000")  # finance, then the manager
    assert offers_withdraw(page("rita"), body["id"])  # the submitter, before anyone acted
    assert not offers_withdraw(page("fin1"), body["id"])  # not the submitter
    assert people["fin1"].post(f"{URL}/{body['id']}/withdraw", json={}).status_code == 403

    task = open_tasks(people["fin1"])[0]
    assert people["fin1"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    refused = people["rita"].post(f"{URL}/{body['id']}/withdraw", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "already_acted"
    assert not offers_withdraw(page("rita"), body["id"])  # an approver has acted: no button


def test_withdraw_is_offered_to_an_admin_like_the_service_allows(submit, people, page, make_user):
    make_user("root", "admin")
    body = submit(people["rita"], amount="10")
    assert offers_withdraw(page("root"), body["id"])
    assert people["rita"].get(f"{URL}/{body['id']}").get_json()["stage"] == "review"


# -- editable in this stage -----------------------------------------------------------

NEW_VALUES = {"subject": "Desks", "amount": "7", "requested_by": "boss", "reviewer": "fin2",
              "supplier": "ACME", "ordered_on": "2026-01-05", "lost_reason": "none"}


def offered_fields(client, record_id: int) -> set[str]:
    edit = client.get(f"/f/request/{record_id}/edit")
    if edit.status_code == 302:  # nothing editable: back to the record
        return set()
    assert edit.status_code == 200
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", edit.get_data(as_text=True))
    names = {m.group(1) for tag in controls if not re.search(r"\sdisabled\b", tag)
             if (m := re.search(r'\bname="([a-z_]+)"', tag))}
    return names & set(NEW_VALUES)


def accepted_fields(client, record_id: int) -> set[str]:
    accepted = set()
    for name, value in NEW_VALUES.items():
        version = client.get(f"{URL}/{record_id}").get_json()["version"]
        response = client.patch(f"{URL}/{record_id}", json={"version": version, "fields": {name: value}})
        assert response.status_code in (200, 422), response.get_json()
        if response.status_code == 200:
            accepted.add(name)
        else:
            assert name in response.get_json()["error"]["fields"]
    return accepted


@pytest.mark.parametrize("where", ["draft", "approved"])
def test_the_edit_page_offers_exactly_the_fields_the_service_takes(open_tasks, submit, people, page, where):
    """draft: every field; approved: only `supplier` (the stage's `editable`)."""
    if where == "draft":
        record = people["rita"].create("request", subject="Chairs", amount="10")
    else:
        record = submit(people["rita"], amount="10")
        task = open_tasks(people["fin1"])[0]
        assert people["fin1"].post(f"/api/tasks/{task['id']}/approve", json={}).status_code == 200
    assert people["boss"].get(f"{URL}/{record['id']}").get_json()["stage"] == where
    offered = offered_fields(page("boss"), record["id"])
    assert offered == ({"supplier"} if where == "approved" else set(NEW_VALUES))
    assert accepted_fields(people["boss"], record["id"]) == offered


def test_a_final_stage_offers_no_edit_and_the_service_takes_none(people, page):
    record = people["rita"].create("request", subject="Chairs")
    assert people["boss"].post(f"{URL}/{record['id']}/transitions/cancel", json={"comment": "no"}).status_code == 200
    assert offered_fields(page("boss"), record["id"]) == set()
    assert accepted_fields(people["boss"], record["id"]) == set()

# -- batch approve --------------------------------------------------------------------


def test_batch_approve_decides_the_same_on_the_page_and_in_the_api(open_tasks, submit, csrf_from, people, page):
    first, second = submit(people["rita"], amount="10"), submit(people["rita"], amount="10")
    third = submit(people["rita"], amount="10")
    mine = {t["record_id"]: t["id"] for t in open_tasks(people["fin1"])}
    a, b, c = mine[first["id"]], mine[second["id"]], mine[third["id"]]
    peer = {t["record_id"]: t["id"] for t in open_tasks(people["fin2"])}[third["id"]]
    assert people["fin2"].post(f"/api/tasks/{peer}/approve", json={}).status_code == 200  # c is closed now

    api = people["fin1"].post("/api/tasks/approve", json={"ids": [a, a, c, 2**40]}).get_json()["results"]
    assert [(r["id"], r["ok"]) for r in api] == [(a, True), (c, False), (2**40, False)]

    token = csrf_from(html(page("fin1"), "/tasks"))
    done = page("fin1").post("/tasks/batch-approve", data={"csrf_token": token, "ids": [str(b), str(b), str(c),
                                                                                          str(2**40)]},
                             follow_redirects=True)
    assert "1 approved, 2 not possible." in done.get_data(as_text=True)
    stages = {people["rita"].get(f"{URL}/{r['id']}").get_json()["stage"] for r in (first, second, third)}
    assert stages == {"approved"}


def test_batch_approve_has_one_size_limit_on_the_page_and_in_the_api(open_tasks, submit, csrf_from, people, page):
    submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    ids = [task["id"], *range(10**9, 10**9 + 200)]  # 201 ids
    api = people["fin1"].post("/api/tasks/approve", json={"ids": ids})
    assert api.status_code == 400
    token = csrf_from(html(page("fin1"), "/tasks"))
    shown = page("fin1").post("/tasks/batch-approve", data={"csrf_token": token, "ids": [str(i) for i in ids]},
                              follow_redirects=True)
    assert "at most 200 task ids in one batch" in shown.get_data(as_text=True)
    assert [t["id"] for t in open_tasks(people["fin1"])] == [task["id"]]  # nothing was decided
