"""Who is asking: a Bearer token (API clients) or the browser session (Flask-Login).

Browser sessions carry the user's `session_epoch`; logout and password changes bump
it, so an old cookie replayed after logout no longer authenticates.
"""
from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_login import LoginManager, UserMixin, current_user

from .users import User, get_user_by_id, user_for_token


class LoginUser(UserMixin):
    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_epoch}"

    @property
    def is_active(self) -> bool:
        return self.user.active


login_manager = LoginManager()
login_manager.login_view = "ui.login"
login_manager.session_protection = "basic"


@login_manager.user_loader
def _load_user(identifier: str) -> LoginUser | None:
    try:
        user_id, epoch = (int(part) for part in identifier.split(":"))
    except ValueError:
        return None
    db = current_app.extensions["engine"].db
    with db.session() as session:
        user = get_user_by_id(session, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return LoginUser(user)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def resolve_user() -> User | None:
    """The acting user for this request, or None; sets g.auth to "token" or "session"."""
    if "user" in g:
        return g.user
    token = bearer_token()
    user = None
    if token is not None:
        with current_app.extensions["engine"].db.session() as session:
            user = user_for_token(session, token)
        g.auth = "token"
    elif current_user.is_authenticated:
        user = current_user.user
        g.auth = "session"
    g.user = user
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
