"""The list page's views menu, columns chooser and quick filter chips, the pages that save,
rename and delete a user's own views, and the bulk edit page (select rows → 批量修改 →
fields and values → result). All of it goes through services.views and services.bulk_edit,
the same as the API."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.definitions.model import QUICK_FILTERS, SYSTEM_LABELS, SYSTEM_TYPES, FieldDef, FormDef
from engine.errors import EngineError, NotFound, ValidationFailed
from engine.fieldtypes import type_of
from engine.i18n import N_, _
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.services import bulk_edit
from engine.services import records as record_service
from engine.services import views as service
from engine.web import use_case

bp = Blueprint("list_views", __name__, url_prefix="/f")

QUICK_LABELS = {"mine": N_("My records"), "this_month": N_("This month"), "overdue": N_("Overdue")}


def list_view_args(ctx: Context, form: FormDef) -> tuple[Any, dict[str, Any] | None]:
    """The page's parameters with a saved view (`saved=`) applied (the view's filters and sort,
    the request's own values winning; `saved` kept so links stay in the view), and the view."""
    ref = request.args.get("saved", "").strip()
    if not ref:
        return request.args, None
    try:
        resolved, view = service.resolve(ctx, form, request.args)
    except NotFound:
        abort(404)
    resolved.add("saved", ref)
    return resolved, view


#: System attributes a list shows as columns of their own (the stage has its own column already).
SYSTEM_COLUMNS = tuple(name for name in SYSTEM_TYPES if name != "stage")


def column_of(form: FormDef, name: str) -> FieldDef | None:
    """The field a list column `name` shows: the form's field, else a stand-in for a system
    attribute (created_at, updated_at, due_at read as datetimes in ENGINE_TIMEZONE, created_by as
    the user's name, id and version as numbers) labelled in the reader's language."""
    field = form.field(name)
    if field is None and name in SYSTEM_COLUMNS:
        return FieldDef(name=name, type=SYSTEM_TYPES[name], label=_(SYSTEM_LABELS[name]), pointer="")
    return field


def with_system_values(page: dict[str, Any], columns: list[FieldDef]) -> dict[str, Any]:
    """The page's items with the system attributes shown as columns among their `fields` (where
    cells read values; the API keeps them at the top of each item, as encoded: datetimes in
    ENGINE_TIMEZONE)."""
    names = [c.name for c in columns if c.name in SYSTEM_COLUMNS]  # no field has a system attribute's name
    for item in page["items"] if names else ():
        item["fields"] = {**item["fields"], **{name: item.get(name) for name in names}}
    return page


def chosen_columns(form: FormDef, hidden: frozenset[str], args: Any, view: dict[str, Any] | None) -> list[FieldDef]:
    """`columns=a,b` (the columns chooser), else the view's, else the list's; never a hidden one."""
    from .records import list_columns

    raw = ",".join(args.getlist("columns")) if hasattr(args, "getlist") else str(args.get("columns") or "")
    names = [n.strip() for n in raw.split(",") if n.strip()] or list((view or {}).get("columns") or [])
    shown = [f for n in names if (f := column_of(form, n)) is not None and n not in hidden and type_of(f).list_column]
    return shown or list_columns(form, hidden)


def _href(args: Any, drop: tuple[str, ...] = (), **override: str) -> str:
    pairs = [(k, v) for k, v in args.items(multi=True) if k not in drop and k not in override and k != "page"]
    pairs += [(k, v) for k, v in override.items() if v]
    return "?" + urlencode(pairs)


def _quick_chips(ctx: Context, form: FormDef, hidden: frozenset[str], args: Any) -> list[dict[str, Any]]:
    active = [p.strip() for v in args.getlist("quick") for p in v.split(",") if p.strip()]
    names = [n for n in QUICK_FILTERS
             if (n != "mine" or form.owner_attribute not in hidden) and (n != "overdue" or form.workflow)]
    chips = []
    for name in names:
        chosen = [n for n in active if n != name] if name in active else [*active, name]
        chips.append({"name": name, "label": _(QUICK_LABELS[name]), "active": name in active,
                      "href": _href(args, ("quick",), quick=",".join(chosen))})
    return chips


def views_menu(ctx: Context, form: FormDef, hidden: frozenset[str], args: Any,
               view: dict[str, Any] | None) -> dict[str, Any]:
    """What the list template needs for the views menu, chips, columns chooser and bulk edit."""
    from .records import list_columns

    listed = service.list_views(ctx, form.name)["items"]
    columns = chosen_columns(form, hidden, args, view)
    default = [c.name for c in list_columns(form, hidden)]
    return {
        "shared_views": [v for v in listed if v["shared"]],
        "own_views": [v for v in listed if not v["shared"]],
        "current_view": view,
        "quick_chips": _quick_chips(ctx, form, hidden, args),
        "column_choices": [f for f in form.fields if f.name not in hidden and type_of(f).list_column],
        "shown_columns": [c.name for c in columns],
        "save_filters": json.dumps(_filters_to_save(ctx, form, args, view), ensure_ascii=False),
        "save_columns": ",".join(c.name for c in columns) if [c.name for c in columns] != default else "",
        "save_order": args.get("order_by", ""),
        "can_bulk": ctx.gate.can(ctx.user, form, "update"),
    }


def _filters_to_save(ctx: Context, form: FormDef, args: Any, view: dict[str, Any] | None) -> dict[str, Any]:
    """The filters of the list as shown, for "save current view as…": a value that is still the
    open view's own keeps the view's placeholder (`$month_start` stays, not today's date)."""
    raw = dict((view or {}).get("filters") or {})
    filters: dict[str, Any] = {}
    for key, value in args.items(multi=True):
        if key in service.NOT_FILTERS or value == "":
            continue
        if key in raw and isinstance(raw[key], str) and service.expand(ctx, key, raw[key], form) == value:
            value = raw[key]
        filters[key] = [*filters[key], value] if isinstance(filters.get(key), list) else (
            [filters[key], value] if key in filters else value)
    return filters


