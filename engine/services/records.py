"""Record use cases: list, get, create, update, delete. Each is one transaction,
used by the API, the pages, imports and the CLI alike."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import False_, True_

from engine.access.visibility import hidden_columns, visible_entry
from engine.definitions.model import FieldDef, FormDef, StageDef
from engine.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from engine.fieldtypes import FieldError, type_of
from engine.i18n import _
from engine.records.codec import encode_record, encode_value, link_titles
from engine.records.compute import RecordScope, default_value
from engine.records.context import Context
from engine.records.readonly import check_readonly_rows, readonly_columns
from engine.records.validate import linked_ids, prepare_values
from engine.store.records import (
    StoredRecord,
    delete_record_row,
    fetch_one,
    insert_record,
    load_children,
    rows_to_records,
    select_records,
    update_record_row,
)
from engine.store.serials import next_serial
from engine.store.system import files
from engine.workflows import timers

from . import rollups, totals, views
from .cursors import after_condition, before_condition, decode_cursor, encode_cursor, reverse_order
from .files import attach_files
from .history import add_titles, read_history, write_history
from .link_sync import sync_fills
from .linked import apply_update_linked
from .queries import parse_list_query


def readable_form(ctx: Context, name: str) -> FormDef:
    """The form if the user may read some of it (by role, or as an approver or person copied
    on one of its records); an unknown or unreadable form is 404."""
    form = ctx.app.form(name)
    if form is None or not (ctx.gate.can(ctx.user, form, "read") or _participates(ctx, form)):
        raise NotFound(f"no form '{name}'")
    return form


def _participates(ctx: Context, form: FormDef) -> bool:
    from engine.access.gate import participation

    if form.workflow is None:
        return False
    return any(ctx.session.execute(ids.limit(1)).first() is not None
               for ids in participation(form.name, ctx.user.name))


# -- reading -------------------------------------------------------------------------


def _grant_flags(ctx: Context, form: FormDef) -> tuple[list, dict]:
    grants = ctx.gate.grants(ctx.user, form, "read", ctx.local_now)
    if len({g.hide for g in grants}) <= 1:
        return grants, {}
    return grants, {f"_grant{i}": case((g.clause, True), else_=False) for i, g in enumerate(grants)}


def _hidden(ctx: Context, grants: list, record: StoredRecord) -> frozenset[str]:
    if not grants:
        return frozenset()
    if len({g.hide for g in grants}) == 1:
        return grants[0].hide
    flags = [bool(record.extra.get(f"_grant{i}")) for i in range(len(grants))]
    return ctx.gate.hidden_in_row(grants, flags)


def load_readable(ctx: Context, form: FormDef, record_id: int, *, lock: bool = False,
                  may: Sequence[str] = ()) -> tuple[StoredRecord, frozenset[str]]:
    """The record and the fields hidden from the user in it; 404 when it may not be read.
    `may`: actions ("update", "delete") whose row rule is evaluated on the row in the same
    query, read with `allowed(record, action)` (what `may` answers, without a query each)."""
    memo = None if lock else ctx._cache.get(READ_ONCE)
    if memo is not None and (hit := memo.get((form.name, record_id))) is not None and set(may) <= hit[2]:
        return hit[0], hit[1]
    tables = ctx.runtime.tables(form.name)
    grants, flags = _grant_flags(ctx, form)
    checks, known = _may_flags(ctx, form, may)
    condition = ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)
    record = fetch_one(ctx.session, form, tables, record_id, condition, lock=lock, extra={**flags, **checks})
    if record is None:
        raise NotFound(_("no record %(id)s in '%(form)s'", id=record_id, form=form.name))
    record.extra.update(known)
    hidden = _hidden(ctx, grants, record)
    if memo is not None:
        memo[(form.name, record_id)] = (record, hidden, frozenset(may))
    return record, hidden


#: Context cache key of the records read while `read_once` runs.
READ_ONCE = "records_read_once"


@contextmanager
def read_once(ctx: Context) -> Iterator[None]:
    """Within the block each record is read once: `load_readable` (without `lock`) answers a
    repeated read of the same record from the first (a page whose parts each read the record
    it shows). Only for blocks that change nothing."""
    ctx._cache[READ_ONCE] = {}
    try:
        yield
    finally:
        ctx._cache.pop(READ_ONCE, None)


def _may_flags(ctx: Context, form: FormDef, actions: Sequence[str]) -> tuple[dict[str, Any], dict[str, bool]]:
    """Row-rule flags for `actions` as extra columns of a record query, and the answers that need
    no SQL (a rule for all rows or none)."""
    columns: dict[str, Any] = {}
    known: dict[str, bool] = {}
    for action in actions:
        condition = ctx.gate.row_filter(ctx.user, form, action, ctx.local_now)
        if isinstance(condition, True_ | False_):
            known[f"_may_{action}"] = isinstance(condition, True_)
        else:
            columns[f"_may_{action}"] = case((condition, True), else_=False)
    return columns, known


def allowed(record: StoredRecord, action: str) -> bool:
    """Whether the user may `action` the record, as `load_readable(..., may=[action])` read it."""
    return bool(record.extra[f"_may_{action}"])


def may(ctx: Context, form: FormDef, record_id: int, action: str) -> bool:
    """Whether the user may `action` ("update", "delete") this record now."""
    return _allowed(ctx, form, record_id, action)


def _allowed(ctx: Context, form: FormDef, record_id: int, action: str) -> bool:
    table = ctx.runtime.tables(form.name).table
    condition = ctx.gate.row_filter(ctx.user, form, action, ctx.local_now)
    stmt = select(func.count()).select_from(table).where(table.c.id == record_id, condition)
    return bool(ctx.session.execute(stmt).scalar_one())


def present(ctx: Context, form: FormDef, record: StoredRecord, hidden: frozenset[str],
            titles: Mapping[str, Any] | None = None) -> dict[str, Any]:
    body = encode_record(form, record, ctx, hidden)
    if titles is None:
        titles = link_titles(ctx, form, [record], {record.id: hidden})[record.id]
    body["links"] = dict(titles)
    return body


def get_record(ctx: Context, form_name: str, record_id: int) -> dict[str, Any]:
    form = readable_form(ctx, form_name)
    record, hidden = load_readable(ctx, form, record_id)
    return present(ctx, form, record, hidden)


def list_records(ctx: Context, form_name: str, params: Mapping[str, str], *,
                 exact_limit: int | None = None) -> dict[str, Any]:
    """A page of the records the user may read, with `total` exact up to `exact_limit`
    (ENGINE_EXACT_TOTAL_LIMIT) and an estimate above it (`total_exact` false, totals.py), and
    keyset cursors: `next` for the rows after the page, `previous` for those before it (when
    there are some), given back as `after=` and `before=`."""
    form = readable_form(ctx, form_name)
    if params.get("saved"):  # a saved or shared view: its filters and sort (services/views.py)
        params, _view = views.resolve(ctx, form, params)
    tables = ctx.runtime.tables(form.name)
    table = tables.table
    invisible = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    query = parse_list_query(ctx, form, table, params, invisible)
    condition = ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)
    conditions = [condition, *query.conditions]
    limit = totals.EXACT_TOTAL_LIMIT if exact_limit is None else exact_limit
    branches = (ctx.gate.row_branches(ctx.user, form, "read", ctx.local_now)
                if ctx.runtime.dialect == "postgresql" else None)  # index-only counts (totals.py)
    total = totals.bounded_total(ctx.session, table, conditions, limit, ctx.runtime.dialect,
                                 estimate=isinstance(condition, True_),  # no row rule narrows the reader
                                 branches=branches)
    grants, flags = _grant_flags(ctx, form)
    window, order = list(conditions), query.order
    after, before = params.get("after"), params.get("before")
    if after and before:
        raise BadRequest(_("parameters 'after' and 'before' cannot be combined"))
    if after or before:
        if query.page != 1:
            raise BadRequest(_("parameters 'after' and 'page' cannot be combined") if after
                             else _("parameters 'before' and 'page' cannot be combined"))
        param = "after" if after else "before"
        values = decode_cursor(ctx.session, str(after or before), query.order_spec, query.keys, condition, param)
        if after:
            window.append(after_condition(query.keys, values))
        else:
            window.append(before_condition(query.keys, values))
            order = reverse_order(query.keys)
    if query.page > 1:  # `page=N`: the ids by OFFSET over the sort keys alone (an index of them can skip
        # rows without reading them), then only those rows
        ids = (select(table.c.id).where(*window).order_by(*order)
               .limit(query.per_page + 1).offset((query.page - 1) * query.per_page)).subquery()
        window = [table.c.id.in_(select(ids.c.id))]
    stmt = select_records(tables, *window, extra=flags).order_by(*order).limit(query.per_page + 1)
    records = rows_to_records(form, tables, ctx.session.execute(stmt), flags)
    more = len(records) > query.per_page
    records = records[:query.per_page]
    if before:
        records.reverse()  # read backwards from the cursor: the page in the list's order
    load_children(ctx.session, form, tables, records)
    hidden = {r.id: _hidden(ctx, grants, r) for r in records}
    titles = link_titles(ctx, form, records, hidden)

    def cursor(record: StoredRecord) -> str:
        return encode_cursor(query.order_spec, query.keys, [record.get(k.column.name) for k in query.keys],
                             hidden[record.id])

    # after `before=X` the row X follows; after `after=X` or past page 1, X or earlier rows precede
    has_next = bool(before) or more
    has_previous = more if before else bool(after) or query.page > 1
    return {
        "items": [present(ctx, form, r, hidden[r.id], titles[r.id]) for r in records],
        "total": total.count,
        "total_exact": total.exact,
        "page": query.page,
        "per_page": query.per_page,
        "next": cursor(records[-1]) if has_next and records else None,
        "previous": cursor(records[0]) if has_previous and records else None,
    }


def record_page(ctx: Context, form: FormDef, record_id: int) -> dict[str, Any]:
    """What a record's page shows of it, from one read of the row: `record` (as `get_record`),
    `history` (as `record_history`) and `may` {"update": bool, "delete": bool} (as `may`).
    `form` is what `readable_form` gave."""
    stored, hidden = load_readable(ctx, form, record_id, may=("update", "delete"))
    return {"record": present(ctx, form, stored, hidden),
            "history": visible_history(ctx, form, record_id, hidden),
            "may": {action: allowed(stored, action) for action in ("update", "delete")}}


def record_history(ctx: Context, form_name: str, record_id: int) -> list[dict[str, Any]]:
    """The history as the reader may see it: hidden fields (and hidden table columns) are
    left out of created/deleted values and of edits, old and new alike, and an edit of
    hidden fields only is left out altogether (`visible_entry`)."""
    form = readable_form(ctx, form_name)
    _record, hidden = load_readable(ctx, form, record_id)
    return visible_history(ctx, form, record_id, hidden)


def visible_history(ctx: Context, form: FormDef, record_id: int, hidden: frozenset[str]) -> list[dict[str, Any]]:
    """`record_history` of a record the caller has read (`load_readable`), with the fields hidden in it."""
    entries = []
    for row in read_history(ctx.session, form.name, record_id):
        details = visible_entry(row["action"], row["details"], hidden)
        if details is None:
            continue
        entries.append({
            "id": row["id"], "at": row["at"].astimezone(ctx.tzinfo).isoformat(), "actor": row["actor"],
            "action": row["action"], **details,
        })
    return add_titles(ctx, form, entries)


# -- writing -------------------------------------------------------------------------


def encode_values(ctx: Context, form: FormDef, values: Mapping[str, Any], names: set[str] | None = None) -> dict:
    """The record's `values` (those in `names`) as the history and the API write them."""
    return {f.name: encode_value(f, values.get(f.name), ctx) for f in form.fields
            if names is None or f.name in names}


