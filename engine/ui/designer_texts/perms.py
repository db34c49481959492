"""The designer's words for the perms tab (owner: the perms helper): `TEXTS = {key: lazy("English")}`."""
from __future__ import annotations

from typing import Any

TEXTS: dict[str, Any] = {}
