"""The permission matrix, generated from the shipped definitions (SPEC §3, §8).

For every role declared in `configs/` × every form, the expected outcome of
list, read (GET one, history), update (PATCH), delete and create is computed from
the form's `permissions` for that role (false / own / all / where, create, hide) and
then exercised over the API by a user who holds just that role, against a record
owned by that user and one owned by another user. Every denied write is checked
the Django way: the status, and that the database is unchanged (re-read as admin:
same version, values and history; same record count).

Status rules (SPEC §3, §8): a form the user cannot read answers 404 on every
endpoint; a record the user may not read answers 404; a readable record the user may
not change answers 403; create without permission answers 403 if the form is readable,
else 404.

The expected row set of a `where` rule comes from evaluating the rule in Python on
the record as admin sees it (links followed through admin reads), while the engine
applies it as SQL: the two must agree.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from engine.definitions import ADMIN_ROLE, SYSTEM_ATTRIBUTES, load_directory
from engine.definitions.model import FieldDef, FormDef, RowRule
from engine.expressions import evaluate_condition
from tests.conftest import SHIPPED

DEFINITIONS = load_directory(SHIPPED)
ROLES = sorted(r for r in DEFINITIONS.roles if r != ADMIN_ROLE)
FORMS = sorted(DEFINITIONS.forms)
ACTOR, OTHER = "actor", "other"
#: The other user may own anything: give them every role an owner field asks for.
OWNER_ROLES = sorted({
    f.role for form in DEFINITIONS.forms.values() if form.owner_field
    for f in form.fields if f.name == form.owner_field and f.role
})
Link = tuple[FormDef, int]
CASES = [pytest.param(role, form, id=f"{role}-{form}") for role in ROLES for form in FORMS]


def test_the_matrix_covers_the_shipped_roles_and_forms():
    shipped = {"sales", "sales_manager", "finance", "warehouse", "production", "general_manager"}
    assert shipped <= set(ROLES)
    assert {"customer", "contact", "sales_order", "payment"} <= set(FORMS)
    assert len(CASES) == len(ROLES) * len(FORMS)


# -- the oracle: what the definitions say ------------------------------------------------


def _convert(field: FieldDef, value: Any) -> Any:
    """A JSON field value as the expression language sees it."""
    if value is None:
        return None
    kind = field.result if field.type == "formula" else field.type
    if kind == "decimal":
        return Decimal(value)
    if kind == "integer":
        return int(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    return value


class RecordScope:
    """EvalScope over a record read by admin through the API; links are followed by reading
    the linked record as admin."""

    def __init__(self, oracle: Oracle, form: FormDef, body: Mapping[str, Any]) -> None:
        self.oracle = oracle
        self.form = form
        self.body = body
        self.user = oracle.actor
        self.now = oracle.now

    def lookup(self, path: tuple[str, ...]) -> Any:
        head, rest = path[0], path[1:]
        if head in SYSTEM_ATTRIBUTES:
            value = self.body.get(head)
            if head in ("created_at", "updated_at", "due_at") and value:
                return datetime.fromisoformat(value)
            return value
        field = self.form.field(head)
        assert field is not None, f"unknown path {path} in {self.form.name}"
        value = self.body["fields"].get(head)
        if not rest:
            return _convert(field, value)
        if field.type == "link":
            if value is None:
                return None
            target = DEFINITIONS.forms[field.form]
            linked = self.oracle.admin_view(target, value)
            return RecordScope(self.oracle, target, linked).lookup(rest)
        assert field.type == "table", f"cannot follow {path}"
        sub = field.subfield(rest[0])
        return [_convert(sub, row.get(rest[0])) for row in value or []]


class Oracle:
    """Expected outcomes for one role, from the definitions alone."""

    def __init__(self, app: Any, admin: Any, actor: str, role: str) -> None:
        self.admin = admin
        self.actor = actor
        self.role = role
        self.now = datetime.now(app.extensions["engine"].tzinfo)

    def admin_view(self, form: FormDef, record_id: int) -> dict[str, Any]:
        response = self.admin.get(f"/api/forms/{form.name}/records/{record_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def matches(self, rule: RowRule, form: FormDef, body: Mapping[str, Any]) -> bool:
        if rule.kind == "all":
            return True
        if rule.kind == "own":
            if form.owner_field:
                owner = body["fields"].get(form.owner_field)
            else:
                owner = body[form.owner_attribute]
            return owner == self.actor
        if rule.kind == "where":
            return evaluate_condition(rule.where, RecordScope(self, form, body))
        assert rule.kind == "none", rule
        return False

    def allows(self, form: FormDef, body: Mapping[str, Any], action: str) -> bool:
        perm = form.permission(self.role)
        return perm is not None and self.matches(perm.rule(action), form, body)

    def readable(self, form: FormDef, body: Mapping[str, Any]) -> bool:
        return self.form_readable(form) and self.allows(form, body, "read")

    def form_readable(self, form: FormDef) -> bool:
        perm = form.permission(self.role)
        return perm is not None and perm.read.grants

    def hide(self, form: FormDef) -> frozenset[str]:
        perm = form.permission(self.role)
        return perm.hide if perm else frozenset()

    def write_status(self, form: FormDef, body: Mapping[str, Any], action: str, ok: int) -> int:
        if not self.form_readable(form) or not self.allows(form, body, "read"):
            return 404
        return ok if self.allows(form, body, action) else 403


# -- seeding ------------------------------------------------------------------------------


class Seeder:
    """Valid records of any form, with their required links, owned by a given user."""

    def __init__(self, app: Any, admin: Any, roles_of: Mapping[str, set[str]]) -> None:
        self.app = app
        self.admin = admin
        self.roles_of = roles_of
        self.counter = itertools.count(1)

    def can_own(self, user: str, field: FieldDef) -> bool:
        return field.type == "user" and (field.role is None or field.role in self.roles_of[user])

    def sample(self, field: FieldDef, owner: str) -> Any:
        n = next(self.counter)
        kind = field.type
        if kind == "text":
            assert not field.pattern, f"no sample for patterned text {field.name}"
            return f"{field.name}-{n}"[: field.max_length or 255]
        if kind == "textarea":
            return f"{field.name} {n}"
        if kind == "integer":
            low = max(int(field.min) if field.min is not None else 1, 1)
            return low if field.max is None or low <= field.max else int(field.min)
        if kind == "decimal":
            low = Decimal(str(field.min)) if field.min is not None else Decimal(0)
            value = max(low, Decimal(100))
            if field.max is not None:
                value = min(value, Decimal(str(field.max)))
            return f"{value:.{field.precision}f}"
        if kind == "date":
            return "2030-06-28"
        if kind == "datetime":
            return "2030-06-28T09:30:00+08:00"
        if kind == "select":
            return field.options[0].value
        if kind == "multiselect":
            return [field.options[0].value]
        if kind == "boolean":
            return False
        if kind == "email":
            return f"user{n}@example.com"
        if kind == "phone":
            return "13812345678"
        if kind == "url":
            return "https://example.com/"
        if kind == "user":
            return owner
        if kind == "link":
            return self.make(DEFINITIONS.forms[field.form], owner)["id"]
        if kind == "table":
            needed = [sub for sub in field.fields if sub.required and not sub.computed]
            return [{sub.name: self.sample(sub, owner) for sub in needed}
                    for _ in range(max(field.min_rows or 1, 1))]
        raise AssertionError(f"no sample value for required {kind} field {field.name}")

    def payload(self, form: FormDef, owner: str) -> tuple[dict[str, Any], dict[str, Link]]:
        """(fields, {link field: (form, id) of the record created for it})."""
        fields: dict[str, Any] = {}
        links: dict[str, Link] = {}
        for field in form.fields:
            if field.computed or field.type == "file" or field.name == form.owner_field:
                continue
            if field.type == "user" and not field.required:
                if field.default == "$user":  # admin would not satisfy a role constraint
                    fields[field.name] = None
                continue
            if field.required or (field.type == "table" and field.min_rows):
                fields[field.name] = self.sample(field, owner)
                if field.type == "link":
                    links[field.name] = (DEFINITIONS.forms[field.form], fields[field.name])
        if form.owner_field:
            owner_field = form.field(form.owner_field)
            fields[form.owner_field] = owner if self.can_own(owner, owner_field) else None
        return fields, links

    def make(self, form: FormDef, owner: str) -> dict[str, Any]:
        """A record created by admin and owned by `owner` (set in SQL where the API cannot)."""
        fields, _links = self.payload(form, owner)
        created = self.admin.create(form.name, **fields)
        if not form.owner_field or fields[form.owner_field] != owner:
            state = self.app.extensions["engine"]
            table = state.runtime().tables(form.name).table
            with state.db.transaction() as session:
                session.execute(update(table).where(table.c.id == created["id"])
                                .values({form.owner_attribute: owner}))
        return self.view(form, created["id"])

    def view(self, form: FormDef, record_id: int) -> dict[str, Any] | None:
        response = self.admin.get(f"/api/forms/{form.name}/records/{record_id}")
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def history(self, form: FormDef, record_id: int) -> list[dict[str, Any]]:
        response = self.admin.get(f"/api/forms/{form.name}/records/{record_id}/history")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def all(self, form: FormDef) -> list[dict[str, Any]]:
        response = self.admin.get(f"/api/forms/{form.name}/records?per_page=200")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["total"] <= 200
        return body["items"]

    def count(self, form: FormDef) -> int:
        return self.admin.get(f"/api/forms/{form.name}/records?per_page=1").get_json()["total"]


# -- checks -------------------------------------------------------------------------------


def editable_text_field(form: FormDef, hide: frozenset[str]) -> str:
    for field in form.fields:
        if (field.type in ("textarea", "text") and not field.readonly and not field.unique
                and not field.pattern and field.visible_if is None and field.name not in hide):
            return field.name
    raise AssertionError(f"{form.name} has no free text field to edit")


def assert_shows(oracle: Oracle, form: FormDef, body: Mapping[str, Any],
                 admin_body: Mapping[str, Any]) -> None:
    """The caller's view of a record is admin's view minus the role's hidden fields, and
    link titles appear only for linked records the caller may read."""
    hide = oracle.hide(form)
    top = {h for h in hide if "." not in h}
    columns: dict[str, set[str]] = {}
    for h in hide - top:
        table, _, column = h.partition(".")
        columns.setdefault(table, set()).add(column)
    assert set(body["fields"]) == set(admin_body["fields"]) - top
    for name, value in body["fields"].items():
        expected = admin_body["fields"][name]
        if name in columns:
            expected = [{k: v for k, v in row.items() if k not in columns[name]}
                        for row in expected or []]
        assert value == expected, name
    assert not set(body.get("links", {})) & top
    for field in form.fields:
        target_id = admin_body["fields"].get(field.name)
        if field.type != "link" or field.name in top or target_id is None:
            continue
        target = DEFINITIONS.forms[field.form]
        visible = oracle.readable(target, oracle.admin_view(target, target_id))
        title = body["links"].get(field.name)
        assert (title is not None) == visible, (field.name, title)
        if visible:
            assert title == admin_body["links"][field.name]


def assert_history_hides(history: list[dict[str, Any]], hide: frozenset[str]) -> None:
    for entry in history:
        assert not set(entry.get("values", {})) & hide, entry
        assert not {c["field"] for c in entry.get("changes", [])} & hide, entry


# -- the matrix -------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "form_name"), CASES)
def test_permission_matrix(role: str, form_name: str, app, admin, make_user):
    form = DEFINITIONS.forms[form_name]
    perm = form.permission(role)
    actor = make_user(ACTOR, role)
    make_user(OTHER, *OWNER_ROLES)
    seed = Seeder(app, admin, {ACTOR: {role}, OTHER: set(OWNER_ROLES)})
    oracle = Oracle(app, admin, ACTOR, role)
    readable = oracle.form_readable(form)
    hide = oracle.hide(form)
    base = f"/api/forms/{form_name}"
    targets = [seed.make(form, ACTOR)["id"], seed.make(form, OTHER)["id"]]

    # The form itself: listed in /api/forms with visible fields only, or 404.
    described = {f["name"]: f for f in actor.get("/api/forms").get_json()}
    assert (form_name in described) == readable
    assert actor.get(base).status_code == (200 if readable else 404)
    if readable:
        assert [f["name"] for f in described[form_name]["fields"]] == \
            [n for n in form.field_names if n not in hide]
        assert not set(described[form_name]["list"]["columns"]) & hide
        assert described[form_name]["can_create"] == bool(perm and perm.create)

    # list and count
    response = actor.get(f"{base}/records?per_page=200")
    if not readable:
        assert response.status_code == 404
    else:
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        everything = {r["id"]: r for r in seed.all(form)}
        expected = {i for i, r in everything.items() if oracle.allows(form, r, "read")}
        assert {item["id"] for item in body["items"]} == expected
        assert body["total"] == len(expected)
        for item in body["items"]:
            assert_shows(oracle, form, item, everything[item["id"]])

    # read one, and its history
    for record_id in targets:
        admin_body = seed.view(form, record_id)
        ok = readable and oracle.allows(form, admin_body, "read")
        response = actor.get(f"{base}/records/{record_id}")
        assert response.status_code == (200 if ok else 404), response.get_json()
        history = actor.get(f"{base}/records/{record_id}/history")
        assert history.status_code == (200 if ok else 404)
        if ok:
            assert_shows(oracle, form, response.get_json(), admin_body)
            assert_history_hides(history.get_json(), hide)

    # update
    field = editable_text_field(form, hide)
    for record_id in targets:
        before = seed.view(form, record_id)
        history = seed.history(form, record_id)
        expected_status = oracle.write_status(form, before, "update", 200)
        value = f"changed by {role} {record_id}"
        response = actor.patch(f"{base}/records/{record_id}",
                               json={"version": before["version"], "fields": {field: value}})
        assert response.status_code == expected_status, response.get_json()
        after = seed.view(form, record_id)
        if expected_status == 200:
            assert after["version"] == before["version"] + 1
            assert after["fields"][field] == value
            assert_shows(oracle, form, response.get_json(), after)
        else:
            assert after == before
            assert seed.history(form, record_id) == history

    # delete
    for record_id in targets:
        before = seed.view(form, record_id)
        history = seed.history(form, record_id)
        count = seed.count(form)
        expected_status = oracle.write_status(form, before, "delete", 204)
        response = actor.delete(f"{base}/records/{record_id}")
        assert response.status_code == expected_status, response.get_json()
        if expected_status == 204:
            assert seed.view(form, record_id) is None
            assert seed.count(form) == count - 1
        else:
            assert seed.view(form, record_id) == before
            assert seed.history(form, record_id) == history
            assert seed.count(form) == count

    # create (links point at records the actor owns)
    fields, links = seed.payload(form, ACTOR)
    unreadable_links = sorted(
        name for name, (target, target_id) in links.items()
        if not oracle.readable(target, seed.view(target, target_id))
    )
    count = seed.count(form)
    if perm is not None and perm.create:
        expected_status = 422 if unreadable_links else 201
    else:
        expected_status = 403 if readable else 404
    response = actor.post(f"{base}/records", json={"fields": fields})
    assert response.status_code == expected_status, response.get_json()
    if expected_status != 201:
        assert seed.count(form) == count
        if expected_status == 422:
            assert set(unreadable_links) <= set(response.get_json()["error"]["fields"])
        return
    assert seed.count(form) == count + 1
    created = seed.view(form, response.get_json()["id"])
    assert created["created_by"] == ACTOR
    if readable and oracle.allows(form, created, "read"):
        assert_shows(oracle, form, response.get_json(), created)
    else:
        assert response.get_json() == {"id": created["id"], "form": form_name}
