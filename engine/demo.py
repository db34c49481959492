"""`engine demo`: demo users and records from data files, for any set of modules.

Users: one per role (name = role, password = name unless given), plus the `users`
of each data file. Records come from `DIR/demo/*.json` (a folder the module loader
does not read):

    {"users": [{"name": "ann", "display_name": "Ann", "roles": ["agent"], "manager": "lead"}],
     "records": {"account": [{"$as": "ann", "name": "Acme", "next_visit": "$today+3d"}],
                 "person":  [{"account": {"$ref": "account:Acme"}, "name": "Bob"}]}}

`$today±Nd` and `$now±Nh` are relative to the moment of loading, so the demo always
looks current; `{"$ref": "form:title"}` is the id of the record of `form` whose title
field equals `title` (or `form:field=value` for another field); `$as` names the user
who creates the record (default admin).
`$at` (e.g. `"$now-3d"`) backdates the record and what is done to it; `$do` lists
transitions to fire in order, each by a user allowed to (the owner or the first user with
one of its roles), and `"$approve"` approves the record's open tasks as their assignees.
`actions`, run after every file's records, act on records made earlier, e.g. completing
an order once its payments are in:
`{"form": "order", "record": {"$ref": "order:no=7"}, "$at": "$now-1d", "$do": ["complete"]}`;
an action's `set` first changes fields of the record as `$as` (default admin) would, e.g. lines
added to a record another record's transition created.
Records go through the same services as the API, with the same validation, so they land
in their stages with their approvals, tasks, history and timers.
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.auth.users import SYSTEM_USER, User, create_user, get_user
from engine.errors import EngineError
from engine.records.context import Context, Runtime, open_context
from engine.services.records import create_record
from engine.store.db import Database

_RELATIVE = re.compile(r"^\$(today|now)(?:([+-])(\d+)([dhw]))?$")


def _relative(value: str, now: datetime, tz: ZoneInfo) -> str | None:
    match = _RELATIVE.match(value)
    if not match:
        return None
    base, sign, amount, unit = match.groups()
    delta = timedelta(**{{"d": "days", "h": "hours", "w": "weeks"}[unit]: int(amount)}) if amount else timedelta()
    moment = now.astimezone(tz) + (-delta if sign == "-" else delta)
    return moment.date().isoformat() if base == "today" else moment.isoformat()


def read_data_file(path: Path) -> dict[str, Any]:
    """One demo data file as a JSON object; anything else is a ValueError naming the file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError(f"{path.name}: nested too deeply") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    if not isinstance(doc, dict):
        raise ValueError(f"{path.name}: a demo data file is a JSON object with \"users\" and \"records\"")
    return doc


