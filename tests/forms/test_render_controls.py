"""engine/forms/render.py writes the create/edit page's controls without WTForms's call chain:
what it writes must be what the WTForms widget writes, byte for byte, for every control of
every shipped form (and of a form with every field type), with values to escape, selected
options, checked boxes, errors and disabled controls; and the page still shows labels,
required marks, errors, help, hidden and read-only fields."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms.widgets import Select, TextInput

from engine.definitions.loader import load_directory, load_sources
from engine.fieldtypes.controls import SelectChoice
from engine.forms.builder import build_form_class, clear_form_classes
from engine.forms.render import field_errors, html_attrs, render_control, render_field

ROOT = Path(__file__).resolve().parents[2]
TRICKY = 'a "quoted" <b>&amp; 客户\'s'


@pytest.fixture
def flask_request():
    flask = Flask(__name__)
    flask.config["SECRET_KEY"] = "test"
    Babel(flask)
    with flask.test_request_context("/"):
        yield


def widgets():
    people = [SimpleNamespace(name="zhang", label='张 "三"', roles={"sales"}),
              SimpleNamespace(name="li", label="李四", roles={"sales"})]
    return SimpleNamespace(users=lambda role: people, title_of=lambda form: None)


def all_types_app():
    fields = [{"name": "t", "type": "text", "label": "T", "required": True, "placeholder": TRICKY, "unique": True},
              {"name": "n", "type": "textarea", "label": "N"},
              {"name": "i", "type": "integer", "label": "I", "min": 1, "max": 9},
              {"name": "d", "type": "decimal", "label": "D"},
              {"name": "b", "type": "boolean", "label": "B"},
              {"name": "day", "type": "date", "label": "Day"},
              {"name": "at", "type": "datetime", "label": "At"},
              {"name": "e", "type": "email", "label": "E"},
              {"name": "s", "type": "select", "label": "S", "options": ["x", TRICKY, "张"]},
              {"name": "m", "type": "multiselect", "label": "M", "options": ["x", "y"]},
              {"name": "u", "type": "user", "label": "U"},
              {"name": "r", "type": "rating", "label": "R"},
              {"name": "rows", "type": "table", "label": "Rows",
               "fields": [{"name": "q", "type": "integer", "label": "Q", "required": True},
                          {"name": "c", "type": "select", "label": "C", "options": ["a", "b"]}]}]
    return load_sources({"all.json": json.dumps({
        "module": "all", "title": "All", "roles": [{"name": "sales", "title": "Sales"}],
        "forms": [{"name": "thing", "title": "Thing", "title_field": "t", "fields": fields,
                   "permissions": {"sales": {"read": "all"}}}]})})


def forms():
    for app in (load_directory(ROOT / "configs"), all_types_app()):
        yield from app.forms.values()


def controls(wtform, form):
    """(bound field, its FieldDef) of every control, table cells included."""
    for fdef in form.fields:
        field = wtform[fdef.name]
        if fdef.is_table:
            for entry in field.entries:
                for sub in fdef.fields:
                    yield entry.form[sub.name], sub
        else:
            yield field, fdef


def formdata(form):
    data = MultiDict()
    for fdef in form.fields:
        if fdef.is_table:
            for row in range(2):
                for sub in fdef.fields:
                    data.add(f"{fdef.name}-{row}-{sub.name}", "a" if row else TRICKY)
        else:
            for value in ("x", TRICKY, "y") if fdef.type == "multiselect" else ("y",) if fdef.type == "boolean" \
                    else (TRICKY,):
                data.add(fdef.name, value)
    return data


@pytest.mark.parametrize("submitted", [False, True])
def test_every_control_is_written_as_wtforms_writes_it(flask_request, submitted):
    clear_form_classes()
    checked = 0
    for form in forms():
        cls = build_form_class(form, [f.name for f in form.fields], widgets())
        wtform = cls(formdata=formdata(form) if submitted else None, meta={"csrf": False})
        for field, fdef in controls(wtform, form):
            if submitted:
                field.errors = ["bad <value>", TRICKY]
                if hasattr(field, "choices") and field.choices is not None and not callable(field.choices):
                    field.choices = [*field.choices, SelectChoice(TRICKY, TRICKY)]
            for editable in (True, False):
                base = (field.render_kw or {}).get("class", "")
                expected = field(**{"class": base + (" is-invalid" if field.errors else ""),
                                    "disabled": not editable or not fdef.field_type.input})
                assert str(render_control(field, fdef, editable)) == str(expected), (form.name, fdef.name)
            assert str(render_field(field, class_="d-none", disabled=True)) == str(field(class_="d-none",
                                                                                          disabled=True))
            checked += 1
    assert checked > 60


def test_the_fast_writers_are_the_ones_used(flask_request):
    """The cheap path is taken for the common widgets (else this file tests nothing)."""
    form = all_types_app().form("thing")
    wtform = build_form_class(form, [f.name for f in form.fields], widgets())(formdata=None, meta={"csrf": False})
    assert type(wtform.t.widget) is TextInput and type(wtform.s.widget) is Select
    assert html_attrs({"class_": "x", "data_a_b": 'q"', "checked": True, "off": False, "n": 3}) == \
        'checked class="x" data-a-b="q&#34;" n="3"'


def test_field_errors_are_escaped_one_per_line(flask_request):
    field = SimpleNamespace(errors=["must be <5>", "二"])
    assert str(field_errors(field)) == ('<div class="invalid-feedback d-block">must be &lt;5&gt;</div>'
                                        '<div class="invalid-feedback d-block">二</div>')
    assert str(field_errors(SimpleNamespace(errors=()))) == ""


def test_the_page_shows_labels_marks_errors_help_and_read_only_values(flask_request):
    """The record form template with the rendering helpers: required marks, help, the errors
    after a refused save, a read-only field as text with its hidden control, a table's cells."""
    flask = Flask("engine.ui", template_folder=str(ROOT / "engine" / "ui" / "templates"))
    flask.jinja_env.globals.update(render_control=render_control, render_field=render_field, field_errors=field_errors,
                                   field_type=lambda f: f.field_type, _=lambda s, **k: s,
                                   display_value=lambda f, v: f"shown:{v}", readonly=())
    Babel(flask)
    form = all_types_app().form("thing")
    for f in form.fields:
        if f.name == "i":
            object.__setattr__(f, "help", "一到九")
    wtform = build_form_class(form, [f.name for f in form.fields], widgets())(
        formdata=formdata(form), meta={"csrf": False})
    wtform.t.errors = ["已被使用"]
    wtform.rows.entries[0].form.q.errors = ["must be a whole number"]
    with flask.test_request_context("/"):
        template = flask.jinja_env.from_string(
            '{% from "records/_fields.html" import field_block with context %}'
            '{% for fdef in form.fields %}{{ field_block(wtform[fdef.name], fdef, fdef.name != "day", none) }}'
            '{% endfor %}')
        html = template.render(form=form, wtform=wtform)
    label_t = re.search(r'<label class="form-label" for="t">T <span class="text-danger" aria-hidden="true">\*</span>'
                        r"</label>", html)
    assert label_t, html[:2000]
    assert '<label class="form-label" for="n">N</label>' in html  # not required: no mark
    assert 'class="form-control is-invalid"' in html and '<div class="invalid-feedback d-block">已被使用</div>' in html
    assert '<div class="form-text">一到九</div>' in html
    assert 'data-readonly-value="day">' in html and re.search(r'<input class="d-none" data-field="day" disabled', html)
    assert "must be a whole number</div>" in html
    assert '<th scope="col" class="text-nowrap">Q <span class="text-danger">*</span></th>' in html
    assert '<template data-row-template="rows">' in html
    assert "&#34;quoted&#34; &lt;b&gt;&amp;amp;" in html  # the submitted value, escaped once