def after_write(ctx: Context, form: FormDef, record_id: int, before: Mapping[str, Any], values: Mapping[str, Any],
                meta: Mapping[str, Any], changed: set[str]) -> None:
    """What a change of a stored record's `changed` fields (from `before` to `values`) does
    besides its row, whoever writes it (an edit, a transition, an approver's fields): the files
    the fields name (also file columns of tables), the date reminders, the records copying its
    fields (`fill_mode` sync) and the rollups over it."""
    attach_files(ctx, form, record_id, values, changed)
    timers.plan_date_reminders(ctx, form, record_id, values, meta)
    sync_fills(ctx, form, record_id, before, values)
    rollups.refresh(ctx, form, record_id, before, values)


def _readonly_reason(field: FieldDef) -> str | None:
    return _("is read-only") if field.readonly else None


def create_refusal(readonly: frozenset[str]) -> Callable[[FieldDef], str | None]:
    """Why a user from whom `readonly` (their roles' read-only fields) is read-only may not
    set a field of a new record (None when they may)."""
    def reason(field: FieldDef) -> str | None:
        if field.name in readonly:
            return _("is read-only for you")
        return _readonly_reason(field)
    return reason


def readonly_rows(ctx: Context, readonly: frozenset[str], *, keep: bool = False) -> Any:
    """The row check for the read-only columns in `readonly` (`check_readonly_rows`), or None
    when there are none; `keep` (a page) replaces what was sent instead of refusing it."""
    if not any("." in path for path in readonly):
        return None

    def check(table: FieldDef, rows: list[dict[str, Any]], stored: list[dict[str, Any]]) -> dict[str, list[str]]:
        return check_readonly_rows(ctx, table, rows, stored, readonly_columns(table, readonly), ignore=keep)
    return check


