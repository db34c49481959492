"""Incoming field values → complete, validated record values, or per-field errors.

The same rules serve the API, the pages and imports: unknown and hidden fields
are refused, values are decoded by their field type, defaults and formulas are
applied, `visible_if`-hidden fields are dropped, then required, type constraints
(links readable, users active, files usable) and unique values are checked.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select

from engine.definitions.model import FieldDef, FormDef
from engine.errors import ValidationFailed
from engine.fieldtypes import FieldError, type_of
from engine.i18n import _

from .compute import compute_formulas, default_value, hidden_by_condition
from .context import Context
from .links import apply_fill, check_links

#: Rows a table field accepts when its definition sets no max_rows.
DEFAULT_MAX_ROWS = 1000

Errors = dict[str, list[str]]


def _decode(field: FieldDef, raw: Any, ctx: Context, key: str, errors: Errors) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return type_of(field).decode(field, raw, ctx)
    except FieldError as exc:
        errors.setdefault(key, []).append(str(exc))
        return None


def _decode_rows(table: FieldDef, raw: Any, ctx: Context, errors: Errors) -> list[dict[str, Any]] | None:
    rows = _decode(table, raw, ctx, table.name, errors)
    if rows is None:
        return [] if raw is not None else None
    limit = table.max_rows or DEFAULT_MAX_ROWS
    if len(rows) > limit:
        errors.setdefault(table.name, []).append(_("at most %(n)s rows", n=limit))
        return None
    decoded = []
    for i, row in enumerate(rows):
        out: dict[str, Any] = {}
        for key, value in row.items():
            sub = table.subfield(key)
            if sub is None:
                errors.setdefault(f"{table.name}.{i}.{key}", []).append(_("unknown column"))
            elif not sub.computed:  # computed columns are recomputed; echoes are ignored
                out[key] = _decode(sub, value, ctx, f"{table.name}.{i}.{key}", errors)
        decoded.append(out)
    return decoded


def _same(a: Any, b: Any) -> bool:
    return a == b or (a in (None, "", []) and b in (None, "", []))


def error_label(form: FormDef | None, key: str) -> str:
    """An error's key as people read it: `lines.2.qty` → "Lines, row 3, Qty", a field → its
    label (from the form, in the current language); an unknown key as it is."""
    name, _dot, rest = key.partition(".")
    field = form.field(name) if form is not None else None
    if field is None:
        return key
    if not rest:
        return field.label
    index, _dot, column = rest.partition(".")
    sub = field.subfield(column) if column else None
    if index.isdigit() and sub is not None:
        return _("%(table)s, row %(row)s, %(column)s", table=field.label, row=int(index) + 1, column=sub.label)
    return f"{field.label} {rest}"


def prepare_values(
    ctx: Context,
    form: FormDef,
    incoming: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | None,
    meta: Mapping[str, Any],
    hidden: frozenset[str],
    editable: Callable[[FieldDef], str | None],
    check_rows: Callable[[FieldDef, list[dict[str, Any]], list[dict[str, Any]]], Errors] | None = None,
    system: bool = False,
) -> tuple[dict[str, Any], set[str]]:
    """Returns (all values, names of changed fields). `editable(field)` returns None when
    the caller may change the field, else the reason it may not; `check_rows(table, rows,
    stored rows)` checks (and may complete) the decoded rows of a table given, returning
    errors by `table.i.column` (read-only columns). Links copy their `fill` and must fit
    their `filter` and `where` (records.links): for the user, or with `system` for the
    engine acting on its own."""
    errors: Errors = {}
    creating = current is None
    values: dict[str, Any] = dict(current) if current is not None else {}
    given: dict[str, Any] = {}
    for key, raw in incoming.items():
        field = form.field(key)
        if field is None or key in hidden:
            errors.setdefault(key, []).append(_("unknown field"))
            continue
        if field.computed:
            errors.setdefault(key, []).append(_("is computed and cannot be set"))
            continue
        decoded = _decode_rows(field, raw, ctx, errors) if field.is_table else _decode(field, raw, ctx, key, errors)
        if not creating and _same(decoded, values.get(key)):
            continue
        reason = editable(field)
        if reason is not None:
            errors.setdefault(key, []).append(reason)
            continue
        if check_rows is not None and field.is_table and decoded is not None:
            for where, messages in check_rows(field, decoded, values.get(key) or []).items():
                errors.setdefault(where, []).extend(messages)
        given[key] = decoded

    if creating:
        for field in form.fields:
            if field.name not in given and not field.computed and field.default is not None:
                values[field.name] = default_value(field, ctx)
            elif (start := field.field_type.start_value(field)) is not None:
                values[field.name] = start
    values.update(given)
    known = {k: v for k, v in incoming.items() if k not in errors}
    apply_fill(ctx, form, values, known, current, system=system, locked=lambda f: editable(f) is not None)
    compute_formulas(form, values, meta, ctx)
    for name in hidden_by_condition(form, values, meta, ctx):
        if name not in hidden:
            values[name] = [] if (f := form.field(name)) is not None and f.is_table else None

    changed = {f.name for f in form.fields if creating or not _same(values.get(f.name), (current or {}).get(f.name))}
    _check(ctx, form, values, changed, hidden, errors)
    check_links(ctx, form, values, changed, errors, system=system, current=current)
    if errors:
        raise ValidationFailed(errors)
    return values, changed


def _check(ctx: Context, form: FormDef, values: Mapping[str, Any], changed: set[str],
           hidden: frozenset[str], errors: Errors) -> None:
    conditional = hidden_by_condition(form, values, {}, ctx)
    _look_up_links(ctx, form, values, changed)
    for field in form.fields:
        if field.name in conditional or field.computed or field.name in errors:
            continue
        value = values.get(field.name)
        kind = type_of(field)
        if field.required and kind.is_empty(value):
            if field.name not in hidden:
                errors.setdefault(field.name, []).append(_("required"))
            continue
        if field.name not in changed:
            continue
        if field.is_table and field.name not in hidden:  # row counts hold for no rows too
            for message in kind.check(field, value or [], ctx):
                errors.setdefault(field.name, []).append(message)
        if kind.is_empty(value):
            continue
        if field.is_table:
            if not isinstance(value, list):
                raise TypeError(f"the rows of table field '{field.name}' must be a list, not {type(value).__name__}")
            _check_rows(ctx, field, value, errors)
        else:
            for message in kind.check(field, value, ctx):
                errors.setdefault(field.name, []).append(message)
        if field.unique:
            _check_unique(ctx, form, field, value, errors)


def linked_ids(form: FormDef, values: Mapping[str, Any], changed: set[str]) -> dict[str, set[int]]:
    """The records that changed links (fields and table columns) point at: linked form → ids."""
    wanted: dict[str, set[int]] = {}

    def want(field: FieldDef, value: Any) -> None:
        if field.field_type.links and field.form and isinstance(value, int) and not isinstance(value, bool):
            wanted.setdefault(field.form, set()).add(value)

    for field in form.fields:
        if field.name not in changed:
            continue
        value = values.get(field.name)
        if field.is_table and isinstance(value, list):
            for row in value:
                for sub in field.fields:
                    if isinstance(row, dict):
                        want(sub, row.get(sub.name))
        else:
            want(field, value)
    return wanted


def _look_up_links(ctx: Context, form: FormDef, values: Mapping[str, Any], changed: set[str]) -> None:
    """The records that changed links point at (`linked_ids`), looked up with one query per linked
    form under the user's read rule, so that checking each link costs no query of its own (a link
    to a record not found is still checked, and refused, one by one)."""
    wanted = {name: {i for i in ids if not ctx.knows_readable(name, i)}
              for name, ids in linked_ids(form, values, changed).items()}
    for name, ids in wanted.items():
        if not ids:
            continue
        target = ctx.app.form(name)
        if target is None:
            continue
        table = ctx.runtime.tables(name).table
        condition = ctx.gate.row_filter(ctx.user, target, "read", ctx.local_now)
        for (record_id,) in ctx.session.execute(select(table.c.id).where(table.c.id.in_(sorted(ids)), condition)):
            ctx.known_readable(name, record_id)


def _check_rows(ctx: Context, table: FieldDef, rows: list[dict[str, Any]], errors: Errors) -> None:
    for i, row in enumerate(rows):
        for sub in table.fields:
            if sub.computed:
                continue
            value = row.get(sub.name)
            kind = type_of(sub)
            key = f"{table.name}.{i}.{sub.name}"
            if kind.is_empty(value):
                if sub.required:
                    errors.setdefault(key, []).append(_("required"))
                continue
            for message in kind.check(sub, value, ctx):
                errors.setdefault(key, []).append(message)


def _check_unique(ctx: Context, form: FormDef, field: FieldDef, value: Any, errors: Errors) -> None:
    table = ctx.runtime.tables(form.name).table
    stmt = select(func.count()).select_from(table).where(table.c[field.name] == value)
    if ctx.editing is not None:
        stmt = stmt.where(table.c.id != ctx.editing[1])
    if ctx.session.execute(stmt).scalar_one():
        errors.setdefault(field.name, []).append(_("%(value)s is already used by another record", value=repr(value)))
