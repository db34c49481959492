"""Who is asking: a Bearer token (API clients) or the browser session (Flask-Login).

Browser sessions carry the user's `session_epoch`; logout and password changes bump
it, so an old cookie replayed after logout no longer authenticates.
"""
from __future__ import annotations

from typing import NoReturn

from flask import Flask, abort, current_app, g, jsonify, make_response, request
from flask_login import LoginManager, UserMixin, current_user, login_required
from sqlalchemy.exc import OperationalError

from engine.auth import throttle
from engine.auth.throttle import address_key
from engine.auth.tokens import check_token, touch_token
from engine.auth.users import User, get_user_by_id
from engine.i18n import N_, _

from . import read_session
from .errors import error_body


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
# Flask-Login flashes this when a page needs a login: in the visitor's language.
login_manager.login_message = N_("Please log in to access this page.")
login_manager.localize_callback = _
login_manager.session_protection = "basic"


@login_manager.user_loader
def _load_user(identifier: str) -> LoginUser | None:
    try:
        user_id, epoch = (int(part) for part in identifier.split(":"))
    except ValueError:
        return None
    state = current_app.extensions["engine"]
    runtime = state.runtime()  # first: its tables are all in the snapshot of the transaction below
    session = state.db.session()
    try:
        user = get_user_by_id(session, user_id)
    except BaseException:
        session.close()
        raise
    if user is None or not user.active or user.session_epoch != epoch:
        session.close()
        return None
    read_session.keep(session, runtime)  # the page's first read: its use case carries on in this transaction
    return LoginUser(user)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def too_many_tries(seconds: int) -> NoReturn:
    """Stop the request with 429 and Retry-After (JSON: the API's error envelope)."""
    message = _("Too many failed tries; try again in %(seconds)s seconds.", seconds=seconds)
    response = make_response(jsonify(error_body("too_many_requests", message)), 429)
    response.headers["Retry-After"] = str(seconds)
    abort(response)


def _token_user(token: str) -> User | None:
    """The token's user. A live token always passes: looking it up costs one digest and one
    indexed read, so a locked address (shared through NAT or a proxy with the guesser) does
    not shut out valid clients. Only an unknown token counts against the client address like
    a wrong password, and is refused with 429 while that address is locked."""
    state = current_app.extensions["engine"]
    with state.db.session() as session:
        check = check_token(session, token)
    if not check.known:
        key = address_key(request.remote_addr, "token")
        with state.db.session() as session:
            wait = throttle.retry_after(session, [key])
        if wait is not None:
            too_many_tries(wait)
        with state.db.transaction() as session:
            wait = throttle.record_failure(session, [key], throttle.ThrottleRules.from_settings(state.settings))
        if wait is not None:
            too_many_tries(wait)
    elif check.touch_id is not None:
        try:
            with state.db.transaction() as session:
                touch_token(session, check.touch_id)
        except OperationalError:  # the database is busy: the last-used time can wait
            pass
    return check.user


def resolve_user() -> User | None:
    """The acting user for this request, or None; sets g.auth to "token" or "session"."""
    if "user" in g:
        return g.user
    token = bearer_token()
    user = None
    if token is not None:
        g.auth = "token"
        user = _token_user(token)
    elif current_user.is_authenticated:
        user = current_user.user
        g.auth = "session"
    g.user = user
    return user


@login_required
def admins_only() -> None:
    """A blueprint's `before_request` for admin pages: the login page for visitors, 403 for users
    who are not admins."""
    user = resolve_user()
    if user is None or not user.is_admin:
        abort(403)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    read_session.init_app(app, app.extensions["engine"].db)
