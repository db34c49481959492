"""The rating field type end to end through HTTP, on both databases: a module defines it,
the API creates, filters and sorts by it, the list page filters by "at least", export and
import carry the number, and OpenAPI describes it as an integer from 1 to its scale."""
from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from openpyxl import load_workbook

MODULE = {
    "module": "reviews", "title": "Reviews", "roles": [{"name": "critic", "title": "Critic"}],
    "forms": [{
        "name": "review", "title": "Review", "title_field": "title",
        "fields": [
            {"name": "title", "type": "text", "label": "Title", "required": True},
            {"name": "score", "type": "rating", "label": "Score", "required": True},
            {"name": "taste", "type": "rating", "label": "Taste", "scale": 10, "default": 7},
            {"name": "double", "type": "formula", "label": "Double", "formula": "score * 2", "result": "integer"},
            {"name": "dishes", "type": "table", "label": "Dishes", "fields": [
                {"name": "dish", "type": "text", "label": "Dish"},
                {"name": "stars", "type": "rating", "label": "Stars", "scale": 3}]},
        ],
        "list": {"columns": ["title", "score", "taste"], "filters": ["score"]},
        "charts": [{"name": "by_score", "title": "By score", "type": "bar", "group_by": "score"},
                   {"name": "taste", "title": "Taste", "type": "number", "value": "avg(taste)"}],
        "permissions": {"critic": {"create": True, "read": "all", "update": "all", "delete": "all"}},
    }],
}
URL = "/api/forms/review/records"


@pytest.fixture
def app(write_module, make_app, tmp_path):
    folder = tmp_path / "reviews"
    write_module(folder, MODULE)
    return make_app(folder)


@pytest.fixture
def critic(make_user):
    return make_user("critic1", "critic")


def titles(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["fields"]["title"] for item in response.get_json()["items"]]


def test_create_keeps_the_number_and_the_default(critic):
    created = critic.create("review", title="Noodles", score=4)
    assert created["fields"]["score"] == 4
    assert created["fields"]["taste"] == 7  # the definition's default
    assert created["fields"]["double"] == 8  # formulas read it as a number
    again = critic.get(f"{URL}/{created['id']}").get_json()
    assert again["fields"]["score"] == 4 and isinstance(again["fields"]["score"], int)
    changed = critic.patch(f"{URL}/{created['id']}", json={"fields": {"score": "5"}, "version": again["version"]})
    assert changed.status_code == 200 and changed.get_json()["fields"]["score"] == 5


@pytest.mark.parametrize("score", [0, 6, -1, 2.5, "four", True, "★★★★"])
def test_a_score_outside_its_stars_is_refused(critic, score):
    response = critic.post(URL, json={"fields": {"title": "x", "score": score}})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["score"] == ["must be a whole number from 1 to 5"]


def test_each_field_has_its_own_scale(critic):
    assert critic.post(URL, json={"fields": {"title": "x", "score": 1, "taste": 10}}).status_code == 201
    refused = critic.post(URL, json={"fields": {"title": "y", "score": 1, "taste": 11}})
    assert refused.get_json()["error"]["fields"] == {"taste": ["must be a whole number from 1 to 10"]}
    missing = critic.post(URL, json={"fields": {"title": "z"}})
    assert "score" in missing.get_json()["error"]["fields"]  # required


def test_filters_and_sorting(critic):
    for title, score in (("A", 2), ("B", 5), ("C", 4), ("D", 4)):
        critic.create("review", title=title, score=score)
    assert titles(critic.get(f"{URL}?score__gte=4&order_by=title")) == ["B", "C", "D"]
    assert titles(critic.get(f"{URL}?score__lte=4&order_by=title")) == ["A", "C", "D"]
    assert titles(critic.get(f"{URL}?score=4&order_by=title")) == ["C", "D"]
    assert titles(critic.get(f"{URL}?order_by=-score,title")) == ["B", "C", "D", "A"]
    assert titles(critic.get(f"{URL}?order_by=score,title")) == ["A", "C", "D", "B"]
    refused = critic.get(f"{URL}?score__contains=4")
    assert refused.status_code == 400 and "__contains" in refused.get_json()["error"]["message"]
    assert critic.get(f"{URL}?score__gte=many").status_code == 400


