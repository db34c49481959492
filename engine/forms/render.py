"""The generated form's controls, written without the WTForms call chain.

A create or edit page renders one control per field (and per column of every table row):
through WTForms that is `field(...)` → the form's meta → the widget → `html_params`, which
formats every attribute through `Markup.format`. `render_control` writes the simple widgets
(text-like inputs, checkboxes, text areas, selects without groups) itself, byte for byte what
those WTForms widgets write (tests/forms/test_render_controls.py compares them on every
shipped form); any other widget, or a field whose meta renders differently, goes through
WTForms as before.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms.meta import DefaultMeta
from wtforms.widgets import CheckboxInput, Select, TextArea, TextInput

from engine.definitions.model import FieldDef
from engine.fieldtypes import type_of


def _clean_key(key: str) -> str:
    """WTForms's `clean_key`: `class_` → `class`, `data_x_y` → `data-x-y`."""
    key = key.rstrip("_")
    if key.startswith("data_") or key.startswith("aria_"):
        key = key.replace("_", "-")
    return key


def html_attrs(attrs: dict[str, Any]) -> str:
    """WTForms's `html_params(**attrs)`: sorted by name, True → the bare name, False → left out,
    every value escaped (and any quote left in a Markup value written as &quot;)."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        name = _clean_key(key)
        if value is True:
            parts.append(name)
        elif value is not False:
            parts.append(f'{escape(name)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(parts)


def _flags(field: Any, names: tuple[str, ...], kw: dict[str, Any], call: bool) -> None:
    """The widget's `validation_attrs` set on the field's flags, unless given."""
    flags = getattr(field, "flags", None)
    if flags is None:
        return
    for name, value in vars(flags).items():
        if name in names and name not in kw:
            kw[name] = value() if call and callable(value) else value


def _input(field: Any, widget: Any, kw: dict[str, Any]) -> str:
    kw.setdefault("id", field.id)
    kw.setdefault("type", widget.input_type)
    if "value" not in kw:
        kw["value"] = field._value()
    datalist = getattr(field, "_datalist", None)
    if datalist is not None and "list" not in kw:
        kw["list"] = datalist if isinstance(datalist, str) else datalist.id
    _flags(field, tuple(widget.validation_attrs), kw, True)
    kw["name"] = field.name
    return f"<input {html_attrs(kw)}>"


def _checkbox(field: Any, widget: Any, kw: dict[str, Any]) -> str:
    if getattr(field, "checked", field.data):
        kw.setdefault("checked", True)
    return _input(field, widget, kw)


def _textarea(field: Any, widget: Any, kw: dict[str, Any]) -> str:
    kw.setdefault("id", field.id)
    _flags(field, tuple(widget.validation_attrs), kw, False)
    kw["name"] = field.name
    return f"<textarea {html_attrs(kw)}>\r\n{escape(field._value())}</textarea>"


def _select(field: Any, widget: Any, kw: dict[str, Any]) -> str | None:
    if field.has_groups():
        return None
    kw.setdefault("id", field.id)
    if widget.multiple:
        kw["multiple"] = True
    _flags(field, tuple(widget.validation_attrs), kw, False)
    kw["name"] = field.name
    html = [f"<select {html_attrs(kw)}>"]
    for choice in field._iter_choices_normalized():
        value = choice.value
        if isinstance(value, bool):
            value = str(value)
        options = {"value": value, **(choice.render_kw or {})}
        if choice.selected:
            options["selected"] = True
        html.append(f"<option {html_attrs(options)}>{escape(choice.label or choice.value)}</option>")
    html.append("</select>")
    return "".join(html)


#: widget class (exactly: a subclass may write something else) → its writer
_WRITERS = {TextInput: _input, CheckboxInput: _checkbox, TextArea: _textarea, Select: _select}


def render_field(field: Any, **given: Any) -> Markup:
    """`field(**given)`, as the form's meta and the field's widget would write it."""
    writer = _WRITERS.get(type(field.widget))
    if writer is None or type(field.meta).render_field is not DefaultMeta.render_field:
        return Markup(field(**given))
    kw = {_clean_key(k): v for k, v in (field.render_kw or {}).items()}
    kw.update((_clean_key(k), v) for k, v in given.items())
    html = writer(field, field.widget, kw)
    return Markup(field(**given)) if html is None else Markup(html)


def render_control(field: Any, fdef: FieldDef, editable: bool) -> Markup:
    """A field's control on the create/edit page: its own class plus `is-invalid` after a refused
    save, disabled where the user may not edit it or the type takes no input."""
    base_class = (field.render_kw or {}).get("class", "")
    return render_field(field, **{"class": base_class + (" is-invalid" if field.errors else ""),
                                  "disabled": not editable or not type_of(fdef).input})


def field_errors(field: Any) -> Markup:
    """The field's messages under it."""
    return Markup("".join(f'<div class="invalid-feedback d-block">{escape(m)}</div>' for m in field.errors or ()))
