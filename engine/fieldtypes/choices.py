"""The choices of select and multiselect fields: parsed once, checked once."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.i18n import N_

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks

#: The `options` key of select and multiselect fields.
OPTIONS_SCHEMA: dict[str, Any] = {
    "description": "The choices, either all strings or all `{\"value\", \"label\"}` objects.",
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "if": {"contains": {"type": "object"}},
    "then": {"items": {"description": "A choice with a value and a label.", "$ref": "#/$defs/option"}},
    "else": {"items": {"description": "A choice; value and label are the same.", "type": "string",
                       "minLength": 1, "maxLength": 255}},
}


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def parse_options(raw: Iterable[Any]) -> tuple[Option, ...]:
    """`["A", "B"]` or `[{"value": "a", "label": "A"}]` → Options (the label defaults to the value)."""
    return tuple(
        Option(str(o["value"]), o.get("label", str(o["value"]))) if isinstance(o, dict) else Option(str(o), str(o))
        for o in raw
    )


def check_options(field: FieldDef, checks: DefinitionChecks) -> None:
    """No option twice; a literal default is one of the options."""
    values = tuple(o.value for o in field.options or ())
    if not values:
        return
    dupes = [v for v, n in Counter(values).items() if n > 1]
    if dupes:
        checks.problem(f"{field.pointer}/options", N_("duplicate option '%(value)s'"), value=dupes[0])
    default = field.default
    wanted = default if isinstance(default, list) else [default] if default is not None else []
    for value in wanted:
        if value not in values:
            checks.problem(f"{field.pointer}/default", N_("default %(value)s is not one of the options"),
                           value=repr(value))
