"""The reading hooks of every registered type, on the type's own `samples`: text and html
read every sample, and a cell gives the value back (to_cell → from_cell → decode), so a
new type is covered the day it is registered."""
from __future__ import annotations

import json

import pytest
from markupsafe import Markup

from engine.definitions.loader import load_sources
from engine.fieldtypes import REGISTRY, Refs, type_of

TITLES = {7: "Acme", 8: "Beta"}


def _module() -> dict:
    """A form `holder` with one field per type (named after it, from its samples), and the
    form `thing` the samples may name (links, rollups: `owner` links back, `amount` sums)."""
    fields = [{**REGISTRY[name].samples[0], "name": f"f_{name}", "label": name} for name in sorted(REGISTRY)]
    return {"module": "samples", "title": "Samples", "roles": [{"name": "clerk", "title": "Clerk"}], "forms": [
        {"name": "holder", "title": "Holder", "fields": fields, "permissions": {"clerk": {"read": "all"}}},
        {"name": "thing", "title": "Thing", "title_field": "name", "fields": [
            {"name": "name", "type": "text", "label": "Name"},
            {"name": "owner", "type": "link", "form": "holder", "label": "Owner"},
            {"name": "amount", "type": "decimal", "label": "Amount"},
        ], "permissions": {"clerk": {"read": "all"}}}]}


@pytest.fixture(scope="module")
def holder():
    return load_sources({"samples.json": json.dumps(_module())}).form("holder")


def _cases():
    return [(name, value) for name in sorted(REGISTRY) for value in REGISTRY[name].samples[1]]


@pytest.mark.parametrize("name, value", _cases())
def test_text_and_html_read_every_sample(holder, world, name, value):
    fdef = holder.field(f"f_{name}")
    kind = type_of(fdef)
    refs = Refs(title=TITLES.get(value) if isinstance(value, int) else None, users={"zhangwei": "张伟"}, ctx=world)
    text = kind.text(fdef, value, refs)
    assert isinstance(text, str) and text, (name, value)
    html = kind.html(fdef, value, refs)
    assert isinstance(html, Markup) and str(html), (name, value)
    assert kind.text(fdef, None, refs) == "" and str(kind.html(fdef, None, refs)) == ""


@pytest.mark.parametrize("name, value", [(n, v) for n, v in _cases() if REGISTRY[n].input and REGISTRY[n].importable])
def test_a_cell_gives_every_sample_back(holder, world, name, value):
    fdef = holder.field(f"f_{name}")
    kind = type_of(fdef)
    stored = kind.decode(fdef, value, world)
    refs = Refs(title=TITLES.get(stored) if isinstance(stored, int) else None, users={"zhangwei": "张伟"}, ctx=world)
    cell = kind.to_cell(fdef, stored, refs)
    assert cell is not None
    assert kind.decode(fdef, kind.from_cell(fdef, cell, world), world) == stored, (name, value, cell)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_type_gives_a_hint_and_a_value_schema(holder, world, name):
    fdef = holder.field(f"f_{name}")
    kind = type_of(fdef)
    assert isinstance(kind.cell_hint(fdef, Refs(ctx=world)), str)
    for writing in (False, True):
        schema = kind.value_schema(fdef, writing)
        assert schema.get("type") in ("string", "integer", "number", "boolean", "array", "object"), (name, schema)
