"""The one permission gate. Every page, API call, link lookup, list, count, export
and chart asks it; list queries get row rules as SQL conditions.

Semantics (docs/reference.md, Permissions): a user's roles grant the union of rows; a field hidden from
the role that grants a row stays hidden in that row, so the fields hidden in a
row are the intersection of the `hide` sets of the roles that grant it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, or_, select, true
from sqlalchemy.orm import Session

from engine.auth.users import User
from engine.definitions.model import AppDef, FormDef, PermissionDef, RowRule
from engine.expressions import evaluate_condition, to_sql
from engine.store.scope import FormSqlScope
from engine.store.system import carbon_copies, tasks
from engine.store.tables import Schema

ACTIONS = ("read", "update", "delete")


@dataclass(frozen=True)
class Grant:
    """Rows a group of the user's roles may act on, and the fields those roles may not see."""

    clause: ColumnElement
    hide: frozenset[str]
    everything: bool  # the clause is TRUE


class Gate:
    def __init__(self, app: AppDef, schema: Schema, dialect: str) -> None:
        self.app = app
        self.schema = schema
        self.dialect = dialect

    def permissions(self, user: User, form: FormDef) -> list[PermissionDef]:
        found = [form.permission(role) for role in sorted(user.roles)]
        return [p for p in found if p is not None]

    def can_create(self, user: User, form: FormDef) -> bool:
        return user.active and any(p.create for p in self.permissions(user, form))

    def can(self, user: User, form: FormDef, action: str) -> bool:
        """Whether any of the user's roles grants `action` on some rows of the form."""
        return user.active and any(p.rule(action).grants for p in self.permissions(user, form))

    def readable_forms(self, user: User) -> list[FormDef]:
        return [f for f in self.app.forms.values() if self.can(user, f, "read")]

    # -- rows ----------------------------------------------------------------------

    def _rule_clause(self, rule: RowRule, user: User, form: FormDef, now: datetime) -> ColumnElement:
        table = self.schema[form.name].table
        if rule.kind == "all":
            return true()
        if rule.kind == "own":
            return table.c[form.owner_attribute] == user.name
        if rule.kind == "where" and rule.where is not None:
            scope = FormSqlScope(self.app, self.schema, form, user=user.name, now=now, dialect=self.dialect)
            return to_sql(rule.where, scope)
        return false()

    def grants(self, user: User, form: FormDef, action: str, now: datetime, *,
               participation: bool = True) -> list[Grant]:
        """The user's grants for `action`, one per distinct hide set (with `participation=False`
        only those of their roles, not the read access that taking part in a record gives)."""
        if not user.active:
            return []
        by_hide: dict[frozenset[str], list[ColumnElement]] = {}
        everything: set[frozenset[str]] = set()
        for perm in self.permissions(user, form):
            rule = perm.rule(action)
            if not rule.grants:
                continue
            hide = perm.hide
            if rule.kind == "all":
                everything.add(hide)
            by_hide.setdefault(hide, []).append(self._rule_clause(rule, user, form, now))
        grants = [
            Grant(true() if hide in everything else or_(*clauses), hide, hide in everything)
            for hide, clauses in by_hide.items()
        ]
        if participation and action == "read" and not any(g.everything for g in grants):
            # Approvers and people copied (抄送) may read the records they take part in.
            own_hides = [p.hide for p in self.permissions(user, form)]
            hide = frozenset.intersection(*own_hides) if own_hides else frozenset()
            grants.append(Grant(self._participant_clause(user, form), hide, False))
        return grants

    def _participant_clause(self, user: User, form: FormDef) -> ColumnElement:
        table = self.schema[form.name].table
        return or_(*(table.c.id.in_(ids) for ids in participation(form.name, user.name)))

    def row_filter(self, user: User, form: FormDef, action: str, now: datetime) -> ColumnElement:
        """SQL condition selecting exactly the rows the user may `action`."""
        grants = self.grants(user, form, action, now)
        if not grants:
            return false()
        if any(g.everything for g in grants):
            return true()
        return or_(*(g.clause for g in grants))

    # -- fields --------------------------------------------------------------------

    def never_visible(self, user: User, form: FormDef, now: datetime) -> frozenset[str]:
        """Fields hidden by any role that grants the user rows (conservatively: for filters,
        ordering, search, the form description and create, which are not tied to one row)."""
        # The hide sets of `grants(user, form, "read", now)`, without building its SQL: this
        # runs for every form in the page header, so it stays plain set arithmetic.
        if not user.active:
            return frozenset(form.field_names)
        perms = self.permissions(user, form)
        granting = [p for p in perms if p.rule("read").grants]
        hides = [p.hide for p in granting]
        if not any(p.rule("read").kind == "all" for p in granting):  # the participation grant
            hides.append(frozenset.intersection(*(p.hide for p in perms)) if perms else frozenset())
        return frozenset().union(*hides)

    def depends_on_user(self, user: User, form: FormDef, action: str) -> bool:
        """Whether the user's `action` rows depend on who they are (`own`, a `where` naming
        $user), not only on their roles: people with the same roles may then differ."""
        for perm in self.permissions(user, form):
            rule = perm.rule(action)
            if rule.kind == "own" or (rule.kind == "where" and rule.where is not None and rule.where.uses_user()):
                return True
        return False

    def allows_values(self, user: User, form: FormDef, action: str, scope: Any) -> bool:
        """Whether a record with these values (an EvalScope) falls under one of the user's
        `action` rules: the Python twin of `row_filter`, for records not yet written."""
        for perm in self.permissions(user, form):
            rule = perm.rule(action)
            if rule.kind == "all":
                return True
            if rule.kind == "own" and scope.lookup((form.owner_attribute,)) == user.name:
                return True
            if rule.kind == "where" and rule.where is not None and evaluate_condition(rule.where, scope):
                return True
        return False

    # -- read-only fields ------------------------------------------------------------
    # A role's `readonly` fields are decided like `hide`: of the roles that grant the user a
    # row (here: update on it, or create), a field is read-only only if every one lists it.

    def readonly_on_create(self, user: User, form: FormDef) -> frozenset[str]:
        """Fields (and `table.column`s) the user may not set on a new record."""
        sets = [p.readonly for p in self.permissions(user, form) if p.create]
        return frozenset.intersection(*sets) if sets else frozenset()

    def readonly_everywhere(self, user: User, form: FormDef) -> frozenset[str]:
        """Fields read-only for the user in every record they may update (listed by every role
        that grants update); in a record only some of those roles grant, more may be."""
        sets = [p.readonly for p in self.permissions(user, form) if p.rule("update").grants]
        return frozenset.intersection(*sets) if sets else frozenset()

    def readonly_in_record(self, session: Session, user: User, form: FormDef, record_id: int,
                           now: datetime) -> frozenset[str]:
        """Fields read-only for the user in one stored record: those listed by every role
        that grants them update on it (one query, and none when the roles agree)."""
        perms = [p for p in self.permissions(user, form) if p.rule("update").grants]
        if len({p.readonly for p in perms}) <= 1:
            return perms[0].readonly if perms else frozenset()
        table = self.schema[form.name].table
        flags = [case((self._rule_clause(p.update, user, form, now), True), else_=False) for p in perms]
        row = session.execute(select(*flags).where(table.c.id == record_id)).first()
        sets = [p.readonly for p, ok in zip(perms, row or (), strict=False) if ok]
        return frozenset.intersection(*sets) if sets else frozenset()

    def hidden_in_row(self, grants: list[Grant], granted: list[bool]) -> frozenset[str]:
        """Fields hidden in a row, given which grants select it."""
        sets = [g.hide for g, ok in zip(grants, granted, strict=True) if ok]
        return frozenset.intersection(*sets) if sets else frozenset()


#: Task states in which the person who acted on the task decided it (read access lasts).
DECIDED = ("approved", "rejected", "sent_back")


def participation(form_name: str, user_name: str) -> list[Select]:
    """Record ids of `form_name` the user takes part in, as SELECTs: read access that lasts
    only while the part does. An open task grants it; a task the user decided (approve,
    reject, send back) keeps granting it, so 已办 stays readable; a task handed on,
    closed because someone else decided, withdrawn or cancelled, or passed by the system,
    grants nothing. Being copied (抄送) grants it for good."""
    open_or_decided = or_(
        and_(tasks.c.assignee == user_name, tasks.c.status == "open"),
        and_(tasks.c.acted_by == user_name, tasks.c.assignee == user_name, tasks.c.status.in_(DECIDED)))
    return [
        select(tasks.c.record_id).where(tasks.c.form == form_name, open_or_decided),
        select(carbon_copies.c.record_id).where(
            carbon_copies.c.form == form_name, carbon_copies.c.user_name == user_name),
    ]


def combine(*clauses: ColumnElement) -> ColumnElement:
    return and_(*clauses)
