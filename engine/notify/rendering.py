"""A notification's text, made when it is read and in the reader's language.

A notification is stored as `kind` + `params`; its text is rendered from the catalogue
when shown: the in-app inbox in the request's language (which is the reader's stored
language unless they chose another for the request), email, webhook and every other
channel in the recipient's language (`language_of`: `users.language`, else the product's,
`DEFAULT_LOCALE`). A reminder's `message` is definition text: its `{field}` placeholders
are filled per reader when the reminder fires, so each recipient's text shows only what
that recipient may see, as that recipient's language writes it (`per_reader`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from engine.access.visibility import hidden_columns, hidden_in_record
from engine.auth.users import User, get_user, get_users
from engine.definitions.model import FormDef
from engine.fieldtypes import Refs, type_of
from engine.i18n import N_, LocalText, catalogue, each_language, resolve_text, speaking
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.records.summaries import field_def, field_text
from engine.store.records import StoredRecord

#: kind → message (English msgid, translated when shown). `message` is config text, shown as written.
TEXTS = {
    "task": N_("Approval needed: %(title)s (%(step)s)"),
    "handed_on": N_("Handed on to you: %(title)s (%(step)s)"),
    "cc": N_("For your information: %(title)s (%(step)s)"),
    "approved": N_("Approved: %(title)s"),
    "rejected": N_("Rejected: %(title)s (%(comment)s)"),
    "sent_back": N_("Sent back to you: %(title)s (%(comment)s)"),
    "due_soon": N_("Due soon: %(title)s, %(stage)s by %(due)s"),
    "overdue": N_("Overdue: %(title)s, %(stage)s was due %(due)s"),
    "escalation": N_("Overdue, please follow up: %(title)s, %(stage)s was due %(due)s"),
    "reminder": "%(message)s",
    "mention": N_("%(actor)s mentioned you in %(title)s: %(comment)s"),
}
#: kind → message when the notification has no comment (nothing in brackets).
WITHOUT_COMMENT = {
    "rejected": N_("Rejected: %(title)s"),
    "sent_back": N_("Sent back to you: %(title)s"),
}

#: The product's language: what a reader without a language of their own reads, and what the
#: system writes in history comments.
DEFAULT_LOCALE = "zh_CN"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(kind: str, params: dict[str, Any], translate: Callable[..., str] | None = None,
           locale: str = DEFAULT_LOCALE) -> str:
    """The notification's text: through `translate` (a request's `_`), else the catalogue of `locale`.
    A param in both languages (`each_language`) reads in the request's language, else `locale`'s."""
    params = in_language(params, None if translate is not None else locale)
    if kind == "reminder" or kind not in TEXTS:
        return str(params.get("message") or kind)
    text = WITHOUT_COMMENT.get(kind, TEXTS[kind]) if not params.get("comment") else TEXTS[kind]
    safe = {k: ("" if v is None else v) for k, v in params.items() if k != "message"}
    try:
        if translate is not None:
            return translate(text) % safe
        return catalogue(locale).gettext(text) % safe
    except (KeyError, ValueError, TypeError):
        return f"{kind}: {params}"


def in_language(params: dict[str, Any], locale: str | None) -> dict[str, Any]:
    """A notification's params with each text stored in both languages ({"zh-CN", "en"}, made
    by `each_language`) read in `locale` (None: the current language)."""
    return {k: resolve_text(v, locale) if isinstance(v, dict) and "zh-CN" in v else v for k, v in params.items()}


def about_record(form: FormDef, record: StoredRecord, hidden: frozenset[str] = frozenset()) -> Any:
    """The record's title (`title_for`) as a notification param, in both languages when the
    form's title has two."""
    return each_language(lambda: title_for(form, record, hidden))


def system_text(message: str) -> str:
    """A msgid in the product's language (what the system writes in a history comment)."""
    return catalogue(DEFAULT_LOCALE).gettext(message)


def record_title(form: FormDef, record: StoredRecord) -> str:
    value = record.values.get(form.title_field) if form.title_field else None
    return f"{form.title} {value}" if value not in (None, "") else f"{form.title} #{record.id}"


def title_for(form: FormDef, record: StoredRecord, hidden: frozenset[str]) -> str:
    """The record's title as a reader from whom `hidden` fields are hidden reads it."""
    if form.title_field and form.title_field in hidden:
        return f"{form.title} #{record.id}"
    return record_title(form, record)


def language_of(user: User | None) -> str:
    """The language `user` reads notifications in: their own, else the product's."""
    return (user.language if user is not None else None) or DEFAULT_LOCALE