def create_hidden(ctx: Context, form: FormDef, system: bool) -> frozenset[str]:
    """Fields the creator may not set: none for the system, else those hidden from the user."""
    if system:
        return frozenset()
    if ctx.gate.can(ctx.user, form, "read"):
        return ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    return frozenset(p for perm in ctx.gate.permissions(ctx.user, form) for p in perm.hide)


def creatable_form(ctx: Context, form_name: str) -> FormDef:
    """The form if the user may create records in it (403 if they may read it, else 404)."""
    form = ctx.app.form(form_name)
    if form is None:
        raise NotFound(f"no form '{form_name}'")
    if not ctx.gate.can_create(ctx.user, form):
        if ctx.gate.can(ctx.user, form, "read"):
            raise Forbidden(_("you may not create records in %(form)s", form=form.title))
        raise NotFound(f"no form '{form_name}'")
    return form


def new_meta(ctx: Context, form: FormDef) -> dict[str, Any]:
    initial = form.workflow.stage(form.workflow.initial) if form.workflow else None
    return {
        "stage": initial.name if initial else None,
        "version": 1,
        "created_by": ctx.user.name,
        "created_at": ctx.now,
        "updated_at": ctx.now,
        "due_at": ctx.now + initial.due if initial and initial.due else None,
    }


