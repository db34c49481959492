"""The designer's words for previewing the draft as a role (the form tab's top bar)."""
from __future__ import annotations

from engine.i18n import lazy

TEXTS = {
    "preview.as": lazy("Preview as"),
    "preview.form": lazy("Preview form"),
    "preview.list": lazy("Preview list"),
    "preview.detail": lazy("Preview details"),
    "preview.board": lazy("Preview board"),
    "preview.hint": lazy(
        "Opens the form as this role will see it with your draft, in a new tab; nothing is saved there."),
}
