"""The field-type contract: every registered type (and a type made up here) implements every
hook the docstring of engine/fieldtypes/base.py names, and the hooks agree with each other on
the type's own `samples`: decode/encode round-trip, the value schema accepts what encode
gives, the widget is an unbound WTForms field that renders the sample, text is text, a
spreadsheet cell reads back as the value, and the browser is told a kind it knows."""
from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any, ClassVar

import jsonschema
import pytest
from markupsafe import Markup
from sqlalchemy import Text
from wtforms import Form
from wtforms.fields.core import UnboundField

from engine.definitions.builder import Builder
from engine.definitions.model import FieldDef
from engine.definitions.schema import module_schema
from engine.fieldtypes import CLIENT_KINDS, REGISTRY, FieldError, FieldType, base
from engine.fieldtypes.base import register
from engine.fieldtypes.controls import text_control

QUERY_OPS = {"", "gte", "lte", "contains"}
FILTER_KINDS = {"text", "choice", "number", "date", "at_least", ""}
LAYOUTS = {"control", "check", "group", "table"}


def documented_hooks() -> list[str]:
    """The backquoted names in base.py's docstring that are members of FieldType."""
    names = re.findall(r"`([a-z_]+)`", base.__doc__ or "")
    return sorted({n for n in names if hasattr(FieldType, n)})


HOOKS = documented_hooks()


class CodeType(FieldType):
    """A type made up for this test, the way docs/field-types.md tells: short upper-case codes."""

    name = "contract_code"
    label = "Code"
    summary = "A short upper-case code."
    searchable = True
    ordered = True
    samples: ClassVar[Any] = ({"type": "contract_code"}, ("AB-1", "Z"))

    def column_type(self, field: FieldDef) -> Text:
        return Text()

    def decode(self, field: FieldDef, raw: Any, ctx: Any) -> str:
        if not isinstance(raw, str) or raw != raw.upper():
            raise FieldError("must be an upper-case code")
        return raw

    def widget(self, field: FieldDef, ctx: Any) -> Any:
        return text_control(field, maxlength=8)

    def client_kind(self, field: FieldDef) -> str:
        return "text"


class HalfType(FieldType):
    """A type that forgot its widget and client kind."""

    name = "contract_half"
    label = "Half"
    samples: ClassVar[Any] = ({"type": "contract_half"}, ("x",))

    def column_type(self, field: FieldDef) -> Text:
        return Text()

    def decode(self, field: FieldDef, raw: Any, ctx: Any) -> str:
        return str(raw)


@pytest.fixture(scope="module", autouse=True)
def made_up_types() -> Iterator[None]:
    register(CodeType)
    try:
        yield
    finally:
        REGISTRY.pop(CodeType.name, None)


def sample_field(kind: FieldType) -> FieldDef:
    raw, _values = kind.samples
    builder = Builder("contract.json")
    fdef = builder.field({"name": "sample", "label": "Sample", **raw}, "/forms/0/fields/0")
    assert not builder.problems, builder.problems
    return fdef


def all_types() -> list[str]:
    return sorted(REGISTRY) + [CodeType.name]


class Build:
    """What `build_settings` asks of the definitions builder (a real Builder behind it)."""

    pointer = "/forms/0/fields/0"

    def __init__(self) -> None:
        self.builder = Builder("contract.json")

    def expression(self, source: Any, pointer: str) -> Any:
        return self.builder.expression(source, pointer)

    def fields(self, docs: Any, pointer: str) -> tuple[FieldDef, ...]:
        return tuple(self.builder.field(d, f"{pointer}/{i}") for i, d in enumerate(docs or ()))

    def problem(self, pointer: str, message: str) -> None:
        self.builder.problem(pointer, message)


class Checks:
    """What `check_definition` asks of the semantic checks: the kitchen app's `thing` form."""

    def __init__(self, app: Any) -> None:
        self.app, self.form, self.problems = app, app.form("thing"), []
        self.row_of: FieldDef | None = None

    def problem(self, pointer: str, message: str, /, **params: object) -> None:
        self.problems.append((pointer, message % params if params else message))

    def role_exists(self, role: str) -> bool:
        return True

    def check_expression(self, expr: Any, pointer: str) -> None:
        pass

    def check_fields(self, fields: Any, pointer: str, row_of: FieldDef) -> None:
        pass

    def check_expression_on(self, form: Any, expr: Any, pointer: str) -> None:
        pass

    def attribute(self, form: Any, name: str) -> tuple[str, FieldDef | None] | None:
        field = form.field(name)
        return (field.value_kind, field) if field is not None else None


