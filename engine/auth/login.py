"""One password login try, throttled (throttle.py): used by the login page and any other
path that takes a password."""
from __future__ import annotations

from dataclasses import dataclass

from engine.store.db import Database

from . import throttle
from .users import User, authenticate


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    retry_after: int | None = None  # seconds: refused (or now locked) by the throttle


def attempt_login(db: Database, name: str, password: str, address: str | None,
                  rules: throttle.ThrottleRules) -> LoginResult:
    """Refuse a locked account or address before hashing anything; count a failure against
    both; clear the account's count on success."""
    name = name.strip()
    keys = [throttle.account_key(name), throttle.address_key(address)]
    with db.session() as session:
        wait = throttle.retry_after(session, keys)
    if wait is not None:
        return LoginResult(None, wait)
    with db.session() as session:
        user = authenticate(session, name, password)
    with db.transaction() as session:
        if user is None:
            return LoginResult(None, throttle.record_failure(session, keys, rules))
        throttle.clear(session, keys[0])
    return LoginResult(user)
