"""The scheduler: one pass fires every timer due at `now` and delivers the notification
outbox. Safe to run from several processes or hosts at once (`engine reminders run`, or
`--loop`, or the one `engine serve` starts); see timers.py and engine.notify.delivery for how."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from engine.notify import delivery
from engine.runtime import RuntimeHolder
from engine.services.files import purge_unattached
from engine.store.db import Database, unreachable_message, unreachable_reason

from .timers import Fired, fire_due

log = logging.getLogger(__name__)


@dataclass
class PassReport:
    now: datetime
    fired: list[Fired] = field(default_factory=list)
    planned: int = 0
    sent: list[str] = field(default_factory=list)
    purged: int = 0  # uploads no record took within ENGINE_UPLOAD_GRACE_HOURS, deleted

    def lines(self) -> list[str]:
        cleaned = [f"deleted {self.purged} unattached upload(s)"] if self.purged else []
        return [f.line() for f in self.fired] + self.sent + cleaned


def run_pass(db: Database, holder: RuntimeHolder, settings: dict[str, Any], now: datetime | None = None
             ) -> PassReport:
    now = (now or datetime.now(UTC)).astimezone(UTC)
    tzinfo = ZoneInfo(settings["ENGINE_TIMEZONE"])
    report = PassReport(now)
    report.fired = fire_due(db, holder.current(), now, tzinfo)
    channels = delivery.Channels.from_settings(settings)
    report.planned = delivery.plan(db, channels, now)
    report.sent = delivery.send_due(db, channels, now)
    report.purged = purge_unattached(db, now, float(settings.get("ENGINE_UPLOAD_GRACE_HOURS", 24)))
    return report


def run_forever(db: Database, holder: RuntimeHolder, settings: dict[str, Any], interval: float,
                stop: threading.Event, echo=print) -> None:
    """Pass after pass every `interval` seconds until `stop` is set; a failing pass is logged
    and retried at the next tick (what it did not finish is still due then)."""
    while not stop.is_set():
        try:
            for line in run_pass(db, holder, settings).lines():
                echo(line)
        except Exception as exc:  # noqa: BLE001 - keep the loop alive; the next pass retries
            reason = unreachable_reason(exc)
            if reason is not None:  # one line, not a traceback every pass while it is down
                log.error("scheduler pass skipped: %s", unreachable_message(db.url, reason))
            else:
                log.exception("scheduler pass failed")
        stop.wait(interval)