def check_creatable_row(ctx: Context, form: FormDef, values: Mapping[str, Any], meta: Mapping[str, Any]) -> None:
    """A user creates only records they may then work on: the new record must fall under one
    of their `update` rules, the same rule an edit must keep (so a user cannot create
    a record owned by a colleague). A user with no update rule on the form must be able to
    read it; a role that may only create (a submission box) is not limited."""
    for action in ("update", "read"):
        if ctx.gate.can(ctx.user, form, action):
            scope = RecordScope(ctx, form, values, meta, now=ctx.local_now, user=ctx.user.name)
            if ctx.gate.allows_values(ctx.user, form, action, scope):
                return
            owner = form.field(form.owner_attribute)
            if owner is not None and values.get(owner.name) != ctx.user.name:
                raise ValidationFailed({owner.name: [
                    _("you may only create records you could then edit; %(field)s must be you",
                      field=owner.label)]})
            raise Forbidden(_("you may not create a record you could not then edit "
                              "(check the fields your role is limited by)"))


def prepare_create(ctx: Context, form: FormDef, fields: Mapping[str, Any], *,
                   system: bool = False,
                   keep_readonly: bool = False) -> tuple[dict[str, Any], set[str], dict[str, Any]]:
    """Check a new record without writing it: (values, changed field names, system attributes).
    Reads only, so an import can check every row before its short write transaction.
    A value the user's roles make read-only is refused unless it is empty or the default
    (`keep_readonly`, for a page: replaced by the default)."""
    meta = new_meta(ctx, form)
    readonly = frozenset() if system else ctx.gate.readonly_on_create(ctx.user, form)
    values, changed = prepare_values(ctx, form, _without_defaults(ctx, form, fields, readonly), current=None,
                                     meta=meta, hidden=create_hidden(ctx, form, system),
                                     editable=(lambda f: None) if system else create_refusal(readonly), system=system,
                                     check_rows=readonly_rows(ctx, readonly, keep=keep_readonly))
    if not system:
        check_creatable_row(ctx, form, values, meta)
    return values, changed, meta


