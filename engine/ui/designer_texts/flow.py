"""The designer's words for the flow tab (owner: the flow helper): `TEXTS = {key: lazy("English")}`."""
from __future__ import annotations

from typing import Any

TEXTS: dict[str, Any] = {}
