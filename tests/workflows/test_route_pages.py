"""The route and send back anywhere on the record page: the route panel, the preview next to a
transition that starts an approval, the 回退 choice of targets (default the previous step) and
a send back to the submitter posted from the page."""
from __future__ import annotations

import re

from tests.workflows.conftest import URL


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def options(page_html, task_id):
    form = page_html.split(f'data-testid="task-{task_id}"', 1)[1].split("</form>", 1)[0]
    select = form.split('name="send_back_to"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)


def test_the_route_panel_marks_the_current_stage_and_the_steps(open_tasks, submit, people, page):
    body = submit(people["rita"], amount="2000")
    shown = html(page("rita"), f"/f/request/{body['id']}")
    route = shown.split('data-testid="route"', 1)[1].split("</ol>\n</div>", 1)[0]
    assert re.findall(r'data-stage="(\w+)"', route) == ["draft", "review", "approved", "ordered", "cancelled", "done"]
    assert re.search(r'is-current" data-stage="review" aria-current="step"', route)
    assert re.findall(r'data-step="(\w+)" data-status="(\w+)"', route) == [
        ("finance", "current"), ("manager", "waiting"), ("gm", "skipped")]
    assert re.findall(r'data-applies="(\w+)"', route) == ["true", "false"]
    assert "amount &gt;= 1000" in route and "等待" in route  # the page speaks Chinese by default


def test_the_preview_names_the_steps_next_to_the_transition(people, page):
    record = people["rita"].create("request", subject="Desk", amount="2000")
    shown = html(page("rita"), f"/f/request/{record['id']}")
    preview = shown.split('data-transition-preview="submit"', 1)[1].split("</div>\n", 2)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", "".join(preview[:2])))
    assert "Submit后将流转至：" in text and "Finance check" in text and "Manager" in text
    assert "GM" not in text  # does not apply to 2000
    # a space between the lead text and the first step ("it goes to: Finance check", not "to:Finance")
    assert re.search(r'</span>\s+<span class="route-preview-step">', preview[0] + preview[1])


def test_send_back_offers_the_earlier_steps_and_the_submitter(open_tasks, submit, people, page):
    body = submit(people["rita"], amount="9000")
    open_tasks(people["fin1"])  # finance, manager, gm
    for person in ("fin1", "boss"):
        people[person].post(f"/api/tasks/{open_tasks(people[person])[0]['id']}/approve", json={})
    task = open_tasks(people["gm"])[0]
    shown = html(page("gm"), f"/f/request/{body['id']}")
    assert options(shown, task["id"]) == [("finance", "", "Finance check"), ("manager", " selected", "Manager"),
                                          ("$submitter", "", "提交人（rita）")]


def test_sending_back_to_the_submitter_from_the_page(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="2000")
    people["fin1"].post(f"/api/tasks/{open_tasks(people['fin1'])[0]['id']}/approve", json={})
    task = open_tasks(people["boss"])[0]
    detail = f"/f/request/{body['id']}"
    refused = post(page("boss"), f"/tasks/{task['id']}/send_back", detail, send_back_to="gm", next=detail,
                   to="fin1")
    assert "回退到: GM 不是本次审批中之前的步骤" in refused.get_data(as_text=True)
    shown = post(page("boss"), f"/tasks/{task['id']}/send_back", detail, send_back_to="$submitter", next=detail,
                 to="fin1", comment="start over")  # the hand-on choice is not the send back's
    assert "已回退。" in shown.get_data(as_text=True)
    assert people["rita"].get(f"{URL}/{body['id']}").get_json()["stage"] == "draft"
    history = html(page("rita"), detail).split('data-testid="history"', 1)[1]
    assert re.search(r"回退 · Manager → <strong>提交人</strong>", history), history


def test_with_no_step_applying_the_preview_says_approved_at_once(build, login):
    app, cast = build([{"name": "check", "title": "Check", "approvers": [{"role": "checker"}],
                        "when": "subject == 'Big trip'"}])
    claim = cast["cat"].create("claim", subject="Trip")
    client = app.test_client()
    assert login(client, "cat", "cat-password").status_code == 302
    shown = html(client, f"/f/claim/{claim['id']}")
    preview = shown.split('data-transition-preview="submit"', 1)[1].split("</div>\n", 1)[0]
    assert "没有适用的审批步骤：将直接通过" in preview and "Check" not in preview
    big = cast["cat"].create("claim", subject="Big trip")
    preview = html(client, f"/f/claim/{big['id']}").split('data-transition-preview="submit"', 1)[1]
    assert "Check" in preview.split("</div>\n", 1)[0]


def test_the_route_shows_the_latest_run_and_the_earlier_runs_are_listed_apart(open_tasks, submit, people, page):
    """No who-acted twice: the route has the current run, "earlier approvals" only the runs before it."""
    body = submit(people["rita"], amount="10")
    [task] = open_tasks(people["fin1"])
    sent = people["fin1"].post(f"/api/tasks/{task['id']}/send_back", json={"comment": "Quote missing"})
    assert sent.status_code == 200
    first = html(page("rita"), f"/f/request/{body['id']}")
    assert 'data-testid="route"' in first and 'data-testid="approval-progress"' not in first
    assert "Quote missing" in first.split('data-testid="route"', 1)[1].split("</ol>\n</div>", 1)[0]
    again = people["rita"].post(f"{URL}/{body['id']}/transitions/submit", json={})
    assert again.status_code == 200, again.get_json()
    shown = html(page("rita"), f"/f/request/{body['id']}")
    route = shown.split('data-testid="route"', 1)[1].split("</ol>\n</div>", 1)[0]
    earlier = shown.split('data-testid="approval-progress"', 1)[1].split("</ol>\n    </div>\n    \n  </div>", 1)[0]
    assert "Quote missing" not in route and re.findall(r'data-step="(\w+)" data-status="(\w+)"', route)[0] == (
        "finance", "current")
    assert "Quote missing" in earlier and earlier.count('class="list-group-item') == 1  # the first run only
