"""rating: a score of 1 to `scale` stars (default 5, from 3 to 10), stored as a whole number.

People choose it with a row of star buttons (radio buttons shown as a scale, every star up
to the chosen one filled: keyboard, phone and no script alike), read it as ★★★★☆ (screen
readers hear "4 of 5 stars"), filter lists by "at least", and exchange it as the number
(API, spreadsheets). The whole type is this module.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sqlalchemy import Integer
from wtforms import Field, RadioField

from engine.i18n import N_, _

from .base import NO_REFS, CellReader, CheckContext, FieldError, FieldType, Refs, WidgetContext, register
from .controls import ScaleButtons, SelectChoice

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks

FULL, EMPTY = "★", "☆"
SCALE_LIMITS = (3, 10)
DEFAULT_SCALE = 5


def stars(value: int, scale: int) -> str:
    """★★★★☆ for 4 of 5."""
    return FULL * value + EMPTY * (scale - value)


def out_of(value: int, scale: int) -> str:
    """What a screen reader says for the stars, and a star button's tooltip."""
    return _("%(n)s of %(scale)s stars", n=value, scale=scale)


class RatingField(RadioField):
    """Radio buttons whose value the record service checks, as for every other control."""

    widget = ScaleButtons(FULL, "btn-outline-warning")

    def pre_validate(self, form: Any) -> None:
        pass


@register
class RatingType(FieldType):
    name = "rating"
    label = N_("Rating")
    summary = "A score of 1 to `scale` stars, shown as ★★★★☆ and exchanged as the number."
    options_schema = {
        "scale": {"description": "How many stars: the highest score.", "type": "integer",
                  "minimum": SCALE_LIMITS[0], "maximum": SCALE_LIMITS[1], "default": DEFAULT_SCALE},
    }
    defaults = {"scale": DEFAULT_SCALE}
    default_schema = {"type": ["integer", "null"], "minimum": 1, "maximum": SCALE_LIMITS[1]}
    ordered = True
    aggregates = ("avg", "min", "max")
    can_title = False
    can_be_unique = False
    layout = "group"
    samples = ({"type": "rating", "scale": 5}, (1, 4, 5))

    # -- definitions ------------------------------------------------------------------

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        default = field.default
        if isinstance(default, int) and not isinstance(default, bool) and not 1 <= default <= field.scale:
            checks.problem(f"{field.pointer}/default", N_("default %(value)s is outside 1 to %(scale)s"),
                           value=default, scale=field.scale)

    # -- store and codec --------------------------------------------------------------

    def column_type(self, field: FieldDef) -> Integer:
        return Integer()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> int:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit() and len(raw.strip()) <= 3:
            raw = int(raw.strip())
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise FieldError(_("must be a whole number from 1 to %(scale)s", scale=field.scale))
        return raw

    def check(self, field: FieldDef, value: int, ctx: CheckContext) -> list[str]:
        if not 1 <= value <= field.scale:
            return [_("must be a whole number from 1 to %(scale)s", scale=field.scale)]
        return []

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": field.scale,
                "description": f"1 to {field.scale} stars"}

    # -- reading ----------------------------------------------------------------------

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        if self.is_empty(value):
            return ""
        return f"{stars(int(value), field.scale)} ({value}/{field.scale})"

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        if self.is_empty(value):
            return Markup("")
        return Markup('<span class="text-warning text-nowrap" title="{0}" data-rating="{1}">'
                      '<span aria-hidden="true">{2}</span><span class="visually-hidden">{0}</span></span>').format(
            out_of(int(value), field.scale), value, stars(int(value), field.scale))

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        return None if self.is_empty(value) else int(value)

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> Any:
        if isinstance(cell, str) and cell.strip() and set(cell.strip()) <= {FULL, EMPTY}:
            return cell.count(FULL)  # ★★★★☆ as shown on pages
        return cell.strip() if isinstance(cell, str) else cell

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return field.help or _("a whole number from 1 to %(scale)s", scale=field.scale)

    # -- list filters and the edit pages ----------------------------------------------

    def filter_kind(self, field: FieldDef) -> str:
        return "at_least"

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        return [(str(n), stars(n, field.scale)) for n in range(1, field.scale + 1)]

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        choices = [] if field.required else [SelectChoice("", _("No rating"))]
        choices += [SelectChoice(str(n), out_of(n, field.scale)) for n in range(1, field.scale + 1)]
        return RatingField(field.label, choices=choices, description=field.help or "", validate_choice=False,
                           render_kw={"data-field": field.name})

    def client_kind(self, field: FieldDef) -> str:
        return "integer"
