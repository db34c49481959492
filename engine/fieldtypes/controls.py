"""WTForms controls the field types' widgets are made of (WTForms only, no Flask).

Text controls send back at most a little more than their field may hold.

A page form that fails validation shows the submitted values again, so people can fix
them. A value far longer than the field allows would otherwise be echoed in full: a
megabyte posted is a megabyte answered. The full value still reaches validation (whose
error says how long it was); only what is rendered back is cut.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from wtforms import EmailField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2+; its stubs are older
from wtforms.widgets import html_params

if TYPE_CHECKING:
    from engine.definitions.model import FieldDef

#: Characters echoed beyond a field's limit, so the person sees the value is too long.
ECHO_MARGIN = 20
#: Echo limit of a control without a length of its own (numbers, dates, names of things).
DEFAULT_ECHO = 255


class EchoLimit:
    """Mixin for a WTForms text control: `_value()` (what the widget renders) is cut to
    `echo_limit` characters."""

    echo_limit: int = DEFAULT_ECHO + ECHO_MARGIN

    def __init__(self, *args: Any, echo_limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if echo_limit is not None:
            self.echo_limit = int(echo_limit) + ECHO_MARGIN

    def _value(self) -> str:
        text = super()._value()  # type: ignore[misc]  # the WTForms stubs leave out _value, which its widgets call
        return text[: self.echo_limit] if len(text) > self.echo_limit else text


class BoundedStringField(EchoLimit, StringField):
    pass


class BoundedTextAreaField(EchoLimit, TextAreaField):
    pass


class BoundedEmailField(EchoLimit, EmailField):
    pass


EMPTY_CHOICE = SelectChoice("", "—")


class LooseSelectField(SelectField):
    """A select whose value the record service checks (links, users, options alike)."""

    def pre_validate(self, form: Any) -> None:
        pass


class LooseSelectMultipleField(SelectMultipleField):
    def pre_validate(self, form: Any) -> None:
        pass


def control_attrs(field: FieldDef, **extra: Any) -> dict[str, Any]:
    """The HTML attributes every generated control carries: its Bootstrap class, placeholder,
    the required mark for scripts, the duplicate check, and `data-field` (its name)."""
    attrs: dict[str, Any] = {"class": "form-control", "data-field": field.name, **extra}
    if field.placeholder:
        attrs["placeholder"] = field.placeholder
    if field.required:
        attrs["data-required"] = "1"
    if field.warn_duplicates or field.unique:
        attrs["data-duplicates"] = field.name
    return attrs


def text_control(field: FieldDef, echo_limit: int | None = None, **extra: Any) -> BoundedStringField:
    """A one-line text input (type=text unless `extra` says otherwise)."""
    return BoundedStringField(field.label, render_kw=control_attrs(field, **extra), description=field.help or "",
                              echo_limit=echo_limit or DEFAULT_ECHO)


class ScaleButtons:
    """A radio group shown as a scale (the `choice-scale` family of app.css): one toggle button
    per step in rising order, every step up to the chosen one filled, and a first "clear"
    button for the empty value when the field offers one. The radios stay in reading order,
    so arrow keys move along the scale as it is seen; no script. `mark` is what each step
    shows (a label for screen readers follows it), `style` the Bootstrap outline button
    colour of the steps. The page passes `class` (with `is-invalid` after a refused save)
    and `disabled`."""

    def __init__(self, mark: str, style: str = "btn-outline-primary") -> None:
        self.mark, self.style = mark, style

    def __call__(self, field: RadioField, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        given = (kwargs.pop("class", None), kwargs.pop("class_", None))
        kwargs["class"] = " ".join(filter(None, ("choice-scale", *given)))
        disabled = bool(kwargs.pop("disabled", False))
        parts = [Markup("<div {}>").format(Markup(html_params(**kwargs)))]
        for value, label, checked, _render_kw in field.iter_choices():
            option_id = f"{field.id}-{value or 'none'}"
            parts.append(Markup("<input {}>").format(Markup(html_params(
                type="radio", class_="btn-check", name=field.name, id=option_id, value=value, checked=checked,
                disabled=disabled, autocomplete="off"))))
            role = f"choice-scale-step {self.style}" if value else "choice-scale-clear btn-outline-secondary"
            parts.append(Markup('<label class="btn {}" for="{}" title="{}">{}</label>').format(
                role, option_id, label, Markup('<span aria-hidden="true">{}</span><span class="visually-hidden">{}'
                                                "</span>").format(self.mark if value else "–", label)))
        parts.append(Markup("</div>"))
        return Markup("").join(parts)
