"""The designer page's words, one module per area (form, flow, perms, publish, preview), each a
`TEXTS = {key: lazy("English msgid")}` dict; `texts()` merges them in the reader's language
for the page's `#designer-text` block. `{name}` in a text marks a value put in by JS."""
from __future__ import annotations

import importlib

AREAS = ("form", "flow", "perms", "publish", "preview", "status", "editors")


def texts() -> dict[str, str]:
    """Every area's words, rendered in the current language (a key of a later area wins)."""
    merged: dict[str, str] = {}
    for area in AREAS:
        module = importlib.import_module(f"{__name__}.{area}")
        merged.update({key: str(value) for key, value in module.TEXTS.items()})
    return merged
