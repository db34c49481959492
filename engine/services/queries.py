"""List query parameters (docs/reference.md, HTTP API) → SQL conditions and ordering, by allow-list.

`page`, `per_page` (≤ 200), `order_by` (`-field`), `q`, `stage`, `{field}=v`,
`{field}__gte`, `__lte`, `__contains`, `after` and `before` (keyset cursors, see cursors.py), `chart`, `owner`,
`team` (a dashboard's drill-down, see list_filters.py). Empty
values sort last in either direction, on every backend. Anything else, or a field the caller may
not see, is a 400 naming the parameter.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_

from engine.definitions.model import SYSTEM_ATTRIBUTES, SYSTEM_OPS, SYSTEM_TYPES, FieldDef, FormDef
from engine.errors import BadRequest
from engine.fieldtypes import FieldError, type_of
from engine.i18n import _
from engine.records.context import Context
from engine.store.scope import json_array_contains

from . import list_filters, quick_filters
from .cursors import SortKey

MAX_PER_PAGE = 200
OPERATORS = ("gte", "lte", "contains")
RESERVED = ("page", "per_page", "order_by", "q", "stage", "after", "before", *list_filters.PARAMS,
            *quick_filters.PARAMS)


@dataclass
class ListQuery:
    page: int = 1
    per_page: int = 20
    conditions: list[ColumnElement] = field(default_factory=list)
    order: list[ColumnElement] = field(default_factory=list)
    order_spec: str = ""
    keys: list[SortKey] = field(default_factory=list)


def _int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(_("%(name)s must be a whole number", name=name)) from None
    if not low <= value <= high:
        raise BadRequest(_("%(name)s must be between %(low)s and %(high)s", name=name, low=low, high=high))
    return value


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: ColumnElement, text: str) -> ColumnElement:
    return column.ilike(f"%{escape_like(text)}%", escape="\\")


class QueryBuilder:
    def __init__(self, ctx: Context, form: FormDef, table: Table, invisible: frozenset[str]) -> None:
        self.ctx = ctx
        self.form = form
        self.table = table
        self.invisible = invisible

    def field_for(self, name: str, param: str) -> FieldDef | None:
        """The field behind a parameter; None for a system attribute."""
        if name in SYSTEM_ATTRIBUTES:
            return None
        fdef = self.form.field(name)
        if fdef is None or name in self.invisible or not type_of(fdef).query_ops(fdef):
            raise BadRequest(_("unknown or unusable field '%(name)s' in parameter '%(param)s'", name=name, param=param))
        return fdef

    def parse_value(self, target: FieldDef, text: str, param: str) -> Any:
        try:
            return type_of(target).parse_query(target, text, self.ctx)
        except FieldError as exc:
            raise BadRequest(_("parameter '%(param)s': %(error)s", param=param, error=exc)) from None

    def condition(self, param: str, text: str) -> ColumnElement:
        name, _sep, op = param.partition("__")
        if op and op not in OPERATORS:
            raise BadRequest(_("unknown operator '__%(op)s' in parameter '%(param)s' (use __gte, __lte, __contains)",
                               op=op, param=param))
        fdef = self.field_for(name, param)
        target = fdef or FieldDef(name=name, type=SYSTEM_TYPES[name], label=name, pointer="")
        kind = type_of(target)
        if op not in (kind.query_ops(target) if fdef else SYSTEM_OPS[name]):
            if kind.multiple:
                raise BadRequest(_("parameter '%(param)s': a multiselect field supports only = and __contains",
                                   param=param))
            if op == "contains":
                raise BadRequest(_("parameter '%(param)s': __contains needs a text field", param=param))
            raise BadRequest(_("parameter '%(param)s': '%(name)s' has no order", param=param, name=name))
        column = self.table.c[name]
        if kind.multiple:  # = and __contains alike: one of its values
            return json_array_contains(column, self.parse_value(target, text, param), self.ctx.runtime.dialect)
        if op == "contains":
            return _contains(column, text)
        value = self.parse_value(target, text, param)
        if op == "gte":
            return column >= value
        if op == "lte":
            return column <= value
        return column == value

    def search(self, text: str) -> ColumnElement:
        names = [n for n in (self.form.list.search or (self.form.title_field,)) if n and n not in self.invisible]
        columns = [self.table.c[n] for n in names if n in self.table.c]
        if not columns:
            raise BadRequest(_("this form has no searchable fields"))
        return or_(*(_contains(c, text) for c in columns))

    def ordering(self, spec: str) -> list[SortKey]:
        """The sort keys of an `order_by`, ending with the id as tie-break (in the direction of
        the first part)."""
        keys = []
        for part in [p.strip() for p in spec.split(",") if p.strip()]:
            name = part.lstrip("-")
            if name not in SYSTEM_ATTRIBUTES:
                fdef = self.form.field(name)
                if fdef is None or name in self.invisible or not type_of(fdef).sortable or name not in self.table.c:
                    raise BadRequest(_("cannot order by '%(name)s'", name=name))
            keys.append(SortKey(self.table.c[name], part.startswith("-")))
        keys.append(SortKey(self.table.c.id, spec.strip().startswith("-")))
        return keys


def order_clauses(keys: list[SortKey]) -> list[ColumnElement]:
    """ORDER BY for sort keys, empty values last in either direction (`NULLS LAST`, which
    PostgreSQL and SQLite ≥ 3.30 both know; an ascending one can use a plain index)."""
    clauses: list[ColumnElement] = []
    for key in keys:
        clause = key.column.desc() if key.descending else key.column.asc()
        clauses.append(clause.nulls_last() if key.nullable else clause)
    return clauses


def parse_list_query(ctx: Context, form: FormDef, table: Table, params: Mapping[str, str],
                     invisible: frozenset[str]) -> ListQuery:
    builder = QueryBuilder(ctx, form, table, invisible)
    query = ListQuery(
        page=_int_param(params, "page", 1, 1, 10**7),
        per_page=_int_param(params, "per_page", form.list.page_size, 1, MAX_PER_PAGE),
    )
    for param in params:
        if param in RESERVED:
            continue
        for text in _all(params, param):
            query.conditions.append(builder.condition(param, text))
    if params.get("q"):
        query.conditions.append(builder.search(str(params["q"]).strip()))
    query.conditions += list_filters.conditions(ctx, form, table, params, invisible, builder.condition)
    query.conditions += quick_filters.conditions(ctx, form, table, params, invisible)
    if params.get("stage"):
        if form.workflow is None or params["stage"] not in form.workflow.stage_names:
            raise BadRequest(_("unknown stage '%(name)s'", name=params["stage"]))
        query.conditions.append(table.c.stage == params["stage"])
    query.order_spec = params.get("order_by") or default_order(form, invisible)
    query.keys = builder.ordering(query.order_spec)
    query.order = order_clauses(query.keys)
    return query


def default_order(form: FormDef, invisible: frozenset[str]) -> str:
    """The list's configured order without the fields hidden from the caller (ordering by a
    field reveals it); newest first when nothing is left."""
    parts = [p.strip() for p in (form.list.order_by or "").split(",") if p.strip()]
    kept = [p for p in parts if p.lstrip("-").split(".")[0] not in invisible]
    return ",".join(kept) if kept or not parts else "-created_at"


def _all(params: Mapping[str, str], key: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    return list(getlist(key)) if getlist else [params[key]]


def combined(conditions: list[ColumnElement]) -> ColumnElement:
    return and_(*conditions)
