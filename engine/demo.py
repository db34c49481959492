"""`engine demo`: demo users and records from data files, for any set of modules.

Users: one per role (name = role, password = name unless given), plus the `users`
of each data file. Records come from `DIR/demo/*.json` (a folder the module loader
does not read):

    {"users": [{"name": "ann", "display_name": "Ann", "roles": ["agent"], "manager": "lead"}],
     "records": {"account": [{"$as": "ann", "name": "Acme", "next_visit": "$today+3d"}],
                 "person":  [{"account": {"$ref": "account:Acme"}, "name": "Bob"}]}}

`$today±Nd` and `$now±Nh` are relative to the moment of loading, so the demo always
looks current; `{"$ref": "form:title"}` is the id of the record of `form` whose title
field equals `title`; `$as` names the user who creates the record (default admin).
Records go through the same create service as the API, with the same validation.
"""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine.auth.users import User, create_user, get_user
from engine.errors import ValidationFailed
from engine.records.context import Context, Runtime
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
            if form is None or not form.title_field:
                raise ValueError(f"bad reference {value['$ref']!r}")
            table = self.runtime.tables(form_name).table
            found = session.execute(select(table.c.id).where(table.c[form.title_field] == title)).scalar()
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

    def load(self, data_files: list[Path]) -> list[str]:
        docs = [json.loads(p.read_text(encoding="utf-8")) for p in data_files]
        with self.db.transaction() as session:
            for role in self.runtime.app.roles:
                if role != "admin":
                    self.ensure_user(session, role, {role})
            for doc in docs:
                for spec in doc.get("users", []):
                    self.ensure_user(session, spec["name"], set(spec.get("roles", [])),
                                     display_name=spec.get("display_name"), email=spec.get("email"),
                                     manager=spec.get("manager"), password=spec.get("password"))
        for doc in docs:
            for form_name, rows in doc.get("records", {}).items():
                self.load_records(form_name, rows)
        return self.log

    def load_records(self, form_name: str, rows: list[dict[str, Any]]) -> None:
        created = 0
        for row in rows:
            with self.db.transaction() as session:
                actor = get_user(session, row.get("$as", "admin"))
                if actor is None:
                    raise ValueError(f"demo user {row.get('$as')!r} does not exist")
                fields = {k: self.resolve(v, session) for k, v in row.items() if not k.startswith("$")}
                ctx = Context(self.runtime, session, actor, now=self.now, tzinfo=self.tz)
                try:
                    create_record(ctx, form_name, fields)
                except ValidationFailed as exc:
                    raise ValueError(f"demo {form_name} {fields}: {exc.fields}") from None
                created += 1
        self.log.append(f"{created} {form_name} records")


def already_loaded(runtime: Runtime, db: Database) -> bool:
    from sqlalchemy import func

    with db.session() as session:
        for form in runtime.app.forms.values():
            table = runtime.tables(form.name).table
            if session.execute(select(func.count()).select_from(table)).scalar_one():
                return True
    return False
