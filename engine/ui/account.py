"""The signed-in user's own account pages: their API tokens (issue, name, expire, revoke) and
their addresses for the notification channels that need one."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Length, Optional

from engine.auth.tokens import MAX_NAME, issue_token, list_tokens, parse_lifetime, revoke_token
from engine.errors import ValidationFailed
from engine.fieldtypes.controls import BoundedStringField, SelectChoice
from engine.i18n import _, lazy
from engine.web import engine_state, use_case
from engine.web.login import resolve_user

from . import addresses as address_forms

bp = Blueprint("account", __name__, url_prefix="/account")


class TokenForm(FlaskForm):
    """A new token's name and lifetime (the admin's user page uses it too)."""

    name = BoundedStringField(lazy("Name"), validators=[Optional(), Length(max=MAX_NAME)], echo_limit=MAX_NAME)
    expires = SelectField(lazy("Expires"), default="90d", choices=[
        SelectChoice("7d", lazy("in 7 days")), SelectChoice("30d", lazy("in 30 days")),
        SelectChoice("90d", lazy("in 90 days")), SelectChoice("365d", lazy("in a year")),
        SelectChoice("", lazy("never"))])


def local_time(value: datetime) -> str:
    """A stored UTC time as people read it: in the engine's zone, to the minute."""
    return value.astimezone(engine_state().tzinfo).strftime("%Y-%m-%d %H:%M")


def _page(tokens, form: TokenForm, token: str | None = None) -> str:
    return render_template("account/tokens.html", tokens=tokens, form=form, token=token, when=local_time,
                           revoke_url=lambda t: url_for("account.revoke", token_id=t.id))


@bp.before_request
@login_required
def signed_in() -> None:
    resolve_user()


@bp.get("/tokens")
def tokens():
    """My API tokens: the user's own tokens with name, status, last use and expiry."""
    with use_case() as ctx:
        mine = list_tokens(ctx.session, ctx.user.id)
    return _page(mine, TokenForm())


@bp.post("/tokens")
def new_token():
    """Issue an API token for oneself, optionally named and expiring; its text is shown once."""
    form = TokenForm()
    token = None
    with use_case(write=True) as ctx:
        if form.validate_on_submit():
            try:
                token = issue_token(ctx.session, ctx.user, name=form.name.data,
                                    expires_in=parse_lifetime(form.expires.data))
            except ValidationFailed as exc:
                for key, messages in exc.fields.items():
                    getattr(form, "name" if key == "name" else "expires").errors = messages
        mine = list_tokens(ctx.session, ctx.user.id)
    status = 200 if token else 422
    return _page(mine, form if token is None else TokenForm(formdata=None), token), status


@bp.post("/tokens/<id:token_id>/revoke")
def revoke(token_id: int):
    """Revoke one of one's own API tokens."""
    with use_case(write=True) as ctx:
        revoke_token(ctx.session, token_id, user_id=ctx.user.id)  # another user's token: 404
    flash(_("Token revoked."), "success")
    return redirect(url_for("account.tokens"))


class AddressForm(FlaskForm):
    """The user's own channel addresses (fields added per channel, engine.ui.addresses)."""


@bp.route("/addresses", methods=["GET", "POST"])
def addresses():
    """My notification addresses: the user's address for each channel that needs one (the email address is
    shown, read-only)."""
    with use_case(write=request.method == "POST") as ctx:
        shown = address_forms.shown_channels(ctx.session, ctx.user.id)
        form = address_forms.with_address_fields(AddressForm, shown)(data=address_forms.current(ctx.session,
                                                                                               ctx.user.id))
        if form.validate_on_submit():
            try:
                with ctx.session.begin_nested():
                    address_forms.save(ctx.session, ctx.user.id, form)
            except ValidationFailed as exc:
                for key, messages in exc.fields.items():
                    form[key].errors = messages
            else:
                flash(_("Addresses saved."), "success")
                return redirect(url_for("account.addresses"))
        fields = address_forms.address_fields(form)
        return render_template("account/addresses.html", form=form, fields=fields,
                               email=ctx.user.email), 422 if form.errors else 200
