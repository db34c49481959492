"""date and datetime. Datetimes are stored in UTC and shown in the company time zone."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime
from sqlalchemy.types import TypeDecorator
from wtforms import Field

from engine.i18n import N_, _

from .base import NO_REFS, CellReader, CheckContext, FieldError, FieldType, Refs, WidgetContext, register
from .controls import text_control

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite keeps naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def parse_datetime(raw: Any, tzinfo: Any) -> datetime:
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str):
        try:
            value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            raise FieldError(_("not a valid date and time (use ISO 8601, e.g. 2025-03-01T09:30:00+08:00)")) from None
    else:
        raise FieldError(_("not a valid date and time (use ISO 8601, e.g. 2025-03-01T09:30:00+08:00)"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=tzinfo)  # a time without offset is company time
    return value.astimezone(UTC)


@register
class DateType(FieldType):
    name = "date"
    label = N_("Date")
    samples = ({"type": "date"}, ("2026-03-01", "1999-12-31"))
    summary = "A calendar date."
    default_schema = {"type": ["string", "null"], "pattern": r"^(\$today|[0-9]{4}-[0-9]{2}-[0-9]{2})$"}
    temporal = True
    readonly_as_text = True

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        return text_control(field, type="date")

    def filter_kind(self, field: FieldDef) -> str:
        return "date"

    def client_kind(self, field: FieldDef) -> str:
        return "date"
    ordered = True

    def column_type(self, field: FieldDef) -> Date:
        return Date()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> date:
        if isinstance(raw, date) and not isinstance(raw, datetime):
            return raw
        if isinstance(raw, str) and len(raw.strip()) == 10:
            try:
                return date.fromisoformat(raw.strip())
            except ValueError:
                pass
        raise FieldError(_("not a valid date (use YYYY-MM-DD)"))

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> str | None:
        return value.isoformat() if value is not None else None

    def check(self, field: FieldDef, value: date, ctx: CheckContext) -> list[str]:
        if field.min is not None and value < date.fromisoformat(str(field.min)):
            return [_("must be on or after %(min)s", min=field.min)]
        if field.max is not None and value > date.fromisoformat(str(field.max)):
            return [_("must be on or before %(max)s", max=field.max)]
        return []

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        if self.is_empty(value):
            return ""
        return value.isoformat() if isinstance(value, date) else str(value)

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        return value

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> str:
        if isinstance(cell, datetime):
            return cell.date().isoformat()
        if isinstance(cell, date):
            return cell.isoformat()
        return str(cell).strip().replace("/", "-")

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return "2026-03-01"


@register
class DateTimeType(FieldType):
    name = "datetime"
    label = N_("Date and time")
    samples = ({"type": "datetime"}, ("2026-03-01T09:30:00+08:00",))
    summary = "A date and time of day, shown in the company's time zone."
    default_schema = {"type": ["string", "null"], "pattern": (
        r"^(\$now|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)$")}
    temporal = True
    readonly_as_text = True

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        return text_control(field, type="datetime-local")

    def form_data(self, field: FieldDef, value: Any) -> Any:
        return value[:16] if value else value  # datetime-local: YYYY-MM-DDTHH:MM in company time

    def filter_kind(self, field: FieldDef) -> str:
        return "date"

    def client_kind(self, field: FieldDef) -> str:
        return "datetime"
    ordered = True

    def column_type(self, field: FieldDef) -> UTCDateTime:
        return UTCDateTime()

    def storage_signature(self, field: FieldDef) -> str:
        return "DateTime"

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> datetime:
        return parse_datetime(raw, ctx.tzinfo)

    def encode(self, field: FieldDef, value: Any, ctx: CheckContext) -> str | None:
        return value.astimezone(ctx.tzinfo).isoformat() if value is not None else None

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        """To the minute in the company time zone: 2025-03-01 09:30."""
        if self.is_empty(value):
            return ""
        if isinstance(value, datetime):
            local = value.astimezone(refs.tzinfo) if value.tzinfo is not None else value  # naive: company time
            return local.strftime("%Y-%m-%d %H:%M")
        return str(value)[:16].replace("T", " ")

    def to_cell(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Any:
        """A company-time datetime without zone (what spreadsheets hold)."""
        if isinstance(value, str):
            value = parse_datetime(value, refs.tzinfo)
        return value.astimezone(refs.tzinfo).replace(tzinfo=None) if value is not None else None

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> str:
        if isinstance(cell, datetime):
            moment = cell if cell.tzinfo else cell.replace(tzinfo=reader.tzinfo)
            return moment.isoformat()
        return str(cell).strip()

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return "2026-03-01 09:30:00"
