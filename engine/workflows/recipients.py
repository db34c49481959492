"""Who a recipient spec means: {"role"}, {"user"}, {"field"}, {"manager_of"} → active user names."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definitions.model import Recipient
from engine.store.system import user_roles, users


def resolve(session: Session, recipients: Iterable[Recipient], values: Mapping[str, Any],
            meta: Mapping[str, Any], cache: dict | None = None) -> list[str]:
    """Sorted, de-duplicated names of the active users the recipients stand for. With a
    `cache` (a dict kept for one batch of work) users and roles are read once, not per call."""
    names: set[str] = set()

    def once(key: tuple, load: Any) -> Any:
        if cache is None:
            return load()
        if key not in cache:
            cache[key] = load()
        return cache[key]

    for recipient in recipients:
        if recipient.kind == "role":
            names.update(once(("role", recipient.value), lambda r=recipient: list(session.execute(
                select(users.c.name).join(user_roles, user_roles.c.user_id == users.c.id)
                .where(user_roles.c.role == r.value, users.c.active.is_(True))).scalars())))
        elif recipient.kind == "user":
            names.add(recipient.value)
        elif recipient.kind == "field":
            value = meta.get(recipient.value) if recipient.value in meta else values.get(recipient.value)
            if value:
                names.add(str(value))
        elif recipient.kind == "manager_of":
            person = meta.get(recipient.value) if recipient.value in meta else values.get(recipient.value)
            if person:
                manager = once(("manager", str(person)), lambda p=person: session.execute(
                    select(users.c.manager).where(users.c.name == str(p))).scalar())
                if manager:
                    names.add(manager)
    if not names:
        return []
    if cache is not None:
        active = once(("active",), lambda: set(session.execute(
            select(users.c.name).where(users.c.active.is_(True))).scalars()))
        return sorted(n for n in names if n in active)
    found = session.execute(select(users.c.name).where(users.c.name.in_(names), users.c.active.is_(True))).scalars()
    return sorted(found)
