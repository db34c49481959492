"""Link rules (`filter`, `where`, `fill` of a link field): which records a link may point at
and what it copies from the record it points at.

One SQL query per link field and batch answers every question: the candidates of a
picker (`choices`), whether chosen links fit (`check_links`), and the values a link
copies (`apply_fill`). The reader's permissions hold throughout: only records they may
read; a filter pair or `where` reading a field hidden from them in a record (itself, or
through a formula) is not applied to that record, a `where` reading through a link a form
they may not read or a field hidden from them there is not applied at all, and a hidden
field is never copied, so matching and filling never reveal a value. The system
(`system=True`: a transition's `create`, sync) applies every rule and copies every field.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, false, not_, or_, select, true

from engine.access.visibility import fields_read, uses_hidden
from engine.definitions.model import FieldDef, FormDef
from engine.expressions import ExpressionError
from engine.expressions.sql import to_sql_condition
from engine.fieldtypes import type_of
from engine.i18n import _
from engine.store.scope import FormSqlScope

from .context import Context

Errors = dict[str, list[str]]


#: Context cache key of the linked records already looked up, kept while `remembered` runs.
MEMO = "link_rules_memo"


@contextmanager
def remembered(ctx: Context) -> Iterator[None]:
    """Linked records looked up for `filter`/`where` checks and `fill` are kept for the block:
    for checking many new records (an import) while the linked records do not change, one
    query per linked record instead of one per checked row."""
    ctx._cache[MEMO] = {}
    try:
        yield
    finally:
        ctx._cache.pop(MEMO, None)


def has_rules(field: FieldDef) -> bool:
    return bool(field.field_type.links and (field.filter or field.where is not None or field.fill))


def filter_value(ours: str, values: Mapping[str, Any], row: Mapping[str, Any] | None, row_of: FieldDef | None,
                 record_id: int | None) -> Any:
    """The current value a filter pair compares with: the row's column first, then the record's
    field; `id` is the record's id (none while creating)."""
    if row is not None and row_of is not None and row_of.subfield(ours) is not None:
        return row.get(ours)
    if ours == "id":
        return record_id
    return values.get(ours)


@dataclass
class Rules:
    """A link field's rules compiled for one reader against its linked form's table."""

    ctx: Context
    field: FieldDef
    target: FormDef
    system: bool

    def __post_init__(self) -> None:
        self.table = self.ctx.runtime.tables(self.target.name).table
        self.grants = [] if self.system else self.ctx.gate.grants(self.ctx.user, self.target, "read",
                                                                  self.ctx.local_now)

    def readable(self) -> ColumnElement[bool]:
        if self.system:
            return true()
        return self.ctx.gate.row_filter(self.ctx.user, self.target, "read", self.ctx.local_now)

    def visible(self, names: Iterable[str]) -> ColumnElement[bool]:
        """True in the records where none of these fields is hidden from the reader."""
        names = list(names)
        if self.system or not names:
            return true()
        seeing = [g for g in self.grants if not uses_hidden(names, g.hide)]
        if any(g.everything for g in seeing):
            return true()
        if not seeing:
            return false()
        return or_(*(g.clause for g in seeing))

    def applied(self, condition: ColumnElement[bool], names: Iterable[str]) -> ColumnElement[bool]:
        """`condition`, except in records where it would read a field hidden from the reader."""
        visible = self.visible(names)
        if visible is true() or self.system:
            return condition
        return or_(condition, not_(case((visible, True), else_=False)))

    def where(self) -> ColumnElement[bool]:
        expr = self.field.where
        if expr is None:
            return true()
        scope = FormSqlScope(self.ctx.app, self.ctx.runtime.schema, self.target, user=self.ctx.user.name,
                             now=self.ctx.local_now, dialect=self.ctx.runtime.dialect)
        try:
            condition = to_sql_condition(expr, scope)
        except ExpressionError as exc:
            raise ValueError(f"{self.field.pointer}/where: {exc.message}") from None
        if self.system:
            return condition
        names, through_hidden = fields_read(self.ctx.gate, self.ctx.user, self.target, expr.references(),
                                            self.ctx.local_now)
        return true() if through_hidden else self.applied(condition, names)

    def filters(self, values: Mapping[str, Any], row: Mapping[str, Any] | None, row_of: FieldDef | None,
                record_id: int | None) -> list[ColumnElement[bool]]:
        out = []
        for theirs, ours in self.field.filter or ():
            value = filter_value(ours, values, row, row_of, record_id)
            if value is None or value == "":
                continue  # an empty value does not restrict
            out.append(self.applied(self.table.c[theirs] == value, [theirs]))
        return out

    def fill_columns(self) -> list[Any]:
        """The linked columns `fill` copies, each with a flag: may the reader read it there."""
        columns: list[Any] = []
        for theirs in dict.fromkeys(theirs for _ours, theirs in self.field.fill or ()):  # each source once
            columns.append(self.table.c[theirs].label(f"v_{theirs}"))
            columns.append(case((self.visible([theirs]), True), else_=False).label(f"s_{theirs}"))
        return columns