def readers(ctx: Context, names: Iterable[str]) -> dict[str, User]:
    """The users `names` that exist, read in one go and kept for the batch (`reader`)."""
    wanted = sorted({n for n in names if n})
    missing = [n for n in wanted if ("reader", n) not in ctx._cache]
    if missing:
        found = get_users(ctx.session, missing)
        for n in missing:
            ctx._cache[("reader", n)] = found.get(n)
    return {n: ctx._cache[("reader", n)] for n in wanted if ctx._cache[("reader", n)] is not None}


def reader(ctx: Context, name: str | None) -> User | None:
    """User `name`, read once per batch (the context's cache)."""
    if name is None:
        return None
    key = ("reader", name)
    if key not in ctx._cache:
        ctx._cache[key] = get_user(ctx.session, name)
    return ctx._cache[key]


def hidden_from(ctx: Context, form: FormDef, record: StoredRecord, name: str) -> frozenset[str]:
    """The fields hidden from user `name` in this record; every field when they may not read it."""
    user = reader(ctx, name)
    hidden = None if user is None else hidden_in_record(ctx.gate, ctx.session, user, form, record.id, ctx.local_now)
    return frozenset(form.field_names) if hidden is None else hidden


def reminder_text(ctx: Context, template: str | None, form: FormDef, record: StoredRecord,
                  hidden: frozenset[str] = frozenset(), name: str | None = None,
                  locale: str = DEFAULT_LOCALE) -> str:
    """The reminder's text for reader `name`, from whom `hidden` fields are hidden: those
    placeholders read as empty (the reader's hide set, not the system's, decides). A value
    reads as on pages (its type's `text`, in the reader's language `locale`): a link as the linked
    record's title when the reader may read that record, else as "(no access)"; a user as
    their display name."""
    if not template:
        return title_for(form, record, hidden)

    def value(match: re.Match) -> str:
        field_name = match.group(1)
        if field_name in hidden or hidden_columns(field_name, hidden):
            return ""
        found = record.get(field_name) if field_name in record.meta or field_name in record.values else None
        if found is None:
            return match.group(0) if form.field(field_name) is None and field_name not in record.meta else ""
        field = field_def(form, field_name)
        kind = type_of(field) if field is not None else None
        refs = Refs(ctx=ctx)
        if kind is not None and kind.holds_user:  # created_by too
            person = reader(ctx, str(found))
            refs = Refs(ctx=ctx, users={str(found): person.label} if person is not None else {})
        elif kind is not None and kind.links and field is not None:
            target, person = ctx.app.form(field.form or ""), reader(ctx, name)
            title = None
            if target is not None and person is not None:
                title = readable_titles(ctx, target, [found], reader=person).get(found)
            refs = Refs(ctx=ctx, title=title)
        with speaking(locale):
            return field_text(ctx, form, field_name, found, refs)
    return PLACEHOLDER.sub(value, template)


def per_reader(ctx: Context, form: FormDef, record: StoredRecord, template: str | None,
               people: Iterable[str]) -> list[tuple[list[str], dict[str, Any]]]:
    """A reminder's recipients grouped by the text they read: (names, params) per group, a group
    per set of fields hidden from its readers and, when values are filled in, per language.
    One group when the text has no placeholder and its title cannot be hidden from anybody."""
    people = list(people)
    same_for_all = not PLACEHOLDER.search(template or "{}") and not any(
        form.title_field in p.hide for p in form.permissions.values())
    names_links = any((f := form.field(n)) is not None and type_of(f).links
                      for n in PLACEHOLDER.findall(template or ""))
    local = LocalText.of(template) if template else None
    # values, and a message written in two languages, read in the reader's language
    fills_values = bool(PLACEHOLDER.search(template or "")) or (local is not None and len(local.texts) > 1)
    readers: dict[tuple[frozenset[str], str | None, str | None], list[str]] = {}
    for person in people:  # each reader's text shows only what they may see, as they read it
        hidden = frozenset() if same_for_all else hidden_from(ctx, form, record, person)
        language = language_of(reader(ctx, person)) if fills_values else None
        readers.setdefault((hidden, person if names_links else None, language), []).append(person)
    out = []
    for (hidden, _person, language), group in readers.items():
        locale = language or DEFAULT_LOCALE
        with speaking(locale):
            text = reminder_text(ctx, local.text(locale) if local is not None else None, form, record, hidden,
                                 name=group[0], locale=locale)
        out.append((group, {"message": text, "title": about_record(form, record, hidden)}))
    return out
