"""Numeric types: integer, decimal (exact, never a float) and boolean."""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Boolean, Numeric
from wtforms import BooleanField, Field

from engine.i18n import N_, _

from .base import NO_REFS, CellReader, CheckContext, FieldError, FieldType, Refs, WidgetContext, register
from .controls import text_control

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks


#: Import cells that read as yes and as no (besides the words of both languages, 是 and Yes).
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√", "✓", "x"}
FALSE_WORDS = {"否", "false", "no", "n", "0"}

#: Total significant digits of a stored decimal: NUMERIC(15, precision) on PostgreSQL;
#: SQLite stores NUMERIC as a double, which is exact to 15 significant digits, so the
#: same limit keeps every value exact on both (9,999,999,999,999.99 at precision 2).
DECIMAL_DIGITS = 15
INT_LIMIT = 2**63 - 1


def bounds(field: FieldDef) -> dict[str, Any]:
    """A number input's `min` and `max` (the browser's hint; the record service checks)."""
    return {key: value for key, value in (("min", field.min), ("max", field.max)) if value is not None}


def _num(value: object) -> float:
    if not isinstance(value, int | float | str | Decimal):
        return 0.0
    try:
        return float(value)
    except ValueError:
        return 0.0


class NumberType(FieldType):
    aggregates = ("sum", "avg", "min", "max")

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        """min ≤ max, and a literal default between them."""
        low, high = field.min, field.max
        if low is not None and high is not None and _num(low) > _num(high):
            checks.problem(f"{field.pointer}/min", N_("min %(min)s is greater than max %(max)s"), min=low, max=high)
        default = field.default
        if isinstance(default, (int, float, str)) and not isinstance(default, bool) and not (
                isinstance(default, str) and default.startswith("$")):
            value = _num(default)
            if (low is not None and value < _num(low)) or (high is not None and value > _num(high)):
                checks.problem(f"{field.pointer}/default", N_("default %(value)s is outside min/max"), value=default)
    ordered = True
    numeric = True

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        return value

    def check(self, field: FieldDef, value: Any, ctx: CheckContext) -> list[str]:
        if field.min is not None and value < Decimal(str(field.min)):
            return [_("must be at least %(min)s", min=field.min)]
        if field.max is not None and value > Decimal(str(field.max)):
            return [_("must be at most %(max)s", max=field.max)]
        return []


@register
class IntegerType(NumberType):
    name = "integer"
    label = N_("Whole number")
    samples = ({"type": "integer", "min": 0, "max": 1000}, (0, 42))
    summary = "A whole number."
    options_schema = {
        "min": {"description": "The smallest allowed value.", "type": "integer"},
        "max": {"description": "The largest allowed value.", "type": "integer"},
    }
    default_schema = {"type": ["integer", "null"]}

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        extra: dict[str, Any] = {"type": "number", "step": "1", "inputmode": "numeric"}
        return text_control(field, **extra, **bounds(field))

    def form_data(self, field: FieldDef, value: Any) -> Any:
        return None if value is None else str(value)

    def client_kind(self, field: FieldDef) -> str:
        return "integer"

    def from_expression(self, field: FieldDef, value: Any) -> int:
        return int(value)

    def column_type(self, field: FieldDef) -> BigInteger:
        return BigInteger()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> int:
        if isinstance(raw, bool):
            raise FieldError(_("must be a whole number"))
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, str) and raw.strip().lstrip("+-").isascii() and raw.strip().lstrip("+-").isdigit():
            if len(raw.strip()) > 40:  # far beyond the limit; int() of thousands of digits is slow or refused
                raise FieldError(_("number is too large"))
            value = int(raw.strip())
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        else:
            raise FieldError(_("must be a whole number"))
        if abs(value) > INT_LIMIT:
            raise FieldError(_("number is too large"))
        return value

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> Any:
        if isinstance(cell, float) and cell.is_integer():
            return int(cell)
        return cell.strip() if isinstance(cell, str) else cell

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if field.min is not None:
            schema["minimum"] = field.min
        if field.max is not None:
            schema["maximum"] = field.max
        return schema