def copies(rules: Rules, row: Any) -> dict[str, Any]:
    """target → value that a fetched linked record gives to `fill` (only fields the reader reads)."""
    mapping = row._mapping
    return {ours: mapping[f"v_{theirs}"] for ours, theirs in rules.field.fill or ()
            if mapping[f"s_{theirs}"]}


def _rules_for(ctx: Context, field: FieldDef, system: bool) -> Rules | None:
    target = ctx.app.form(field.form or "")
    return Rules(ctx, field, target, system) if target is not None else None


def _record_id(ctx: Context, form: FormDef) -> int | None:
    return ctx.editing[1] if ctx.editing is not None and ctx.editing[0] == form.name else None


# -- checking chosen links -----------------------------------------------------------------


@dataclass
class _Chosen:
    key: str  # where an error goes: `field` or `table.i.column`
    id: int
    row: Mapping[str, Any] | None


def _misfits(rules: Rules, chosen: list[_Chosen], values: Mapping[str, Any], row_of: FieldDef | None,
             record_id: int | None) -> list[tuple[_Chosen, bool]]:
    """The chosen links that do not fit the rules (one query for all of them), each with
    whether it fails the `filter` (else it is no record the `where` lets one choose)."""
    table = rules.table
    pairs = list(rules.field.filter or ())
    columns: list[Any] = [table.c.id]
    for theirs, _ours in pairs:
        columns += [table.c[theirs], case((rules.visible([theirs]), True), else_=False)]
    memo = rules.ctx._cache.get(MEMO)
    key = ("check", rules.field.pointer, rules.system)
    wanted = {c.id for c in chosen} - (set(memo.get(key, {})) if memo is not None else set())
    found: dict[int, Any] = {}
    if wanted:
        stmt = select(*columns).where(table.c.id.in_(wanted), rules.readable(), rules.where())
        found = {row[0]: row[1:] for row in rules.ctx.session.execute(stmt)}
    if memo is not None:
        known = memo.setdefault(key, {})
        known.update({i: found.get(i) for i in wanted})
        found = known
    bad = []
    for item in chosen:
        got = found.get(item.id)
        if got is None:
            bad.append((item, False))
            continue
        for i, (_theirs, ours) in enumerate(pairs):
            wanted = filter_value(ours, values, item.row, row_of, record_id)
            stored, seen = got[2 * i], got[2 * i + 1]
            if wanted not in (None, "") and seen and stored != wanted:
                bad.append((item, True))
                break
    return bad


