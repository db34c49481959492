"""The form class cache of engine.forms.builder: a class is reused only for the same FormDef
object, fields shown, language and widget answers, so a definition reload, a permission
change (other fields shown) or a change of users never serves a stale class."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from flask import Flask
from wtforms import Form

from engine.definitions.loader import load_sources
from engine.forms.builder import build_form_class, clear_form_classes
from engine.i18n import speaking


@pytest.fixture
def flask_request():
    """FlaskForm wants an application (its CSRF settings); these forms are made without CSRF."""
    flask = Flask(__name__)
    flask.config["SECRET_KEY"] = "test"
    with flask.app_context():
        yield


def app(label: str = "Title"):
    return load_sources({"reviews.json": json.dumps({
        "module": "reviews", "title": "Reviews", "roles": [{"name": "critic", "title": "Critic"}],
        "forms": [{"name": "review", "title": "Review", "title_field": "title",
                   "fields": [{"name": "title", "type": "text", "label": label},
                              {"name": "owner", "type": "user", "label": "Owner"},
                              {"name": "note", "type": "text", "label": "Note"}],
                   "permissions": {"critic": {"read": "all"}}}]})})


def widgets(*names: str):
    people = [SimpleNamespace(name=n, label=n.title(), roles={"critic"}) for n in names]
    return SimpleNamespace(users=lambda role: people, title_of=lambda form: None)


def choices(cls) -> list[str]:
    return [c.value for c in cls(formdata=None, meta={"csrf": False}).owner.choices]


def test_the_same_form_shown_alike_reuses_its_class(flask_request):
    clear_form_classes()
    form = app().form("review")
    first = build_form_class(form, ["title", "owner", "note"], widgets("ann"))
    assert build_form_class(form, ["title", "owner", "note"], widgets("ann")) is first
    assert issubclass(first, Form)


def test_a_definition_change_builds_a_new_class(flask_request):
    clear_form_classes()
    before = build_form_class(app("Title").form("review"), ["title", "owner"], widgets("ann"))
    after = build_form_class(app("Headline").form("review"), ["title", "owner"], widgets("ann"))
    assert after is not before
    assert str(after(formdata=None, meta={"csrf": False}).title.label.text) == "Headline"


def test_a_permission_change_follows_the_fields_shown(flask_request):
    clear_form_classes()
    form = app().form("review")
    everything = build_form_class(form, ["title", "owner", "note"], widgets("ann"))
    hidden = build_form_class(form, ["title", "owner"], widgets("ann"))
    assert hidden is not everything and "note" not in hidden.field_defs and not hasattr(hidden, "note")
    assert "note" in build_form_class(form, ["title", "owner", "note"], widgets("ann")).field_defs


def test_users_added_or_renamed_are_offered(flask_request):
    clear_form_classes()
    form = app().form("review")
    assert choices(build_form_class(form, ["owner"], widgets("ann"))) == ["", "ann"]
    assert choices(build_form_class(form, ["owner"], widgets("ann", "bob"))) == ["", "ann", "bob"]
    renamed = SimpleNamespace(users=lambda role: [SimpleNamespace(name="ann", label="Annie", roles=set())],
                              title_of=lambda form: None)
    cls = build_form_class(form, ["owner"], renamed)
    assert [str(c.label) for c in cls(formdata=None, meta={"csrf": False}).owner.choices][1] == "Annie (ann)"


def test_each_language_gets_its_own_class(flask_request):
    clear_form_classes()
    form = load_sources({"r.json": json.dumps({
        "module": "r", "title": "R", "roles": [{"name": "critic", "title": "Critic"}],
        "forms": [{"name": "review", "title": "Review", "title_field": "title",
                   "fields": [{"name": "title", "type": "text", "label": {"zh-CN": "标题", "en": "Title"}}],
                   "permissions": {"critic": {"read": "all"}}}]})}).form("review")
    assert form is not None
    with speaking("en"):
        english = build_form_class(form, ["title"], widgets())
        assert str(english(formdata=None, meta={"csrf": False}).title.label.text) == "Title"
    with speaking("zh_CN"):
        chinese = build_form_class(form, ["title"], widgets())
        assert str(chinese(formdata=None, meta={"csrf": False}).title.label.text) == "标题"
    assert english is not chinese
