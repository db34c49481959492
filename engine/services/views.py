"""List views (docs/reference.md, Saved views): the shared ones of the definition (`list.views`)
and each user's own (table engine_saved_views). A view is list parameters (filters), columns and
a sort; `saved=ID` (own) or `saved=NAME` (shared) applies one to the list API and page, with the
request's own parameters taking precedence. Everything a view asks for goes through the list
query, so it obeys the same row rules and hidden fields as any list request."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from engine.definitions.model import SYSTEM_ATTRIBUTES, VIEW_PLACEHOLDERS, FormDef, ViewDef
from engine.errors import BadRequest, NotFound, ValidationFailed
from engine.i18n import _
from engine.records.context import Context
from engine.store.system import saved_views

from .queries import parse_list_query
from .quick_filters import month_bounds

MAX_VIEWS = 100
MAX_NAME = 100
#: Parameters a view's filters may not set: paging and sort belong to the request and the view.
NOT_FILTERS = ("page", "per_page", "after", "before", "order_by", "saved", "view", "lang", "columns")


def shared_views(ctx: Context, form: FormDef) -> list[ViewDef]:
    """The form's shared views the user may use: those without roles, or with one of theirs."""
    return [v for v in form.list.views if not v.roles or ctx.user.is_admin or set(v.roles) & ctx.user.roles]


def _own_rows(ctx: Context, form: FormDef) -> list[Any]:
    return list(ctx.session.execute(
        select(saved_views).where(saved_views.c.user_name == ctx.user.name, saved_views.c.form == form.name)
        .order_by(saved_views.c.name, saved_views.c.id)))


def visible_columns(ctx: Context, form: FormDef, columns: Any) -> list[str]:
    """A view's columns without those hidden from the user (and any the form no longer has)."""
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    known = set(form.field_names) | set(SYSTEM_ATTRIBUTES)
    return [c for c in columns or () if c in known and c not in hidden]


def _shared_body(ctx: Context, form: FormDef, view: ViewDef) -> dict[str, Any]:
    return {"id": None, "name": view.name, "title": view.title, "shared": True, "filters": dict(view.filters),
            "columns": visible_columns(ctx, form, view.columns), "order_by": view.order_by}


def _own_body(ctx: Context, form: FormDef, row: Any) -> dict[str, Any]:
    params = row.params or {}
    return {"id": row.id, "name": row.name, "title": row.name, "shared": False,
            "filters": dict(params.get("filters") or {}),
            "columns": visible_columns(ctx, form, params.get("columns")),
            "order_by": params.get("order_by") or "",
            "created_at": row.created_at.astimezone(ctx.tzinfo).isoformat(),
            "updated_at": row.updated_at.astimezone(ctx.tzinfo).isoformat()}


def list_views(ctx: Context, form_name: str) -> dict[str, Any]:
    from .records import readable_form

    form = readable_form(ctx, form_name)
    return {"items": [_shared_body(ctx, form, v) for v in shared_views(ctx, form)]
            + [_own_body(ctx, form, row) for row in _own_rows(ctx, form)]}


def expand(ctx: Context, param: str, value: str, form: FormDef) -> str:
    """A filter value with its placeholder (`$user`, `$today`, `$month_start`, `$month_end`)
    replaced, in the engine's time zone; `__lte` of a date and time field by a day means
    until the end of that day."""
    if value not in VIEW_PLACEHOLDERS:
        return value
    if value == "$user":
        return ctx.user.name
    today = ctx.local_now.date()
    start, following = month_bounds(ctx.local_now)
    day = {"$today": today, "$month_start": start.date(),
           "$month_end": (following - timedelta(days=1)).date()}[value]
    name, _sep, op = param.partition("__")
    if form.is_datetime(name) and op == "lte":
        return f"{day.isoformat()}T23:59:59.999999"
    return day.isoformat()


