"""FormDef → a Flask-WTF form class for one user, and back: submitted form → raw values.

A class is built per request (cheap: a few dozen field objects) because what a user may
see and edit depends on their roles, the record and its stage.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import FileField

from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import WidgetContext, type_of
from engine.fieldtypes.controls import EMPTY_CHOICE, SelectChoice
from engine.i18n import _


class RecordForm(FlaskForm):
    """Base class: CSRF from Flask-WTF; fields added by `build_form_class`."""

    field_defs: dict[str, FieldDef] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: table field → index in the submitted rows of each row sent to the service
        self.row_map: dict[str, list[int]] = {}


def build_form_class(form: FormDef, shown: Iterable[str], ctx: WidgetContext) -> type[RecordForm]:
    fields = {f.name: type_of(f).widget(f, ctx) for f in form.fields if f.name in set(shown)}
    attrs: dict[str, Any] = dict(fields)
    attrs["field_defs"] = {name: form.field(name) for name in fields}
    return type(f"{form.name.title().replace('_', '')}Form", (RecordForm,), attrs)


def form_data_from_record(form: FormDef, values: Mapping[str, Any]) -> dict[str, Any]:
    """JSON field values (as the API returns them) → data for the WTForms fields."""
    return {field.name: type_of(field).form_data(field, values.get(field.name)) for field in form.fields}


MAX_ID_CHARS = 20  # a record id (BIGINT) in a link select


def offer_link_titles(wtform: RecordForm, record: Mapping[str, Any] | None) -> None:
    """Give link selects their current value as an option, labelled with its title."""
    for name, fdef in wtform.field_defs.items():
        field = getattr(wtform, name)
        if fdef.field_type.links:
            value = field.data
            if value not in (None, "") and len(str(value)) <= MAX_ID_CHARS:  # a longer one is no id: not echoed
                stored = record is not None and str(record["fields"].get(name)) == str(value)
                title = record.get("links", {}).get(name) if stored and record else None
                if title is None:  # the stored link names a record the user may not read
                    title = str(_("(no access)")) if stored else f"#{value}"
                field.choices = [EMPTY_CHOICE, SelectChoice(str(value), title)]
        elif fdef.is_table:
            for sub in fdef.fields:
                if not sub.field_type.links:
                    continue
                known = (record or {}).get("links", {}).get(f"{name}.{sub.name}") or {}
                for entry in field.entries:
                    column = entry.form[sub.name]
                    if column.data not in (None, "") and len(str(column.data)) <= MAX_ID_CHARS:
                        value = str(column.data)
                        title = known.get(value) if value in known else f"#{value}"
                        column.choices = [EMPTY_CHOICE, SelectChoice(value, title or str(_("(no access)")))]


def raw_values(wtform: RecordForm, editable: Iterable[str]) -> tuple[dict[str, Any], dict[str, FileStorage]]:
    """The submitted values of the editable fields, as the record service takes them
    (strings are decoded there), and the uploaded files by field name."""
    values: dict[str, Any] = {}
    uploads: dict[str, FileStorage] = {}
    for name in editable:
        fdef = wtform.field_defs.get(name)
        field = getattr(wtform, name, None)
        if fdef is None or field is None or fdef.computed:
            continue
        if isinstance(field, FileField):  # an upload, stored before the record is saved
            if isinstance(field.data, FileStorage) and field.data.filename:
                uploads[name] = field.data
            continue
        if fdef.is_table:
            rows, kept = [], []
            for index, entry in enumerate(field.entries):
                row = {k: v for k, v in entry.form.data.items()
                       if k != "csrf_token" and (sub := fdef.subfield(k)) is not None and not sub.computed}
                if any(v not in (None, "", False) for v in row.values()):  # blank rows are dropped
                    rows.append({k: (None if v == "" else v) for k, v in row.items()})
                    kept.append(index)
            values[name] = rows
            wtform.row_map[name] = kept
            continue
        data = field.data
        values[name] = None if data == "" else data
    return values, uploads


def apply_errors(wtform: RecordForm, errors: Mapping[str, list[str]]) -> list[str]:
    """Put the service's per-field errors on the fields; returns the ones with no field."""
    unplaced: list[str] = []
    for key, messages in errors.items():
        name, _, rest = key.partition(".")
        field = getattr(wtform, name, None)
        if field is None:
            unplaced.extend(f"{key}: {m}" for m in messages)
            continue
        if rest:
            index, _, column = rest.partition(".")
            try:
                row = int(index)
                row = wtform.row_map.get(name, [])[row] if name in wtform.row_map else row
                sub = field.entries[row].form[column]
            except (IndexError, KeyError, ValueError):
                unplaced.extend(f"{key}: {m}" for m in messages)
                continue
            sub.errors = list(getattr(sub, "errors", []) or []) + list(messages)
        else:
            field.errors = list(field.errors or []) + list(messages)
    return unplaced
