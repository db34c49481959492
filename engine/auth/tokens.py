"""API tokens: issued with an optional name and expiry, listed, revoked one by one.

A token is `eng_` + 43 random characters, shown once; only its SHA-256 digest is stored,
so a leaked database does not leak working tokens. A revoked or expired token, or one of
a deactivated user, authenticates nobody (401). A password change revokes every token
of the user (users.update_user).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.errors import NotFound, ValidationFailed
from engine.i18n import _
from engine.store.system import api_tokens, users

from .users import User, get_user_by_id

MAX_NAME = 100
#: A token is not marked used more often than this (a write per API call would cost too much).
TOUCH_EVERY = timedelta(minutes=10)
_LIFETIME = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user_name: str
    name: str | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked: bool
    user_display_name: str | None = None

    @property
    def user_label(self) -> str:
        """`张伟 (zhangwei)`: people know each other by display name, the login name tells two apart."""
        shown = self.user_display_name
        return f"{shown} ({self.user_name})" if shown and shown != self.user_name else self.user_name

    def status(self, now: datetime | None = None) -> str:
        """active | expired | revoked"""
        if self.revoked:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or datetime.now(UTC)):
            return "expired"
        return "active"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_lifetime(text: str | None) -> timedelta | None:
    """`30d`, `12h`, `2w` → a timedelta; empty → None (never expires); anything else is refused."""
    if text is None or not text.strip():
        return None
    match = _LIFETIME.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValidationFailed({"expires": [_("a lifetime such as 12h, 30d or 2w")]})
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def check_name(name: str | None) -> str | None:
    name = (name or "").strip()
    if len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        raise ValidationFailed({"name": [_("at most %(n)s characters, on one line", n=MAX_NAME)]})
    return name or None


def issue_token(session: Session, user: User, *, name: str | None = None,
                expires_in: timedelta | None = None) -> str:
    """A new token for `user`; the only time its text exists outside the client."""
    token = "eng_" + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.execute(api_tokens.insert().values(
        user_id=user.id, token_hash=digest(token), created_at=now, revoked=False, name=check_name(name),
        expires_at=now + expires_in if expires_in else None))
    return token


@dataclass(frozen=True)
class TokenCheck:
    known: bool  # the digest exists: not a guess (a revoked or expired token is not counted)
    user: User | None  # the active user of a live token
    touch_id: int | None = None  # the token's id when its last use is stale and worth writing


def check_token(session: Session, token: str) -> TokenCheck:
    row = session.execute(select(api_tokens).where(api_tokens.c.token_hash == digest(token))).first()
    if row is None:
        return TokenCheck(False, None)
    now = datetime.now(UTC)
    if row.revoked or (row.expires_at is not None and row.expires_at <= now):
        return TokenCheck(True, None)
    user = get_user_by_id(session, row.user_id)
    if user is None or not user.active:
        return TokenCheck(True, None)
    stale = row.last_used_at is None or row.last_used_at + TOUCH_EVERY <= now
    return TokenCheck(True, user, row.id if stale else None)


def touch_token(session: Session, token_id: int) -> None:
    session.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=datetime.now(UTC)))


def list_tokens(session: Session, user_id: int | None = None) -> list[TokenInfo]:
    """Tokens of one user (or of everyone), newest first."""
    query = (select(api_tokens, users.c.name.label("user_name"), users.c.display_name.label("user_display_name"))
             .join(users, users.c.id == api_tokens.c.user_id).order_by(api_tokens.c.id.desc()))
    if user_id is not None:
        query = query.where(api_tokens.c.user_id == user_id)
    return [TokenInfo(id=r.id, user_name=r.user_name, name=r.name, created_at=r.created_at,
                      last_used_at=r.last_used_at, expires_at=r.expires_at, revoked_at=r.revoked_at,
                      revoked=r.revoked, user_display_name=r.user_display_name) for r in session.execute(query)]


def revoke_token(session: Session, token_id: int, *, user_id: int | None = None) -> TokenInfo:
    """Revoke one token (of `user_id` when given: a user revokes only their own)."""
    query = select(api_tokens.c.user_id).where(api_tokens.c.id == token_id)
    owner = session.execute(query).scalar()
    if owner is None or (user_id is not None and owner != user_id):
        raise NotFound(_("no token %(id)s", id=token_id))
    session.execute(update(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.revoked.is_(False))
                    .values(revoked=True, revoked_at=datetime.now(UTC)))
    return next(t for t in list_tokens(session, owner) if t.id == token_id)


def revoke_tokens(session: Session, user_id: int) -> None:
    """Revoke every token of the user (password change or reset, deactivation)."""
    session.execute(update(api_tokens).where(api_tokens.c.user_id == user_id, api_tokens.c.revoked.is_(False))
                    .values(revoked=True, revoked_at=datetime.now(UTC)))
