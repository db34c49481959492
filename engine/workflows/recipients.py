"""Who a recipient spec means: {"role"}, {"user"}, {"field"}, {"manager_of"} → active user names."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definitions.model import Recipient
from engine.store.system import user_roles, users


def resolve(session: Session, recipients: Iterable[Recipient], values: Mapping[str, Any],
            meta: Mapping[str, Any]) -> list[str]:
    """Sorted, de-duplicated names of the active users the recipients stand for."""
    names: set[str] = set()
    for recipient in recipients:
        if recipient.kind == "role":
            rows = session.execute(
                select(users.c.name).join(user_roles, user_roles.c.user_id == users.c.id)
                .where(user_roles.c.role == recipient.value, users.c.active.is_(True))).scalars()
            names.update(rows)
        elif recipient.kind == "user":
            names.add(recipient.value)
        elif recipient.kind == "field":
            value = meta.get(recipient.value) if recipient.value in meta else values.get(recipient.value)
            if value:
                names.add(str(value))
        elif recipient.kind == "manager_of":
            person = meta.get(recipient.value) if recipient.value in meta else values.get(recipient.value)
            if person:
                manager = session.execute(select(users.c.manager).where(users.c.name == str(person))).scalar()
                if manager:
                    names.add(manager)
    if not names:
        return []
    active = session.execute(select(users.c.name).where(users.c.name.in_(names), users.c.active.is_(True))).scalars()
    return sorted(active)
