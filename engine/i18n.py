"""Message catalogue hook. Engine messages are written in English and translated at
render time by Babel (zh-CN default) once the web layer installs it; until then
`_` formats the English text."""
from __future__ import annotations

from typing import Any


def _(message: str, **params: Any) -> str:
    """Translate for the current request; outside a request (CLI, scheduler) English."""
    from flask import has_request_context

    if has_request_context():
        from flask_babel import gettext

        return gettext(message, **params)
    return message % params if params else message


def lazy(message: str, **params: Any) -> Any:
    """For module-level strings: translated when rendered."""
    from flask_babel import lazy_gettext

    return lazy_gettext(message, **params)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here (translated when shown)."""
    return message
