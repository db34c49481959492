"""Server-rendered pages: login, home, generated record pages, admin."""
from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired

from engine.auth.login import attempt_login
from engine.auth.redirects import safe_target
from engine.auth.throttle import ThrottleRules
from engine.auth.users import end_sessions
from engine.fieldtypes import type_of
from engine.fieldtypes.controls import BoundedStringField
from engine.i18n import _
from engine.notify import inbox as notification_service
from engine.services import inbox as inbox_service
from engine.services import incidents as incident_service
from engine.services.records import list_records
from engine.web import engine_state, use_case
from engine.web.locale import LANGUAGES
from engine.web.login import LoginUser, resolve_user

from .layout import NoTopBar, TopBar, page_url

bp = Blueprint("ui", __name__, template_folder="templates")


class LoginForm(FlaskForm):
    username = BoundedStringField("username", validators=[DataRequired()])
    password = PasswordField("password", validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    return safe_target(target, url_for("ui.home"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with user name and password; repeated failures lock the account or the client address for a
    while."""
    form = LoginForm()
    if form.validate_on_submit():
        state = engine_state()
        # both are DataRequired, so a validated form holds text in each
        result = attempt_login(state.db, form.username.data or "", form.password.data or "", request.remote_addr,
                               ThrottleRules.from_settings(state.settings))
        if result.user is not None:
            from flask import session as cookie

            cookie.clear()  # a fresh session at login
            login_user(LoginUser(result.user))
            return redirect(_safe_next(request.args.get("next")))
        if result.retry_after is not None:
            minutes = max(1, -(-result.retry_after // 60))
            flash(_("Too many failed tries. Try again in %(minutes)s minutes.", minutes=minutes), "error")
            return render_template("login.html", form=form), 429, {"Retry-After": str(result.retry_after)}
        flash(_("Wrong user name or password."), "error")
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out: ends this browser's session."""
    user = resolve_user()
    if user is not None:
        with engine_state().db.transaction() as session:
            end_sessions(session, user.id)
    logout_user()
    return redirect(url_for("ui.login"))


@bp.get("/")
@login_required
def home():
    """Home: the user's open tasks, overdue records and unread notifications."""
    resolve_user()
    recent = []
    with use_case() as ctx:
        tasks = inbox_service.list_tasks(ctx, "open", limit=8)
        unread = notification_service.list_notifications(ctx, unread_only=True, limit=5)
        problems = incident_service.list_incidents(ctx, "open", limit=5) if ctx.user.is_admin else []
        for form in ctx.gate.readable_forms(ctx.user):
            if form.owner_attribute in ctx.gate.never_visible(ctx.user, form, ctx.local_now):
                continue  # "mine" is a filter on a field hidden from the user
            mine = {form.owner_attribute: ctx.user.name, "per_page": "5", "order_by": "-updated_at"}
            for item in list_records(ctx, form.name, mine)["items"]:
                title = item["fields"].get(form.title_field) if form.title_field else None
                recent.append({"form": form, "id": item["id"], "title": title or f"#{item['id']}",
                               "updated_at": item["updated_at"]})
        recent.sort(key=lambda r: r["updated_at"], reverse=True)
        # rendered inside: the layout's counts join the page's transaction
        return render_template("home.html", recent=recent[:10], tasks=tasks, problems=problems, unread=unread)


def init_app(app: Flask) -> None:
    from engine.forms.render import field_errors, render_control, render_field

    from . import account, admin, designer, list_views, prints, records, transfer, workflow
    from . import search as search_pages
    from .display import display_value, history_label, is_numeric, no_access, status_label

    app.register_blueprint(bp)
    app.register_blueprint(records.bp)
    app.register_blueprint(list_views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(designer.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(workflow.bp)
    app.register_blueprint(transfer.bp)
    app.register_blueprint(prints.bp)
    app.register_blueprint(search_pages.bp)
    app.jinja_env.globals.update(status_label=status_label, history_label=history_label,
                                 display_value=display_value, no_access=no_access, is_numeric=is_numeric)
    # A field's type for templates (its layout, filter control, client kind): the one place
    # pages learn what differs per type, so no template compares type names.
    app.jinja_env.globals.update(field_type=type_of)
    # the create/edit page's controls and their messages (records/_fields.html)
    app.jinja_env.globals.update(render_control=render_control, render_field=render_field, field_errors=field_errors)
    app.jinja_env.globals.update(page_url=page_url)

    @app.get("/favicon.ico")
    def favicon():  # browsers ask for it at the root, logged in or not
        return app.send_static_file("favicon.ico")

    @app.context_processor
    def layout_context():
        locale = get_locale()
        current = "en" if locale is not None and locale.language == "en" else "zh_CN"
        top_bar: TopBar | NoTopBar = NoTopBar()
        if current_user.is_authenticated and not request.path.startswith("/api/"):
            if "top_bar" not in g:  # one per request: read when (and if) a template first shows it
                resolve_user()
                g.top_bar = TopBar()
            top_bar = g.top_bar
        return {"languages": LANGUAGES, "current_locale": current, "top_bar": top_bar}