def _pairs(filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for key, value in filters.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((str(key), str(one)))
    return pairs


def _find(ctx: Context, form: FormDef, ref: str) -> dict[str, Any]:
    if ref.isascii() and ref.isdigit() and len(ref) < 19:
        row = ctx.session.execute(select(saved_views).where(
            saved_views.c.id == int(ref), saved_views.c.user_name == ctx.user.name,
            saved_views.c.form == form.name)).first()
        if row is not None:
            return _own_body(ctx, form, row)
    else:
        view = form.list.view(ref)
        if view is not None and view in shared_views(ctx, form):
            return _shared_body(ctx, form, view)
    raise NotFound(_("no view '%(name)s' in this list", name=ref))


def resolve(ctx: Context, form: FormDef, params: Any) -> tuple[MultiDict, dict[str, Any] | None]:
    """The list parameters with `saved` replaced by its view's filters and sort (the request's
    own values of the same parameters win), and the view (None without `saved`)."""
    ref = str(params.get("saved") or "").strip()
    pairs = list(params.items(multi=True)) if hasattr(params, "items") and isinstance(params, MultiDict) \
        else list(params.items())
    if not ref:
        return MultiDict([(k, v) for k, v in pairs if k != "saved"]), None
    view = _find(ctx, form, ref)
    given = {k for k, _v in pairs if k != "saved"}  # an empty value too: the view's filter cleared
    merged = [(k, expand(ctx, k, v, form)) for k, v in _pairs(view["filters"]) if k not in given]
    if view["order_by"] and "order_by" not in given:
        merged.append(("order_by", view["order_by"]))
    merged += [(k, v) for k, v in pairs if k != "saved"]
    return MultiDict(merged), view


# -- own views -------------------------------------------------------------------------


def _checked(ctx: Context, form: FormDef, body: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """A view body as stored: `name`, `filters`, `columns`, `order_by`, each checked like the
    list request it stands for (422 naming the key)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    unknown = [k for k in body if k not in ("name", "filters", "columns", "order_by")]
    for key in unknown:
        errors[key] = [_("unknown key")]
    if "name" in body or not partial:
        name = body.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
            errors["name"] = [_("a name of 1 to %(n)s characters is required", n=MAX_NAME)]
        else:
            out["name"] = name.strip()
    filters = body.get("filters", {})
    if not isinstance(filters, dict) or not all(
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
            for v in filters.values()):
        errors["filters"] = [_("must be an object of parameter → text")]
        filters = {}
    bad = [k for k in filters if k in NOT_FILTERS]
    if bad:
        errors["filters"] = [_("'%(param)s' is not a filter", param=bad[0])]
    columns = body.get("columns", [])
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        errors["columns"] = [_("must be a list of field names")]
    else:
        wrong = [c for c in columns if c in hidden or c not in set(form.field_names) | set(SYSTEM_ATTRIBUTES)]
        if wrong:
            errors["columns"] = [_("unknown field '%(name)s'", name=wrong[0])]
    order_by = body.get("order_by", "")
    if not isinstance(order_by, str):
        errors["order_by"] = [_("must be text")]
        order_by = ""
    if "filters" not in errors and "order_by" not in errors:
        table = ctx.runtime.tables(form.name).table
        expanded = MultiDict([(k, expand(ctx, k, v, form)) for k, v in _pairs(filters)])
        try:
            parse_list_query(ctx, form, table, expanded, hidden)
        except BadRequest as exc:
            errors["filters"] = [exc.message]
        try:
            if order_by:
                parse_list_query(ctx, form, table, {"order_by": order_by}, hidden)
        except BadRequest as exc:
            errors["order_by"] = [exc.message]
    if errors:
        raise ValidationFailed(errors)
    for key in ("filters", "columns", "order_by"):
        if key in body or not partial:
            out[key] = {"filters": filters, "columns": columns, "order_by": order_by}[key]
    return out


def _taken(ctx: Context, form: FormDef, name: str, other_than: int | None = None) -> None:
    """422 at `name` when the user already has a view so named (see also `_name_unique`)."""
    stmt = select(saved_views.c.id).where(saved_views.c.user_name == ctx.user.name,
                                          saved_views.c.form == form.name, saved_views.c.name == name)
    if other_than is not None:
        stmt = stmt.where(saved_views.c.id != other_than)
    if ctx.session.execute(stmt).first() is not None:
        raise _duplicate(name)


def _duplicate(name: str) -> ValidationFailed:
    return ValidationFailed({"name": [_("you already have a view named %(name)s", name=name)]})


@contextmanager
def _name_unique(ctx: Context, name: str) -> Iterator[None]:
    """The write of a view, in a savepoint: the same name saved at the same moment by another
    request (after `_taken` looked) is the same 422 at `name`, not a failed transaction."""
    try:
        with ctx.session.begin_nested():
            yield
    except IntegrityError:
        raise _duplicate(name) from None


def create_view(ctx: Context, form_name: str, body: Mapping[str, Any]) -> dict[str, Any]:
    from .records import readable_form

    form = readable_form(ctx, form_name)
    checked = _checked(ctx, form, body)
    _taken(ctx, form, checked["name"])
    count = ctx.session.execute(select(func.count()).select_from(saved_views).where(
        saved_views.c.user_name == ctx.user.name, saved_views.c.form == form.name)).scalar_one()
    if count >= MAX_VIEWS:
        raise ValidationFailed({"name": [_("at most %(n)s views per list", n=MAX_VIEWS)]})
    params = {k: checked[k] for k in ("filters", "columns", "order_by")}
    with _name_unique(ctx, checked["name"]):
        view_id = ctx.session.execute(insert(saved_views).values(
            user_name=ctx.user.name, form=form.name, name=checked["name"], params=params,
            created_at=ctx.now, updated_at=ctx.now).returning(saved_views.c.id)).scalar_one()
    return _own_body(ctx, form, _own_row(ctx, form, view_id))


def _own_row(ctx: Context, form: FormDef, view_id: int) -> Any:
    """One of the user's own views; another user's (or an unknown one) is 404 alike."""
    row = ctx.session.execute(select(saved_views).where(
        saved_views.c.id == view_id, saved_views.c.user_name == ctx.user.name,
        saved_views.c.form == form.name)).first()
    if row is None:
        raise NotFound(_("no view %(id)s in this list", id=view_id))
    return row


def update_view(ctx: Context, form_name: str, view_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
    """Rename a view and/or change what it holds (the keys given)."""
    from .records import readable_form

    form = readable_form(ctx, form_name)
    row = _own_row(ctx, form, view_id)
    checked = _checked(ctx, form, body, partial=True)
    values: dict[str, Any] = {"updated_at": ctx.now}
    if "name" in checked:
        _taken(ctx, form, checked["name"], other_than=view_id)
        values["name"] = checked["name"]
    params = dict(row.params or {})
    params.update({k: checked[k] for k in ("filters", "columns", "order_by") if k in checked})
    values["params"] = params
    with _name_unique(ctx, values.get("name", "")):
        ctx.session.execute(update(saved_views).where(saved_views.c.id == view_id).values(**values))
    return _own_body(ctx, form, _own_row(ctx, form, view_id))


def delete_view(ctx: Context, form_name: str, view_id: int) -> None:
    from .records import readable_form

    form = readable_form(ctx, form_name)
    _own_row(ctx, form, view_id)
    ctx.session.execute(delete(saved_views).where(saved_views.c.id == view_id))

