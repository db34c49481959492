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

from sqlalchemy import ColumnElement, Select, and_, any_, case, false, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BooleanClauseList, Grouping

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
        plain = or_(*(g.clause for g in grants))
        roles = self.grants(user, form, action, now, participation=False)
        if self.dialect != "postgresql" or len(roles) == len(grants):
            return plain
        return and_(plain, or_(*(g.clause for g in roles), self._participant_lookup(user, form)))

    def row_branches(self, user: User, form: FormDef, action: str, now: datetime) -> list[ColumnElement] | None:
        """`row_filter` as disjoint parts, for counting: the branches of its OR (each role rule, the
        top-level ORs within it, then the participation lookup), each with `(the earlier ones) IS NOT
        TRUE` added, so a row is in exactly one branch, the first it matches, and the rows of all
        branches are the rows of `row_filter`. None when there is nothing to split (no rows, every
        row, or a single branch).

        A count of `a OR b` through a BitmapOr reads every matching row from the heap (the OR is
        checked again there); counted branch by branch, as a UNION ALL under the count's bound, a
        branch an index covers is an index-only scan, and with `owner = me` first a salesperson's
        bounded count reads 10,001 index entries instead of 10,001 heap rows."""
        grants = self.grants(user, form, action, now)
        if not grants or any(g.everything for g in grants):
            return None
        roles = self.grants(user, form, action, now, participation=False)
        parts = [branch for g in roles for branch in _or_branches(g.clause)]
        if len(grants) > len(roles):
            parts += _or_branches(self._participant_lookup(user, form) if self.dialect == "postgresql"
                                  else self._participant_clause(user, form))
        if len(parts) < 2:
            return None
        return [part if i == 0 else and_(part, or_(*parts[:i]).is_not(true())) for i, part in enumerate(parts)]

    def _participant_lookup(self, user: User, form: FormDef) -> ColumnElement:
        """The participation part again, as `id = ANY(ARRAY(ids))`, for PostgreSQL's planner.

        Under OR, PostgreSQL runs `id IN (subquery)` as a hashed subplan that every row of a scan
        probes, so `owner = :me OR id IN (tasks ...)` can only be answered by reading the whole
        table (a salesperson's count reads a million rows for their few thousand). Written as
        `= ANY(ARRAY(ids))` the ids are read once (an InitPlan) and the OR becomes a BitmapOr of
        index scans (the owner's index, the primary key). But that array is searched one element
        at a time for every row an index walk filters (the first page, in the list's order), which
        the hashed subplan does in constant time. So `row_filter` ANDs both forms of the same
        condition: a bitmap scan takes this one as its index condition and filters with the other,
        an index walk filters with the hashed one first, reaching this one only for rows it keeps."""
        table = self.schema[form.name].table
        return or_(*(table.c.id == any_(func.array(ids.scalar_subquery()))
                     for ids in participation(form.name, user.name)))

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


def _or_branches(clause: ColumnElement) -> list[ColumnElement]:
    """The operands of a top-level OR (nested ORs flattened), or the clause itself."""
    if isinstance(clause, Grouping) and isinstance(clause.element, ColumnElement):
        return _or_branches(clause.element)
    if isinstance(clause, BooleanClauseList) and clause.operator is operators.or_:
        return [branch for part in clause.clauses for branch in _or_branches(part)]
    return [clause]


def participants(session: Session, form_name: str, record_id: int) -> set[str]:
    """The users who take part in one record (`participation` the other way round): in two
    queries, whoever they are."""
    open_or_decided = or_(tasks.c.status == "open",
                          and_(tasks.c.acted_by == tasks.c.assignee, tasks.c.status.in_(DECIDED)))
    found = set(session.scalars(select(tasks.c.assignee).where(
        tasks.c.form == form_name, tasks.c.record_id == record_id, open_or_decided)))
    return found | set(session.scalars(select(carbon_copies.c.user_name).where(
        carbon_copies.c.form == form_name, carbon_copies.c.record_id == record_id)))


def combine(*clauses: ColumnElement) -> ColumnElement:
    return and_(*clauses)