class DemoLoader:
    def __init__(self, runtime: Runtime, db: Database, tz: ZoneInfo) -> None:
        self.runtime = runtime
        self.db = db
        self.tz = tz
        self.now = datetime.now(UTC)
        self.log: list[str] = []

    def resolve(self, value: Any, session) -> Any:
        if isinstance(value, str):
            relative = _relative(value, self.now, self.tz)
            return relative if relative is not None else value
        if isinstance(value, dict) and "$ref" in value:
            form_name, _, title = value["$ref"].partition(":")
            form = self.runtime.form(form_name)
            field_name, eq, wanted = title.partition("=")
            field_name, title = (field_name, wanted) if eq else (form.title_field if form else None, title)
            if form is None or not field_name or form.field(field_name) is None:
                raise ValueError(f"bad reference {value['$ref']!r}")
            table = self.runtime.tables(form_name).table
            found = session.execute(select(table.c.id).where(table.c[field_name] == title)).scalar()
            if found is None:
                raise ValueError(f"no {form_name} titled {title!r} (referenced before it was created?)")
            return found
        if isinstance(value, list):
            return [self.resolve(v, session) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v, session) for k, v in value.items()}
        return value

    def ensure_user(self, session, name: str, roles: set[str], **extra: Any) -> User:
        user = get_user(session, name)
        if user is None:
            user = create_user(session, name, extra.pop("password", None) or name, roles,
                               enforce_rules=False, **extra)
            self.log.append(f"user {name} ({', '.join(sorted(roles))}), password: {name}")
        return user

    def load(self, data_files: list[Path], records: bool = True) -> list[str]:
        """Users from every data file; records and actions too unless `records` is False. The
        files are read either way, so the roles their people cover get no role-named user."""
        docs = [read_data_file(p) for p in data_files]
        with self.db.transaction() as session:
            # One user per role: the data files' people; a role none of them has gets a
            # user named after it (titled like the role), never an unnamed duplicate.
            covered = {r for doc in docs for spec in doc.get("users", []) for r in spec.get("roles", [])}
            for role in self.runtime.app.roles:
                if role != "admin" and role not in covered:
                    self.ensure_user(session, role, {role}, display_name=self.runtime.app.roles[role].title)
            for doc in docs:
                for spec in doc.get("users", []):
                    self.ensure_user(session, spec["name"], set(spec.get("roles", [])),
                                     display_name=spec.get("display_name"), email=spec.get("email"),
                                     manager=spec.get("manager"), password=spec.get("password"))
        if not records:
            return self.log
        for doc in docs:
            for form_name, rows in doc.get("records", {}).items():
                self.load_records(form_name, rows)
        for doc in docs:
            self.run_actions(doc.get("actions", []))
        return self.log

    def run_actions(self, actions: list[dict[str, Any]]) -> None:
        for action in actions:
            with self._transaction() as system:
                session = system.session
                record_id = self.resolve(action["record"], session)
                at = datetime.fromisoformat(self.resolve(action["$at"], session)) if "$at" in action else self.now
                try:
                    if "set" in action:
                        self.edit(system, action, record_id, at.astimezone(UTC))
                    for step in action.get("$do", []):
                        self.act(system, action["form"], record_id, step, at.astimezone(UTC))
                except EngineError as exc:
                    detail = getattr(exc, "fields", None) or exc.message
                    raise ValueError(f"demo action {action}: {detail}") from None
        if actions:
            self.log.append(f"{len(actions)} actions")

    def edit(self, system: Context, action: dict[str, Any], record_id: int, now: datetime) -> None:
        """An action's `set`: the fields changed as `$as` (default admin) would on the record's page."""
        from engine.services.records import update_record

        session = system.session
        actor = get_user(session, action.get("$as", "admin"))
        if actor is None:
            raise ValueError(f"demo user {action.get('$as')!r} does not exist")
        table = self.runtime.tables(action["form"]).table
        version = session.execute(select(table.c.version).where(table.c.id == record_id)).scalar_one()
        update_record(system.acting_as(actor, now), action["form"], record_id, version,
                      self.resolve(action["set"], session))

    def load_records(self, form_name: str, rows: list[dict[str, Any]]) -> None:
        created = 0
        for row in rows:
            with self._transaction() as system:
                session = system.session
                actor = get_user(session, row.get("$as", "admin"))
                if actor is None:
                    raise ValueError(f"demo user {row.get('$as')!r} does not exist")
                fields = {k: self.resolve(v, session) for k, v in row.items() if not k.startswith("$")}
                at = datetime.fromisoformat(self.resolve(row["$at"], session)) if "$at" in row else self.now
                ctx = system.acting_as(actor, at.astimezone(UTC))
                try:
                    record = create_record(ctx, form_name, fields)
                    for step in row.get("$do", []):
                        self.act(ctx, form_name, record["id"], step, ctx.now)
                except EngineError as exc:
                    detail = getattr(exc, "fields", None) or exc.message
                    raise ValueError(f"demo {form_name} {fields}: {detail}") from None
                created += 1
        self.log.append(f"{created} {form_name} records")

    def _transaction(self):
        """One writing transaction, acting as the system until `acting_as` names someone."""
        return open_context(self.db, self.runtime, SYSTEM_USER, tzinfo=self.tz, now=self.now, write=True)

    def act(self, ctx: Context, form_name: str, record_id: int, step: str, now: datetime) -> None:
        from engine.services.tasks import decide
        from engine.services.workflow import fire_transition
        from engine.store.system import tasks, user_roles, users

        session = ctx.session
        form = self.runtime.form(form_name)
        assert form is not None and form.workflow is not None
        if step == "$approve":  # every step of the approval, in order
            for _round in range(20):
                task = session.execute(select(tasks.c.id, tasks.c.assignee).where(
                    tasks.c.form == form_name, tasks.c.record_id == record_id, tasks.c.status == "open")
                    .order_by(tasks.c.id).limit(1)).first()
                if task is None:
                    return
                person = get_user(session, task.assignee)
                if person is None:
                    raise ValueError(f"task {task.id} is assigned to {task.assignee!r}, who is not a user")
                decide(ctx.acting_as(person, now), task.id, "approve")
            return
        transition = form.workflow.transition(step)
        if transition is None:
            raise ValueError(f"form {form_name} has no transition {step!r}")
        table = self.runtime.tables(form_name).table
        owner = session.execute(select(table.c[form.owner_attribute]).where(table.c.id == record_id)).scalar()
        actor = get_user(session, owner) if "$owner" in transition.roles and owner else None
        if actor is None:
            name = session.execute(select(users.c.name).join(user_roles, user_roles.c.user_id == users.c.id)
                                   .where(user_roles.c.role.in_(transition.roles), users.c.active.is_(True))
                                   .order_by(users.c.name).limit(1)).scalar()
            actor = get_user(session, name) if name else get_user(session, "admin")
        if actor is None:
            raise ValueError(f"no user may fire {step!r} on {form_name}")
        comment = "演示数据" if transition.comment_required else None
        fire_transition(ctx.acting_as(actor, now), form_name, record_id, step, comment)


def already_loaded(runtime: Runtime, db: Database) -> bool:
    from sqlalchemy import func

    with db.session() as session:
        for form in runtime.app.forms.values():
            table = runtime.tables(form.name).table
            if session.execute(select(func.count()).select_from(table)).scalar_one():
                return True
    return False
