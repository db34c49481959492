"""Durations in definitions: `30m`, `4h`, `2d`, `1w`; offsets may be signed (`-1d`)."""
from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^([+-]?)(\d+)(m|h|d|w)$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str, *, signed: bool = False) -> timedelta:
    """Parse a duration; raises ValueError with a message fit for an admin."""
    match = _DURATION.match(text.strip()) if isinstance(text, str) else None
    if not match or (match.group(1) and not signed):
        example = "'-1d' or '2h'" if signed else "'30m', '4h', '2d' or '1w'"
        raise ValueError(f"invalid duration {text!r}: use a number and a unit, e.g. {example}")
    sign, amount, unit = match.groups()
    delta = timedelta(**{_UNITS[unit]: int(amount)})
    return -delta if sign == "-" else delta