def _without_defaults(ctx: Context, form: FormDef, fields: Mapping[str, Any],
                      readonly: frozenset[str]) -> Mapping[str, Any]:
    """The input without read-only fields sent empty or as their default: not a change."""
    if not readonly:
        return fields
    out = dict(fields)
    for name in readonly & set(fields):
        field = form.field(name)
        raw = fields[name]
        if field is None or field.computed or raw in (None, "", []):
            out.pop(name, None)
            continue
        if field.default is not None and not field.is_table:
            try:
                same = type_of(field).decode(field, raw, ctx) == default_value(field, ctx)
            except FieldError:
                same = False
            if same:
                out.pop(name, None)
    return out


def write_created(ctx: Context, form: FormDef, values: dict[str, Any], changed: set[str],
                  meta: dict[str, Any], actor: str | None = None, *, alone: bool = False) -> int:
    """Write a checked new record with its serial numbers, files, timers, history, linked
    updates and rollups; its id. `alone`: the transaction writes only this record (a failed
    insert fails it as a whole), so the insert needs no savepoint of its own."""
    for field in form.fields:
        if field.field_type.numbered and field.pattern and not values.get(field.name):
            values[field.name] = next_serial(ctx.session, field.pattern, ctx.local_now)
    _confirm_links(ctx, form, values, changed)
    tables = ctx.runtime.tables(form.name)
    try:
        with nullcontext() if alone else ctx.session.begin_nested():
            record_id = insert_record(ctx.session, form, tables, meta, values)
    except IntegrityError:
        raise Conflict(_("a unique value was taken by another record at the same time; try again"),
                       code="unique_conflict") from None
    attach_files(ctx, form, record_id, values, changed, created=True)
    initial = form.workflow.stage(meta["stage"]) if form.workflow else None
    if initial is not None:
        timers.on_stage_entry(ctx, form, record_id, initial, meta["due_at"], created=True)
    timers.plan_date_reminders(ctx, form, record_id, values, meta, created=True)
    write_history(ctx.session, form.name, record_id, actor or ctx.user.name, "create",
                  {"values": encode_values(ctx, form, values)}, ctx.now)
    apply_update_linked(ctx, form, record_id, values, meta)
    rollups.refresh(ctx, form, record_id, values)
    return record_id


def _confirm_links(ctx: Context, form: FormDef, values: Mapping[str, Any], changed: set[str]) -> None:
    """The linked records the check found are still there, in the transaction that writes: a create
    is checked before its write transaction opens, and another request may delete a linked record
    in between. One query per linked form; on PostgreSQL the rows stay locked against deletion
    (FOR KEY SHARE) until the new record is committed."""
    for name, ids in linked_ids(form, values, changed).items():
        if ctx.app.form(name) is None:
            continue
        table = ctx.runtime.tables(name).table
        stmt = select(table.c.id).where(table.c.id.in_(sorted(ids)))
        if ctx.runtime.dialect == "postgresql":
            stmt = stmt.with_for_update(key_share=True)
        if len(ctx.session.execute(stmt).all()) < len(ids):
            raise Conflict(_("a linked record was deleted at the same time; check the links and try again"),
                           code="link_conflict")


def create_record(ctx: Context, form_name: str, fields: Mapping[str, Any], *,
                  actor: str | None = None, system: bool = False, keep_readonly: bool = False) -> dict[str, Any]:
    """Create a record. `system=True` is for records the engine creates on a user's behalf
    (a transition's `create`): the definition granted it, not the user's create permission,
    so neither the create permission nor the row rule nor the read-only fields of the user
    apply. `keep_readonly`: see `prepare_create`."""
    if system:
        form = ctx.app.form(form_name)
        if form is None:
            raise NotFound(f"no form '{form_name}'")
    else:
        form = creatable_form(ctx, form_name)
    values, changed, meta = prepare_create(ctx, form, fields, system=system, keep_readonly=keep_readonly)
    record_id = write_created(ctx, form, values, changed, meta, actor)
    return created_body(ctx, form, record_id)