def to_decimal(raw: Any, precision: int) -> Decimal:
    """Parse an exact decimal with at most `precision` places; raises FieldError."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise FieldError(_("must be a number"))
    try:
        value = Decimal(str(raw).strip().replace(",", "")) if not isinstance(raw, Decimal) else raw
    except InvalidOperation:
        raise FieldError(_("must be a number")) from None
    if not value.is_finite():
        raise FieldError(_("must be a number"))
    if value.adjusted() >= DECIMAL_DIGITS - precision:
        raise FieldError(_("number is too large"))
    step = Decimal(1).scaleb(-precision)
    if value != value.quantize(step, rounding=ROUND_DOWN):
        raise FieldError(_("at most %(n)s decimal places", n=precision))
    value = value.quantize(step)
    return value


@register
class DecimalType(NumberType):
    name = "decimal"
    label = N_("Decimal number")
    samples = ({"type": "decimal", "precision": 2}, ("12.50", "0.00", "-3.10"))
    summary = "An exact decimal number, e.g. an amount of money."
    options_schema = {
        "min": {"description": "The smallest allowed value; may be written as text, e.g. \"0.01\".",
                "type": ["number", "string"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
        "max": {"description": "The largest allowed value; may be written as text.",
                "type": ["number", "string"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
        "precision": {"description": "Digits after the decimal point (default 2).", "type": "integer",
                      "minimum": 0, "maximum": 10, "default": 2},
    }
    defaults = {"precision": 2}
    default_schema = {"type": ["number", "string", "null"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        extra: dict[str, Any] = {"type": "number", "step": str(10 ** -field.precision) if field.precision else "1",
                                 "inputmode": "decimal"}
        return text_control(field, **extra, **bounds(field))

    def client_kind(self, field: FieldDef) -> str:
        return "decimal"

    def from_expression(self, field: FieldDef, value: Any) -> Decimal:
        step = Decimal(1).scaleb(-field.precision)
        return to_decimal(Decimal(value).quantize(step, rounding=ROUND_HALF_UP), field.precision)

    def column_type(self, field: FieldDef) -> Numeric:
        return Numeric(DECIMAL_DIGITS, field.precision, asdecimal=True)

    def storage_signature(self, field: FieldDef) -> str:
        return f"Numeric({DECIMAL_DIGITS},{field.precision})"

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> Decimal:
        return to_decimal(raw, field.precision)

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> str | None:
        if value is None:
            return None
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.precision)))

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "example": "1234.50"}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        """With thousands separators and the field's decimal places: 1,234.50."""
        if self.is_empty(value):
            return ""
        try:
            return f"{Decimal(value):,.{field.precision}f}"
        except (InvalidOperation, ValueError, TypeError):
            return str(value)

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> str:
        return repr(cell) if isinstance(cell, float) else str(cell).strip()


@register
class BooleanType(FieldType):
    name = "boolean"
    label = N_("Yes/No")
    samples = ({"type": "boolean"}, (True, False))
    summary = "Yes or no."
    default_schema = {"type": ["boolean", "null"]}
    aggregates = ("avg",)  # the share of yes
    average_is_share = True
    layout = "check"

    def query_ops(self, field: FieldDef) -> tuple[str, ...]:
        return ("",)

    def filter_kind(self, field: FieldDef) -> str:
        return "choice"

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        return [("true", _("Yes")), ("false", _("No"))]

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        return BooleanField(field.label, render_kw={"class": "form-check-input", "data-field": field.name},
                            description=field.help or "")

    def client_kind(self, field: FieldDef) -> str:
        return "boolean"

    def from_expression(self, field: FieldDef, value: Any) -> bool:
        return bool(value)

    def column_type(self, field: FieldDef) -> Boolean:
        return Boolean()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> bool:
        if isinstance(raw, bool):
            return raw
        raise FieldError(_("must be true or false"))

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> bool:
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise FieldError(_("must be true or false"))

    def is_empty(self, value: Any) -> bool:
        return value is None

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "boolean"}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        if value is None:
            return ""
        return _("Yes") if value else _("No")

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        return None if value is None else self.text(field, value, refs)

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> bool:
        if isinstance(cell, bool):
            return cell
        word = str(cell).strip().lower()
        if word in TRUE_WORDS or word == _("Yes").lower():
            return True
        if word in FALSE_WORDS or word == _("No").lower():
            return False
        raise FieldError(_("must be Yes or No"))  # the accepted words, in the reader's language

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return f"{_('Yes')} / {_('No')}"
