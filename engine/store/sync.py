"""Bring the database in line with the definitions: additive, and all or nothing.

Planning only reads; every refusal (a form with records removed, an incompatible
type change, a stage holding records removed, duplicates under a new unique
index) is collected first, and if there is any, nothing is changed. Otherwise
every change runs in one transaction (DDL is transactional on PostgreSQL and
SQLite) under a lock, so several processes may call this at once.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Index, Table, delete, func, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlalchemy.sql.expression import Executable

from engine.definitions.model import AppDef, FieldDef, FormDef
from engine.errors import SchemaChangeRefused
from engine.fieldtypes import type_of

from .db import Database
from .definition_state import Publish, check_base, mark_applied
from .system import definition_state, definition_versions, schema_columns, user_roles
from .system_upgrade import upgrade_system_tables
from .tables import (
    COMPOSITE,
    SYSTEM_SIGNATURES,
    TRIGRAM,
    FormTables,
    Schema,
    build_schema,
    child_table_name,
    table_name,
)

LOCK_KEY = 727_001  # pg_advisory_xact_lock key for schema changes


@dataclass(frozen=True)
class Effect:
    """What one planned change does to stored data, or why the plan is refused, for people:
    `kind` (see EFFECT_KINDS) with params naming the form, field, stage... as the definitions
    do (`form`, `field`, `table` = the line-item field holding it, `old`, `stage`, types) and
    the counts read while planning (`count`). Rendered with labels by
    engine.services.definition_review."""

    kind: str
    params: Mapping[str, Any]
    refused: bool = False


#: Effect kinds: changes, then refusals.
EFFECT_KINDS = ("create_form", "create_table", "add_column", "rename_form", "rename_field", "rename_stage",
                "rename_role", "change_type_empty", "unique_index", "removed_field_kept", "field_returns",
                "stage_backfill",
                "refuse_foreign_column", "refuse_type_change", "refuse_duplicates", "refuse_stage_removal",
                "refuse_form_removal", "refuse_role_removal")


@dataclass
class SyncPlan:
    statements: list[tuple[str, Executable]] = field(default_factory=list)  # (description, DDL or SQL)
    registry: list[dict] = field(default_factory=list)
    renames: list[tuple[str, str, str]] = field(default_factory=list)  # registry (table, old, new)
    table_renames: list[tuple[str, str]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    #: The same plan for people: what each change does to the data, and the refusals, with counts.
    effects: list[Effect] = field(default_factory=list)

    @property
    def changes(self) -> list[str]:
        return [desc for desc, _ in self.statements]

    @property
    def refused_effects(self) -> list[Effect]:
        return [e for e in self.effects if e.refused]


class Planner:
    def __init__(self, conn: Connection, app: AppDef, schema: Schema, trigram_schema: str | None = None) -> None:
        self.conn = conn
        self.trigram_schema = trigram_schema
        self.app = app
        self.schema = schema
        self.plan = SyncPlan()
        self.inspector = inspect(conn)
        self.tables = set(self.inspector.get_table_names())
        rows = conn.execute(select(schema_columns)).mappings()
        self.registry = {(r["table_name"], r["column_name"]): dict(r) for r in rows}
        self.registered: dict[str, list[tuple[str, dict]]] = {}  # table → its (column, row)s, sorted
        for (tname, column), row in sorted(self.registry.items()):
            self.registered.setdefault(tname, []).append((column, row))
        self.q = conn.dialect.identifier_preparer.quote
        self._live_docs: list[dict] | None = None
        self._live_forms: dict[str, Any] | None = None
        self._live_field_names: dict[tuple[str, str | None], set[str]] = {}

    # -- helpers -----------------------------------------------------------------

    def add(self, description: str, statement: Executable) -> None:
        self.plan.statements.append((description, statement))

    def effect(self, kind: str, refused: bool = False, **params: Any) -> None:
        self.plan.effects.append(Effect(kind, params, refused))

    def refuse(self, message: str, kind: str, **params: Any) -> None:
        self.plan.refusals.append(message)
        self.effect(kind, True, **params)

    def register(self, table: str, column: str, form: str, ftype: str, signature: str) -> None:
        self.plan.registry.append(dict(table_name=table, column_name=column, form=form,
                                       field_type=ftype, signature=signature))

    def count(self, table: str, where: str = "") -> int:
        sql = f"SELECT COUNT(*) FROM {self.q(table)}" + (f" WHERE {where}" if where else "")
        return int(self.conn.execute(text(sql)).scalar_one())

    def existing_columns(self, table: str) -> set[str]:
        if table not in self.tables:
            return set()
        return {c["name"] for c in self.inspector.get_columns(table)}

    def created(self, table: str) -> bool:
        """Whether the plan creates `table` (a new form's or line-item table)."""
        return any(d == f"create table {table}" for d in self.plan.changes)

    def physical(self, table: str) -> str:
        """The table's name as it is in the database while planning (before renames run)."""
        return {new: old for old, new in self.plan.table_renames}.get(table, table)

    # -- planning ----------------------------------------------------------------

    def run(self) -> SyncPlan:
        for form in self.app.forms.values():
            self.plan_form(form, self.schema[form.name])
        self.plan_removed_forms()
        self.plan_roles()
        return self.plan

    def plan_form(self, form: FormDef, tables: FormTables) -> None:
        name = tables.table.name
        if name not in self.tables and form.renamed_from and table_name(form.renamed_from) in self.tables:
            old = table_name(form.renamed_from)
            self.add(f"rename form {form.renamed_from} → {form.name}",
                     text(f"ALTER TABLE {self.q(old)} RENAME TO {self.q(name)}"))
            self.effect("rename_form", form=form.name, old=form.renamed_from, count=self.count(old))
            self.plan.table_renames.append((old, name))
            self.tables.add(name)
            for fdef in form.fields:
                if fdef.is_table:
                    old_child = child_table_name(form.renamed_from, fdef.name)
                    if old_child in self.tables:
                        new_child = child_table_name(form.name, fdef.name)
                        self.add(f"rename table {old_child} → {new_child}",
                                 text(f"ALTER TABLE {self.q(old_child)} RENAME TO {self.q(new_child)}"))
                        self.plan.table_renames.append((old_child, new_child))
                        self.tables.add(new_child)
            self.plan_columns(form, form.fields, tables.table, renamed_from=old)
        elif name not in self.tables:
            self.create_table(form, form.fields, tables.table)
            self.effect("create_form", form=form.name)
        else:
            self.plan_columns(form, form.fields, tables.table)
        for fdef in form.fields:
            if not fdef.is_table:
                continue
            child = tables.children[fdef.name]
            if child.name in self.tables:
                self.plan_columns(form, fdef.fields, child, parent_field=fdef.name)
            else:
                self.create_table(form, fdef.fields, child, parent_field=fdef.name)
                if name in self.tables and not self.created(name):
                    self.effect("create_table", form=form.name, field=fdef.name)
        self.plan_indexes(form, tables)
        if form.workflow:
            self.plan_stages(form, name)

    def create_table(self, form: FormDef, fields: tuple[FieldDef, ...], table: Table,
                     parent_field: str | None = None) -> None:
        self.add(f"create table {table.name}", CreateTable(table))
        for index in table.indexes:
            self.add_index(table, index)
        self.register_columns(form, fields, table, parent_field)

    def register_columns(self, form: FormDef, fields: tuple[FieldDef, ...], table: Table,
                         parent_field: str | None) -> None:
        if parent_field is None:
            for column, signature in SYSTEM_SIGNATURES.items():
                self.register(table.name, column, form.name, "system", signature)
        for fdef in fields:
            if not fdef.is_table:
                self.register(table.name, fdef.name, form.name, fdef.type, type_of(fdef).storage_signature(fdef))

    def plan_columns(self, form: FormDef, fields: tuple[FieldDef, ...], table: Table,
                     parent_field: str | None = None, renamed_from: str | None = None) -> None:
        registry_table = renamed_from or table.name
        existing = self.existing_columns(registry_table)
        for fdef in fields:
            if fdef.is_table:
                continue
            column = table.c[fdef.name]
            signature = type_of(fdef).storage_signature(fdef)
            where = f"{form.name}.{parent_field + '.' if parent_field else ''}{fdef.name}"
            known = self.registry.get((registry_table, fdef.name))
            if fdef.name in existing and known is not None:
                if known["signature"] != signature:
                    self.change_type(form, table, fdef, known, signature, where, registry_table)
                else:
                    self.returning(form, fdef, registry_table, parent_field)
                continue
            if fdef.name in existing:  # a column we did not record: adopt it only if empty
                if stored := self.count(registry_table, f"{self.q(fdef.name)} IS NOT NULL"):
                    self.refuse(f"{where}: table {table.name} already has a column '{fdef.name}' with data "
                                "that the engine did not create; rename the field", "refuse_foreign_column",
                                form=form.name, table=parent_field, field=fdef.name, count=stored)
                continue
            if fdef.renamed_from and fdef.renamed_from in existing:
                self.add(f"rename field {where}: {fdef.renamed_from} → {fdef.name}",
                         text(f"ALTER TABLE {self.q(registry_table)} RENAME COLUMN "
                              f"{self.q(fdef.renamed_from)} TO {self.q(fdef.name)}"))
                self.plan.renames.append((table.name, fdef.renamed_from, fdef.name))
                self.effect("rename_field", form=form.name, table=parent_field, field=fdef.name, old=fdef.renamed_from,
                            count=self.count(registry_table, f"{self.q(fdef.renamed_from)} IS NOT NULL"))
                old = self.registry.get((registry_table, fdef.renamed_from))
                if old and old["signature"] != signature:
                    self.change_type(form, table, fdef, old, signature, where, registry_table,
                                     data_column=fdef.renamed_from)
                self.register(table.name, fdef.name, form.name, fdef.type, signature)
                continue
            ddl = column.type.compile(dialect=self.conn.dialect)
            self.add(f"add field {where}",
                     text(f"ALTER TABLE {self.q(registry_table)} ADD COLUMN {self.q(fdef.name)} {ddl}"))
            self.effect("add_column", form=form.name, table=parent_field, field=fdef.name, type=fdef.type,
                        label=fdef.label, form_title=form.title)
            self.register(table.name, fdef.name, form.name, fdef.type, signature)
        self.removed_fields(form, fields, registry_table, existing, parent_field)
        if renamed_from:
            for (tname, cname), row in self.registry.items():
                if tname == renamed_from and (table.name, cname) not in self.registry:
                    self.register(table.name, cname, form.name, row["field_type"], row["signature"])

    def returning(self, form: FormDef, fdef: FieldDef, physical: str, parent_field: str | None) -> None:
        """A field the live form does not have whose column (kept when an earlier version removed
        it) still holds values: they show again under this field."""
        live = self.live_fields(form, parent_field)
        if live is None or fdef.name in live:
            return
        if stored := self.count(physical, f"{self.q(fdef.name)} IS NOT NULL"):
            self.effect("field_returns", form=form.name, table=parent_field, field=fdef.name, count=stored)

    def removed_fields(self, form: FormDef, fields: tuple[FieldDef, ...], physical: str, existing: set[str],
                       parent_field: str | None) -> None:
        """Columns of fields no longer in the form stay, with their values (nothing is dropped)."""
        names = {f.name for f in fields} | {f.renamed_from for f in fields if f.renamed_from}
        for column, row in self.registered.get(physical, ()):
            if column in names or row["field_type"] == "system" or column not in existing:
                continue
            self.effect("removed_field_kept", form=form.name, table=parent_field, field=column,
                        type=row["field_type"], count=self.count(physical, f"{self.q(column)} IS NOT NULL"))

    def change_type(self, form: FormDef, table: Table, fdef: FieldDef, known: dict, signature: str,
                    where: str, physical: str, data_column: str | None = None) -> None:
        column = fdef.name
        stored = self.count(physical, f"{self.q(data_column or column)} IS NOT NULL")
        parent = where.split(".")[1] if where.count(".") == 2 else None
        if stored:
            self.refuse(f"{where}: changing the type from {known['field_type']} ({known['signature']}) to "
                        f"{fdef.type} ({signature}) would rewrite {stored} stored values; "
                        "add a new field instead (the old one keeps its data)", "refuse_type_change",
                        form=form.name, table=parent, field=column, old_type=known["field_type"],
                        new_type=fdef.type, count=stored)
            return
        self.effect("change_type_empty", form=form.name, table=parent, field=column, old_type=known["field_type"],
                    new_type=fdef.type)
        ddl = table.c[fdef.name].type.compile(dialect=self.conn.dialect)
        for index in self.inspector.get_indexes(physical):
            name = index["name"]
            if name and column in index["column_names"]:
                self.add(f"drop index {name}", text(f"DROP INDEX {self.q(name)}"))
        self.add(f"change type of empty field {where}",
                 text(f"ALTER TABLE {self.q(physical)} DROP COLUMN {self.q(column)}"))
        self.add(f"re-add field {where}", text(f"ALTER TABLE {self.q(physical)} ADD COLUMN {self.q(column)} {ddl}"))
        self.register(table.name, fdef.name, form.name, fdef.type, signature)

    def plan_indexes(self, form: FormDef, tables: FormTables) -> None:
        for table in (tables.table, *tables.children.values()):
            physical = self.physical(table.name)
            if physical not in self.tables or self.created(table.name):
                continue  # created with its indexes
            existing: set[str] = {ix["name"] for ix in self.inspector.get_indexes(physical) if ix["name"]}
            if physical != table.name:  # a renamed table: its indexes carry the old name
                for name in sorted(existing):
                    if name and name.startswith((f"ix_{physical}_", f"uq_{physical}_", f"tg_{physical}_",
                                                  f"{COMPOSITE}{physical}_")):
                        self.add(f"drop index {name}", text(f"DROP INDEX {self.q(name)}"))
                existing = set()
            wanted = {index.name for index in table.indexes}
            for name in sorted(existing):
                if name.startswith(COMPOSITE) and name not in wanted:  # no longer declared in `indexes`
                    self.add(f"drop index {name}", text(f"DROP INDEX {self.q(name)}"))
                    existing.discard(name)
            for index in table.indexes:
                if index.name in existing:
                    continue
                duplicates = index.unique and self.check_duplicates(form, table, index)
                self.add_index(table, index)
                if index.unique and not duplicates and physical == table.name:
                    column = next(iter(index.columns)).name
                    self.effect("unique_index", form=form.name, field=column,
                                table=self.parent_of(tables, table),
                                count=self.count(physical, f"{self.q(column)} IS NOT NULL"))

    @staticmethod
    def parent_of(tables: FormTables, table: Table) -> str | None:
        return next((name for name, child in tables.children.items() if child is table), None)

    def add_index(self, table: Table, index: Index) -> None:
        """Trigram indexes need PostgreSQL with pg_trgm (its operator class named with the
        extension's schema, which need not be on the search path); without it search scans."""
        if not index.info.get(TRIGRAM):
            self.add(f"create index {index.name}", CreateIndex(index))
        elif self.trigram_schema:
            if index.name is None:
                raise ValueError(f"a trigram index on {table.name} has no name")
            column = next(iter(index.columns)).name
            self.add(f"create index {index.name}", text(
                f"CREATE INDEX {self.q(index.name)} ON {self.q(table.name)} "
                f"USING gin ({self.q(column)} {self.q(self.trigram_schema)}.gin_trgm_ops)"))

    def check_duplicates(self, form: FormDef, table: Table, index: Index) -> bool:
        """Refuse a unique index over values that occur more than once; whether it did."""
        column = next(iter(index.columns))
        q = self.q(column.name)
        sql = (f"SELECT COUNT(*) FROM (SELECT {q} FROM {self.q(table.name)} WHERE {q} IS NOT NULL "
               f"GROUP BY {q} HAVING COUNT(*) > 1) d")
        dupes = int(self.conn.execute(text(sql)).scalar_one())
        if dupes:
            self.refuse(f"{form.name}.{column.name}: cannot make the field unique, {dupes} values occur more than once",
                        "refuse_duplicates", form=form.name, field=column.name, count=dupes)
        return bool(dupes)

    def plan_stages(self, form: FormDef, table: str) -> None:
        wf = form.workflow
        assert wf is not None
        final_name, table = table, self.physical(table)  # statements run after renames; reads before
        if table not in self.tables or self.created(final_name):
            return
        names = set(wf.stage_names)
        renames = {s.renamed_from: s.name for s in wf.stages if s.renamed_from}
        rows = self.conn.execute(text(
            f"SELECT stage, COUNT(*) FROM {self.q(table)} WHERE stage IS NOT NULL GROUP BY stage")).all()
        held = {stage: int(count) for stage, count in rows}
        for old, new in renames.items():
            if old in names or not held.get(old):
                continue  # done already (or nothing to move): a stage of that name is a stage of its own
            self.add(f"rename stage {form.name}: {old} → {new}",
                     text(f"UPDATE {self.q(final_name)} SET stage = :new WHERE stage = :old")
                     .bindparams(new=new, old=old))
            self.effect("rename_stage", form=form.name, stage=new, old=old, count=held.get(old, 0))
        for stage, count in held.items():
            if stage not in names and renames.get(stage) is None:
                self.refuse(f"{form.name}: stage '{stage}' holds {count} records and cannot be removed "
                            f"(rename it with \"renamed_from\": \"{stage}\" on the new stage, or move the records "
                            "first)", "refuse_stage_removal", form=form.name, stage=stage, count=count)
        if stageless := self.count(table, "stage IS NULL"):
            self.add(f"put {form.name} records without a stage into '{wf.initial}'",
                     text(f"UPDATE {self.q(final_name)} SET stage = :s WHERE stage IS NULL").bindparams(s=wf.initial))
            self.effect("stage_backfill", form=form.name, stage=wf.initial, count=stageless)

    def plan_removed_forms(self) -> None:
        current = {tables.table.name for tables in self.schema.forms.values()}
        renamed = {old for old, _ in self.plan.table_renames}
        known = {(row["table_name"], row["form"]) for row in self.registry.values() if "__" not in row["table_name"]}
        for tname, form in sorted(known):
            if tname in current or tname in renamed or tname not in self.tables:
                continue
            count = self.count(tname)
            if count:
                self.refuse(f"form '{form}' has {count} records and cannot be removed "
                            f"(to rename it, add \"renamed_from\": \"{form}\" to the new form)",
                            "refuse_form_removal", form=form, count=count)


    def live_docs(self) -> list[dict]:
        """The live set's module documents (none before the first set is applied), read once."""
        if self._live_docs is None:
            version = self.conn.execute(select(definition_state.c.version_id)).scalar()
            query = select(definition_versions.c.sources)
            query = query.where(definition_versions.c.id == version) if version is not None \
                else query.order_by(definition_versions.c.id.desc()).limit(1)
            sources = self.conn.execute(query).scalar() or {}
            self._live_docs = []
            for source in sources.values():
                try:
                    doc = json.loads(source)
                except ValueError:
                    continue
                if isinstance(doc, dict):
                    self._live_docs.append(doc)
        return self._live_docs

    def live_fields(self, form: FormDef, parent_field: str | None) -> set[str] | None:
        """The field names of `form` (or of its line items `parent_field`) in the live set: the
        live form of its name, else the one it is renamed from; empty when the live set has
        neither; None when there is no live set."""
        docs = self.live_docs()
        if not docs:
            return None
        if self._live_forms is None:  # read once per plan: a plan asks for every field
            self._live_forms = {}
            for doc in docs:
                for item in doc.get("forms") or []:
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        self._live_forms.setdefault(item["name"], item)
        key = (form.name, parent_field)
        if key not in self._live_field_names:
            self._live_field_names[key] = self._field_names(form, parent_field, self._live_forms)
        return self._live_field_names[key]

    @staticmethod
    def _field_names(form: FormDef, parent_field: str | None, found: dict[str, Any]) -> set[str]:
        live = found.get(form.name) or (found.get(form.renamed_from) if form.renamed_from else None) or {}
        fields = [f for f in live.get("fields") or [] if isinstance(f, dict)]
        if parent_field is not None:
            holder = next((f for f in fields if f.get("name") == parent_field), {})
            fields = [f for f in holder.get("fields") or [] if isinstance(f, dict)]
        return {f["name"] for f in fields if isinstance(f.get("name"), str)}

    def live_roles(self) -> set[str]:
        """The roles the live set declares (none before the first set is applied)."""
        names: set[str] = set()
        for doc in self.live_docs():
            roles = doc.get("roles")
            for role in roles if isinstance(roles, list) else []:
                if isinstance(role, dict) and isinstance(role.get("name"), str):
                    names.add(role["name"])
        return names

    def plan_roles(self) -> None:
        """Users' roles follow a renamed role (`renamed_from`); a role of the live set that users
        still hold cannot be removed (they would silently lose their access)."""
        renames = self.app.role_renames
        held = {role: int(count) for role, count in self.conn.execute(
            select(user_roles.c.role, func.count()).group_by(user_roles.c.role)).all()}
        live = self.live_roles()
        for old, new in sorted(renames.items()):
            count = held.get(old, 0)
            if count:
                holders = select(user_roles.c.user_id).where(user_roles.c.role == new)
                self.add(f"users of role {old} who also hold {new} keep one",
                         delete(user_roles).where(user_roles.c.role == old, user_roles.c.user_id.in_(holders)))
                self.add(f"rename role {old} → {new}",
                         update(user_roles).where(user_roles.c.role == old).values(role=new))
            if count or (old in live and new not in live):
                self.effect("rename_role", role=new, old=old, count=count)
        for role in sorted(live - set(self.app.roles) - set(renames)):
            if count := held.get(role, 0):
                self.refuse(f"role '{role}' is held by {count} users and cannot be removed (rename it with "
                            f"\"renamed_from\": \"{role}\" on the new role, or give the users other roles first)",
                            "refuse_role_removal", role=role, count=count)


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    # SQLite: the write session began with BEGIN IMMEDIATE, which is the lock.


def _trigram_schema(conn: Connection, install: bool) -> str | None:
    """The schema holding pg_trgm, installing it when allowed (it is a trusted extension,
    so a database owner may); None on SQLite or when it is not available."""
    if conn.dialect.name != "postgresql":
        return None
    find = text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'pg_trgm'")
    schema = conn.execute(find).scalar()
    if schema is None and install:
        try:
            with conn.begin_nested():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except DBAPIError:
            return None
        schema = conn.execute(find).scalar()
    return schema


def plan_sync(db: Database, app: AppDef) -> SyncPlan:
    """What `sync_schema` would do, without doing it."""
    with db.session(write=True) as session, session.begin():
        conn = session.connection()
        _lock(conn)
        upgrade_system_tables(conn)
        return Planner(conn, app, build_schema(app), _trigram_schema(conn, install=False)).run()


def sync_schema(db: Database, app: AppDef, publish: Publish | None = None) -> SyncPlan:
    """Apply the definitions to the database and make them the live set, recording the
    publication (`publish`: who, why; default: from the files). Raises SchemaChangeRefused,
    or LiveSetMoved when `publish.base_signature` is no longer live, and changes nothing."""
    with db.session(write=True) as session, session.begin():
        conn = session.connection()
        _lock(conn)
        upgrade_system_tables(conn)
        check_base(conn, publish)
        plan = Planner(conn, app, build_schema(app), _trigram_schema(conn, install=True)).run()
        if plan.refusals:
            raise SchemaChangeRefused(plan.refusals)
        for _desc, statement in plan.statements:
            conn.execute(statement)
        for old, new in plan.table_renames:
            conn.execute(update(schema_columns).where(schema_columns.c.table_name == old).values(table_name=new))
        for table, old, new in plan.renames:
            conn.execute(schema_columns.delete().where(
                (schema_columns.c.table_name == table) & (schema_columns.c.column_name.in_([old, new]))))
        if plan.registry:
            tables = {row["table_name"] for row in plan.registry}
            keys = {(row["table_name"], row["column_name"]) for row in plan.registry}
            existing = conn.execute(select(schema_columns.c.table_name, schema_columns.c.column_name)
                                    .where(schema_columns.c.table_name.in_(tables))).all()
            stale = [key for key in existing if tuple(key) in keys]
            for table, column in stale:
                conn.execute(schema_columns.delete().where(
                    (schema_columns.c.table_name == table) & (schema_columns.c.column_name == column)))
            conn.execute(insert(schema_columns), plan.registry)
        record_version(conn, app, publish)
        return plan


def record_version(conn: Connection, app: AppDef, publish: Publish | None = None) -> None:
    """Keep the texts of `app` (once per signature) and make it live, recording the publication."""
    exists = conn.execute(select(func.count()).select_from(definition_versions).where(
        definition_versions.c.signature == app.signature)).scalar_one()
    if not exists:
        conn.execute(insert(definition_versions).values(
            signature=app.signature, applied_at=datetime.now(UTC), sources=dict(app.texts)))
    mark_applied(conn, app.signature, publish)  # the live set for every process, also when it is an earlier one
