"""Login throttling, kept in the database so every worker process and host shares it.

Each failed try counts against keys: the account tried (`user:NAME`) and the client
address (`addr:ADDRESS`; an unknown API token counts against `token:ADDRESS`). When a
key reaches its limit within the window it is locked for the lockout time, and every try
on a locked key is refused before any password is hashed: a refused try costs one
indexed read, never a key-derivation. A successful login clears the account's counter
(not the address's: one good account must not wash an address's guesses away).

Only the costly or guessable step is refused on a locked key: a password check, an
unknown API token. A live API token and an existing browser session keep working from a
locked address, so a guesser behind the same NAT or proxy cannot shut real users out.
"""
from __future__ import annotations

import ipaddress
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.store.system import login_throttle

MAX_KEY = 160


@dataclass(frozen=True)
class ThrottleRules:
    """ENGINE_LOGIN_MAX_FAILURES (per account), ENGINE_LOGIN_ADDRESS_MAX_FAILURES (per client
    address), ENGINE_LOGIN_WINDOW and ENGINE_LOGIN_LOCKOUT (seconds)."""

    account_failures: int = 5
    address_failures: int = 20
    window: float = 900.0
    lockout: float = 900.0

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ThrottleRules:
        return cls(int(settings["ENGINE_LOGIN_MAX_FAILURES"]), int(settings["ENGINE_LOGIN_ADDRESS_MAX_FAILURES"]),
                   float(settings["ENGINE_LOGIN_WINDOW"]), float(settings["ENGINE_LOGIN_LOCKOUT"]))

    def limit(self, key: str) -> int:
        return self.account_failures if key.startswith("user:") else self.address_failures


def address_key(address: str | None, kind: str = "addr") -> str:
    """The key of a client address; an IPv6 address counts as its /64 (one host's range)."""
    text = (address or "unknown").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return f"{kind}:{text[:100]}"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"{kind}:{ip.ipv4_mapped}"
        return f"{kind}:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"{kind}:{ip}"


def account_key(name: str) -> str:
    return "user:" + name.strip()[: MAX_KEY - 5]


def _now() -> datetime:
    return datetime.now(UTC)


def retry_after(session: Session, keys: Sequence[str]) -> int | None:
    """Seconds until the keys' lock ends (the longest), or None when none is locked."""
    now = _now()
    until = session.scalars(select(login_throttle.c.locked_until).where(
        login_throttle.c.key.in_(list(keys)), login_throttle.c.locked_until > now)).all()
    if not until:
        return None
    return max(1, math.ceil((max(until) - now).total_seconds()))


def _insert(conn: Connection):
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(login_throttle)


def record_failure(session: Session, keys: Sequence[str], rules: ThrottleRules) -> int | None:
    """Count a failed try against each key (in the caller's write transaction); the seconds
    to wait when this try locked a key, else None. Rows are locked while counted, so tries
    answered at once by several processes are all counted."""
    now = _now()
    window = timedelta(seconds=rules.window)
    conn = session.connection()
    session.execute(delete(login_throttle).where(  # old windows, so the table stays small
        login_throttle.c.window_start < now - window - timedelta(seconds=rules.lockout),
        (login_throttle.c.locked_until.is_(None)) | (login_throttle.c.locked_until < now)))
    locked = None
    for key in sorted(set(keys)):
        session.execute(_insert(conn).values(key=key, failures=0, window_start=now).on_conflict_do_nothing())
        row = session.execute(select(login_throttle).where(login_throttle.c.key == key).with_for_update()).one()
        failures, start = row.failures + 1, row.window_start
        if start + window <= now or (row.locked_until is not None and row.locked_until <= now):
            failures, start = 1, now  # a new window; an ended lockout starts one too
        values: dict[str, Any] = {"failures": failures, "window_start": start, "locked_until": None}
        if failures >= rules.limit(key):
            values["locked_until"] = now + timedelta(seconds=rules.lockout)
            locked = max(locked or 0, math.ceil(rules.lockout))
        session.execute(update(login_throttle).where(login_throttle.c.key == key).values(**values))
    return locked


def clear(session: Session, key: str) -> None:
    session.execute(delete(login_throttle).where(login_throttle.c.key == key))
