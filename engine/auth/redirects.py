"""Where a page may send the browser next (`next=`, a form's return target).

Only a path on this site passes. The check runs on the text as a browser would read
it: percent-decoded (repeatedly), with backslashes read as slashes, and any control or
whitespace character refused outright, because browsers strip tabs and newlines from
URLs (`/%09/evil.example` becomes `//evil.example`, another site).
"""
from __future__ import annotations

from typing import TypeGuard
from urllib.parse import unquote, urlsplit

MAX_TARGET = 2048


def _decoded(target: str) -> str | None:
    """The target fully percent-decoded, or None if it keeps changing (nested encoding)."""
    for _round in range(4):
        once = unquote(target)
        if once == target:
            return target
        target = once
    return None


def is_safe_target(target: str | None) -> TypeGuard[str]:
    """True for a same-site path such as `/forms/x/records?page=2`; False for anything that
    could leave the site or is malformed."""
    if not target or len(target) > MAX_TARGET or not target.startswith("/"):
        return False
    plain = _decoded(target)
    if plain is None:
        return False
    for text in (target, plain):
        if any(ch.isspace() or ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch == "\\" for ch in text):
            return False
        if text.startswith("//") or not text.startswith("/"):
            return False
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_target(target: str | None, fallback: str) -> str:
    """`target` when it is a same-site path, else `fallback`."""
    return target if is_safe_target(target) else fallback
