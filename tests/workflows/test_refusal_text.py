"""A refused action says which field is wrong, by its label, in the user's language
(never "validation failed: 必填")."""
from __future__ import annotations

import html as markup


def flashed(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


def test_reject_without_comment_names_the_comment_in_chinese(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="10")
    detail = f"/f/request/{body['id']}"
    task = open_tasks(people["fin1"])[0]
    text = flashed(post(page("fin1"), f"/tasks/{task['id']}/reject", detail, comment="", next=detail))
    assert "意见: 必填" in text
    assert "validation failed" not in text


def test_reject_without_comment_names_the_comment_in_english(open_tasks, submit, post, people, page):
    body = submit(people["rita"], amount="10")
    detail = f"/f/request/{body['id']}"
    task = open_tasks(people["fin1"])[0]
    client = page("fin1")
    client.get("/?lang=en")
    text = flashed(post(client, f"/tasks/{task['id']}/reject", detail, comment="", next=detail))
    assert "Comment: required" in text
    assert "validation failed" not in text
