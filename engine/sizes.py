"""Byte counts as people read them: limits in messages say `1 MB` or `512 KB`, not `1048576`."""
from __future__ import annotations


def human_size(n: int) -> str:
    """`1 MB`, `1.5 MB`, `20 KB`, `900 B` (1 KB = 1024 bytes; units are the same in every language)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            value = round(n / factor, 1)
            return f"{value:g} {unit}" if value < 10_000 else f"{round(n / factor):,} {unit}"
    return f"{n} B"