def created_body(ctx: Context, form: FormDef, record_id: int) -> dict[str, Any]:
    """What creating a record answers: the record as `get_record` presents it, or only its id and
    form when the creator may not read it."""
    if not ctx.gate.can(ctx.user, form, "read"):
        return {"id": record_id, "form": form.name}
    try:
        record, row_hidden = load_readable(ctx, form, record_id)
    except NotFound:
        return {"id": record_id, "form": form.name}
    return present(ctx, form, record, row_hidden)


def edit_refusal(stage: StageDef | None, hidden: frozenset[str],
                 readonly: frozenset[str] = frozenset()) -> Callable[[FieldDef], str | None]:
    """What may change in a record: why a field of a record in `stage` cannot be changed by a
    user from whom `hidden` is hidden and to whom `readonly` is read-only (None when it can).
    The one rule for `update_record` and for the fields an edit page offers (`editable_fields`)."""
    def reason(field: FieldDef) -> str | None:
        if field.readonly:
            return _("is read-only")
        if field.name in readonly:
            return _("is read-only for you")
        if stage is not None and not stage.allows_edit(field.name):
            return _("cannot be changed in stage %(stage)s", stage=stage.title)
        if field.is_table and hidden_columns(field.name, hidden):
            return _("cannot be changed by you")  # saving it would drop the columns the user cannot see
        return None
    return reason


def _stage(form: FormDef, name: str | None) -> StageDef | None:
    return form.workflow.stage(name) if form.workflow is not None and name else None


def editable_fields(ctx: Context, form: FormDef, hidden: frozenset[str],
                    record: Mapping[str, Any] | None) -> list[str]:
    """The fields a page offers to fill in, by the rule the save applies: on a new record
    (`record` None) or on a record as `get_record` presents it, with `hidden` the fields not
    shown to the user."""
    if record is None:
        refusal: Callable[[FieldDef], str | None] = create_refusal(ctx.gate.readonly_on_create(ctx.user, form))
    else:
        unseen = hidden | ctx.gate.never_visible(ctx.user, form, ctx.local_now)
        refusal = edit_refusal(_stage(form, record["stage"]), unseen, readonly_fields(ctx, form, record.get("id"),
                                                                                   stored=True))
    return [f.name for f in form.fields if f.name not in hidden and not f.computed and refusal(f) is None]


def readonly_fields(ctx: Context, form: FormDef, record_id: int | None, *, stored: bool = False) -> frozenset[str]:
    """Fields and `table.column`s read-only for the user (their roles' `readonly`) in a stored
    record, or on a new one (`record_id` None): what pages show disabled. `stored` without an
    id (a preview of a record in some stage): those read-only in every record."""
    if record_id is not None:
        return ctx.gate.readonly_in_record(ctx.session, ctx.user, form, record_id, ctx.local_now)
    if stored:
        return ctx.gate.readonly_everywhere(ctx.user, form)
    return ctx.gate.readonly_on_create(ctx.user, form)


