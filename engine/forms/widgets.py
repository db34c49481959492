"""WTForms field factories, one per field type (a registry, like engine.fieldtypes).

WTForms here renders controls and collects the submitted text; it does not validate.
Every value goes to the same record service as the API, and its per-field errors are
put back on these fields, so pages and API can never disagree about what is valid.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FileField,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
)
from wtforms.fields.choices import SelectChoice

from engine.definitions.model import FieldDef
from engine.fieldtypes.text import TEXTAREA_LIMIT

from .echo import DEFAULT_ECHO, BoundedStringField, BoundedTextAreaField

EMPTY_CHOICE = SelectChoice("", "—")

Factory = Callable[[FieldDef, dict[str, Any]], Field]
FACTORIES: dict[str, Factory] = {}


def factory(*types: str) -> Callable[[Factory], Factory]:
    def register(fn: Factory) -> Factory:
        for name in types:
            FACTORIES[name] = fn
        return fn
    return register


def _attrs(field: FieldDef, **extra: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {"class": "form-control", **extra}
    if field.placeholder:
        attrs["placeholder"] = field.placeholder
    if field.required:
        attrs["data-required"] = "1"
    if field.warn_duplicates or field.unique:
        attrs["data-duplicates"] = field.name
    return attrs


class LooseSelectField(SelectField):
    """A select whose value the record service checks (links, users, options alike)."""

    def pre_validate(self, form: Any) -> None:
        pass


class LooseSelectMultipleField(SelectMultipleField):
    def pre_validate(self, form: Any) -> None:
        pass


@factory("text", "serial")
def text_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    extra = {"maxlength": field.max_length} if field.max_length else {}
    return BoundedStringField(field.label, render_kw=_attrs(field, **extra), description=field.help or "",
                              echo_limit=field.max_length or DEFAULT_ECHO)


@factory("email", "phone", "url")
def typed_text_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    kind = {"email": "email", "phone": "tel", "url": "url"}[field.type]
    extra = {"type": kind, "inputmode": {"email": "email", "tel": "tel", "url": "url"}[kind]}
    return BoundedStringField(field.label, render_kw=_attrs(field, **extra), description=field.help or "",
                              echo_limit=field.max_length or DEFAULT_ECHO)


@factory("textarea")
def textarea_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    return BoundedTextAreaField(field.label, render_kw=_attrs(field, rows=field.rows or 3),
                                description=field.help or "", echo_limit=field.max_length or TEXTAREA_LIMIT)


@factory("integer")
def integer_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    extra = {"type": "number", "step": "1", "inputmode": "numeric"}
    if field.min is not None:
        extra["min"] = field.min
    if field.max is not None:
        extra["max"] = field.max
    return BoundedStringField(field.label, render_kw=_attrs(field, **extra), description=field.help or "")


@factory("decimal")
def decimal_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    extra = {"type": "number", "step": str(10 ** -field.precision) if field.precision else "1",
             "inputmode": "decimal"}
    if field.min is not None:
        extra["min"] = field.min
    if field.max is not None:
        extra["max"] = field.max
    return BoundedStringField(field.label, render_kw=_attrs(field, **extra), description=field.help or "")


@factory("date")
def date_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    return BoundedStringField(field.label, render_kw=_attrs(field, type="date"), description=field.help or "")


@factory("datetime")
def datetime_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    return BoundedStringField(field.label, render_kw=_attrs(field, type="datetime-local"), description=field.help or "")


@factory("boolean")
def boolean_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    return BooleanField(field.label, render_kw={"class": "form-check-input"}, description=field.help or "")


@factory("select")
def select_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    choices = [EMPTY_CHOICE] + [SelectChoice(o.value, o.label) for o in field.options]
    return LooseSelectField(field.label, choices=choices, render_kw=_attrs(field, **{"class": "form-select"}),
                            description=field.help or "")


@factory("multiselect")
def multiselect_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    return LooseSelectMultipleField(field.label, choices=[SelectChoice(o.value, o.label) for o in field.options],
                                    render_kw=_attrs(field, **{"class": "form-select", "data-enhance": "multi"}),
                                    description=field.help or "")


@factory("user")
def user_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    users = ctx["users"](field.role)
    choices = [EMPTY_CHOICE] + [SelectChoice(u.name, f"{u.label} ({u.name})" if u.label != u.name else u.name)
                                for u in users]
    return LooseSelectField(field.label, choices=choices,
                            render_kw=_attrs(field, **{"class": "form-select", "data-enhance": "single"}),
                            description=field.help or "")


@factory("link")
def link_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    attrs = {"class": "form-select", "data-link-form": field.form or "",
             "data-link-title": ctx["title_of"](field.form or "") or ""}
    return LooseSelectField(field.label, choices=[EMPTY_CHOICE], render_kw=_attrs(field, **attrs),
                            description=field.help or "")


@factory("file")
def file_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    extra: dict[str, Any] = {"accept": ",".join(field.accept)} if field.accept else {}
    if field.max_size:
        extra["data-max-size"] = field.max_size
    return FileField(field.label, render_kw=_attrs(field, **extra), description=field.help or "")


@factory("formula", "rollup")
def formula_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    return BoundedStringField(field.label, render_kw=_attrs(field, readonly=True, tabindex="-1"),
                       description=field.help or "")


@factory("table")
def table_field(field: FieldDef, ctx: dict[str, Any]) -> Field:
    row_fields = {sub.name: FACTORIES[sub.type](sub, ctx) for sub in field.fields}
    row_form = type(f"{field.name.title()}Row", (Form,), row_fields)
    return FieldList(FormField(row_form), label=field.label, min_entries=0)
