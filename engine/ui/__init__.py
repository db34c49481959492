"""Server-rendered pages. For now: login, logout and a home page listing the user's forms."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from engine.auth.users import authenticate, end_sessions
from engine.auth.web import LoginUser, resolve_user
from engine.i18n import _
from engine.web import engine_state, use_case

bp = Blueprint("ui", __name__, template_folder="templates")


class LoginForm(FlaskForm):
    username = StringField("username", validators=[DataRequired()])
    password = PasswordField("password", validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("ui.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        with engine_state().db.session() as session:
            user = authenticate(session, form.username.data.strip(), form.password.data)
        if user is not None:
            from flask import session as cookie

            cookie.clear()  # a fresh session at login
            login_user(LoginUser(user))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong user name or password."), "error")
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    user = resolve_user()
    if user is not None:
        with engine_state().db.transaction() as session:
            end_sessions(session, user.id)
    logout_user()
    return redirect(url_for("ui.login"))


@bp.get("/")
@login_required
def home():
    resolve_user()
    with use_case() as ctx:
        forms = ctx.gate.readable_forms(ctx.user)
        modules = [(m, [f for f in forms if f.module == m.name]) for m in ctx.app.modules]
    return render_template("home.html", modules=[(m, fs) for m, fs in modules if fs])