def update_record(ctx: Context, form_name: str, record_id: int, version: Any,
                  fields: Mapping[str, Any], *, keep_readonly: bool = False) -> dict[str, Any]:
    """Change a record. A changed value of a field the user's roles make read-only is refused
    (an unchanged one is fine); `keep_readonly` (a page) keeps the stored read-only values of
    table rows instead of refusing what was sent."""
    form = readable_form(ctx, form_name)
    if isinstance(version, bool) or not isinstance(version, int) or not 0 < version < 2**31:
        raise BadRequest("'version' (the version the edit is based on) is required and must be an integer")
    record, hidden = load_readable(ctx, form, record_id, lock=True)
    if not _allowed(ctx, form, record_id, "update"):
        raise Forbidden(_("you may not change record %(id)s", id=record_id))
    if record.version != version:
        raise Conflict(_("record %(id)s was changed by someone else (now version %(version)s)", id=record_id,
                         version=record.version),
                       code="stale_version", current_version=record.version)
    ctx.editing = (form.name, record_id)
    readonly = ctx.gate.readonly_in_record(ctx.session, ctx.user, form, record_id, ctx.local_now)
    values, changed = prepare_values(ctx, form, fields, current=record.values, meta=record.meta, hidden=hidden,
                                     editable=edit_refusal(_stage(form, record.meta["stage"]), hidden, readonly),
                                     check_rows=readonly_rows(ctx, readonly, keep=keep_readonly))
    if not changed:
        return present(ctx, form, record, hidden)
    scope = RecordScope(ctx, form, values, record.meta, now=ctx.local_now, user=ctx.user.name)
    if not ctx.gate.allows_values(ctx.user, form, "update", scope):
        raise Forbidden(_("this change would take the record out of what you may edit"))
    tables = ctx.runtime.tables(form.name)
    try:
        with ctx.session.begin_nested():
            ok = update_record_row(ctx.session, tables, record_id, version,
                                   {name: values.get(name) for name in changed}, ctx.now)
    except IntegrityError:
        raise Conflict(_("a unique value was taken by another record at the same time; try again"),
                       code="unique_conflict") from None
    if not ok:
        raise Conflict(_("record %(id)s was changed by someone else", id=record_id), code="stale_version")
    old = encode_values(ctx, form, record.values, changed)
    new = encode_values(ctx, form, values, changed)
    write_history(ctx.session, form.name, record_id, ctx.user.name, "update",
                  {"changes": [{"field": n, "old": old[n], "new": new[n]} for n in form.field_names if n in changed]},
                  ctx.now)
    apply_update_linked(ctx, form, record_id, values, {**record.meta, "updated_at": ctx.now})
    after_write(ctx, form, record_id, record.values, values, {**record.meta, "updated_at": ctx.now}, changed)
    record, hidden = load_readable(ctx, form, record_id)
    return present(ctx, form, record, hidden)


def references_to(ctx: Context, form: FormDef, record_id: int) -> list[tuple[str, int]]:
    """(form, count) of records whose link fields point at this record."""
    found = []
    for other in ctx.app.forms.values():
        tables = ctx.runtime.tables(other.name)
        for field in other.fields:
            if field.field_type.links and field.form == form.name:
                count = ctx.session.execute(select(func.count()).select_from(tables.table)
                                            .where(tables.table.c[field.name] == record_id)).scalar_one()
                if count:
                    found.append((other.name, int(count)))
            elif field.is_table:
                child = tables.children[field.name]
                for sub in field.fields:
                    if sub.field_type.links and sub.form == form.name:
                        count = ctx.session.execute(select(func.count()).select_from(child)
                                                    .where(child.c[sub.name] == record_id)).scalar_one()
                        if count:
                            found.append((other.name, int(count)))
    return found


def delete_record(ctx: Context, form_name: str, record_id: int) -> None:
    form = readable_form(ctx, form_name)
    record, _hidden_fields = load_readable(ctx, form, record_id, lock=True)
    if not _allowed(ctx, form, record_id, "delete"):
        raise Forbidden(_("you may not delete record %(id)s", id=record_id))
    refs = references_to(ctx, form, record_id)
    if refs:
        titles = {name: f"{getattr(ctx.app.form(name), 'title', name)} ({name})" for name, _n in refs}
        listing = ", ".join(_("%(n)s in %(form)s", n=count, form=titles[name]) for name, count in refs)
        raise Conflict(_("record %(id)s is still referenced (%(listing)s); remove those links first",
                         id=record_id, listing=listing),
                       code="referenced")
    delete_record_row(ctx.session, ctx.runtime.tables(form.name), record_id)
    timers.cancel_all(ctx, form.name, record_id)
    rollups.refresh(ctx, form, record_id, record.values)
    ctx.session.execute(files.delete().where(files.c.form == form.name, files.c.record_id == record_id))
    write_history(ctx.session, form.name, record_id, ctx.user.name, "delete",
                  {"values": encode_values(ctx, form, record.values)}, ctx.now)