def calls(kind: FieldType, fdef: FieldDef, world: Any, refs: Any) -> dict[str, Any]:
    """Each documented hook called once on the type's sample field and first sample value."""
    value = kind.samples[1][0]
    decoded = kind.decode(fdef, value, world) if kind.input else value
    ctx = SimpleNamespace(users=lambda role: [], title_of=lambda form: None)
    return {
        "build_settings": lambda: kind.build_settings(kind.samples[0], Build()),
        "check_definition": lambda: kind.check_definition(fdef, Checks(world.app)),
        "value_kind": lambda: kind.value_kind(fdef),
        "column_type": lambda: kind.column_type(fdef),
        "storage_signature": lambda: kind.storage_signature(fdef),
        "decode": lambda: kind.decode(fdef, value, world) if kind.input else None,
        "encode": lambda: kind.encode(fdef, decoded, world),
        "parse_query": lambda: kind.parse_query(fdef, query_text(value), world) if scalar(value) else None,
        "check": lambda: kind.check(fdef, decoded, world),
        "is_empty": lambda: kind.is_empty(value),
        "start_value": lambda: kind.start_value(fdef),
        "from_expression": lambda: kind.from_expression(fdef, decoded),
        "text": lambda: kind.text(fdef, value, refs),
        "html": lambda: kind.html(fdef, value, refs),
        "color": lambda: kind.color(fdef, decoded),
        "to_cell": lambda: kind.to_cell(fdef, decoded, refs),
        "from_cell": lambda: kind.from_cell(fdef, kind.to_cell(fdef, decoded, refs) or "x", world),
        "cell_hint": lambda: kind.cell_hint(fdef, refs),
        "query_ops": lambda: kind.query_ops(fdef),
        "filter_kind": lambda: kind.filter_kind(fdef),
        "filter_choices": lambda: kind.filter_choices(fdef, ctx),
        "filter_attrs": lambda: kind.filter_attrs(fdef, ctx),
        "widget": lambda: kind.widget(fdef, ctx),
        "form_data": lambda: kind.form_data(fdef, value),
        "value_schema": lambda: kind.value_schema(fdef),
        "client_kind": lambda: kind.client_kind(fdef),
    }


def scalar(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) or isinstance(value, bool)


def query_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def test_the_docstring_names_the_hooks():
    assert {"widget", "client_kind", "decode", "encode", "value_schema", "to_cell", "from_cell", "text", "html",
            "options_schema", "build_settings", "check_definition", "query_ops", "filter_kind"} <= set(HOOKS)


@pytest.mark.parametrize("name", all_types())
def test_every_hook_is_implemented(name, world, refs):
    kind = REGISTRY[name]
    fdef = sample_field(kind)
    table = calls(kind, fdef, world, refs)
    methods = [h for h in HOOKS if inspect.isroutine(getattr(FieldType, h))]
    assert set(methods) <= set(table), set(methods) - set(table)  # the test calls every method it names
    for hook in methods:
        try:
            table[hook]()
        except NotImplementedError:
            pytest.fail(f"{name} does not implement {hook}")
        except FieldError:
            pass  # refusing a value is an answer
    assert kind.label and kind.samples[1], name
    for attribute in set(HOOKS) - set(methods):  # options_schema, required_options
        assert getattr(kind, attribute) is not None


def test_a_type_missing_hooks_is_caught(world, refs):
    kind = HalfType()
    fdef = FieldDef(name="sample", type="text", label="Sample", pointer="/f")
    table = calls(kind, fdef, world, refs)
    missing = []
    for hook in (h for h in HOOKS if inspect.isroutine(getattr(FieldType, h))):
        try:
            table[hook]()
        except NotImplementedError:
            missing.append(hook)
    assert missing == ["client_kind", "widget"]


