"""Message catalogue hook. Engine messages are written in English and translated at
render time by Babel (zh-CN default) once the web layer installs it; until then
`_` formats the English text."""
from __future__ import annotations

from typing import Any


def _(message: str, **params: Any) -> str:
    try:
        from flask_babel import gettext  # optional until the UI layer installs it

        return gettext(message, **params)
    except Exception:  # no Babel, or outside an app context
        return message % params if params else message
