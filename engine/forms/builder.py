"""FormDef → a Flask-WTF form class for one user, and back: submitted form → raw values.

What a user may see depends on their roles, the record and its stage, so the class is made
for the fields shown. Made classes are kept in a small in-process cache (`build_form_class`):
an entry is reused only for the very FormDef object it was built from (a definition reload
makes new ones), the same fields shown, the same language, and the same answers to what the
widgets asked while it was built (the users a user field offers, re-read on every request;
the title field of a linked form). Nothing is shared between processes and nothing assumes
there is one: a miss only costs building the class.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from babel import support
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import FileField
from wtforms.i18n import messages_path

from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import WidgetContext, type_of
from engine.fieldtypes.controls import EMPTY_CHOICE, SelectChoice
from engine.i18n import _, text_locale


class _WTFormsTexts:
    """WTForms's own messages in the page's language, as Flask-WTF gives them (its `wtforms`
    catalogue for Flask-Babel's locale), but each language's catalogue read once per process
    instead of from disk on every request that makes a form."""

    _loaded: dict[str, Any] = {}
    _lock = threading.Lock()

    def _catalogue(self) -> Any:
        if not has_request_context() or "babel" not in current_app.extensions:
            return None
        locale = get_locale()
        key = str(locale)
        found = self._loaded.get(key)
        if found is None:
            found = support.Translations.load(messages_path(), [locale], domain="wtforms")
            with self._lock:
                found = self._loaded.setdefault(key, found)
        return found

    def gettext(self, string: str) -> str:
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


_WTFORMS_TEXTS = _WTFormsTexts()


class RecordForm(FlaskForm):
    """Base class: CSRF from Flask-WTF; fields added by `build_form_class`."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _WTFORMS_TEXTS

    field_defs: dict[str, FieldDef] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: table field → index in the submitted rows of each row sent to the service
        self.row_map: dict[str, list[int]] = {}


def _make_form_class(form: FormDef, shown: Iterable[str], ctx: WidgetContext) -> type[RecordForm]:
    wanted = set(shown)
    fields = {f.name: type_of(f).widget(f, ctx) for f in form.fields if f.name in wanted}
    attrs: dict[str, Any] = dict(fields)
    attrs["field_defs"] = {name: form.field(name) for name in fields}
    return type(f"{form.name.title().replace('_', '')}Form", (RecordForm,), attrs)


class _Asked:
    """A WidgetContext that notes what the widgets asked and what they were told, so a cached
    class is reused only where the same questions get the same answers."""

    def __init__(self, ctx: WidgetContext) -> None:
        self.ctx = ctx
        self.asked: list[tuple[str, Any, Any]] = []

    def users(self, role: str | None) -> list[Any]:
        found = self.ctx.users(role)
        self.asked.append(("users", role, _users_key(found)))
        return found

    def title_of(self, form: str) -> str | None:
        title = self.ctx.title_of(form)
        self.asked.append(("title_of", form, title))
        return title


def _users_key(users: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(u.name), str(u.label)) for u in users)  # what a user select shows


def _answer(ctx: WidgetContext, question: str, arg: Any) -> Any:
    if question == "users":
        return _users_key(ctx.users(arg))
    return ctx.title_of(arg)


#: (id of the FormDef, fields shown, language) → [(the FormDef, what was asked, the class)]
_CLASSES: OrderedDict[tuple[Any, ...], list[tuple[FormDef, tuple[tuple[str, Any, Any], ...], type[RecordForm]]]]
_CLASSES = OrderedDict()
_CLASSES_LOCK = threading.Lock()
CLASS_CACHE_SIZE = 256  # keys; each a form as some set of users sees it in one language


