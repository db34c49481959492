"""The choices of select and multiselect fields: parsed once, checked once; and the small
palette an option may be coloured with (`"color"`), shown as a coloured badge on pages."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from engine.i18n import N_, LocalText, localized_texts

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks

#: The `options` key of select and multiselect fields.
OPTIONS_SCHEMA: dict[str, Any] = {
    "description": "The choices, either all strings or all `{\"value\", \"label\", \"color\"}` objects "
                   "(a colour needs the object form).",
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "if": {"contains": {"type": "object"}},
    "then": {"items": {"description": "A choice with a value, a label and a colour.", "$ref": "#/$defs/option"}},
    "else": {"items": {"description": "A choice; value and label are the same.", "type": "string",
                       "minLength": 1, "maxLength": 255}},
}



@dataclass(frozen=True)
class Color:
    """One colour of the palette: its name people read, the badge's background (also a chart's
    colour for the option: at least 3:1 against a white page) and the badge's text colour (at
    least 4.5:1 against the background, WCAG AA for small text)."""
    label: str
    background: str
    text: str


#: The colours an option may have (`"color": "green"`), Bootstrap 5 shades. The CSS classes
#: `option-color-<name>` in engine/ui/static/css/app.css give the same colours (a test compares).
COLORS: dict[str, Color] = {
    "blue": Color(N_("Blue"), "#0a58ca", "#ffffff"),
    "green": Color(N_("Green"), "#146c43", "#ffffff"),
    "teal": Color(N_("Teal"), "#1aa179", "#000000"),
    "orange": Color(N_("Orange"), "#ca6510", "#000000"),
    "red": Color(N_("Red"), "#b02a37", "#ffffff"),
    "purple": Color(N_("Purple"), "#6f42c1", "#ffffff"),
    "grey": Color(N_("Grey"), "#6c757d", "#ffffff"),
}


@localized_texts("label")
@dataclass(frozen=True)
class Option:
    value: str
    label: str
    #: A name of COLORS, or None: shown as plain text.
    color: str | None = None


def parse_options(raw: Iterable[Any]) -> tuple[Option, ...]:
    """`["A", "B"]` or `[{"value": "a", "label": "A", "color": "red"}]` → Options (the label
    defaults to the value, the colour to none)."""
    return tuple(
        Option(str(o["value"]), o.get("label", str(o["value"])), o.get("color") or None) if isinstance(o, dict)
        else Option(str(o), str(o))
        for o in raw
    )


def labels_of(option: Option) -> tuple[str, ...]:
    """The option's label in every language it is written in (a cell may give any of them)."""
    return LocalText.of(option.label).variants()


def option_of(field: FieldDef, value: Any) -> Option | None:
    """The option whose value `value` is, if any."""
    return next((o for o in field.options if o.value == value), None)


def badge(label: str, color: str | None) -> Markup:
    """An option's label on a page: a badge in its colour (`option-color-<name>`), or "chip"
    without colour among coloured ones (`option-color-none`)."""
    return Markup('<span class="badge option-badge option-color-{0}">{1}</span>').format(
        color if color in COLORS else "none", label)


def option_html(field: FieldDef, value: Any, label: str) -> Markup:
    """One chosen value on a page: its colour's badge, or its label as plain text."""
    option = option_of(field, value)
    return badge(label, option.color) if option is not None and option.color else escape(label)


def options_html(field: FieldDef, values: Iterable[Any], separator: str) -> Markup:
    """Several chosen values (a multiselect) on a page: plain labels joined by `separator`
    when none of them is coloured, else a row of chips (coloured ones in their colour)."""
    chosen = [(option_of(field, v), str(v)) for v in values]
    if not any(o is not None and o.color for o, _v in chosen):
        return escape(separator.join(o.label if o is not None else v for o, v in chosen))
    chips = [badge(o.label, o.color) if o is not None else badge(v, None) for o, v in chosen]
    return Markup('<span class="option-chips">{0}</span>').format(Markup(" ").join(chips))


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
