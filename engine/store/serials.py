"""Serial numbers: `SO-{date:%Y%m%d}-{seq:4}` → SO-20250301-0001.

The counter is per rendered prefix (the pattern with its date filled in), bumped
with one atomic upsert, so concurrent creators never get the same number and a
number is never reused (a rolled-back transaction rolls its bump back too, and
the unique index on the field is the last line of defence).
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.fieldtypes.computed import SERIAL_TOKEN

from .system import serial_counters


def render_prefix(pattern: str, now_local: datetime) -> str:
    """The pattern with dates filled in and the counter left as `{seq}`."""
    def fill(match: re.Match[str]) -> str:
        kind, arg = match.groups()
        if kind == "date":
            return now_local.strftime(arg or "%Y%m%d")
        return "{seq}"
    return SERIAL_TOKEN.sub(fill, pattern)


def next_serial(session: Session, pattern: str, now_local: datetime) -> str:
    return reserve_serials(session, pattern, now_local, 1)[0]


def reserve_serials(session: Session, pattern: str, now_local: datetime, count: int) -> list[str]:
    """`count` consecutive numbers with one statement (a bulk import takes its block in a
    short transaction of its own, so other creators never wait for the import)."""
    key = render_prefix(pattern, now_local)
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(serial_counters).values(prefix=key, value=count)
    stmt = stmt.on_conflict_do_update(
        index_elements=[serial_counters.c.prefix], set_={"value": serial_counters.c.value + count}
    ).returning(serial_counters.c.value)
    last = int(session.execute(stmt).scalar_one())
    width = next((int(arg) for kind, arg in SERIAL_TOKEN.findall(pattern) if kind == "seq" and arg), 1)
    return [key.replace("{seq}", str(value).zfill(width), 1) for value in range(last - count + 1, last + 1)]
