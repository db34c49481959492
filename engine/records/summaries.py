"""A record's summary: its title's companions (the form's `summary` fields, else its first
list columns) as people read them, for one reader: tasks, notifications, emails, webhooks.

Batched: the records of one form are read in one query (with the reader's row rules and,
when their roles hide different fields in different rows, one flag per grant), link
titles in one query per link field and people's names in one query. A field hidden from
the reader in a row (row-level hide sets included) is left out of that row's summary; so
is a field without a value. Texts are made in the language spoken now (`speaking`), or in
every language (`each_language_summaries`) for a notification stored to be read later."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import case

from engine.auth.users import User, display_names
from engine.definitions.model import SYSTEM_LABELS, SYSTEM_TYPES, FieldDef, FormDef
from engine.fieldtypes import Refs, type_of
from engine.i18n import LOCALES, TEXT_LANGUAGES, _, speaking
from engine.store.records import StoredRecord, rows_to_records, select_records

from .codec import readable_titles
from .context import Context

Summary = list[dict[str, Any]]


def field_def(form: FormDef, name: str) -> FieldDef | None:
    """The form's field `name`, or a record's own attribute (`created_by`, `due_at` …) as a field
    of its type; None for neither."""
    field = form.field(name)
    if field is None and name in SYSTEM_TYPES:
        return FieldDef(name=name, type=SYSTEM_TYPES[name], label=name, pointer="")
    return field


def field_text(ctx: Context, form: FormDef, name: str, value: Any, refs: Refs) -> str:
    """How people read `value` of the field or record attribute `name` in the language spoken
    now, as on the list page: its type's text (`refs`: the linked record's title, people's
    names, as the reader may read them), a stage as its title. Summaries, reminder texts."""
    field = field_def(form, name)
    if name == "stage" and form.field(name) is None:
        stage = form.workflow.stage(str(value)) if form.workflow else None
        return str(stage.title) if stage else str(value)
    if field is None:
        return str(value)
    kind = type_of(field)
    return kind.text(field, kind.encode(field, value, ctx), refs)


def reads_by_roles(ctx: Context, form: FormDef, person: User) -> bool:
    """Whether what `person` reads of the records of `form`, and of the forms its summary fields
    link to, follows from their roles alone: a role of theirs reads every row and no rule
    names the user. Then everybody with the same roles reads the same summary."""
    forms = [form] + [target for name in form.summary_fields
                      if (f := form.field(name)) is not None and type_of(f).links and f.form
                      and (target := ctx.app.form(f.form)) is not None]
    return all(not ctx.gate.depends_on_user(person, f, "read") and any(
        grant.everything for grant in ctx.gate.grants(person, f, "read", ctx.local_now, participation=False))
        for f in forms)


def _records(ctx: Context, form: FormDef, ids: Iterable[Any], reader: User) -> tuple[list[StoredRecord],
                                                                                    dict[int, frozenset[str]]]:
    """The records among `ids` the reader may read, and the fields hidden from them in each."""
    wanted = sorted({i for i in ids if isinstance(i, int) and not isinstance(i, bool)})
    grants = ctx.gate.grants(reader, form, "read", ctx.local_now)
    if not wanted or not grants:
        return [], {}
    tables = ctx.runtime.tables(form.name)
    condition = ctx.gate.row_filter(reader, form, "read", ctx.local_now)
    several = len({g.hide for g in grants}) > 1
    flags = {f"_grant{i}": case((g.clause, True), else_=False) for i, g in enumerate(grants)} if several else {}
    stmt = select_records(tables, tables.table.c.id.in_(wanted), condition, extra=flags)
    records = rows_to_records(form, tables, ctx.session.execute(stmt), flags)
    hidden = {r.id: (ctx.gate.hidden_in_row(grants, [bool(r.extra.get(k)) for k in flags]) if several
                     else grants[0].hide) for r in records}
    return records, hidden


def _formatter(ctx: Context, form: FormDef, records: list[StoredRecord], hidden: dict[int, frozenset[str]],
               reader: User) -> Callable[[], dict[int, Summary]]:
    """What formats the summaries, with every lookup (link titles, people's names) done once:
    call it in each language wanted."""
    fields = [(name, f) for name in form.summary_fields if (f := field_def(form, name)) is not None]
    titles: dict[str, dict[int, str]] = {}
    people: set[str] = set()
    for name, field in fields:
        kind = type_of(field)
        present = [r.get(name) for r in records if name not in hidden[r.id] and r.get(name) not in (None, "")]
        if kind.links and field.form and (target := ctx.app.form(field.form)) is not None:
            titles[name] = readable_titles(ctx, target, present, reader=reader)
        elif kind.holds_user:
            people.update(str(v) for v in present)
    labels = display_names(ctx.session, people)

    def make() -> dict[int, Summary]:
        out: dict[int, Summary] = {}
        for record in records:
            items: Summary = []
            for name, field in fields:
                value = record.get(name)
                if name in hidden[record.id] or value in (None, ""):
                    continue
                text = field_text(ctx, form, name, value,
                                  Refs(ctx=ctx, users=labels, title=titles.get(name, {}).get(value)))
                if text == "":
                    continue
                label = _(SYSTEM_LABELS[name]) if form.field(name) is None else str(field.label)
                items.append({"field": name, "label": label, "text": text})
            out[record.id] = items
        return out
    return make


def summarize(ctx: Context, form: FormDef, records: Iterable[Any], reader: User | None = None) -> dict[int, Summary]:
    """record id → [{"field", "label", "text"}] for the records of `form` (ids, or stored
    records: read again with the reader's rules) that `reader` (default: the acting user) may
    read, in the language spoken now; an unreadable or missing record is absent."""
    reader = reader or ctx.user
    ids = [r.id if isinstance(r, StoredRecord) else r for r in records]
    found, hidden = _records(ctx, form, ids, reader)
    if not found:
        return {}
    return _formatter(ctx, form, found, hidden, reader)()


def stored_summary(ctx: Context, form: FormDef, record_id: int, reader: User) -> list[dict[str, Any]]:
    """One record's summary for `reader` in every language, to be stored with a notification:
    each label and text a string when all languages read alike, else {"zh-CN": …, "en": …}
    (read back with `summary_in`). Empty when the reader may not read the record."""
    found, hidden = _records(ctx, form, [record_id], reader)
    if not found:
        return []
    make = _formatter(ctx, form, found, hidden, reader)
    per_language = []
    for locale in LOCALES:
        with speaking(locale):
            per_language.append(make().get(record_id, []))
    out = []
    for first in per_language[0]:
        same = [next((i for i in items if i["field"] == first["field"]), first) for items in per_language]
        entry: dict[str, Any] = {"field": first["field"]}
        for key in ("label", "text"):
            texts = {lang: item[key] for lang, item in zip(TEXT_LANGUAGES, same, strict=True)}
            entry[key] = texts[TEXT_LANGUAGES[0]] if len(set(texts.values())) == 1 else texts
        out.append(entry)
    return out


def summary_in(stored: Any, locale: str | None = None) -> list[dict[str, str]]:
    """A stored summary (`stored_summary`) read in `locale` (None: the current language)."""
    from engine.i18n import resolve_text

    if not isinstance(stored, list):
        return []
    return [{"field": str(item.get("field")), "label": resolve_text(item.get("label"), locale) or "",
             "text": resolve_text(item.get("text"), locale) or ""}
            for item in stored if isinstance(item, dict)]
