"""Users and roles. Passwords are hashed with Werkzeug's scrypt KDF; API tokens are in
tokens.py (random, stored only as a SHA-256 digest)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.definitions.model import ADMIN_ROLE
from engine.errors import Conflict, NotFound, ValidationFailed
from engine.i18n import LOCALES, _, language_code
from engine.store.system import user_roles, users

MIN_PASSWORD = 8
MAX_PASSWORD = 256
#: Werkzeug's method string; scrypt by default. The test suite lowers the cost.
PASSWORD_METHOD = "scrypt"
# Compared against when the user does not exist, so both paths cost the same.
_DUMMY_HASH = generate_password_hash("timing-equaliser", method=PASSWORD_METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    display_name: str | None = None
    email: str | None = None
    manager: str | None = None
    active: bool = True
    session_epoch: int = 0
    #: The language the user reads (one of LOCALES); None: the product's default.
    language: str | None = None

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles

    @property
    def label(self) -> str:
        return self.display_name or self.name


SYSTEM_USER = User(id=0, name="system", roles=frozenset({ADMIN_ROLE}))


def _user_of(row, roles: Iterable[str]) -> User:
    return User(id=row.id, name=row.name, roles=frozenset(roles), display_name=row.display_name,
                email=row.email, manager=row.manager, active=row.active, session_epoch=row.session_epoch,
                language=row.language)


def _row_to_user(session: Session, row) -> User:
    roles = session.scalars(select(user_roles.c.role).where(user_roles.c.user_id == row.id)).all()
    return _user_of(row, roles)


def _users_where(session: Session, *conditions: ColumnElement[bool]) -> list[User]:
    """The users matching `conditions` with their roles, ordered by name, in one statement
    (users LEFT JOIN their roles: one row per role, or one with no role)."""
    query = (select(users, user_roles.c.role.label("role"))
             .outerjoin(user_roles, user_roles.c.user_id == users.c.id)
             .where(*conditions).order_by(users.c.name, user_roles.c.role))
    found: list[User] = []
    current, roles = None, []
    for row in session.execute(query):
        if current is not None and row.id != current.id:
            found.append(_user_of(current, roles))
            roles = []
        current = row
        if row.role is not None:
            roles.append(row.role)
    if current is not None:
        found.append(_user_of(current, roles))
    return found


def get_user(session: Session, name: str) -> User | None:
    found = _users_where(session, users.c.name == name)
    return found[0] if found else None


def get_user_by_id(session: Session, user_id: int) -> User | None:
    """The user with its roles, in one statement (every page's session check calls this)."""
    found = _users_where(session, users.c.id == user_id)
    return found[0] if found else None


def get_users(session: Session, names: Iterable[str]) -> dict[str, User]:
    """name → User for those of `names` that exist, in one query whatever their number."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    return {user.name: user for user in _users_where(session, users.c.name.in_(wanted))}


def display_names(session: Session, names: Iterable[str]) -> dict[str, str]:
    """name → how people read that user (display name, else the name), for those of `names`
    that exist, in one query."""
    wanted = sorted({str(n) for n in names if n})
    if not wanted:
        return {}
    return {name: display or name for name, display in session.execute(
        select(users.c.name, users.c.display_name).where(users.c.name.in_(wanted)))}


def list_users(session: Session) -> list[User]:
    """Every user with their roles, by name, in one statement."""
    return _users_where(session)


def check_password_rules(password: str) -> None:
    if not (MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        raise ValidationFailed({"password": [_("must be %(min)s to %(max)s characters", min=MIN_PASSWORD,
                                                 max=MAX_PASSWORD)]})


def check_language(value: str | None) -> str | None:
    """A user's language as stored: a catalogue locale (`zh-CN` reads as zh_CN), or None for
    the product's default; ValidationFailed (`language`) for a language the product lacks."""
    if value is None or not value.strip():
        return None
    code = language_code(value)
    if code is None:
        raise ValidationFailed({"language": [_("must be one of %(choices)s", choices=", ".join(LOCALES))]})
    return code


def create_user(session: Session, name: str, password: str | None, roles: set[str] | frozenset[str],
                *, email: str | None = None, manager: str | None = None,
                display_name: str | None = None, enforce_rules: bool = True,
                language: str | None = None) -> User:
    language = check_language(language)
    if get_user(session, name) is not None:
        raise Conflict(_("user '%(name)s' already exists", name=name), code="user_exists")
    if manager and get_user(session, manager) is None:
        raise ValidationFailed({"manager": [_("no user '%(name)s'", name=manager)]})
    if password is not None and enforce_rules:
        check_password_rules(password)
    user_id = session.execute(insert(users).values(
        name=name, display_name=display_name, email=email, manager=manager, active=True, session_epoch=0,
        language=language,
        password_hash=hash_password(password) if password else None,
        created_at=datetime.now(UTC),
    ).returning(users.c.id)).scalar_one()
    set_roles(session, user_id, roles)
    user = get_user_by_id(session, user_id)
    assert user is not None
    return user


def set_roles(session: Session, user_id: int, roles: set[str] | frozenset[str]) -> None:
    session.execute(delete(user_roles).where(user_roles.c.user_id == user_id))
    for role in sorted(set(roles)):
        session.execute(insert(user_roles).values(user_id=user_id, role=role))


def update_user(session: Session, name: str, **values: object) -> User:
    user = get_user(session, name)
    if user is None:
        raise NotFound(f"no user '{name}'")
    roles = values.pop("roles", None)
    password = values.pop("password", None)
    if "language" in values:
        language = values["language"]
        values["language"] = check_language(None if language is None else str(language))
    if password is not None:
        check_password_rules(str(password))
        values["password_hash"] = hash_password(str(password))
        values["session_epoch"] = users.c.session_epoch + 1
    if values.get("active") is False:
        values["session_epoch"] = users.c.session_epoch + 1
    if values:
        session.execute(update(users).where(users.c.id == user.id).values(**values))
    if password is not None or values.get("active") is False:
        revoke_tokens(session, user.id)  # a new password or a deactivation ends API access too
    if roles is not None:
        if not isinstance(roles, set | frozenset | list | tuple):
            raise TypeError(f"roles must be a collection of role names, not {type(roles).__name__}")
        set_roles(session, user.id, {str(role) for role in roles})
    updated = get_user_by_id(session, user.id)
    assert updated is not None
    return updated


def set_language(session: Session, user_id: int, language: str | None) -> None:
    """Store the language the user reads (their switch in the pages); None: the product's default."""
    session.execute(update(users).where(users.c.id == user_id).values(language=check_language(language)))


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user if name and password match an active user; same cost either way."""
    row = session.execute(select(users).where(users.c.name == name)).first()
    if row is None or not row.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(row.password_hash, password) or not row.active:
        return None
    return _row_to_user(session, row)


def end_sessions(session: Session, user_id: int) -> None:
    """Invalidate every browser session of the user (logout)."""
    session.execute(update(users).where(users.c.id == user_id).values(session_epoch=users.c.session_epoch + 1))


def revoke_tokens(session: Session, user_id: int) -> None:
    from .tokens import revoke_tokens as revoke

    revoke(session, user_id)


def __getattr__(name: str):
    """Tokens live in tokens.py (which imports this module); these names stay importable from here."""
    if name == "issue_token":
        from . import tokens

        return getattr(tokens, name)
    raise AttributeError(name)