def test_the_list_page_filters_by_at_least_and_shows_stars(app, critic, browser):
    for title, score in (("A", 2), ("B", 5), ("C", 4)):
        critic.create("review", title=title, score=score)
    page = browser("critic2", "critic").get("/f/review?score__gte=4&lang=en").get_data(as_text=True)
    assert '<select class="form-select form-select-sm" id="f-score" name="score__gte">' in page
    assert '<option value="4" selected>★★★★☆</option>' in page
    assert "★★★★★" in page and ">C</a>" in page and ">A</a>" not in page
    assert '<span class="visually-hidden">4 of 5 stars</span>' in page


def test_export_and_import_carry_the_number(csrf_from, app, critic, browser):
    critic.create("review", title="Kept", score=3, taste=9)
    client = browser("critic3", "critic")
    sheet = load_workbook(io.BytesIO(client.get("/f/review/export?format=xlsx&lang=en").data)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    head = rows[0]
    assert rows[1][head.index("Score")] == 3 and rows[1][head.index("Taste")] == 9  # numbers, not stars

    def upload(text: str):
        token = csrf_from(client.get("/f/review/import").get_data(as_text=True))
        return client.post("/f/review/import?lang=en", content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "r.csv")})
    refused = upload("Title,Score\nWrong,6\n")
    assert refused.status_code == 422 and "must be a whole number from 1 to 5" in refused.get_data(as_text=True)
    assert upload("Title,Score,Taste\nTyped,5,\nStars,★★☆☆☆,10\n").status_code == 200
    got = {r["fields"]["title"]: (r["fields"]["score"], r["fields"]["taste"])
           for r in critic.get(URL).get_json()["items"]}
    assert got == {"Kept": (3, 9), "Typed": (5, 7), "Stars": (2, 10)}  # a cell as shown on pages reads too


def test_charts_group_by_it_and_average_it(app, critic, browser):
    for title, score, taste in (("A", 4, 10), ("B", 4, 5), ("C", 2, 6)):
        critic.create("review", title=title, score=score, taste=taste)
    page = browser("critic4", "critic").get("/dashboard?inline=1&lang=en").get_data(as_text=True)
    charts = {c["name"]: dict(zip(c["labels"], c["values"], strict=True))
              for c in map(json.loads, map(unescape, re.findall(r'data-chart="([^"]+)"', page)))}
    assert charts["by_score"] == {"★★★★☆ (4/5)": 2, "★★☆☆☆ (2/5)": 1}
    assert re.search(r'data-chart-card="taste">.*?data-testid="figure">7.00<', page, re.S)


def test_a_rating_column_in_a_table(critic, browser):
    created = critic.create("review", title="Set menu", score=5, dishes=[{"dish": "soup", "stars": 3}])
    assert created["fields"]["dishes"][0]["stars"] == 3
    refused = critic.post(URL, json={"fields": {"title": "x", "score": 1, "dishes": [{"dish": "tea", "stars": 4}]}})
    assert refused.get_json()["error"]["fields"] == {"dishes.0.stars": ["must be a whole number from 1 to 3"]}
    page = browser("critic5", "critic").get(f"/f/review/{created['id']}/edit?lang=en").get_data(as_text=True)
    assert 'checked class="btn-check" id="dishes-0-stars-3" name="dishes-0-stars"' in page
    assert '<td data-column="stars" data-kind="integer"' in page


def test_openapi_describes_the_value(critic):
    spec = critic.get("/api/openapi.json").get_json()
    fields = spec["components"]["schemas"]["review.input"]["properties"]
    assert fields["score"]["type"] == "integer"
    assert (fields["score"]["minimum"], fields["score"]["maximum"]) == (1, 5)
    assert fields["taste"]["maximum"] == 10
    params = {p["name"]: p["schema"] for p in spec["paths"][URL]["get"]["parameters"]}
    assert params["score__gte"]["type"] == "integer"
    assert "score__lte" in params and "score__contains" not in params