def _back(form_name: str, **params: Any):
    return redirect(url_for("records.list_page", form_name=form_name, **{k: v for k, v in params.items() if v}))


@bp.post("/<form_name>/views")
@login_required
def save_view(form_name: str):
    """Save the list as it is shown (filters, columns, sort) as one of the user's own views, under a name."""
    try:
        filters = json.loads(request.form.get("filters") or "{}")
    except ValueError:
        filters = None
    columns = [c for c in (request.form.get("columns") or "").split(",") if c]
    body = {"name": request.form.get("name", ""), "filters": filters, "columns": columns,
            "order_by": request.form.get("order_by", "")}
    try:
        with use_case(write=True) as ctx:
            view = service.create_view(ctx, form_name, body)
    except ValidationFailed as exc:
        flash("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items()), "error")
        return redirect(request.referrer or url_for("records.list_page", form_name=form_name))
    flash(_("View saved."), "success")
    return _back(form_name, saved=view["id"])


@bp.post("/<form_name>/views/<id:view_id>/rename")
@login_required
def rename_view(form_name: str, view_id: int):
    """Rename one of the user's own views."""
    try:
        with use_case(write=True) as ctx:
            service.update_view(ctx, form_name, view_id, {"name": request.form.get("name", "")})
    except ValidationFailed as exc:
        flash("; ".join(" ".join(v) for v in exc.fields.values()), "error")
    return _back(form_name, saved=view_id)


@bp.post("/<form_name>/views/<id:view_id>/delete")
@login_required
def delete_view(form_name: str, view_id: int):
    """Delete one of the user's own views."""
    with use_case(write=True) as ctx:
        service.delete_view(ctx, form_name, view_id)
    flash(_("View deleted."), "success")
    return _back(form_name)


# -- bulk edit ---------------------------------------------------------------------------


def bulk_fields(ctx: Context, form: FormDef) -> list[FieldDef]:
    """The fields a bulk edit offers: seen by the user, stored, not read-only for them, single
    values (tables and files are edited one record at a time). Each record still checks the
    change as a single edit would."""
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    readonly = ctx.gate.readonly_everywhere(ctx.user, form)
    return [f for f in form.fields if f.name not in hidden and f.name not in readonly and not f.computed
            and not f.readonly and not f.is_table and not f.field_type.holds_file]


def _ids(raw: str) -> tuple[list[int], str | None]:
    """`ids=1,2,3` → the record ids, or a message saying what is wrong with them."""
    parts = [p for p in raw.replace(" ", "").split(",") if p]
    if any(not (p.isascii() and p.isdigit() and 0 < len(p) < 19 and int(p) > 0) for p in parts):
        return [], _("The chosen records must be record ids separated by commas.")
    ids = list(dict.fromkeys(int(p) for p in parts))
    if len(ids) > bulk_edit.MAX_BULK:
        return [], _("At most %(n)s records can be changed at once; %(chosen)s were chosen.",
                     n=bulk_edit.MAX_BULK, chosen=len(ids))
    return ids, None


@bp.route("/<form_name>/bulk", methods=["GET", "POST"])
@login_required
def bulk_page(form_name: str):
    """Bulk edit the selected records (`ids=1,2,3`): choose fields and their values; all records change
    or none, and refused records are listed with their reasons."""
    from engine.forms.builder import build_form_class, raw_values

    from .records import widget_context

    ids, wrong_ids = _ids(request.values.get("ids", ""))
    if wrong_ids:
        flash(wrong_ids, "error")
    posted = request.method == "POST" and not wrong_ids
    refused: dict[str, Any] = {}
    with use_case() as ctx:
        form = record_service.readable_form(ctx, form_name)
        offered = bulk_fields(ctx, form)
        chosen = [f.name for f in offered if f.name in request.form.getlist("use")]
        titles = readable_titles(ctx, form, ids)
        form_class = build_form_class(form, chosen if posted else [f.name for f in offered], widget_context(ctx))
        wtform = form_class() if posted else form_class(formdata=None)
    status = 422 if wrong_ids else 200
    if posted:
        if not ids or not chosen:
            flash(_("Choose records and at least one field."), "error")
            status = 422
        elif wtform.validate():
            values, _uploads = raw_values(wtform, chosen)
            try:
                with use_case(write=True) as ctx:
                    result = bulk_edit.bulk_update(ctx, form_name, ids, values)
            except bulk_edit.BulkRefused as exc:
                refused = exc.records
                flash(exc.message, "error")
                status = 422
            except ValidationFailed as exc:
                flash("; ".join(" ".join(v) for v in exc.fields.values()), "error")
                status = 422
            except EngineError as exc:
                flash(exc.message, "error")
                status = exc.status if 400 <= exc.status < 500 else 422
            else:
                flash(_("%(n)s records changed.", n=result["updated"]), "success")
                return redirect(url_for("records.list_page", form_name=form_name))
        else:
            status = 422
        with use_case() as ctx:
            form_class = build_form_class(form, [f.name for f in offered], widget_context(ctx))
            shown = form_class()
    else:
        shown = wtform
    field_labels = {f.name: f.label for f in form.fields}
    return render_template("records/bulk.html", form=form, ids=ids, titles=titles, offered=offered, wtform=shown,
                           chosen=set(chosen), refused=refused, field_labels=field_labels), status

