"""Workflow on the generated pages: transition buttons, task actions on the record and in
the inbox, withdraw, comments, approval progress and the history timeline."""
from __future__ import annotations

import re

from tests.workflows.conftest import URL


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def stage(people, record_id):
    return people["rita"].get(f"{URL}/{record_id}").get_json()["stage"]


def buttons(page_html):
    return re.findall(r'data-transition="([^"]+)"', page_html)


def test_detail_page_offers_only_what_the_user_may_fire_now(people, page):
    record = people["rita"].create("request", subject="Chairs", amount="10")
    detail = f"/f/request/{record['id']}"
    assert buttons(html(page("rita"), detail)) == ["submit"]  # $owner
    assert buttons(html(page("buyer"), f"/f/request/{record['id']}")) == []  # may read, may not fire


def test_firing_from_the_page_moves_the_record_and_shows_progress(post, people, page):
    record = people["rita"].create("request", subject="Chairs", amount="10")
    detail = f"/f/request/{record['id']}"
    shown = post(page("rita"), f"/f/request/{record['id']}/do/submit", detail, version=record["version"])
    assert shown.status_code == 200 and stage(people, record["id"]) == "review"
    body = shown.get_data(as_text=True)
    assert 'data-testid="route"' in body and 'data-testid="approval-progress"' not in body and "Finance check" in body
    assert 'data-testid="withdraw"' in body  # the submitter, before anyone acted


def test_stale_version_on_the_page_is_refused_and_changes_nothing(post, people, page):
    record = people["rita"].create("request", subject="Chairs", amount="10")
    people["rita"].patch(f"{URL}/{record['id']}", json={"version": 1, "fields": {"amount": "12"}})
    shown = post(page("rita"), f"/f/request/{record['id']}/do/submit", f"/f/request/{record['id']}", version=1)
    assert "alert-danger" in shown.get_data(as_text=True)
    assert stage(people, record["id"]) == "draft"


def test_approver_acts_from_the_record_page(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="10")
    detail = f"/f/request/{body['id']}"
    fin1 = page("fin1")
    shown = html(fin1, detail)
    task = open_tasks(people["fin1"])[0]
    assert f'data-testid="task-{task["id"]}"' in shown
    post(fin1, f"/tasks/{task['id']}/approve", detail, comment="ok", next=detail)
    assert stage(people, body["id"]) == "approved"
    after = html(fin1, detail)
    assert f'data-testid="task-{task["id"]}"' not in after and "“ok”" in after


def test_reject_without_a_comment_is_refused_on_the_page(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="10")
    detail = f"/f/request/{body['id']}"
    task = open_tasks(people["fin1"])[0]
    shown = post(page("fin1"), f"/tasks/{task['id']}/reject", detail, comment="", next=detail)
    assert "alert-danger" in shown.get_data(as_text=True)
    assert stage(people, body["id"]) == "review" and open_tasks(people["fin1"])[0]["id"] == task["id"]
    post(page("fin1"), f"/tasks/{task['id']}/reject", detail, comment="too dear", next=detail)
    assert stage(people, body["id"]) == "draft"  # the flow's rejected stage


def test_hand_on_from_the_page(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="10")
    task = open_tasks(people["fin1"])[0]
    post(page("fin1"), f"/tasks/{task['id']}/reassign", "/tasks", to="gm", next="/tasks")
    assert [t["record_id"] for t in open_tasks(people["gm"])] == [body["id"]]
    assert task["id"] not in [t["id"] for t in open_tasks(people["fin1"])]


def test_inbox_tabs_and_batch_approve(open_tasks, submit, csrf_from, people, page):
    first = submit(people["rita"], amount="10")
    second = submit(people["rita"], amount="20")
    inbox = html(page("fin1"), "/tasks")
    assert inbox.count('name="ids"') == 2 and 'data-testid="batch-approve"' in inbox
    assert re.search(r'data-testid="nav-tasks">[^<]*<span class="badge[^"]*">2<', inbox)
    ids = [t["id"] for t in open_tasks(people["fin1"])]
    token = csrf_from(inbox)
    done = page("fin1").post("/tasks/batch-approve", data={"csrf_token": token, "ids": [str(i) for i in ids]},
                             follow_redirects=True)
    assert "alert-success" in done.get_data(as_text=True)
    assert {stage(people, first["id"]), stage(people, second["id"])} == {"approved"}
    decided = html(page("fin1"), "/tasks?tab=done")
    assert decided.count("Chairs") + decided.count("Laptops") == 2


