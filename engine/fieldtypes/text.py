"""String-valued types: text, textarea, email, phone, url, select, multiselect."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from sqlalchemy import JSON, Text
from sqlalchemy.dialects.postgresql import JSONB
from wtforms import Field

from engine.i18n import N_, _
from engine.text_checks import text_problem

from .base import NO_REFS, CellReader, CheckContext, FieldError, FieldType, Refs, WidgetContext, register
from .choices import (
    OPTIONS_SCHEMA,
    check_options,
    labels_of,
    option_html,
    option_of,
    options_html,
    parse_options,
)
from .controls import (
    EMPTY_CHOICE,
    BoundedTextAreaField,
    LooseSelectField,
    LooseSelectMultipleField,
    SelectChoice,
    control_attrs,
    text_control,
)

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

    from .base import DefinitionChecks, SettingsBuild

TEXTAREA_LIMIT = 65535


class StringType(FieldType):
    searchable = True
    ordered = True
    #: The text input's `type` and `inputmode` (email, tel, url); "" for plain text.
    input_type: ClassVar[str] = ""

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        extra = {"maxlength": field.max_length} if field.max_length else {}
        if self.input_type:
            extra.update(type=self.input_type, inputmode=self.input_type)
        return text_control(field, field.max_length, **extra)

    def client_kind(self, field: FieldDef) -> str:
        return "text"

    def from_expression(self, field: FieldDef, value: Any) -> str:
        return str(value)

    def column_type(self, field: FieldDef) -> Text:
        return Text()

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> str:
        if not isinstance(raw, str):
            raise FieldError(_("must be a string"))
        if problem := text_problem(raw):  # from any source: API, page, import
            raise FieldError(problem)
        return raw.strip() if "\n" not in raw else raw

    def check(self, field: FieldDef, value: str, ctx: CheckContext) -> list[str]:
        limit = field.max_length or (TEXTAREA_LIMIT if field.type == "textarea" else 255)
        if len(value) > limit:
            return [_("at most %(n)s characters (got %(got)s)", n=limit, got=len(value))]
        return self.check_format(field, value)

    def check_format(self, field: FieldDef, value: str) -> list[str]:
        return []

    def is_empty(self, value: Any) -> bool:
        return value is None or (isinstance(value, str) and value.strip() == "")

    #: Cells keep their spaces (else they are stripped).
    cell_keeps_spaces: ClassVar[bool] = False

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        schema = self.string_schema(field)
        return {**schema, "maxLength": field.max_length} if field.max_length else schema

    def string_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "string"}

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> Any:
        if isinstance(cell, str):
            return cell if self.cell_keeps_spaces else cell.strip()
        return str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell)


@register
class TextType(StringType):
    name = "text"
    label = N_("Text")
    samples = ({"type": "text", "max_length": 20}, ("Hello", "张三"))
    summary = "One line of text."
    options_schema = {
        "max_length": {"description": "The most characters the text may have (default 255).",
                       "type": "integer", "minimum": 1},
        "pattern": {"description": "A regular expression the whole text must match, e.g. `^[A-Z]{2}[0-9]{4}$`.",
                    "type": "string", "minLength": 1, "format": "regex"},
    }
    defaults = {"max_length": 255}

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        if not field.pattern:
            return
        try:
            compiled = re.compile(field.pattern)
        except re.error as exc:
            checks.problem(f"{field.pointer}/pattern", N_("invalid regular expression: %(error)s"), error=exc)
            return
        default = field.default
        if isinstance(default, str) and not default.startswith("$") and not compiled.fullmatch(default):
            checks.problem(f"{field.pointer}/default", N_("default %(value)s does not match the pattern"),
                           value=repr(default))
    cell_keeps_spaces = True

    def check_format(self, field: FieldDef, value: str) -> list[str]:
        if field.pattern and not re.fullmatch(field.pattern, value):
            return [_("does not match the required format")]
        return []


@register
class TextareaType(StringType):
    name = "textarea"
    label = N_("Multi-line text")
    samples = ({"type": "textarea"}, ("line one\nline two",))
    list_column = False
    summary = "Text of several lines."
    options_schema = {
        "max_length": {"description": "The most characters the text may have (default 65,535).",
                       "type": "integer", "minimum": 1},
        "rows": {"description": "How many lines of text the input shows.", "type": "integer",
                 "minimum": 1, "maximum": 100},
    }
    can_title = False
    groupable = False
    wide = True

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        return BoundedTextAreaField(field.label, render_kw=control_attrs(field, rows=field.rows or 3),
                                    description=field.help or "", echo_limit=field.max_length or TEXTAREA_LIMIT)
    sortable = False
    cell_keeps_spaces = True

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        if self.is_empty(value):
            return Markup("")
        return Markup('<span class="pre-wrap">{}</span>').format(value)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@register
class EmailType(StringType):
    name = "email"
    label = N_("Email")
    samples = ({"type": "email"}, ("zhang@example.com",))
    summary = "An email address."
    input_type = "email"

    def check_format(self, field: FieldDef, value: str) -> list[str]:
        return [] if _EMAIL.match(value) else [_("not a valid email address")]

    def string_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "string", "format": "email"}


_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(?:-\d{1,6})?$")
_SERVICE = re.compile(r"^[48]00\d{7}$")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value)


@register
class PhoneType(StringType):
    """Mainland mobile (13812345678, +86 138 1234 5678), landline (010-12345678,
    0571-8888888-123) and 400/800 service numbers."""

    name = "phone"
    label = N_("Phone")
    samples = ({"type": "phone"}, ("13812345678", "010-12345678"))
    summary = "A phone number: mobile, landline with area code, or a 400/800 number."
    input_type = "tel"

    def check_format(self, field: FieldDef, value: str) -> list[str]:
        compact = normalize_phone(value)
        landline = re.sub(r"^(0\d{2,3})-", r"\1", compact)
        service = compact.replace("-", "")
        if _MOBILE.match(compact.replace("-", "")) or _LANDLINE.match(landline) or _SERVICE.match(service):
            return []
        return [_("not a valid phone number (mobile such as 13812345678 or landline such as 010-12345678)")]


@register
class UrlType(StringType):
    name = "url"
    label = N_("Web address")
    samples = ({"type": "url"}, ("https://example.com/a",))
    summary = "A web address (http:// or https://)."
    input_type = "url"

    def check_format(self, field: FieldDef, value: str) -> list[str]:
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc and " " not in value:
            return []
        return [_("not a valid web address (http:// or https://)")]

    def string_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "string", "format": "uri"}

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return Markup('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>').format(value)
        return escape(self.text(field, value, refs))


QUOTE_LIMIT = 60
#: Between the labels of several chosen options, on pages and in cells.
LIST_SEPARATOR = "、"


def shortened(value: str, limit: int = QUOTE_LIMIT) -> str:
    """A refused value as an error message names it: cut, so a megabyte sent is not a
    megabyte answered (and shown, and logged)."""
    return value if len(value) <= limit else value[:limit] + "…"


def quoted(value: str, limit: int = QUOTE_LIMIT) -> str:
    return repr(shortened(value, limit))


@register
class SelectType(StringType):
    name = "select"
    label = N_("Single choice")
    samples = ({"type": "select", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}, ("a", "b"))
    summary = "One choice of `options`."
    options_schema = {"options": OPTIONS_SCHEMA}
    required_options = ("options",)

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        return {"options": parse_options(raw.get("options", ()))}

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        check_options(field, checks)

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        choices = [EMPTY_CHOICE] + [SelectChoice(o.value, o.label) for o in field.options]
        attrs = control_attrs(field, **{"class": "form-select"})
        return LooseSelectField(field.label, choices=choices, render_kw=attrs, description=field.help or "")

    def filter_kind(self, field: FieldDef) -> str:
        return "choice"

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        return [(o.value, o.label) for o in field.options]
    searchable = False

    def check(self, field: FieldDef, value: str, ctx: CheckContext) -> list[str]:
        if value not in field.option_values():
            return [_("%(value)s is not one of the options", value=quoted(value))]
        return []

    def string_schema(self, field: FieldDef) -> dict[str, Any]:
        return {"type": "string", "enum": list(field.option_values())}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        if self.is_empty(value):
            return ""
        return next((o.label for o in field.options if o.value == value), str(value))

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        option = None if self.is_empty(value) else option_of(field, value)
        if option is not None and option.color:
            return option_html(field, value, option.label)
        return super().html(field, value, refs)

    def color(self, field: FieldDef, value: Any) -> str | None:
        option = option_of(field, value)
        return option.color if option is not None else None

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> Any:
        label = str(cell).strip()  # an option's value, or its label in either language
        return next((o.value for o in field.options if label == o.value or label in labels_of(o)), label)

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return " / ".join(o.label for o in field.options)


@register
class MultiselectType(FieldType):
    name = "multiselect"
    label = N_("Multiple choice")
    samples = ({"type": "multiselect", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
               (["a"], ["a", "b"]))
    summary = "Any number of choices of `options` (a list)."
    options_schema = {"options": OPTIONS_SCHEMA}
    required_options = ("options",)
    default_schema = {"type": ["array", "null"], "items": {"type": "string"}, "uniqueItems": True}
    can_title = False
    can_be_unique = False

    def build_settings(self, raw: Mapping[str, Any], build: SettingsBuild) -> dict[str, Any]:
        return {"options": parse_options(raw.get("options", ()))}

    def check_definition(self, field: FieldDef, checks: DefinitionChecks) -> None:
        check_options(field, checks)
    multiple = True

    def query_ops(self, field: FieldDef) -> tuple[str, ...]:
        return ("", "contains")

    def widget(self, field: FieldDef, ctx: WidgetContext) -> Field:
        attrs = control_attrs(field, **{"class": "form-select", "data-enhance": "multi"})
        return LooseSelectMultipleField(field.label, choices=[SelectChoice(o.value, o.label) for o in field.options],
                                        render_kw=attrs, description=field.help or "")

    def client_kind(self, field: FieldDef) -> str:
        return "list"

    def filter_kind(self, field: FieldDef) -> str:
        return "choice"

    def filter_choices(self, field: FieldDef, ctx: WidgetContext) -> list[tuple[str, str]]:
        return [(o.value, o.label) for o in field.options]
    sortable = False

    def column_type(self, field: FieldDef) -> JSON:
        return JSON().with_variant(JSONB(), "postgresql")

    def storage_signature(self, field: FieldDef) -> str:
        return "JSON"

    def decode(self, field: FieldDef, raw: Any, ctx: CheckContext) -> list[str]:
        if isinstance(raw, str):  # a single value, e.g. from a query string
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise FieldError(_("must be a list of strings"))
        if problem := next(filter(None, map(text_problem, raw)), None):
            raise FieldError(problem)
        return list(dict.fromkeys(raw))

    def parse_query(self, field: FieldDef, text: str, ctx: CheckContext) -> str:
        return text

    def check(self, field: FieldDef, value: list[str], ctx: CheckContext) -> list[str]:
        bad = [v for v in value if v not in field.option_values()]
        return [_("%(value)s is not one of the options", value=quoted(bad[0]))] if bad else []

    def value_schema(self, field: FieldDef, writing: bool = False) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string", "enum": list(field.option_values())}}

    def text(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> str:
        if self.is_empty(value):
            return ""
        labels = {o.value: o.label for o in field.options}
        return LIST_SEPARATOR.join(labels.get(v, str(v)) for v in value)

    def html(self, field: FieldDef, value: Any, refs: Refs = NO_REFS) -> Markup:
        if self.is_empty(value):
            return Markup("")
        return options_html(field, value, LIST_SEPARATOR)

    def color(self, field: FieldDef, value: Any) -> str | None:
        option = option_of(field, value)
        return option.color if option is not None else None

    def from_cell(self, field: FieldDef, cell: Any, reader: CellReader) -> list[str]:
        known = ({label: o.value for o in field.options for label in labels_of(o)}
                 | {o.value: o.value for o in field.options})
        parts = [p.strip() for p in str(cell).split(LIST_SEPARATOR) if p.strip()]
        if not all(p in known for p in parts):  # typed by hand: commas separate too
            parts = [p.strip() for p in re.split("[、,，]", str(cell)) if p.strip()]
        return [known.get(p, p) for p in parts]

    def cell_hint(self, field: FieldDef, refs: Refs = NO_REFS) -> str:
        return " / ".join(o.label for o in field.options)