def _misfit_message(ctx: Context, rules: Rules, form: FormDef, row_of: FieldDef | None, by_filter: bool) -> str:
    """A link failing its `filter` names the fields it must match; one the `where` (or the
    reader's access) rules out is no record that may be chosen here."""
    def label(name: str) -> str:
        found = (row_of.subfield(name) if row_of is not None else None) or form.field(name)
        return found.label if found is not None else name
    names = [label(ours) for _theirs, ours in rules.field.filter or () if ours != "id"]
    if by_filter and names:
        return _("must be a %(form)s of the chosen %(fields)s", form=rules.target.title, fields=", ".join(names))
    return _("is not among the %(form)s records that may be chosen here", form=rules.target.title)


def _new_row_links(table: FieldDef, sub: FieldDef, rows: list[Mapping[str, Any]],
                   stored: list[Mapping[str, Any]]) -> list[int]:
    """Indexes of the rows whose link `sub` is not one of the stored rows' with the same values
    of the row's columns its filter names (rows have no identity: matched by those values, as
    read-only columns are; each stored row matches once). Those rows' links are checked; an
    unchanged row keeps its link even if the linked record no longer fits."""
    columns = [ours for _theirs, ours in sub.filter or () if table.subfield(ours) is not None]
    return _unmatched_rows(rows, stored, (sub.name, *columns))


