"""Text every store can keep: checked where text comes in (requests, field values, imports),
so no statement fails on it later."""
from __future__ import annotations

import re

from engine.i18n import _

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why a text cannot be stored (None when it can): PostgreSQL refuses NUL characters and
    lone surrogates in text and JSON; SQLite's driver cannot encode the latter."""
    if "\x00" in value:
        return _("text may not contain NUL (\\u0000) characters")
    if not value.isascii() and _SURROGATE.search(value):
        return _("text may not contain lone surrogates (\\ud800-\\udfff); send valid UTF-8 text")
    return None
