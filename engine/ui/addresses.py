"""Per-user channel addresses on the user forms (the admin's user page, the user's own
account page): one text field per channel that needs an address (email keeps its own
field) and is configured (`Channel.offered`) or already holds an address of the user,
filled from and saved to engine.notify.addresses, each checked by its channel."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import Field
from wtforms.validators import Length, Optional

from engine.fieldtypes.controls import BoundedStringField
from engine.i18n import lazy
from engine.notify.addresses import IN_USERS, addresses_of, field_name, set_addresses
from engine.notify.channel import MAX_ADDRESS, with_addresses
from engine.notify.delivery import Channels


def channel_names() -> list[str]:
    """The channels whose address these forms edit (not email: it has its own field)."""
    return [kind.name for kind in with_addresses() if kind.name not in IN_USERS]


def shown_channels(session: Session, user_id: int | None) -> list[str]:
    """The channels whose address field the forms show for user `user_id` (None: a new user):
    those configured, and those the user already has an address for (so it can be removed)."""
    made = Channels.from_settings(current_app.config["ENGINE"]).channels
    have = addresses_of(session, [user_id]).get(user_id, {}) if user_id is not None else {}
    return [name for name in channel_names() if name in have or (name in made and made[name].offered)]


def with_address_fields(form_class: type[FlaskForm], shown: list[str]) -> type[FlaskForm]:
    """`form_class` plus a field `address_<channel>` per channel of `shown` (`shown_channels`)."""
    fields = {field_name(kind.name): BoundedStringField(
        lazy(kind.address or kind.name), validators=[Optional(), Length(max=MAX_ADDRESS)], echo_limit=MAX_ADDRESS)
        for kind in with_addresses() if kind.name not in IN_USERS and kind.name in shown}
    return type(form_class.__name__, (form_class,), fields) if fields else form_class


def current(session: Session, user_id: int) -> dict[str, str]:
    """The user's addresses as form data ({field name: address})."""
    found = addresses_of(session, [user_id]).get(user_id, {})
    return {field_name(name): found.get(name, "") for name in channel_names()}


def address_fields(form: FlaskForm) -> list[Field]:
    return [form[field_name(name)] for name in channel_names() if field_name(name) in form]


def save(session: Session, user_id: int, form: Any) -> None:
    """Store the form's addresses; ValidationFailed keyed by the form's field names."""
    set_addresses(session, user_id, {name: form[field_name(name)].data for name in channel_names()
                                     if field_name(name) in form})
