"""Each user's address per channel: where a channel that needs one (`Channel.address`)
sends that user's notifications. The email channel's address is the user's `email`
(`engine_users.email`, as it always was); every other channel's is a row of
`engine_user_addresses`. Each address is checked by its channel before it is stored.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from engine.errors import ValidationFailed
from engine.store.system import user_addresses, users

from .channel import AddressError, registered

#: Channels whose address is a column of engine_users.
IN_USERS = {"email": users.c.email}


def field_name(channel: str) -> str:
    """The form and error key of a channel's address (`email` stays `email`)."""
    return channel if channel in IN_USERS else f"address_{channel}"


def addresses_of(session: Session, user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """user id → {channel: address}, for the given users (users without any are absent)."""
    ids = sorted(set(user_ids))
    found: dict[int, dict[str, str]] = {}
    if not ids:
        return found
    for channel, column in IN_USERS.items():
        for user_id, address in session.execute(select(users.c.id, column).where(users.c.id.in_(ids))):
            if address:
                found.setdefault(user_id, {})[channel] = address
    for row in session.execute(select(user_addresses).where(user_addresses.c.user_id.in_(ids))):
        found.setdefault(row.user_id, {})[row.channel] = row.address
    return found


def check_addresses(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """{channel: address or None} checked by each channel; ValidationFailed keyed by `field_name`."""
    channels = registered()
    checked: dict[str, str | None] = {}
    problems: dict[str, list[str]] = {}
    for channel, raw in values.items():
        kind = channels.get(channel)
        if kind is None or kind.address is None:
            problems[field_name(channel)] = [f"no channel '{channel}' takes an address"]
            continue
        text = (raw or "").strip()
        try:
            checked[channel] = kind.check_address(text) if text else None
        except AddressError as exc:
            problems[field_name(channel)] = [str(exc)]
    if problems:
        raise ValidationFailed(problems)
    return checked


def set_addresses(session: Session, user_id: int, values: Mapping[str, str | None]) -> None:
    """Store the user's addresses ({channel: address}; None or "" removes one), each checked
    by its channel first."""
    for channel, address in check_addresses(values).items():
        if channel in IN_USERS:
            session.execute(update(users).where(users.c.id == user_id).values({IN_USERS[channel]: address}))
            continue
        session.execute(delete(user_addresses).where(user_addresses.c.user_id == user_id,
                                                     user_addresses.c.channel == channel))
        if address:
            session.execute(insert(user_addresses).values(user_id=user_id, channel=channel, address=address))
