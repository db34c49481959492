"""Ask, don't fail on the pages (issue #14, point 3): the ask form as a page without scripts
(GET/POST /f/{form}/{id}/do/{name}, /tasks/{id}/do/{action}), the dialog's partial form and JSON
answers, and the board's moves (GET /f/{form}/{id}/moves?to=STAGE)."""
from __future__ import annotations

import re

import pytest

from tests.workflows.parcels import URL, cast_of, module


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "parcels"
    write_module(folder, module())
    return make_app(folder)


@pytest.fixture
def cast(app):
    return cast_of(app)


@pytest.fixture
def page(app, cast, login):
    def open_as(name):
        client = app.test_client()
        assert login(client, name, f"{name}-password").status_code == 302
        return client
    return open_as


def csrf(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def packed(cast):
    record = cast["cleo"].create("parcel", subject="Books")
    assert cast["cleo"].post(f"{URL}/{record['id']}/transitions/pack", json={}).status_code == 200
    return cast["cleo"].get(f"{URL}/{record['id']}").get_json()


def test_the_record_page_marks_the_buttons_that_ask(cast, page):
    record = packed(cast)
    html = page("sam").get(f"/f/parcel/{record['id']}").get_data(as_text=True)
    ship = re.search(r'<button[^>]*data-transition="ship"[^>]*>', html).group(0)
    assert f'data-ask="/f/parcel/{record["id"]}/do/ship"' in ship
    assert "js/ask.js" in html
    cancel = re.search(r'<button[^>]*data-transition="cancel"[^>]*>', html).group(0)
    assert "data-ask-unless-comment" in cancel  # a comment typed on the page goes straight on
    assert "data-ask-unless-comment" not in ship


def test_ask_page_without_scripts_errors_next_to_the_field_then_success(cast, page):
    record = packed(cast)
    sam = page("sam")
    url = f"/f/parcel/{record['id']}/do/ship"
    html = sam.get(url).get_data(as_text=True)
    assert 'data-testid="ask-page"' in html
    assert 'name="carrier"' in html and 'name="tracking"' in html
    assert 'name="note"' not in html and 'name="cost"' not in html
    preview = re.search(r'data-testid="route-preview".*?</div>', html, re.S).group(0)  # where it goes next
    assert "Payment" in preview
    # the record page's form posts without the asked fields: the ask form is shown, the comment kept
    shown = sam.post(url, data={"csrf_token": csrf(html), "version": record["version"], "comment": "careful"})
    assert shown.status_code == 200 and "careful</textarea>" in shown.get_data(as_text=True)
    bad = sam.post(url, data={"csrf_token": csrf(html), "asked": "1", "version": record["version"],
                              "carrier": "sf", "tracking": "", "comment": "careful"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422
    block = re.search(r'data-field-block="tracking".*?</div>\s*</div>', body, re.S).group(0)
    assert "invalid-feedback" in block
    assert re.search(r'<option[^>]*selected[^>]*value="sf"|<option[^>]*value="sf"[^>]*selected', body)
    assert "careful</textarea>" in body
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "packed"
    done = sam.post(url, data={"csrf_token": csrf(html), "asked": "1", "version": record["version"],
                               "carrier": "sf", "tracking": "SF1", "comment": "careful"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/f/parcel/{record['id']}")
    after = cast["cleo"].get(f"{URL}/{record['id']}").get_json()
    assert after["stage"] == "check" and after["fields"]["tracking"] == "SF1"


def test_the_dialog_gets_the_form_alone_and_json_when_done(cast, page):
    record = packed(cast)
    sam = page("sam")
    url = f"/f/parcel/{record['id']}/do/ship"
    partial = sam.get(url + "?partial=1").get_data(as_text=True)
    assert partial.lstrip().startswith("<form") and "<html" not in partial
    headers = {"X-Ask": "1"}
    bad = sam.post(url, headers=headers, data={"csrf_token": csrf(partial), "asked": "1", "carrier": "sf"})
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith("<form")
    stale = sam.post(url, headers=headers, data={"csrf_token": csrf(partial), "asked": "1", "version": "1",
                                                 "carrier": "sf", "tracking": "1"})
    assert stale.status_code == 409 and 'data-testid="ask-errors"' in stale.get_data(as_text=True)
    done = sam.post(url, headers=headers, data={"csrf_token": csrf(partial), "asked": "1",
                                                "version": record["version"], "carrier": "sf", "tracking": "1"})
    assert done.status_code == 200 and done.get_json()["ok"] is True and done.get_json()["stage"] == "check"
    assert done.get_json()["version"] == record["version"] + 1  # the board's card takes it for its next move


def test_nothing_to_ask_answers_204_to_a_probe(cast, page):
    record = packed(cast)
    assert page("cleo").get(f"/f/parcel/{record['id']}/do/unpack?probe=1&partial=1").status_code == 204
    assert page("sam").get(f"/f/parcel/{record['id']}/do/ship?probe=1&partial=1").status_code == 200


def test_a_transition_the_user_may_not_fire_is_refused_with_the_reason(cast, page):
    record = packed(cast)
    answer = page("cleo").get(f"/f/parcel/{record['id']}/do/ship?partial=1&lang=en")
    assert answer.status_code == 409 and "Ship" in answer.get_json()["message"] and answer.get_json()["ok"] is False


def test_task_approve_asks_for_the_step_fields(cast, page):
    record = packed(cast)
    cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={"fields": {"carrier": "sf", "tracking": "1"}})
    task = cast["pat"].get("/api/tasks").get_json()[0]
    pat = page("pat")
    url = f"/tasks/{task['id']}/do/approve"
    html = pat.get(url).get_data(as_text=True)
    assert 'name="terms"' in html
    # the inline approve posts without the fields: the form is shown instead of a failure
    asked = pat.post(url, data={"csrf_token": csrf(html), "next": f"/f/parcel/{record['id']}"})
    assert asked.status_code == 200 and 'name="terms"' in asked.get_data(as_text=True)
    done = pat.post(url, data={"csrf_token": csrf(html), "asked": "1", "terms": "cash",
                               "next": f"/f/parcel/{record['id']}"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/f/parcel/{record['id']}")
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["fields"]["terms"] == "cash"


def test_task_reject_asks_for_the_comment(cast, page):
    record = packed(cast)
    cast["sam"].post(f"{URL}/{record['id']}/transitions/ship", json={"fields": {"carrier": "sf", "tracking": "1"}})
    task = cast["pat"].get("/api/tasks").get_json()[0]
    pat = page("pat")
    url = f"/tasks/{task['id']}/do/reject"
    html = pat.get(url).get_data(as_text=True)
    assert 'name="comment"' in html and "required" in html
    missing = pat.post(url, data={"csrf_token": csrf(html), "asked": "1", "comment": ""})
    assert missing.status_code == 422
    done = pat.post(url, data={"csrf_token": csrf(html), "asked": "1", "comment": "not paid"})
    assert done.status_code == 302
    assert cast["cleo"].get(f"{URL}/{record['id']}").get_json()["stage"] == "packed"


def test_moves_name_the_transitions_to_a_stage_or_why_not(cast, page):
    record = cast["cleo"].create("parcel", subject="Books")
    cleo, sam = page("cleo"), page("sam")
    moves = f"/f/parcel/{record['id']}/moves"
    answer = cleo.get(f"{moves}?to=packed").get_json()
    assert [(c["name"], c["ask"], c["url"]) for c in answer["choices"]] == [
        ("pack", False, f"/f/parcel/{record['id']}/do/pack")]
    assert "No action moves" in cleo.get(f"{moves}?to=shipped&lang=en").get_json()["refused"]
    assert "You may not do 'Pack'" in sam.get(f"{moves}?to=packed&lang=en").get_json()["refused"]
    cast["cleo"].post(f"{URL}/{record['id']}/transitions/pack", json={})
    assert [c["name"] for c in sam.get(f"{moves}?to=check").get_json()["choices"]] == ["ship"]
    assert sam.get(f"{moves}?to=check").get_json()["choices"][0]["ask"] is True
    assert cleo.get(f"{moves}?to=nowhere").status_code == 404


def test_board_cards_carry_what_the_drag_needs(cast, page):
    record = packed(cast)
    html = page("sam").get("/f/parcel?view=board").get_data(as_text=True)
    assert "data-board " in html and 'data-moves-url="/f/parcel/0/moves"' in html
    assert f'data-record-id="{record["id"]}" data-stage="packed"' in html
    assert "js/board.js" in html
