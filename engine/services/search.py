"""Global search (docs/reference.md, Search): one text looked for in every form the user may read.

Each form is searched like its list's `q` (the same columns, the same rule for fields hidden from
the user: a search field hidden from them in any row they may read is not searched at all, so a
match can never reveal it), within the user's row rules, in SQL: on PostgreSQL the substring test
uses the trigram index of each search column. Per form at most `limit` records, newest first,
and whether there are more; never an exact count (that would read every match)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table, case, select
from sqlalchemy.sql.util import ClauseAdapter

from engine.definitions.model import FormDef
from engine.errors import BadRequest, NotFound
from engine.fieldtypes import Refs
from engine.i18n import _
from engine.records.context import Context
from engine.records.summaries import field_text

from .queries import QueryBuilder
from .records import readable_form
from .summaries import summarize

DEFAULT_LIMIT = 5
MAX_LIMIT = 50
MAX_TEXT = 100
#: How many of a form's newest records are looked at first (see `_newest`).
WINDOW = 2_000
#: How many matches at most are fetched unordered to pick the newest from (see `_newest`).
CAP = 1_000


#: The query parameters of `GET /api/search` (`lang`: the answer's language, as everywhere).
PARAMS = ("q", "limit", "lang")


def check_params(args: Any) -> None:
    """400 for an unknown parameter or one given more than once, like the list API."""
    for name in args:
        if name not in PARAMS:
            raise BadRequest(_("unknown parameter '%(name)s' (use %(known)s)", name=name, known=", ".join(PARAMS)))
        if len(args.getlist(name)) > 1:
            raise BadRequest(_("parameter '%(name)s' is given more than once", name=name))


def parse_limit(raw: Any) -> int:
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        value = int(str(raw))
    except ValueError:
        raise BadRequest(_("limit must be a whole number")) from None
    if not 1 <= value <= MAX_LIMIT:
        raise BadRequest(_("limit must be between %(low)s and %(high)s", low=1, high=MAX_LIMIT))
    return value


def parse_text(raw: Any) -> str:
    text = str(raw or "").strip()
    if not text:
        raise BadRequest(_("parameter 'q' is required: the text to search for"))
    if len(text) > MAX_TEXT:
        raise BadRequest(_("parameter 'q' must be at most %(max)s characters", max=MAX_TEXT))
    return text


def searchable_forms(ctx: Context) -> list[FormDef]:
    """The forms the user may read (by role, or as an approver or person copied on a record), in the
    order of the modules."""
    out = []
    for form in ctx.app.forms.values():
        try:
            out.append(readable_form(ctx, form.name))
        except NotFound:
            continue
    order = {m.name: i for i, m in enumerate(ctx.app.modules)}
    return sorted(out, key=lambda f: order.get(f.module, len(order)))


def search_form(ctx: Context, form: FormDef, text: str, limit: int) -> dict[str, Any] | None:
    """The newest `limit` records of `form` the user may read that match `text` (None when the
    form has no column the user may search)."""
    table = ctx.runtime.tables(form.name).table
    invisible = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    try:
        match = QueryBuilder(ctx, form, table, invisible).search(text)
    except BadRequest:  # no search column the user may see
        return None
    grants = ctx.gate.grants(ctx.user, form, "read", ctx.local_now)
    several = len({g.hide for g in grants}) > 1
    flags = [case((g.clause, True), else_=False).label(f"_grant{i}") for i, g in enumerate(grants)] if several else []
    title = form.title_field if form.title_field and form.title_field in table.c else None
    condition = ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)
    rows = _newest(ctx, table, [table.c.id, *([table.c[title]] if title else []), *flags], [condition, match],
                   limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    summaries = summarize(ctx, form, [int(r.id) for r in rows]) if rows else {}
    items = []
    for row in rows:
        mapping = row._mapping
        hidden = (ctx.gate.hidden_in_row(grants, [bool(mapping[f"_grant{i}"]) for i in range(len(grants))])
                  if several else grants[0].hide if grants else frozenset())
        value = mapping[title] if title and title not in hidden else None
        shown = field_text(ctx, form, title, value, Refs(ctx=ctx)) if title and value not in (None, "") else ""
        items.append({"id": int(row.id), "title": shown or f"#{row.id}",
                      "summary": summaries.get(int(row.id), [])})
    return {"form": form.name, "form_title": str(form.title), "items": items, "more": more}


def _newest(ctx: Context, table: Table, columns: list[Any], where: list[Any], count: int) -> list[Any]:
    """The newest `count` rows (by created_at, id) meeting `where`, reading a bounded number of rows.

    PostgreSQL's planner cannot tell how many rows a substring matches: left to itself it walks
    the created_at index newest first, which is instant when matches are common and reads the
    whole table when they are rare (seconds at a million rows). So the plan is chosen here, in
    three steps, each bounded:
    1. only the newest WINDOW rows (an index walk of fixed length): when they hold `count`
       matches, those are the newest;
    2. else at most CAP + 1 matches, in no order, through the trigram indexes (a subquery with a
       LIMIT, which the planner keeps apart): when there are at most CAP, they are all the
       matches and the newest are picked from them;
    3. else matches are plentiful (more than CAP, though not among the newest rows: a row rule
       that leaves the user few of them), and the created_at index walked newest first stops
       after `count` matches: about `count` × rows ÷ CAP rows read, never a sort of every match.
    SQLite reads the table in either case: one ordered query."""
    order = (table.c.created_at.desc(), table.c.id.desc())
    ordered = select(*columns).where(*where).order_by(*order).limit(count)
    if ctx.runtime.dialect != "postgresql":
        return list(ctx.session.execute(ordered).all())
    recent = select(table).order_by(*order).limit(WINDOW).subquery("recent")
    adapt = ClauseAdapter(recent).traverse
    rows = ctx.session.execute(
        select(*(adapt(c) for c in columns)).where(*(adapt(w) for w in where))
        .order_by(recent.c.created_at.desc(), recent.c.id.desc()).limit(count)).all()
    if len(rows) >= count:
        return list(rows)
    matches = select(*columns, table.c.created_at.label("_at")).where(*where).limit(CAP + 1).subquery("matches")
    found = list(ctx.session.execute(select(*matches.c)).all())
    if len(found) <= CAP:
        found.sort(key=lambda row: (row._at, row.id), reverse=True)
        return found[:count]
    return list(ctx.session.execute(ordered).all())


def search(ctx: Context, text: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """`{"q", "results": [{"form", "form_title", "items": [{"id", "title", "summary"}], "more"}]}`:
    the forms with at least one match."""
    text = parse_text(text)
    results = []
    for form in searchable_forms(ctx):
        found = search_form(ctx, form, text, limit)
        if found and found["items"]:
            results.append(found)
    return {"q": text, "results": results}
