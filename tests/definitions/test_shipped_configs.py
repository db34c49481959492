"""The two shipped modules (configs/crm.json, configs/order_followup.json) load and are
internally consistent in the ways an admin relies on."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.definitions import ADMIN_ROLE, AppDef, FieldDef, FormDef, load_directory, load_sources

SHIPPED = Path(__file__).resolve().parents[2] / "configs"
FILES = ("crm.json", "order_followup.json")


@pytest.fixture(scope="module")
def app() -> AppDef:
    return load_directory(SHIPPED)


def all_fields(form: FormDef) -> Iterator[FieldDef]:
    """Every field of the form, table columns included."""
    for field in form.fields:
        yield field
        yield from field.fields


def test_the_two_shipped_modules_load(app: AppDef) -> None:
    assert sorted(p.name for p in SHIPPED.glob("*.json")) == sorted(FILES)
    assert {m.name for m in app.modules} == {"crm", "order_followup"}
    assert {m.file for m in app.modules} == set(FILES)


def test_the_two_modules_link_both_ways() -> None:
    """Orders link to crm customers; a won opportunity creates an order, a customer's statement
    prints its orders and their payments. Loaded alone, crm names exactly what it misses."""
    from engine.errors import DefinitionError

    with pytest.raises(DefinitionError) as caught:
        load_sources({"crm.json": (SHIPPED / "crm.json").read_text("utf-8")})
    problems = [str(p) for p in caught.value.problems]
    assert sorted(problems) == [
        "crm.json: /forms/0/prints/0/blocks/1/related/form: unknown form 'sales_order'",
        "crm.json: /forms/0/prints/0/blocks/2/related/form: unknown form 'payment'",
        "crm.json: /forms/2/workflow/transitions/3/create/form: unknown form 'sales_order'"], problems


def _form_names() -> list[str]:
    """Read from the raw JSON so that a broken config fails the tests, not collection."""
    names = []
    for file in FILES:
        doc = json.loads((SHIPPED / file).read_text("utf-8"))
        names += [form["name"] for form in doc.get("forms", ())]
    return sorted(names)


@pytest.mark.parametrize("name", _form_names())
def test_every_form_has_a_title_field(app: AppDef, name: str) -> None:
    form = app.forms[name]
    assert form.title_field, f"form '{name}' ({form.file}) has no title_field"
    field = form.field(form.title_field)
    assert field is not None and field.type not in ("table", "file", "multiselect")


def test_every_link_points_at_an_existing_form(app: AppDef) -> None:
    links = [(form.name, f.name, f.form) for form in app.forms.values()
             for f in all_fields(form) if f.type == "link"]
    assert links, "the shipped modules are expected to link records"
    dangling = [link for link in links if link[2] not in app.forms]
    assert not dangling


def test_order_links_to_crm_customer(app: AppDef) -> None:
    """The integration the product exists for: an order points at a CRM customer."""
    order = app.forms["sales_order"]
    customer = order.field("customer")
    assert customer is not None and customer.type == "link" and customer.form == "customer"
    assert app.forms["customer"].module == "crm" and order.module == "order_followup"


def test_roles_used_in_permissions_are_declared(app: AppDef) -> None:
    declared = {role.name for module in app.modules for role in module.roles}
    assert ADMIN_ROLE not in declared
    used = {(form.name, role) for form in app.forms.values() for role in form.permissions}
    assert used
    assert not [(form, role) for form, role in used if role not in declared]


def test_roles_used_in_workflows_and_user_fields_are_declared(app: AppDef) -> None:
    declared = {role.name for module in app.modules for role in module.roles} | {ADMIN_ROLE}
    used: set[tuple[str, str]] = set()
    for form in app.forms.values():
        used |= {(form.name, f.role) for f in all_fields(form) if f.role}
        wf = form.workflow
        if wf is None:
            continue
        for tr in wf.transitions:
            used |= {(form.name, r) for r in tr.roles if r != "$owner"}
        for stage in wf.stages:
            recipients = list(stage.escalate.notify) if stage.escalate else []
            for step in stage.approval.steps if stage.approval else ():
                recipients += [*step.approvers, *step.cc]
            used |= {(form.name, r.value) for r in recipients if r.kind == "role"}
    assert not [(form, role) for form, role in used if role not in declared]