def build_form_class(form: FormDef, shown: Iterable[str], ctx: WidgetContext) -> type[RecordForm]:
    """The form class for these fields shown, from the cache when it was built from this same
    FormDef object, in this language, and its widgets would be told the same today."""
    names = tuple(shown)
    key = (id(form), names, text_locale())  # labels and messages: `_` and `speaking` follow it
    with _CLASSES_LOCK:
        entries = list(_CLASSES.get(key, ()))
    for made_from, asked, cls in entries:
        # the entry holds its FormDef, so while it is cached no other object can take its id
        if made_from is form and all(_answer(ctx, q, arg) == said for q, arg, said in asked):
            with _CLASSES_LOCK:
                if key in _CLASSES:
                    _CLASSES.move_to_end(key)
            return cls
    asking = _Asked(ctx)
    cls = _make_form_class(form, names, asking)
    with _CLASSES_LOCK:
        kept = [e for e in _CLASSES.get(key, ()) if e[0] is form][-3:]  # a few user lists side by side
        _CLASSES[key] = kept + [(form, tuple(asking.asked), cls)]
        _CLASSES.move_to_end(key)
        while len(_CLASSES) > CLASS_CACHE_SIZE:
            _CLASSES.popitem(last=False)
    return cls


def clear_form_classes() -> None:
    with _CLASSES_LOCK:
        _CLASSES.clear()


def form_data_from_record(form: FormDef, values: Mapping[str, Any]) -> dict[str, Any]:
    """JSON field values (as the API returns them) → data for the WTForms fields."""
    return {field.name: type_of(field).form_data(field, values.get(field.name)) for field in form.fields}


MAX_ID_CHARS = 20  # a record id (BIGINT) in a link select


#: (linked form name, ids) → id → title, of the records the user may read among them.
TitleLookup = Callable[[str, set[int]], Mapping[int, str]]


def offer_link_titles(wtform: RecordForm, record: Mapping[str, Any] | None,
                      lookup: TitleLookup | None = None) -> None:
    """Give link selects their current value as an option, labelled with its title: the stored
    record's, else (a value just chosen, shown again with the form's errors) the title `lookup`
    finds among the records the user may read, one query per linked form; "#id" when none."""
    wanted: dict[str, set[int]] = {}
    pending: list[tuple[Any, str, str]] = []  # (select, linked form, value) still to title
    for name, fdef in wtform.field_defs.items():
        field = getattr(wtform, name)
        if fdef.field_type.links:
            value = field.data
            if value not in (None, "") and len(str(value)) <= MAX_ID_CHARS:  # a longer one is no id: not echoed
                stored = record is not None and str(record["fields"].get(name)) == str(value)
                title = record.get("links", {}).get(name) if stored and record else None
                if title is None and stored:  # the stored link names a record the user may not read
                    title = str(_("(no access)"))
                if title is None:
                    pending.append((field, fdef.form, str(value)))
                field.choices = [EMPTY_CHOICE, SelectChoice(str(value), title or f"#{value}")]
        elif fdef.is_table:
            for sub in fdef.fields:
                if not sub.field_type.links:
                    continue
                known = (record or {}).get("links", {}).get(f"{name}.{sub.name}") or {}
                for entry in field.entries:
                    column = entry.form[sub.name]
                    if column.data not in (None, "") and len(str(column.data)) <= MAX_ID_CHARS:
                        value = str(column.data)
                        if value in known:
                            title = known[value] or str(_("(no access)"))
                        else:
                            title = f"#{value}"
                            pending.append((column, sub.form, value))
                        column.choices = [EMPTY_CHOICE, SelectChoice(value, title)]
    if lookup is None:
        return
    for _select, target, value in pending:
        if _an_id(value):
            wanted.setdefault(target, set()).add(int(value))
    found = {target: lookup(target, ids) for target, ids in wanted.items()}
    for select_field, target, value in pending:
        title = found.get(target, {}).get(int(value)) if _an_id(value) else None
        if title is not None:
            select_field.choices = [EMPTY_CHOICE, SelectChoice(value, title)]


def _an_id(value: str) -> bool:
    """A record id as a link select sends it: digits within a BIGINT."""
    return value.isascii() and value.isdigit() and len(value) <= 18


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
