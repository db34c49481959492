"""The rating type (engine/fieldtypes/rating.py) on its own: definition, codec, reading,
cells, the list filter and the star buttons."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from wtforms import Form

from engine.definitions.loader import load_sources
from engine.errors import DefinitionError
from engine.fieldtypes import FieldError, type_of


def module(*fields: dict) -> str:
    return json.dumps({
        "module": "reviews", "title": "Reviews", "roles": [{"name": "critic", "title": "Critic"}],
        "forms": [{"name": "review", "title": "Review", "title_field": "title",
                   "fields": [{"name": "title", "type": "text", "label": "Title"}, *fields],
                   "permissions": {"critic": {"read": "all"}}}]})


def rating(**options):
    app = load_sources({"reviews.json": module({"name": "score", "type": "rating", "label": "Score", **options})})
    return app.form("review").field("score")


def problems(*fields: dict) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_sources({"reviews.json": module(*fields)})
    return [str(p) for p in caught.value.problems]


def test_five_stars_unless_the_definition_says_otherwise():
    assert rating().scale == 5
    assert rating(scale=10).scale == 10
    assert rating(scale=3, default=3).default == 3


@pytest.mark.parametrize("options, message", [
    ({"scale": 2}, "2 is less than the minimum of 3"),
    ({"scale": 11}, "11 is greater than the maximum of 10"),
    ({"scale": "5"}, '"5" is not of type \'integer\''),
    ({"default": 6}, "default 6 is outside 1 to 5"),
    ({"scale": 3, "default": 4}, "default 4 is outside 1 to 3"),
    ({"default": 0}, "0 is less than the minimum of 1"),
])
def test_a_scale_or_default_out_of_bounds_is_a_definition_problem(options, message):
    found = problems({"name": "score", "type": "rating", "label": "Score", **options})
    assert any(message in p for p in found), found


def test_scale_belongs_to_ratings_only():
    found = problems({"name": "count", "type": "integer", "label": "Count", "scale": 5})
    assert any("`scale` applies only to rating fields" in p for p in found), found


@pytest.mark.parametrize("raw, value", [(4, 4), ("4", 4), (" 5 ", 5), (4.0, 4), (1, 1)])
def test_numbers_and_their_text_decode(world, raw, value):
    field = rating()
    assert type_of(field).decode(field, raw, world) == value
    assert type_of(field).check(field, value, world) == []


@pytest.mark.parametrize("raw", [True, 4.5, "4.5", "four", "★★★★", [4], {"n": 4}, "1" * 50])
def test_anything_else_is_refused(world, raw):
    field = rating()
    with pytest.raises(FieldError, match="must be a whole number from 1 to 5"):
        type_of(field).decode(field, raw, world)


@pytest.mark.parametrize("value", [0, 6, -3, 10**9])
def test_a_number_beyond_the_stars_is_refused(world, value):
    field = rating()
    assert type_of(field).check(field, value, world) == ["must be a whole number from 1 to 5"]


def test_it_reads_as_stars_and_screen_readers_hear_the_number(refs):
    field = rating(scale=5)
    kind = type_of(field)
    assert kind.text(field, 4) == "★★★★☆ (4/5)"
    assert kind.text(field, None) == ""
    html = str(kind.html(field, 4, refs))
    assert '<span aria-hidden="true">★★★★☆</span>' in html
    assert '<span class="visually-hidden">4 of 5 stars</span>' in html
    assert str(kind.html(rating(scale=10), 10, refs)).count("★") == 10
    assert str(kind.html(field, None, refs)) == ""


def test_a_cell_is_the_number_and_reads_back(refs, world):
    field = rating()
    kind = type_of(field)
    assert kind.to_cell(field, 3, refs) == 3
    assert kind.to_cell(field, None, refs) is None
    for cell, value in ((3, 3), (3.0, 3), ("3", 3), (" 3 ", 3), ("★★★☆☆", 3), ("★★★★★", 5)):
        assert kind.decode(field, kind.from_cell(field, cell, world), world) == value, cell
    assert kind.cell_hint(field, refs) == "a whole number from 1 to 5"


def test_the_api_value_is_an_integer_within_the_scale():
    field = rating(scale=7)
    schema = type_of(field).value_schema(field)
    assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 1, 7)
    assert type_of(field).client_kind(field) == "integer"
    assert type_of(field).query_ops(field) == ("", "gte", "lte")


def test_the_list_filter_offers_at_least_one_to_scale_stars():
    field = rating(scale=3)
    assert type_of(field).filter_kind(field) == "at_least"
    assert type_of(field).filter_choices(field, SimpleNamespace()) == [("1", "★☆☆"), ("2", "★★☆"), ("3", "★★★")]


def render(field, data):
    form = type("PageForm", (Form,), {"score": type_of(field).widget(field, SimpleNamespace())})
    return str(form(data={"score": type_of(field).form_data(field, data)}).score(disabled=False))


def test_the_control_is_one_star_button_per_score():
    html = render(rating(), 4)
    assert html.count('type="radio"') == 6  # "no rating" and five stars
    assert html.count('class="btn-check"') == 6
    assert ('<input autocomplete="off" checked class="btn-check" id="score-4" name="score" type="radio" value="4">'
            in html)
    assert 'for="score-4" title="4 of 5 stars"' in html
    assert 'id="score-none"' in html and 'style=' not in html and "<script" not in html


def test_a_required_rating_offers_no_empty_choice():
    html = render(rating(), None).replace("\n", "")
    required = load_sources({"reviews.json": module(
        {"name": "score", "type": "rating", "label": "Score", "required": True})}).form("review").field("score")
    assert 'id="score-none"' in html and " checked" not in html
    assert 'id="score-none"' not in render(required, 2)
