"""GET /api/forms: the forms the caller may read, with their field definitions, as the caller
may see them: no hidden field, no hidden table column (in `fields` and in `schema`), and no
formula or condition text that names a hidden one."""
from __future__ import annotations

from typing import Any

from flask import g, jsonify

from engine.access.visibility import uses_hidden, without_hidden_columns
from engine.definitions.model import FieldDef, FormDef
from engine.expressions.nodes import Expression
from engine.fieldtypes import field_type, type_of
from engine.records.context import Context
from engine.services.queries import default_order
from engine.web import use_case

from . import bp


def _names_hidden(expression: Expression, hidden: frozenset[str], table: str | None) -> bool:
    """Whether an expression names a hidden field (in a table column, its sibling columns too)."""
    names = [".".join(path) for path in expression.references()]
    if table:
        names += [f"{table}.{path[0]}" for path in expression.references()]
    return uses_hidden(names, hidden)


def describe_field(field: FieldDef, hidden: frozenset[str] = frozenset(), table: str | None = None) -> dict[str, Any]:
    """One field as the caller may see it (`field` is already without its hidden columns)."""
    out: dict[str, Any] = {"name": field.name, "type": field.type, "label": field.label}
    for key in ("required", "unique", "readonly", "help", "placeholder", "max_length", "pattern", "min", "max",
                "role", "form", "min_rows", "max_rows", "accept", "max_size"):
        value = getattr(field, key)
        if value not in (None, False, ()):
            out[key] = list(value) if isinstance(value, tuple) else value
    if "precision" in field_type(field.value_kind).defaults:  # its value has decimal places
        out["precision"] = field.precision
    if field.formula is not None:
        shown = not _names_hidden(field.formula, hidden, table)
        out["formula"] = field.formula.source if shown else None
        out["result"] = field.result
    if field.visible_if is not None and not _names_hidden(field.visible_if, hidden, table):
        out["visible_if"] = field.visible_if.source
    if field.default is not None:
        out["default"] = field.default
    if field.options:
        out["options"] = [{"value": o.value, "label": o.label, **({"color": o.color} if o.color else {})}
                          for o in field.options]
    if field.fields:
        out["fields"] = [describe_field(f, hidden, field.name) for f in field.fields
                         if f"{field.name}.{f.name}" not in hidden]
    out["schema"] = type_of(field).value_schema(field)
    return out


def describe_form(ctx: Context, form: FormDef) -> dict[str, Any]:
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    form = without_hidden_columns(form, hidden)
    body: dict[str, Any] = {
        "name": form.name,
        "title": form.title,
        "module": form.module,
        "title_field": form.title_field,
        "owner_field": form.owner_attribute,
        "fields": [describe_field(f, hidden) for f in form.fields if f.name not in hidden],
        "list": {"columns": [c for c in form.list.columns if c not in hidden],
                 "filters": [c for c in form.list.filters if c not in hidden],
                 "search": [c for c in form.list.search if c not in hidden],
                 "order_by": default_order(form, hidden) or "-created_at", "page_size": form.list.page_size},
        "can_create": ctx.gate.can_create(ctx.user, form),
        # the caller's read-only fields (their roles' `readonly`): on a new record, and in every
        # record they may update (a record granted by only some of their roles may have more)
        "readonly_for_you": {
            "create": sorted(p for p in ctx.gate.readonly_on_create(ctx.user, form) if not uses_hidden([p], hidden)),
            "update": sorted(p for p in ctx.gate.readonly_everywhere(ctx.user, form) if not uses_hidden([p], hidden)),
        },
    }
    if form.workflow:
        body["stages"] = [{"name": s.name, "title": s.title, "final": s.final} for s in form.workflow.stages]
        body["initial_stage"] = form.workflow.initial
    return body


@bp.get("/forms")
def list_forms():
    """The forms the caller may read, each with its fields, list settings and stages as the caller sees
    them (no hidden field)."""
    with use_case() as ctx:
        return jsonify([describe_form(ctx, f) for f in ctx.gate.readable_forms(g.user)])


@bp.get("/forms/<form_name>")
def get_form(form_name: str):
    """One form as the caller sees it (as in `GET /api/forms`); `readonly_for_you`: `create` (the fields
    and `table.column`s the caller's roles make read-only on a new record) and `update` (read-only in every
    record they may update)."""
    from engine.services.records import readable_form

    with use_case() as ctx:
        return jsonify(describe_form(ctx, readable_form(ctx, form_name)))
