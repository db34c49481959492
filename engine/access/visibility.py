"""What of a record a reader may see: the one place that turns a hide set (fields such as
`amount` and table columns such as `items.price`, from the gate for that reader and row)
into output. Record values on every path (API and pages, export, history, reminder texts)
pass through `visible_values`/`visible_value` (history entries through `visible_entry`);
things computed from fields (charts) ask `uses_hidden`; forms people fill in and schemas
(forms API, OpenAPI) use `without_hidden_columns`. So a hidden field or
column never leaves the product by a side door."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from engine.auth.users import User
from engine.definitions.model import FormDef

if TYPE_CHECKING:
    from .gate import Gate


def hidden_columns(field_name: str, hidden: Iterable[str]) -> frozenset[str]:
    """The columns of table field `field_name` hidden by `hidden` (`items.price` → `price`)."""
    prefix = field_name + "."
    return frozenset(h[len(prefix):] for h in hidden if h.startswith(prefix))


def visible_value(field_name: str, value: Any, hidden: frozenset[str]) -> Any:
    """One field's value as the reader may see it: a table without its hidden columns.
    (Whether the field itself is hidden is the caller's question.)"""
    if not isinstance(value, list) or not hidden:
        return value
    columns = hidden_columns(field_name, hidden)
    if not columns:
        return value
    return [{k: v for k, v in row.items() if k not in columns} if isinstance(row, Mapping) else row
            for row in value]


def visible_values(values: Mapping[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """A record's values (stored or encoded, keyed by field name) without the hidden fields
    and without the hidden columns of its tables."""
    return {name: visible_value(name, value, hidden) for name, value in values.items() if name not in hidden}


def visible_changes(changes: Iterable[Mapping[str, Any]], hidden: frozenset[str]) -> list[dict[str, Any]]:
    """A history entry's field changes as the reader may see them: no hidden field, tables
    without their hidden columns, and no table whose change lay only in hidden columns (its
    visible old and new are equal), so an edit of hidden values shows only who and when."""
    shown = []
    for change in changes:
        name = change.get("field")
        if not isinstance(name, str) or name in hidden:
            continue  # a change that names no field cannot be shown safely
        old = visible_value(name, change.get("old"), hidden)
        new = visible_value(name, change.get("new"), hidden)
        if old == new and hidden_columns(name, hidden):
            continue
        shown.append({**change, "old": old, "new": new})
    return shown


def visible_entry(action: str, details: Mapping[str, Any], hidden: frozenset[str]) -> dict[str, Any] | None:
    """A history entry's details as the reader may see them, or None when the reader is not to
    see the entry at all: an edit (`update`) none of whose changes they may see, which would
    show only that someone changed something hidden. Other actions (a transition, a comment)
    stay, their changes and values without what is hidden."""
    shown = dict(details)
    if "changes" in shown:
        shown["changes"] = visible_changes(shown["changes"], hidden)
    if "values" in shown:
        shown["values"] = visible_values(shown["values"], hidden)
    if action == "update" and not shown.get("changes"):
        return None
    return shown


def uses_hidden(names: Iterable[str], hidden: frozenset[str]) -> bool:
    """Whether any of these field names (or `a.b` paths) is hidden, or is a table with a
    hidden column: for things computed from fields (charts, messages, filters)."""
    for name in names:
        head, _dot, column = name.partition(".")
        if name in hidden or head in hidden or (not column and hidden_columns(head, hidden)):
            return True
    return False


def fields_read(gate: Gate, user: User, form: FormDef, paths: Iterable[tuple[str, ...]],
                now: datetime) -> tuple[list[str], bool]:
    """What an expression's paths over `form` read, for things computed from fields (charts,
    a link's `where`, a print's related block): the field names of `form` (`a` or `table.column`,
    a formula's inputs too) to ask `uses_hidden` about, and whether a path reads through a link
    a form the user may not read or a field hidden from them there (conservatively: hidden by
    any of their roles)."""
    names: list[str] = []
    todo, seen = list(paths), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        names.append(".".join(path[:2]))
        field = form.field(path[0])
        if field is not None and field.formula is not None:  # a formula over a hidden field
            todo += list(field.formula.references())
        if len(path) > 1 and field is not None and field.field_type.links:
            target = gate.app.form(field.form or "")
            if target is None or not gate.can(user, target, "read") \
                    or uses_hidden([path[1]], gate.never_visible(user, target, now)):
                return names, True
    return names, False


def without_hidden_columns(form: FormDef, hidden: frozenset[str]) -> FormDef:
    """The form as this user sees it on a page: its tables without the columns hidden from
    them, so an edit or create form neither shows nor submits them."""
    if not any("." in name for name in hidden):
        return form
    fields = tuple(
        f.with_settings(fields=tuple(s for s in f.fields if s.name not in hidden_columns(f.name, hidden)))
        if f.is_table else f
        for f in form.fields)
    return replace(form, fields=fields)


def hidden_in_record(gate: Gate, session: Session, user: User, form: FormDef, record_id: int,
                     now: datetime, *, participation: bool = True) -> frozenset[str] | None:
    """Fields hidden from `user` in one stored record, or None when the user may not read it:
    for output made for someone other than the acting user (a reminder's text). With
    `participation=False` only through their roles (not their part in an approval)."""
    grants = gate.grants(user, form, "read", now, participation=participation)
    if not grants:
        return None
    table = gate.schema[form.name].table
    flags = [case((g.clause, True), else_=False) for g in grants]
    row = session.execute(select(*flags).where(table.c.id == record_id)).first()
    if row is None or not any(row):
        return None
    return gate.hidden_in_row(grants, [bool(flag) for flag in row])


def file_readable(gate: Gate, session: Session, user: User, file: Any, now: datetime) -> bool:
    """Whether `user` may download a stored file (a row of `engine_files`): their own upload
    that no record has taken yet, or a file of a record they may read whose field, table or
    table column (`parts.sheet`) is not hidden from them."""
    if file.record_id is None:
        return bool(file.uploaded_by == user.name)
    form = gate.app.form(file.form)
    if form is None:
        return False
    hidden = hidden_in_record(gate, session, user, form, file.record_id, now)
    return hidden is not None and not uses_hidden([file.field or ""], hidden)


#: Why someone may not decide on a record (`may_decide`): no read access through their own
#: roles, or a field of the form hidden from them in that record.
UNREADABLE, PARTLY_HIDDEN = "unreadable", "partly_hidden"


def may_decide(gate: Gate, session: Session, people: Iterable[User], form: FormDef, record_id: int,
               now: datetime) -> dict[str, str | None]:
    """For each person, None when they may decide on the record (an approver decides on the
    whole record: they read it through their own roles, row rules included, and no field is
    hidden from them in it), else UNREADABLE or PARTLY_HIDDEN. The read access an open task
    gives does not count. People whose rows depend only on their roles are asked once per
    role set, so the cost grows with the role sets, not the people."""
    table = gate.schema[form.name].table
    answers: dict[Any, str | None] = {}
    out: dict[str, str | None] = {}
    for person in people:
        key: Any = (person.roles, person.active) if not gate.depends_on_user(person, form, "read") \
            else ("user", person.name)
        if key not in answers:
            grants = gate.grants(person, form, "read", now, participation=False)
            answers[key] = UNREADABLE
            if grants:
                flags = [case((g.clause, True), else_=False) for g in grants]
                row = session.execute(select(*flags).where(table.c.id == record_id)).first()
                if row is not None and any(row):
                    hidden = gate.hidden_in_row(grants, [bool(flag) for flag in row])
                    answers[key] = PARTLY_HIDDEN if hidden else None
        out[person.name] = answers[key]
    return out
