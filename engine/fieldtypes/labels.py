"""What each field type is called where people read it (import page, import template guide,
admin pages): the internal names (`text`, `select`, `user`) are for definition files only.
One label per registered type; tests check that none is missing."""
from __future__ import annotations

from engine.i18n import N_, _

LABELS: dict[str, str] = {
    "text": N_("Text"),
    "textarea": N_("Multi-line text"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "url": N_("Web address"),
    "select": N_("Single choice"),
    "multiselect": N_("Multiple choice"),
    "integer": N_("Whole number"),
    "decimal": N_("Decimal number"),
    "boolean": N_("Yes/No"),
    "date": N_("Date"),
    "datetime": N_("Date and time"),
    "user": N_("User"),
    "link": N_("Link to a record"),
    "table": N_("Table of rows"),
    "file": N_("File"),
    "formula": N_("Formula"),
    "serial": N_("Serial number"),
    "rollup": N_("Rollup"),
}


def type_label(name: str) -> str:
    """The type's name in the reader's language (English outside a request); an unknown
    type keeps its internal name."""
    label = LABELS.get(name)
    return _(label) if label else name