@pytest.mark.parametrize("name", all_types())
def test_the_sample_definition_passes_the_module_schema(name):
    raw, _values = REGISTRY[name].samples
    module = {"module": "contract", "title": "Contract", "roles": [{"name": "clerk", "title": "Clerk"}],
              "forms": [{"name": "thing", "title": "Thing", "fields": [{"name": "sample", "label": "Sample", **raw}],
                         "permissions": {"clerk": {"read": "all"}}}]}
    jsonschema.validate(module, module_schema())


@pytest.mark.parametrize("name", all_types())
def test_values_round_trip_and_fit_the_value_schema(name, world):
    kind = REGISTRY[name]
    fdef = sample_field(kind)
    for value in kind.samples[1]:
        if not kind.input:
            with pytest.raises(FieldError):
                kind.decode(fdef, value, world)
            jsonschema.validate(value, kind.value_schema(fdef))
            continue
        decoded = kind.decode(fdef, value, world)
        assert kind.decode(fdef, kind.encode(fdef, decoded, world), world) == decoded, (name, value)
        assert kind.check(fdef, decoded, world) == [], (name, value)  # may complete it (a file's name)
        encoded = kind.encode(fdef, decoded, world)  # what the API answers
        jsonschema.validate(encoded, kind.value_schema(fdef))
        jsonschema.Draft202012Validator.check_schema(kind.value_schema(fdef, writing=True))
        assert not kind.is_empty(decoded)
    assert kind.is_empty(None)


@pytest.mark.parametrize("name", all_types())
def test_query_text_parses_like_the_value(name, world):
    kind = REGISTRY[name]
    fdef = sample_field(kind)
    ops = set(kind.query_ops(fdef))
    assert ops <= QUERY_OPS
    assert kind.filter_kind(fdef) in FILTER_KINDS
    assert all(isinstance(v, str) and isinstance(label, str) for v, label in kind.filter_choices(
        fdef, SimpleNamespace(users=lambda role: [SimpleNamespace(name="zhangwei", label="张伟")],
                              title_of=lambda form: None)))
    if "" not in ops:
        assert kind.filter_kind(fdef) == ""
        return
    for value in kind.samples[1]:
        if kind.multiple:
            assert kind.parse_query(fdef, value[0], world) == value[0]
        elif scalar(value):
            parsed = kind.parse_query(fdef, query_text(value), world)
            expected = kind.decode(fdef, value, world) if kind.input else value
            assert kind.encode(fdef, parsed, world) == kind.encode(fdef, expected, world) if kind.input else True
            assert parsed is not None


@pytest.mark.parametrize("name", all_types())
def test_the_widget_is_an_unbound_field_that_renders_the_sample(name):
    kind = REGISTRY[name]
    fdef = sample_field(kind)
    ctx = SimpleNamespace(users=lambda role: [SimpleNamespace(name="zhangwei", label="张伟")],
                          title_of=lambda form: "code")
    unbound = kind.widget(fdef, ctx)
    assert isinstance(unbound, UnboundField), name
    page_form = type("PageForm", (Form,), {"sample": unbound})
    rendered = page_form(data={"sample": kind.form_data(fdef, kind.samples[1][0])}).sample()
    assert isinstance(rendered, Markup) and 'sample' in rendered
    assert kind.layout in LAYOUTS


@pytest.mark.parametrize("name", all_types())
def test_text_html_and_cells(name, world, refs):
    kind = REGISTRY[name]
    fdef = sample_field(kind)
    assert kind.text(fdef, None, refs) == ""
    for value in kind.samples[1]:
        text = kind.text(fdef, value, refs)
        assert isinstance(text, str) and text, (name, value)
        assert isinstance(kind.html(fdef, value, refs), Markup)
        if not kind.input or not kind.importable:
            continue
        decoded = kind.decode(fdef, value, world)
        cell = kind.to_cell(fdef, decoded, refs)
        assert cell is not None and not isinstance(cell, (list, dict)), (name, cell)
        back = kind.decode(fdef, kind.from_cell(fdef, cell, world), world)
        assert back == decoded, (name, value, cell, back)


@pytest.mark.parametrize("name", all_types())
def test_the_browser_is_told_a_kind_it_knows(name):
    kind = REGISTRY[name]
    assert kind.client_kind(sample_field(kind)) in CLIENT_KINDS
