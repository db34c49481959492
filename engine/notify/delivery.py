"""Delivering notifications through the channels (email, webhook, ...) from the outbox,
outside any user request: the scheduler pass calls `plan` and `send_due`.

Planning: each new notification gets one delivery per target of every configured channel
(`Channel.targets`: the user's address for the channel, or the channel's own target).
Sending: due deliveries are taken with `FOR UPDATE SKIP LOCKED` (one pass per delivery at
a time; the row lock is the lease, held until the batch commits), sent and marked; a
failure is retried with back-off and after MAX_ATTEMPTS it is reported to admins as an
incident, never dropped silently. In-app notifications are exactly once; the outside
channels are at least once (a crash between sending and committing sends again, with the
same event id). A batch that only lost a race for a lock is retried (busy.py).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from engine.i18n import language_code
from engine.records.summaries import summary_in
from engine.store.busy import retry_busy
from engine.store.db import Database
from engine.store.system import deliveries, incidents, notifications, user_roles, users

from .addresses import addresses_of
from .channel import Channel, Message, registered
from .rendering import DEFAULT_LOCALE, in_language, render

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)  # then 1, 2, 4 minutes
BATCH = 50
PLAN_BATCH = 500


@dataclass(frozen=True)
class Channels:
    """Every registered channel, made from the settings, and where record links point."""

    channels: Mapping[str, Channel]
    base_url: str | None

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Channels:
        made = {name: kind(settings) for name, kind in sorted(registered().items())}
        return cls(made, settings.get("ENGINE_BASE_URL") or None)

    def ready(self) -> list[Channel]:
        return [channel for channel in self.channels.values() if channel.ready]

    def problems(self) -> list[str]:
        """What is wrong with the channels' settings, one line each (checked at start)."""
        return [line for channel in self.channels.values() for line in channel.problems()]


def plan(db: Database, channels: Channels, now: datetime) -> int:
    """Create the deliveries of notifications not yet planned; returns how many were planned."""
    total = 0
    while True:
        batch = retry_busy(lambda: _plan_batch(db, channels, now))
        if not batch:
            return total
        total += batch


def _plan_batch(db: Database, channels: Channels, now: datetime) -> int:
    with db.session(write=True) as session, session.begin():
        rows = session.execute(
            select(notifications.c.id, users.c.id.label("user_id"))
            .join(users, users.c.name == notifications.c.user_name, isouter=True)
            .where(notifications.c.dispatched_at.is_(None)).order_by(notifications.c.id).limit(PLAN_BATCH)
            .with_for_update(of=notifications, skip_locked=True)).all()
        if rows:
            ready = channels.ready()
            ids = [r.user_id for r in rows if r.user_id is not None]
            known = addresses_of(session, ids) if ready else {}
            roles = _roles_of(session, ids) if ready else {}
            planned = [{"notification_id": row.id, "channel": channel.name, "target": target}
                       for row in rows for channel in ready
                       for target in channel.targets(known.get(row.user_id, {}).get(channel.name),
                                                     roles.get(row.user_id, frozenset()))]
            if planned:
                session.execute(insert(deliveries), [{**p, "status": "pending", "attempts": 0,
                                                      "next_attempt_at": now} for p in planned])
            session.execute(update(notifications).where(notifications.c.id.in_([r.id for r in rows]))
                            .values(dispatched_at=now))
        return len(rows)


def _roles_of(session: Any, user_ids: list[int]) -> dict[int, frozenset[str]]:
    """user id → the user's roles (a channel may route by them)."""
    found: dict[int, set[str]] = {}
    if user_ids:
        for user_id, role in session.execute(select(user_roles.c.user_id, user_roles.c.role)
                                              .where(user_roles.c.user_id.in_(sorted(set(user_ids))))):
            found.setdefault(user_id, set()).add(role)
    return {user_id: frozenset(names) for user_id, names in found.items()}


def send_due(db: Database, channels: Channels, now: datetime) -> list[str]:
    """Send every delivery due at `now` once; returns a line per attempt."""
    lines: list[str] = []
    while True:
        batch = retry_busy(lambda: _send_batch(db, channels, now))
        if batch is None:
            return lines
        lines += batch


def _send_batch(db: Database, channels: Channels, now: datetime) -> list[str] | None:
    """One batch of due deliveries claimed, sent and marked; None when nothing is due."""
    lines: list[str] = []
    with db.session(write=True) as session, session.begin():
        rows = session.execute(
            select(deliveries, notifications.c.user_name, notifications.c.kind, notifications.c.params,
                   notifications.c.form, notifications.c.record_id, notifications.c.created_at)
            .join(notifications, notifications.c.id == deliveries.c.notification_id)
            .where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id).limit(BATCH)
            .with_for_update(of=deliveries, skip_locked=True)).mappings().all()
        if not rows:
            return None
        languages = dict(session.execute(select(users.c.name, users.c.language).where(
            users.c.name.in_(sorted({row["user_name"] for row in rows})))).all())
        for row in rows:
            error = _send(channels, {**row, "language": languages.get(row["user_name"])})
            attempts = row["attempts"] + 1
            if error is None:
                values = {"status": "sent", "sent_at": now, "attempts": attempts, "last_error": None}
                lines.append(f"sent      {row['channel']} to {row['target']} (notification "
                             f"{row['notification_id']})")
            elif attempts >= MAX_ATTEMPTS:
                values = {"status": "failed", "attempts": attempts, "last_error": error}
                session.execute(insert(incidents).values(
                    kind="delivery_failed", form=row["form"], record_id=row["record_id"], created_at=now,
                    message=f"{row['channel']} to {row['target']} failed {attempts} times, given up: {error}"))
                lines.append(f"given up  {row['channel']} to {row['target']} after {attempts} tries: {error}")
            else:
                retry = now + FIRST_RETRY * (2 ** (attempts - 1))
                values = {"attempts": attempts, "last_error": error, "next_attempt_at": retry}
                lines.append(f"retry     {row['channel']} to {row['target']} (try {attempts}/{MAX_ATTEMPTS} "
                             f"failed: {error}; next at {retry.isoformat(timespec='seconds')})")
            session.execute(update(deliveries).where(deliveries.c.id == row["id"]).values(**values))
    return lines


def message(channels: Channels, row: Any) -> Message:
    """The delivery `row` (joined with its notification, with its recipient's `language`) as
    its channel receives it: the text in the recipient's language, else the product's."""
    params = dict(row["params"] or {})
    summary = tuple(summary_in(params.pop("summary", None), language_code(row.get("language") or DEFAULT_LOCALE)))
    language = row.get("language") or DEFAULT_LOCALE
    link = (f"{channels.base_url.rstrip('/')}/f/{row['form']}/{row['record_id']}"
            if channels.base_url and row["form"] and row["record_id"] else None)
    return Message(event_id=row["notification_id"], channel=row["channel"], target=row["target"],
                   user=row["user_name"], kind=row["kind"], text=render(row["kind"], params, locale=language),
                   params=in_language(params, language), form=row["form"], record_id=row["record_id"], url=link,
                   created_at=row["created_at"], language=language, summary=summary)


def _send(channels: Channels, row: Any) -> str | None:
    """None when delivered, else what went wrong."""
    channel = channels.channels.get(row["channel"])
    if channel is None:
        return f"no channel '{row['channel']}'"
    try:
        channel.send(message(channels, row))
    except Exception as exc:  # noqa: BLE001 - any channel's failure is retried and, in the end, reported
        return f"{type(exc).__name__}: {exc}"[:500]
    return None
