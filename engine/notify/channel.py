"""Channels: how a notification leaves the engine besides the in-app inbox.

A channel is one module in engine/notify/channels/ (every module there is loaded) holding
one `Channel` subclass registered with `@register`::

    @register
    class Pager(Channel):
        name = "pager"                   # stored with each delivery: a-z, 0-9, _; at most 16
        address = N_("Pager number")     # what it needs from each user (a label); None: nothing
        settings = ("ENGINE_PAGER_URL",) # the settings it reads (self.setting(key))

        @property
        def ready(self) -> bool:         # configured: deliveries are planned for it
            return bool(self.setting("ENGINE_PAGER_URL"))

        @classmethod
        def check_address(cls, address: str) -> str:  # the address as stored, or AddressError
            ...

        def send(self, message: Message) -> None:       # raise (OSError, DeliveryFailed…) when not delivered
            ...

`targets` says where one user's notification goes: by default to the user's address for
the channel (nowhere without one); a channel without per-user addresses (`address =
None`) overrides it (the webhook: its one URL), and so does one that routes by the user's
roles (the chat robots: the robots of the user's roles, robots.py). A channel reads its
settings with `setting`, from the engine's settings and then the environment, so adding one
needs no other file; `problems` says what is wrong with them (checked when the app and the
commands start, so a bad setting stops the start instead of failing each delivery).
"""
from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from engine.i18n import LOCALES, _, speaking

NAME = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
MAX_ADDRESS = 255
TIMEOUT = 10  # seconds for one HTTP exchange
MAX_ANSWER = 65536  # bytes of an answer read


class DeliveryFailed(Exception):
    """A channel could not deliver a message (retried later; its text is recorded)."""


class AddressError(ValueError):
    """An address a channel does not accept; the message is for the person who typed it."""


@dataclass(frozen=True)
class Message:
    """One notification on its way to one target. `event_id` is the notification's id: the
    same on every try and on every channel."""

    event_id: int
    channel: str
    target: str
    user: str
    kind: str
    text: str  # in the reader's language
    params: dict[str, Any]
    form: str | None
    record_id: int | None
    url: str | None  # the record's page when ENGINE_BASE_URL is set
    created_at: datetime
    #: The recipient's language (a catalogue locale): a channel that adds words of its own
    #: makes them `with speaking(message.language)`. Not part of the payload.
    language: str = LOCALES[0]
    #: The record's summary as the recipient may read it, in their language: a tuple of
    #: {"field", "label", "text"} (empty when the notification is about no record).
    summary: tuple = ()

    def payload(self) -> dict[str, Any]:
        """The notification as JSON (the webhook's body)."""
        return {"id": self.event_id, "user": self.user, "kind": self.kind, "text": self.text,
                "params": self.params, "form": self.form, "record_id": self.record_id, "url": self.url,
                "created_at": self.created_at.isoformat(), "summary": [dict(item) for item in self.summary]}

    def summary_lines(self) -> list[str]:
        """The summary as lines `label: text` in the recipient's language (金额：9,600.00), for an
        email's body or a plain chat message."""
        with speaking(self.language):
            return [_("%(label)s: %(text)s", label=item["label"], text=item["text"]) for item in self.summary]


class Channel:
    name: ClassVar[str]
    #: The label of the address the channel needs from each user; None when it needs none.
    address: ClassVar[str | None] = None
    #: The settings the channel reads (documented with it).
    settings: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self._settings = settings

    def setting(self, key: str, default: Any = None) -> Any:
        value = self._settings.get(key) if key in self._settings else os.environ.get(key)
        return default if value in (None, "") else value

    @property
    def ready(self) -> bool:
        """Configured well enough that deliveries are planned for it."""
        return True

    @property
    def offered(self) -> bool:
        """Whether people are asked for their address on this channel (the user forms show its
        field): when it is configured."""
        return self.ready

    @classmethod
    def check_address(cls, address: str) -> str:
        """The address as stored; raises AddressError when the channel cannot use it."""
        address = address.strip()
        if len(address) > MAX_ADDRESS:
            raise AddressError(_("at most %(max)s characters", max=MAX_ADDRESS))
        return address

    def problems(self) -> list[str]:
        """What is wrong with the channel's settings (one line each, naming the setting)."""
        return []

    def targets(self, address: str | None, roles: frozenset[str] = frozenset()) -> list[str]:
        """Where one user's notification goes, given the user's address for this channel and
        the user's roles."""
        return [address] if address else []

    def send(self, message: Message) -> None:
        raise NotImplementedError


def post_json(url: str, payload: dict[str, Any]) -> bytes:
    """POST `payload` as JSON to `url` (an admin-configured URL); the answer's body (its first
    MAX_ANSWER bytes). OSError when the answer is not 2xx."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - admin-configured URL
            if not 200 <= response.status < 300:
                raise OSError(f"HTTP {response.status}")
            return bytes(response.read(MAX_ANSWER))
    except urllib.error.HTTPError as exc:
        exc.close()
        raise OSError(f"HTTP {exc.code}") from None


CHANNELS: dict[str, type[Channel]] = {}
_loaded = False


def register(cls: type[Channel]) -> type[Channel]:
    if not NAME.match(getattr(cls, "name", "") or ""):
        raise ValueError(f"channel name {getattr(cls, 'name', None)!r}: a-z, 0-9 and _, at most 16")
    CHANNELS[cls.name] = cls
    return cls


def registered() -> dict[str, type[Channel]]:
    """Every channel by name, the modules of engine/notify/channels/ loaded on first use."""
    global _loaded
    if not _loaded:
        from . import channels

        for module in pkgutil.iter_modules(channels.__path__):
            importlib.import_module(f"{channels.__name__}.{module.name}")
        _loaded = True
    return CHANNELS


def with_addresses() -> list[type[Channel]]:
    """The channels that need an address from each user, in name order."""
    return [registered()[name] for name in sorted(registered()) if registered()[name].address is not None]
