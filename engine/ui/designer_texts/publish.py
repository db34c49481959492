"""The designer's words for the publish tab (owner: the publish helper): `TEXTS = {key: lazy("English")}`."""
from __future__ import annotations

from typing import Any

TEXTS: dict[str, Any] = {}