def _unmatched_rows(rows: list[Mapping[str, Any]], stored: list[Mapping[str, Any]], names: Iterable[str]) -> list[int]:
    """Indexes of the rows that match no stored row by the values of `names` (each stored row
    matches one row; "" counts as empty)."""
    names = tuple(names)

    def key(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(None if row.get(n) == "" else row.get(n) for n in names)
    left = Counter(key(row) for row in stored)
    out = []
    for i, row in enumerate(rows):
        if left[key(row)] > 0:
            left[key(row)] -= 1
        else:
            out.append(i)
    return out


def check_links(ctx: Context, form: FormDef, values: Mapping[str, Any], changed: set[str], errors: Errors, *,
                system: bool, current: Mapping[str, Any] | None = None) -> None:
    """A 422 for each link (also in table rows) that does not fit its `filter` and `where`,
    checked when the link or a field its filter names changed. A table row whose link and
    filter columns are those of a stored row (`current`), with no record field its filter
    names changed, is not checked again."""
    record_id = _record_id(ctx, form)
    for field in form.fields:
        if field.is_table:
            rows = values.get(field.name) or []
            for sub in field.fields:
                names = {ours for _theirs, ours in sub.filter or ()}
                if not (sub.filter or sub.where is not None) or not (field.name in changed or names & changed):
                    continue
                on_record = {n for n in names if field.subfield(n) is None}
                indexes = (range(len(rows)) if on_record & changed or current is None
                           else _new_row_links(field, sub, rows, (current or {}).get(field.name) or []))
                chosen = [_Chosen(f"{field.name}.{i}.{sub.name}", rows[i][sub.name], rows[i]) for i in indexes
                          if isinstance(rows[i].get(sub.name), int) and f"{field.name}.{i}.{sub.name}" not in errors]
                _report(ctx, form, sub, field, chosen, values, record_id, errors, system)
            continue
        if not (field.field_type.links and (field.filter or field.where is not None)):
            continue
        value = values.get(field.name)
        names = {ours for _theirs, ours in field.filter or ()}
        if isinstance(value, int) and field.name not in errors and (field.name in changed or names & changed):
            _report(ctx, form, field, None, [_Chosen(field.name, value, None)], values, record_id, errors, system)


def _report(ctx: Context, form: FormDef, field: FieldDef, row_of: FieldDef | None, chosen: list[_Chosen],
            values: Mapping[str, Any], record_id: int | None, errors: Errors, system: bool) -> None:
    rules = _rules_for(ctx, field, system)
    if rules is None or not chosen:
        return
    for item, by_filter in _misfits(rules, chosen, values, row_of, record_id):
        errors.setdefault(item.key, []).append(_misfit_message(ctx, rules, form, row_of, by_filter))


# -- filling from the linked record ----------------------------------------------------------


def _fetch_copies(rules: Rules, ids: set[int]) -> dict[int, dict[str, Any]]:
    """linked id → {target: value} of the records among `ids` the reader may read."""
    if not ids:
        return {}
    table = rules.table
    memo = rules.ctx._cache.get(MEMO)
    key = ("fill", rules.field.pointer, rules.system)
    wanted = ids - (set(memo.get(key, {})) if memo is not None else set())
    found: dict[int, Any] = {}
    if wanted:
        stmt = select(table.c.id, *rules.fill_columns()).where(table.c.id.in_(wanted), rules.readable())
        found = {row.id: copies(rules, row) for row in rules.ctx.session.execute(stmt)}
        if not rules.system:  # read under the user's read rule: checking these links needs no query of its own
            for record_id in found:
                rules.ctx.known_readable(rules.target.name, record_id)
    if memo is None:
        return found
    known = memo.setdefault(key, {})
    known.update({i: found.get(i) for i in wanted})
    return {i: known[i] for i in ids if known.get(i) is not None}


def apply_fill(ctx: Context, form: FormDef, values: dict[str, Any], incoming: Mapping[str, Any],
               current: Mapping[str, Any] | None, *, system: bool, locked: Any) -> None:
    """Copy `fill` targets from the linked records into `values` (before formulas run).
    A record field: on create, targets absent or empty in `incoming`; on update, when the
    link changed, targets not in `incoming` (emptied when the link was emptied); a target the
    user may not change (`locked(field)`) always takes the copy. A table row: targets empty
    in the row, and locked columns of a row whose link is new or changed."""
    for field in form.fields:
        if field.is_table:
            if field.name in incoming:
                _fill_rows(ctx, field, values, current, system)
            continue
        if not (field.field_type.links and field.fill):
            continue
        value = values.get(field.name)
        changed = current is None or current.get(field.name) != value
        if not changed:
            continue
        if value is None:  # emptied: so are its copies, unless given in the same request
            if current is not None:
                for target, _source in field.fill:
                    dest = form.field(target)
                    if dest is not None and (target not in incoming or locked(dest)):
                        values[target] = None
            continue
        if not isinstance(value, int):
            continue
        rules = _rules_for(ctx, field, system)
        if rules is None:
            continue
        copied = _fetch_copies(rules, {value}).get(value, {})
        for target, copy in copied.items():
            dest = form.field(target)
            if dest is None:
                continue
            explicit = target in incoming and (current is not None or incoming[target] not in (None, "", []))
            if not explicit or locked(dest):
                values[target] = copy


def _same_value(a: Any, b: Any) -> bool:
    return a == b or (a in (None, "") and b in (None, ""))


def _fill_rows(ctx: Context, table_field: FieldDef, values: dict[str, Any], current: Mapping[str, Any] | None,
               system: bool) -> None:
    """A row's link is new when no stored row (not matched yet) has the same link: such a row
    takes fresh copies into targets that are empty, read-only, or hold what the stored row at
    the same position held (sent back unchanged); a target typed with the new link is kept.
    A row whose link is a stored row's only has its empty targets filled."""
    rows = values.get(table_field.name)
    if not rows:
        return
    before = list((current or {}).get(table_field.name) or [])
    for sub in table_field.fields:
        if not (sub.field_type.links and sub.fill):
            continue
        rules = _rules_for(ctx, sub, system)
        if rules is None:
            continue
        copied = _fetch_copies(rules, {r.get(sub.name) for r in rows if isinstance(r.get(sub.name), int)})
        new_links = set(_unmatched_rows(rows, before, (sub.name,)))
        for i, row in enumerate(rows):
            value = row.get(sub.name)
            if value not in copied:
                continue
            was = before[i] if i < len(before) else None
            for target, copy in copied[value].items():
                dest = table_field.subfield(target)
                if dest is None:
                    continue
                sent_back = was is not None and _same_value(row.get(target), was.get(target))
                if type_of(dest).is_empty(row.get(target)) or (i in new_links and (dest.readonly or sent_back)):
                    row[target] = copy
