"""Record-level computation: defaults, formulas and `visible_if`, in definition order."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine.definitions.model import SYSTEM_ATTRIBUTES, FieldDef, FormDef
from engine.expressions import Expression, ExpressionError, evaluate
from engine.fieldtypes import FieldError, type_of

from .context import Context


class RecordScope:
    """EvalScope over a record's values (and, for `a.b`, its linked records)."""

    def __init__(self, ctx: Context | None, form: FormDef, values: Mapping[str, Any],
                 meta: Mapping[str, Any] | None = None, *, now: datetime, user: str | None) -> None:
        self.ctx = ctx
        self.form = form
        self.values = values
        self.meta = meta or {}
        self.now = now
        self.user = user

    def lookup(self, path: tuple[str, ...]) -> Any:
        head = path[0]
        if len(path) == 1:
            if head in SYSTEM_ATTRIBUTES:
                return self.meta.get(head)
            field = self.form.field(head)
            if field is None:
                raise ExpressionError(f"unknown field '{head}'")
            if field.is_table:  # only len(rows) is meaningful on a whole table
                return [True] * len(self.values.get(head) or [])
            return self.values.get(head)
        field = self.form.field(head)
        if field is not None and field.is_table:
            return [row.get(path[1]) for row in self.values.get(head) or []]
        if field is not None and field.field_type.links:
            return self.linked(field, self.values.get(head), path[1])
        raise ExpressionError(f"unknown path '{'.'.join(path)}'")

    def linked(self, field: FieldDef, record_id: Any, name: str) -> Any:
        if record_id is None or self.ctx is None:
            return None
        key = ("link", field.form, record_id)
        cache = self.ctx._cache
        if key not in cache:
            table = self.ctx.runtime.tables(field.form or "").table
            row = self.ctx.session.execute(select(table).where(table.c.id == record_id)).first()
            cache[key] = dict(row._mapping) if row else {}
        return cache[key].get(name)


class RowScope:
    """EvalScope over one row of a table field."""

    def __init__(self, table: FieldDef, row: Mapping[str, Any], *, now: datetime, user: str | None) -> None:
        self.table = table
        self.row = row
        self.now = now
        self.user = user

    def lookup(self, path: tuple[str, ...]) -> Any:
        if len(path) != 1 or self.table.subfield(path[0]) is None:
            raise ExpressionError(f"unknown column '{'.'.join(path)}'")
        return self.row.get(path[0])


def default_value(field: FieldDef, ctx: Context) -> Any:
    default = field.default
    if default == "$user":  # not a user the field would refuse (one without its `role`): left empty
        return None if type_of(field).check(field, ctx.user.name, ctx) else ctx.user.name
    if default == "$today":
        return ctx.local_now.date()
    if default == "$now":
        return ctx.now
    if default is None:
        return None
    try:
        return type_of(field).decode(field, default, ctx)
    except FieldError:
        return None


def coerce_result(field: FieldDef, value: Any) -> Any:
    """A formula's value as its result type stores it (a decimal rounded to `precision`);
    None when it cannot be."""
    if value is None:
        return None
    try:
        return type_of(field).from_expression(field, value)
    except (ArithmeticError, TypeError, ValueError):  # FieldError is a ValueError
        return None


def safe_eval(expr: Expression, scope: Any) -> tuple[Any, str | None]:
    try:
        return evaluate(expr, scope), None
    except ExpressionError as exc:
        return None, exc.message


def _formulas(fields: Iterable[FieldDef]) -> list[tuple[FieldDef, Expression]]:
    return [(f, f.formula) for f in fields if isinstance(f.formula, Expression)]


def compute_rows(table: FieldDef, rows: list[dict[str, Any]], ctx: Context) -> None:
    formulas = _formulas(table.fields)
    for row in rows:
        for _ in range(len(formulas)):  # fixpoint over formulas that use formulas (no cycles)
            for sub, formula in formulas:
                value, _err = safe_eval(formula, RowScope(table, row, now=ctx.local_now, user=ctx.user.name))
                row[sub.name] = coerce_result(sub, value)


def compute_formulas(form: FormDef, values: dict[str, Any], meta: Mapping[str, Any], ctx: Context) -> None:
    for field in form.fields:
        if field.is_table:
            compute_rows(field, values.get(field.name) or [], ctx)
    compute_record_formulas(form, _formulas(form.fields), values, meta, ctx)


def formulas_moved_by(form: FormDef, names: Iterable[str]) -> tuple[list[tuple[FieldDef, Expression]], bool]:
    """The record formulas a change of the fields `names` can move (those naming one of them, or
    naming such a formula), in definition order, and whether any of those reads a table field
    (its rows are then needed to compute them)."""
    moved = set(names)
    formulas = _formulas(form.fields)
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for field, formula in formulas:
            if field.name not in found and any(path[0] in moved for path in formula.references()):
                found.add(field.name)
                moved.add(field.name)
                grew = True
    chosen = [(field, formula) for field, formula in formulas if field.name in found]
    tables = {f.name for f in form.fields if f.is_table}
    return chosen, any(path[0] in tables for _field, formula in chosen for path in formula.references())


def compute_record_formulas(form: FormDef, formulas: list[tuple[FieldDef, Expression]], values: dict[str, Any],
                            meta: Mapping[str, Any], ctx: Context) -> None:
    """These record formulas computed into `values`, in order, until those that use others are
    settled; the form's other formulas keep their values."""
    for _ in range(len(formulas)):
        for field, formula in formulas:
            scope = RecordScope(ctx, form, values, meta, now=ctx.local_now, user=ctx.user.name)
            value, _err = safe_eval(formula, scope)
            values[field.name] = coerce_result(field, value)


def hidden_by_condition(form: FormDef, values: Mapping[str, Any], meta: Mapping[str, Any],
                        ctx: Context) -> set[str]:
    """Fields whose `visible_if` is false now: neither required nor saved."""
    hidden = set()
    scope = RecordScope(ctx, form, values, meta, now=ctx.local_now, user=ctx.user.name)
    for field in form.fields:
        if field.visible_if is not None:
            visible, err = safe_eval(field.visible_if, scope)
            if err is not None or not visible:
                hidden.add(field.name)
    return hidden
