"""Expression paths → SQL for one form's table (the `SqlScope` of engine.expressions).

`account.grade` becomes a correlated scalar subquery on the linked form's table,
`sum(items.subtotal)` an aggregate over the child table, and `tags` (multiselect)
membership a JSON containment test.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import cast

from engine.definitions.model import AppDef, FormDef
from engine.definitions.paths import PathError, resolve_path
from engine.expressions import ExpressionError

from .tables import Schema

_AGGREGATES: dict[str, Callable[..., ColumnElement[Any]]] = {
    "sum": func.sum, "len": func.count, "min": func.min, "max": func.max}


class FormSqlScope:
    def __init__(self, app: AppDef, schema: Schema, form: FormDef, *, user: str | None,
                 now: datetime, dialect: str) -> None:
        self.app = app
        self.schema = schema
        self.form = form
        self.table = schema[form.name].table
        self.user = user
        self.now = now
        self.dialect = dialect

    def _resolve(self, path: tuple[str, ...]):
        try:
            return resolve_path(self.app, self.form, path)
        except PathError as exc:
            raise ExpressionError(str(exc)) from None

    def column(self, path: tuple[str, ...]) -> ColumnElement:
        resolved = self._resolve(path)
        if resolved.kind in ("field", "system"):
            if path[0] not in self.table.c:
                raise ExpressionError(f"'{path[0]}' is not stored and cannot be used in a condition")
            return self.table.c[path[0]]
        if resolved.kind == "link":
            assert resolved.via is not None and resolved.target is not None
            target = self.schema[resolved.target.name].table
            return (
                select(target.c[path[1]])
                .where(target.c.id == self.table.c[resolved.via.name])
                .correlate_except(target)
                .scalar_subquery()
            )
        raise ExpressionError(f"'{'.'.join(path)}' is a list; use sum(), len(), min() or max()")

    def aggregate(self, func_name: str, path: tuple[str, ...]) -> ColumnElement:
        resolved = self._resolve(path)
        if func_name == "len" and resolved.field is not None and resolved.field.is_table:
            table_field = resolved.field  # len(items): the number of rows
        elif resolved.kind == "table" and resolved.via is not None:
            table_field = resolved.via
        else:
            raise ExpressionError(f"{func_name}() needs a table column such as items.qty")
        child = self.schema[self.form.name].children[table_field.name]
        agg = _AGGREGATES[func_name]
        value = agg() if func_name == "len" else agg(child.c[path[1]])
        return select(value).where(child.c.parent_id == self.table.c.id).correlate_except(child).scalar_subquery()

    def is_list(self, path: tuple[str, ...]) -> bool:
        try:
            return self._resolve(path).is_list
        except ExpressionError:
            return False

    def contains(self, path: tuple[str, ...], element: ColumnElement) -> ColumnElement:
        column = self.column(path)
        return json_array_contains(column, element, self.dialect)


def json_array_contains(column: ColumnElement, element: ColumnElement, dialect: str) -> ColumnElement:
    """`element` is one of the strings in the JSON array stored in `column`."""
    if dialect == "postgresql":
        return cast(column, JSONB).op("@>")(func.jsonb_build_array(element))
    each = func.json_each(column).table_valued("value")
    return exists(select(literal_column("1")).select_from(each).where(each.c.value == element))
