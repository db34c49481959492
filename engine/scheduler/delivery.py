"""Email and webhook delivery of notifications, from the outbox, outside any user request.

Planning: each new notification gets an email delivery (when SMTP is configured and the
user has an address) and a webhook delivery (when a webhook URL is configured). Sending:
due deliveries are taken with `FOR UPDATE SKIP LOCKED` (one pass per delivery at a time),
sent, and marked; a failure is retried with back-off and after MAX_ATTEMPTS it is
reported to admins as an incident, never dropped silently. In-app notifications are
exactly once; the outside channels are at least once (a crash between sending and
committing sends again). A batch that only lost a race for a lock is retried (busy.py).
"""
from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import insert, select, update

from engine.services.notifications import render
from engine.store.busy import retry_busy
from engine.store.db import Database
from engine.store.system import deliveries, incidents, notifications, users

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)  # then 1, 2, 4 minutes
BATCH = 50
TIMEOUT = 10  # seconds for one SMTP or HTTP exchange


@dataclass(frozen=True)
class Channels:
    smtp_url: str | None
    webhook_url: str | None
    mail_from: str
    base_url: str | None

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Channels:
        return cls(settings.get("ENGINE_SMTP_URL") or None, settings.get("ENGINE_WEBHOOK_URL") or None,
                   settings.get("ENGINE_MAIL_FROM") or "engine@localhost", settings.get("ENGINE_BASE_URL") or None)


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
            select(notifications.c.id, users.c.email)
            .join(users, users.c.name == notifications.c.user_name, isouter=True)
            .where(notifications.c.dispatched_at.is_(None)).order_by(notifications.c.id).limit(500)
            .with_for_update(of=notifications, skip_locked=True)).all()
        if rows:
            planned = []
            for row in rows:
                if channels.smtp_url and row.email:
                    planned.append({"notification_id": row.id, "channel": "email", "target": row.email})
                if channels.webhook_url:
                    planned.append({"notification_id": row.id, "channel": "webhook", "target": channels.webhook_url})
            if planned:
                session.execute(insert(deliveries), [{**p, "status": "pending", "attempts": 0,
                                                      "next_attempt_at": now} for p in planned])
            session.execute(update(notifications).where(notifications.c.id.in_([r.id for r in rows]))
                            .values(dispatched_at=now))
        return len(rows)


def send_due(db: Database, channels: Channels, now: datetime) -> list[str]:
    """Send every delivery due at `now` once; returns a line per attempt."""
    lines: list[str] = []
    while True:
        batch = retry_busy(lambda: _send_batch(db, channels, now))
        if batch is None:
            return lines
        lines += batch


def _send_batch(db: Database, channels: Channels, now: datetime) -> list[str] | None:
    """One batch of due deliveries sent and marked; None when nothing is due."""
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
        for row in rows:
            error = _send(channels, row)
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


def _payload(channels: Channels, row: Any) -> dict[str, Any]:
    params = dict(row["params"] or {})
    link = (f"{channels.base_url.rstrip('/')}/f/{row['form']}/{row['record_id']}"
            if channels.base_url and row["form"] and row["record_id"] else None)
    return {"id": row["notification_id"], "user": row["user_name"], "kind": row["kind"],
            "text": render(row["kind"], params), "params": params, "form": row["form"],
            "record_id": row["record_id"], "url": link, "created_at": row["created_at"].isoformat()}


def _send(channels: Channels, row: Any) -> str | None:
    """None when delivered, else what went wrong."""
    payload = _payload(channels, row)
    try:
        if row["channel"] == "email":
            if not channels.smtp_url:
                return "ENGINE_SMTP_URL is not set"
            send_email(channels, row["target"], payload)
        else:
            post_webhook(row["target"], payload)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return None


def send_email(channels: Channels, to: str, payload: dict[str, Any]) -> None:
    """ENGINE_SMTP_URL: smtp://[user:password@]host[:port] (STARTTLS when offered),
    smtps://… for TLS from the start."""
    url = urlsplit(channels.smtp_url or "")
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise ValueError(f"ENGINE_SMTP_URL must look like smtp://user:password@host:port, not {url.scheme}://…")
    message = EmailMessage()
    message["From"] = channels.mail_from
    message["To"] = to
    message["Subject"] = payload["text"][:200]
    message.set_content(payload["text"] + (f"\n\n{payload['url']}" if payload["url"] else ""))
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=TIMEOUT,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(url.hostname, url.port or 25, timeout=TIMEOUT)
    with client:
        client.ehlo()
        if url.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(message)


def post_webhook(url: str, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - admin-configured URL
            if not 200 <= response.status < 300:
                raise OSError(f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        exc.close()
        raise OSError(f"HTTP {exc.code}") from None
