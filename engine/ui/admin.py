"""Admin pages: users (add, edit roles/manager/email/language, deactivate, reset password, API tokens)
and the loaded configuration with its validation status."""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from engine.auth.tokens import issue_token, list_tokens, parse_lifetime, revoke_token
from engine.auth.users import create_user, get_user, list_users, update_user
from engine.errors import EngineError, ValidationFailed
from engine.fieldtypes.controls import BoundedEmailField, BoundedStringField, SelectChoice
from engine.i18n import _, lazy
from engine.services import incidents as incident_service
from engine.ui import addresses as address_forms
from engine.ui.account import TokenForm
from engine.web import engine_state, use_case
from engine.web.limits import accepts_body
from engine.web.locale import LANGUAGES
from engine.web.login import admins_only, resolve_user

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: The definition editor posts a whole module file: up to 2 MB of text, several times that
#: once form-encoded (quotes, line breaks and Chinese are percent-encoded).
EDITOR_MAX_BODY = 8 * 1024 * 1024


bp.before_request(admins_only)


class UserForm(FlaskForm):
    name = BoundedStringField(lazy("User name"), echo_limit=64, validators=[
        DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9_.-]+$", message=lazy("letters, digits, _ . - only"))])
    display_name = BoundedStringField(lazy("Display name"), validators=[Optional(), Length(max=64)], echo_limit=64)
    email = BoundedEmailField(lazy("Email"), echo_limit=254, validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$", message=lazy("not a valid email address"))])
    manager = SelectField(lazy("Manager"), choices=[], validate_choice=False)
    language = SelectField(lazy("Language"), choices=[], validate_choice=False)  # checked by the service
    roles = SelectMultipleField(lazy("Roles"), choices=[], validate_choice=False)
    active = BooleanField(lazy("Active"), default=True)
    password = PasswordField(lazy("Password"), validators=[Optional(), Length(min=8, max=256)])


def _fill_choices(form: UserForm, ctx) -> None:
    form.roles.choices = [SelectChoice(r.name, f"{r.title} ({r.name})") for r in ctx.app.roles.values()]
    form.manager.choices = [SelectChoice("", "—")] + [SelectChoice(u.name, u.label) for u in list_users(ctx.session)]
    default = _("The product's default (%(language)s)", language=LANGUAGES["zh_CN"])
    form.language.choices = [SelectChoice("", default)] + [SelectChoice(c, n) for c, n in LANGUAGES.items()]


@bp.get("/users")
def users():
    """Admins: every user with display name, roles, manager, email, language and status."""
    with use_case() as ctx:  # rendered inside: the layout's counts join its transaction
        everyone = list_users(ctx.session)
        roles = {r.name: r.title for r in ctx.app.roles.values()}
        labels = {u.name: f"{u.label} ({u.name})" if u.label != u.name else u.name for u in everyone}
        return render_template("admin/users.html", users=everyone, roles=roles, labels=labels)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Admins: create a user."""
    with use_case(write=request.method == "POST") as ctx:
        form = address_forms.with_address_fields(UserForm, address_forms.shown_channels(ctx.session, None))()
        _fill_choices(form, ctx)
        if form.validate_on_submit():
            if not form.password.data:
                form.password.errors = [_("required")]
            else:
                try:
                    with ctx.session.begin_nested():
                        made = create_user(ctx.session, form.name.data, form.password.data, set(form.roles.data),
                                           email=form.email.data or None, manager=form.manager.data or None,
                                           display_name=form.display_name.data or None,
                                           language=form.language.data or None)
                        address_forms.save(ctx.session, made.id, form)
                except ValidationFailed as exc:
                    for key, messages in exc.fields.items():
                        getattr(form, key).errors = messages
                except EngineError as exc:
                    form.name.errors = [exc.message]
                else:
                    flash(_("User %(name)s created.", name=form.name.data), "success")
                    return redirect(url_for("admin.users"))
        return render_template("admin/user_edit.html", form=form, user=None,
                               addresses=address_forms.address_fields(form)), 422 if form.errors else 200


@bp.route("/users/<name>", methods=["GET", "POST"])
def edit_user(name: str):
    """Admins: edit a user (display name, roles, manager, language, addresses, password, active) and see their API
    tokens."""
    with use_case(write=request.method == "POST") as ctx:
        user = get_user(ctx.session, name)
        if user is None:
            abort(404)
        shown = address_forms.shown_channels(ctx.session, user.id)
        form = address_forms.with_address_fields(UserForm, shown)(obj=None, data={
            "name": user.name, "display_name": user.display_name, "email": user.email, "manager": user.manager or "",
            "roles": sorted(user.roles), "active": user.active, "language": user.language or "",
            **address_forms.current(ctx.session, user.id)})
        _fill_choices(form, ctx)
        form.name.render_kw = {"readonly": True}
        if form.validate_on_submit():
            values = {"display_name": form.display_name.data or None, "email": form.email.data or None,
                      "manager": form.manager.data or None, "roles": set(form.roles.data),
                      "active": form.active.data, "language": form.language.data or None}
            if form.manager.data == name:
                form.manager.errors = [_("a user cannot be their own manager")]
            else:
                if form.password.data:
                    values["password"] = form.password.data
                try:
                    with ctx.session.begin_nested():
                        update_user(ctx.session, name, **values)  # a new password or deactivation revokes tokens
                        address_forms.save(ctx.session, user.id, form)
                except ValidationFailed as exc:
                    for key, messages in exc.fields.items():
                        getattr(form, key).errors = messages
                else:
                    flash(_("User %(name)s saved.", name=name), "success")
                    return redirect(url_for("admin.users"))
        tokens = list_tokens(ctx.session, user.id)
        return render_template("admin/user_edit.html", form=form, user=user, tokens=tokens, new_token_form=TokenForm(),
                               addresses=address_forms.address_fields(form),
                               **_token_helpers()), 422 if form.errors else 200


def _token_helpers(back: str | None = None) -> dict:
    from .account import local_time

    return {"when": local_time, "revoke_url": lambda t: url_for("admin.revoke_token_page", token_id=t.id, back=back)}


@bp.post("/users/<name>/token")
def user_token(name: str):
    """Admins: issue an API token for the user; its text is shown once."""
    form = TokenForm()
    with use_case(write=True) as ctx:
        user = get_user(ctx.session, name)
        if user is None:
            abort(404)
        if not form.validate_on_submit():
            flash(_("Not done. Please check: %(detail)s", detail="; ".join(
                f"{getattr(form, k).label.text}: {', '.join(v)}" for k, v in form.errors.items())), "error")
            return redirect(url_for("admin.edit_user", name=name))
        try:
            token = issue_token(ctx.session, user, name=form.name.data, expires_in=parse_lifetime(form.expires.data))
        except ValidationFailed as exc:
            flash(_("Not done. Please check: %(detail)s", detail="; ".join(
                f"{getattr(form, k).label.text}: {', '.join(v)}" for k, v in exc.fields.items() if hasattr(form, k))),
                  "error")
            return redirect(url_for("admin.edit_user", name=name))
    return render_template("admin/token.html", user=user, token=token)


@bp.get("/tokens")
def tokens():
    """Admins: every user's API tokens."""
    with use_case() as ctx:
        everyone = list_tokens(ctx.session)
    return render_template("admin/tokens.html", tokens=everyone, **_token_helpers(back="tokens"))


@bp.post("/tokens/<id:token_id>/revoke")
def revoke_token_page(token_id: int):
    """Admins: revoke any API token."""
    with use_case(write=True) as ctx:
        token = revoke_token(ctx.session, token_id)
    flash(_("Token revoked."), "success")
    if request.args.get("back") == "tokens":
        return redirect(url_for("admin.tokens"))
    return redirect(url_for("admin.edit_user", name=token.user_name))


@bp.get("/definitions")
def definitions():
    """Admins: the definitions in use, module by module, their problems and the last 20 publications (who, when,
    from where, note; the live one marked)."""
    from datetime import datetime

    from engine.services import designer as designer_service
    from engine.ui.designer_texts.publish import TEXTS as PUBLISH_TEXTS

    from .account import local_time

    state = engine_state()
    runtime = state.runtime()
    publications = designer_service.versions(state.db, limit=20)
    for item in publications:
        item["when"] = local_time(datetime.fromisoformat(item["published_at"])) if item["published_at"] else ""
        item["origin_text"] = str(PUBLISH_TEXTS.get(f"versions.origin_{item['origin']}", item["origin"]))
    sources = {name: json.dumps(doc, ensure_ascii=False, indent=2) for name, doc in runtime.app.sources.items()}
    return render_template("admin/definitions.html", app_def=runtime.app, problems=state.holder.problems,
                           sources=sources, publications=publications, config_dir=str(state.holder.config_dir))


@bp.get("/incidents")
def incidents():
    """Admins: problems the engine could not solve by itself (failed deliveries, steps without an approver,
    timers that could not fire); `status=all` shows resolved ones too."""
    status = "all" if request.args.get("status") == "all" else "open"
    with use_case() as ctx:
        items = incident_service.list_incidents(ctx, status)
    return render_template("admin/incidents.html", items=items, status=status)


@bp.post("/incidents/<id:incident_id>/resolve")
def resolve_incident(incident_id: int):
    """Admins: mark a problem as resolved."""
    with use_case(write=True) as ctx:
        incident_service.resolve(ctx, incident_id)
    flash(_("Marked as resolved."), "success")
    return redirect(url_for("admin.incidents"))


@bp.route("/definitions/<name>/edit", methods=["GET", "POST"])
@accepts_body(EDITOR_MAX_BODY)
def edit_definition(name: str):
    """Admins: edit one module file of the live definitions, named by its file name with `.json`; it is
    published (a new version in the database, not written to the config directory) only when the whole
    definition set validates and its schema change keeps every stored value."""
    from engine.services import definitions_edit

    holder = engine_state().ready_holder()
    signature, text = definitions_edit.live_text(holder, name)
    problems: list[str] = []
    if request.method == "POST":
        text = request.form.get("text", "")
        signature = request.form.get("base_signature", "")  # the page's own (a page without one is refused)
        user = resolve_user()
        problems = definitions_edit.save(holder, name, text, by=user.name if user else None,
                                         base_signature=signature or None)
        if not problems:
            flash(_("Saved and in use."), "success")
            return redirect(url_for("admin.definitions"))
    from .designer_texts.publish import editor_page

    return render_template("admin/definition_edit.html", name=name, text=text, problems=problems,
                           base_signature=signature, editor=editor_page(name)), (422 if problems else 200)


@bp.get("/definitions/publications/<id:publication_id>")
def definition_publication(publication_id: int):
    """Admins: one published version (版本 #N: the publication's number, as everywhere in the pages), file by
    file, with who published it, when, from where and its note."""
    from datetime import datetime

    from engine.services import designer as designer_service
    from engine.ui.designer_texts.publish import TEXTS as PUBLISH_TEXTS

    from .account import local_time

    db = engine_state().db
    item = designer_service.publication(db, publication_id)
    texts = designer_service.version_texts(db, item["version"])
    when = local_time(datetime.fromisoformat(item["published_at"])) if item["published_at"] else ""
    origin = str(PUBLISH_TEXTS.get(f"versions.origin_{item['origin']}", item["origin"]))
    return render_template("admin/definition_publication.html", item=item, sources=texts, when=when, origin=origin)


@bp.get("/reference")
def reference():
    """Admins: this reference."""
    from .reference import reference_html

    return render_template("admin/reference.html", body=reference_html())