def test_copied_to_me_tab_lists_cc(open_tasks, submit, people, page):
    body = submit(people["rita"], amount="2000")  # the manager step copies the buyers
    task = open_tasks(people["fin1"])[0]
    people["fin1"].post(f"/api/tasks/{task['id']}/approve", json={})
    cc = html(page("buyer"), "/tasks?tab=cc")
    assert f'/f/request/{body["id"]}' in cc


def test_withdraw_from_the_page(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="10")
    detail = f"/f/request/{body['id']}"
    post(page("rita"), f"/f/request/{body['id']}/withdraw", detail)
    assert stage(people, body["id"]) == "draft"
    assert open_tasks(people["fin1"]) == []


def test_comment_required_transition_asks_for_the_comment(post, people, page):
    record = people["rita"].create("request", subject="Chairs", amount="10")
    detail = f"/f/request/{record['id']}"
    assert "cancel" in buttons(html(page("boss"), detail))
    asked = post(page("boss"), f"/f/request/{record['id']}/do/cancel", detail, comment="  ")
    body = asked.get_data(as_text=True)  # the ask form, for the comment, instead of a failure
    assert 'data-testid="ask-page"' in body and 'name="comment"' in body and stage(people, record["id"]) == "draft"
    refused = post(page("boss"), f"/f/request/{record['id']}/do/cancel", detail, comment="  ", asked="1")
    assert refused.status_code == 422 and stage(people, record["id"]) == "draft"
    assert "invalid-feedback" in refused.get_data(as_text=True)
    post(page("boss"), f"/f/request/{record['id']}/do/cancel", detail, comment="not needed")
    assert stage(people, record["id"]) == "cancelled"
    shown = html(page("boss"), detail)
    assert buttons(shown) == [] and "“not needed”" in shown


def test_comments_join_the_history(post, people, page):
    record = people["rita"].create("request", subject="Chairs", amount="10")
    detail = f"/f/request/{record['id']}"
    post(page("rita"), f"/f/request/{record['id']}/comment", detail, comment="请尽快处理")
    history = people["rita"].get(f"{URL}/{record['id']}/history").get_json()
    assert history[-1]["action"] == "comment" and history[-1]["comment"] == "请尽快处理"
    assert 'data-action="comment"' in html(page("rita"), detail)
    empty = people["rita"].post(f"{URL}/{record['id']}/comments", json={"comment": " "})
    assert empty.status_code == 422 and "comment" in empty.get_json()["error"]["fields"]
    assert people["buyer"].post(f"{URL}/{record['id']}/comments", json={"comment": "x"}).status_code == 201


def test_comment_on_an_unreadable_record_is_404(people, make_user):
    record = people["rita"].create("request", subject="Chairs", amount="10")
    stranger = make_user("stranger")
    assert stranger.post(f"{URL}/{record['id']}/comments", json={"comment": "x"}).status_code in (403, 404)


def test_a_step_without_approver_reaches_the_admins(open_tasks, post, people, page, app, make_user):
    from tests.conftest import ApiClient

    with app.extensions["engine"].db.transaction() as session:
        from engine.auth.users import create_user, issue_token

        solo = ApiClient(app, issue_token(session, create_user(session, "solo", "solo-password", {"requester"})),
                         "solo")
    record = solo.create("request", subject="big", amount="3000")
    solo.post(f"{URL}/{record['id']}/transitions/submit", json={})
    task = open_tasks(people["fin1"])[0]
    refused = people["fin1"].post(f"/api/tasks/{task['id']}/approve", json={})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "no_approver"

    root = make_user("root", "admin")
    assert people["fin1"].get("/api/admin/incidents").status_code == 403
    listed = root.get("/api/admin/incidents").get_json()
    assert len(listed) == 1 and listed[0]["record_id"] == record["id"] and listed[0]["resolved_at"] is None

    admin_page = page("root")
    home = html(admin_page, "/")
    assert 'data-testid="incident-badge">1<' in home and 'data-testid="home-problems"' in home
    post(admin_page, f"/admin/incidents/{listed[0]['id']}/resolve", "/admin/incidents")
    assert root.get("/api/admin/incidents").get_json() == []
    assert root.get("/api/admin/incidents?status=all").get_json()[0]["resolved_at"] is not None
    assert 'data-testid="incident-badge"' not in html(admin_page, "/")


def test_home_lists_my_open_tasks(submit, people, page):
    submit(people["rita"], amount="10")
    home = html(page("fin1"), "/")
    assert 'data-testid="home-tasks"' in home and "Laptops" in home and "Finance check" in home
