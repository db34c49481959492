"""Generated pages for each form: list (and board), detail, create, edit, delete.

Views are thin: they build a WTForms class for what the user may see and edit, hand
the submitted values to the same record services as the API, and put its per-field
errors back next to the fields (nothing the user typed is lost)."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from engine.access.visibility import without_hidden_columns
from engine.auth.users import display_names, list_users
from engine.definitions.model import SYSTEM_TYPES, FieldDef, FormDef
from engine.errors import EngineError, NotFound, PayloadTooLarge, ValidationFailed
from engine.fieldtypes import WidgetContext, type_of
from engine.forms.builder import (
    apply_errors,
    build_form_class,
    form_data_from_record,
    offer_link_titles,
    raw_values,
)
from engine.i18n import _
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.services import records as service
from engine.services.board import board_page
from engine.services.files import store_upload
from engine.services.prints import usable_layouts
from engine.web import engine_state, use_case

from .display import list_cells, record_people, users_shown
from .list_views import chosen_columns, column_of, list_view_args, views_menu, with_system_values

bp = Blueprint("records", __name__, url_prefix="/f")


def _users(ctx: Context):
    """Active users (with `role`), read when a widget first asks (a form without user fields reads none)."""
    cache: dict[str | None, list[Any]] = {}

    def users(role: str | None) -> list[Any]:
        if None not in cache:
            cache[None] = [u for u in list_users(ctx.session) if u.active]
        if role not in cache:
            cache[role] = [u for u in cache[None] if role in u.roles]
        return cache[role]
    return users


def _title_of(ctx: Context):
    def title_of(form_name: str) -> str | None:
        target = ctx.app.form(form_name)
        return target.title_field if target else None
    return title_of


def widget_context(ctx: Context) -> WidgetContext:
    return SimpleNamespace(users=_users(ctx), title_of=_title_of(ctx))


def _titles(ctx: Context):
    """Titles of linked records the user may read, for a form shown again with its errors."""
    def lookup(target: str, ids: set[int]) -> dict[int, str]:
        form = ctx.app.form(target)
        return readable_titles(ctx, form, ids) if form is not None else {}
    return lookup


def user_labels(ctx: Context) -> dict[str, str]:
    return {u.name: u.label for u in list_users(ctx.session)}


def list_columns(form: FormDef, hidden: frozenset[str]) -> list[FieldDef]:
    names = form.list.columns or [f.name for f in form.fields if type_of(f).list_column][:5]
    return [f for n in names if (f := column_of(form, n)) is not None and n not in hidden]


def query_without(args: Any, *drop: str, **override: Any) -> str:
    params = [(k, v) for k, v in args.items(multi=True) if k not in drop and k not in override]
    params += [(k, v) for k, v in override.items() if v not in (None, "")]
    return urlencode(params)


@bp.get("/<form_name>")
@login_required
def list_page(form_name: str):
    """A form's list (columns, filters, search, sort, pages: numbered while the total is exact, else
    keyset links `after=`/`before=`, `page=N` still served; a views menu, `saved=` a view, `columns=`,
    quick filter chips `quick=`, rows selected for bulk edit), or with `view=board` the board by stage of a
    form with a workflow."""
    with use_case() as ctx:
        form = service.readable_form(ctx, form_name)
        hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
        args, view = list_view_args(ctx, form)  # a saved view's filters and sort as if asked for
        params = {k: v for k, v in args.items() if k not in ("lang", "view", "saved", "columns") and v != ""}
        if args.get("view") == "board" and form.workflow:
            params.setdefault("per_page", "200")
        limit = engine_state().settings["ENGINE_EXACT_TOTAL_LIMIT"]
        board = request.args.get("view") == "board" and form.workflow is not None  # as the template decides
        try:
            page = board_page(ctx, form, _multi(args, params), exact_limit=limit) if board else \
                service.list_records(ctx, form.name, _multi(args, params, form.workflow is not None),
                                     exact_limit=limit)
        except EngineError as exc:
            flash(exc.message, "error")
            page = board_page(ctx, form, {}, exact_limit=limit) if board else \
                service.list_records(ctx, form.name, {}, exact_limit=limit)
        filters = [f for n in form.list.filters if (f := form.field(n)) is not None and n not in hidden]
        columns = chosen_columns(form, hidden, args, view)
        page = with_system_values(page, columns)
        users = display_names(ctx.session, users_shown(columns, page["items"]))  # the page's people only
        return render_template(
            "records/list.html", form=form, page=page, columns=columns,
            cells=[] if board else list_cells(form, columns, page["items"], users), filters=filters,
            chosen_links=_chosen_links(ctx, filters), users=users, widget_context=widget_context(ctx),
            args=args, **views_menu(ctx, form, hidden, args, view),
            can_create=ctx.gate.can_create(ctx.user, form),
            query_without=query_without, view=request.args.get("view", "list"),
            prints=usable_layouts(ctx, form), exact_limit=limit,
        )


def _chosen_links(ctx: Context, filters: list[FieldDef]) -> dict[str, str]:
    """field name → what a link filter's chosen record shows: its title when the user may read
    it, "(no access)" when not (never its title), as link values read everywhere."""
    labels = {}
    for field in filters:
        raw = request.args.get(field.name, "")
        target = ctx.app.form(field.form or "") if field.field_type.links else None
        if target is None or not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
            continue
        labels[field.name] = readable_titles(ctx, target, [int(raw)]).get(int(raw)) or _("(no access)")
    return labels


def _multi(args: Any, params: dict[str, str], board: bool = False) -> Any:
    from werkzeug.datastructures import MultiDict

    pairs = [(k, v) for k, v in args.items(multi=True) if k in params and v != ""]
    if board and args.get("view") == "board" and "per_page" not in args:
        pairs.append(("per_page", params["per_page"]))
    return MultiDict(pairs)


def store_uploads(ctx: Context, uploads: dict) -> dict[str, int]:
    limit = engine_state().settings["ENGINE_MAX_UPLOAD"]
    ids = {}
    for name, storage in uploads.items():
        try:
            ids[name] = store_upload(ctx, storage.filename, storage.read(), limit)["id"]
        except PayloadTooLarge as exc:
            raise ValidationFailed({name: [exc.message]}) from None
    return ids


def _render_edit(form: FormDef, wtform: Any, record: dict | None, shown: list[str], editable: list[str],
                 extra_errors: tuple[str, ...] | list[str] = (), readonly: frozenset[str] = frozenset()) -> str:
    """The edit or create page; `readonly`: the user's read-only table columns (`items.price`),
    disabled in every row."""
    expressions = _client_expressions(form, shown, engine_state().runtime().app)
    user = g.get("user")
    offset = datetime.now(engine_state().tzinfo).utcoffset()
    expressions.update(user=user.name if user else None, tz_offset=int(offset.total_seconds() // 60) if offset else 0)
    return render_template("records/edit.html", form=form, wtform=wtform, record=record, shown=shown,
                           editable=set(editable), extra_errors=list(extra_errors), expressions=expressions,
                           readonly=readonly)


def _linked_paths(node: Any, out: set[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        if node.get("t") == "field" and len(node.get("path", ())) == 2:
            out.add(tuple(node["path"]))
        for value in node.values():
            _linked_paths(value, out)
    elif isinstance(node, list):
        for value in node:
            _linked_paths(value, out)


def _client_kind(field: FieldDef | None, name: str) -> str:
    """What the page's scripts read a value as; a system attribute (`created_at`) by its type."""
    known = field or FieldDef(name=name, type=SYSTEM_TYPES.get(name, "text"), label=name, pointer="")
    return type_of(known).client_kind(known)


def _client_expressions(form: FormDef, shown: list[str], app: Any = None) -> dict[str, Any]:
    """Formulas and visible_if conditions as IR for the page's live evaluation; `linked`
    names the linked records' fields they read (the page fetches those records)."""
    out: dict[str, Any] = {"formulas": {}, "visible_if": {}, "precision": {}, "results": {}, "rows": {},
                           "linked": {}}
    for field in form.fields:
        if field.name not in shown:
            continue
        if field.formula is not None:
            out["formulas"][field.name] = field.formula.to_dict()
            out["precision"][field.name] = field.precision
            out["results"][field.name] = type_of(field).client_kind(field)
        if field.visible_if is not None:
            out["visible_if"][field.name] = field.visible_if.to_dict()
        if type_of(field).client_kind(field) == "rows":  # each input's kind is its data-kind
            out["rows"][field.name] = {
                "formulas": {s.name: s.formula.to_dict() for s in field.fields if s.formula is not None},
                "precision": {s.name: s.precision for s in field.fields if s.formula is not None},
                "results": {s.name: type_of(s).client_kind(s) for s in field.fields if s.formula is not None},
                "order": [s.name for s in field.fields if s.formula is not None],
                "columns": [s.name for s in field.fields],
            }
    out["order"] = [f.name for f in form.fields if f.name in out["formulas"]]  # JSON keys get sorted
    paths: set[tuple[str, str]] = set()
    _linked_paths([out["formulas"], out["visible_if"]], paths)
    for link, name in sorted(paths):
        via = form.field(link)
        target = app.form(via.form or "") if app is not None and via is not None and via.field_type.links else None
        column = target.field(name) if target is not None else None
        if target is not None:
            entry = out["linked"].setdefault(link, {"form": target.name, "kinds": {}})
            entry["kinds"][name] = _client_kind(column, name)
    return out


@bp.route("/<form_name>/new", methods=["GET", "POST"])
@login_required
def create_page(form_name: str):
    """Create a record of the form. The submission is checked in a reading transaction and
    written in a short one of its own (on SQLite the write lock is held only for the writes);
    with files, storing them and checking the record against them is part of the write."""
    with use_case() as ctx:
        form = ctx.app.form(form_name)
        if form is None or not ctx.gate.can_create(ctx.user, form):
            abort(404)
        full = form
        hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
        form = without_hidden_columns(form, hidden)
        shown = [f.name for f in form.fields if f.name not in hidden]
        editable = service.editable_fields(ctx, form, hidden, None)
        readonly = service.readonly_fields(ctx, form, None)
        form_class = build_form_class(form, shown, widget_context(ctx))
        preset = _preset_links(ctx, form, shown) if request.method == "GET" else None
        if request.method == "POST":  # the submission; the defaults (a `$user` one asks the database) fill the page
            wtform = form_class()
        else:
            data = _defaults(ctx, form)
            if preset:
                data.update(preset["fields"])
            wtform = form_class(formdata=None, data=data)
        offer_link_titles(wtform, preset, _titles(ctx))
        if request.method != "POST" or not wtform.validate():
            return _render_edit(form, wtform, None, shown, editable, readonly=readonly)
        values, uploads = raw_values(wtform, editable)
        try:
            checked = None if uploads else service.prepare_create(ctx, full, values, keep_readonly=True)
        except ValidationFailed as exc:
            return _render_edit(form, wtform, None, shown, editable, apply_errors(wtform, exc.fields), readonly), 422
        may_read = ctx.gate.can(ctx.user, full, "read")
        g.runtime = ctx.runtime  # the write step uses the definitions the check used
    try:
        with use_case(write=True, now=ctx.now) as ctx:
            if checked is None:
                values.update(store_uploads(ctx, uploads))
                checked = service.prepare_create(ctx, full, values, keep_readonly=True)
            record_id = service.write_created(ctx, full, *checked, alone=True)
    except ValidationFailed as exc:
        return _render_edit(form, wtform, None, shown, editable, apply_errors(wtform, exc.fields), readonly), 422
    except EngineError as exc:
        if exc.status != 409:  # a unique value taken between the check and the write
            raise
        return _render_edit(form, wtform, None, shown, editable, [exc.message], readonly), 409
    flash(_("Saved."), "success")
    if may_read:
        return redirect(url_for("records.detail_page", form_name=form.name, record_id=record_id))
    return redirect(url_for("records.list_page", form_name=form.name))


def _preset_links(ctx: Context, form: FormDef, shown: list[str]) -> dict[str, Any] | None:
    """`/f/visit/new?account=12` (the related-records "new" button) starts with that link
    filled in, when the user may read the target."""
    fields, links = {}, {}
    for field in form.fields:
        raw = request.args.get(field.name, "")
        if not field.field_type.links or field.name not in shown or not raw.isdigit():
            continue
        try:
            target = service.get_record(ctx, field.form or "", int(raw))
        except NotFound:
            continue
        target_form = ctx.app.form(field.form or "")
        fields[field.name] = str(target["id"])
        links[field.name] = (target["fields"].get(target_form.title_field) if target_form and
                             target_form.title_field else None) or f"#{target['id']}"
    return {"fields": fields, "links": links} if fields else None


def _defaults(ctx: Context, form: FormDef) -> dict[str, Any]:
    from engine.records.codec import encode_value
    from engine.records.compute import default_value

    data: dict[str, Any] = {}
    for field in form.fields:
        if field.default is not None and not field.computed:
            data[field.name] = encode_value(field, default_value(field, ctx), ctx)
        if (start := field.field_type.start_value(field)) is not None:  # what create stores
            data[field.name] = encode_value(field, start, ctx)
        if field.is_table:  # start with the rows a user must fill (at least one)
            data[field.name] = [{} for _ in range(max(field.min_rows or 1, 1))]
    return form_data_from_record(form, data)


@bp.get("/<form_name>/<id:record_id>")
@login_required
def detail_page(form_name: str, record_id: int):
    """One record: its fields, related records, the transitions the user may fire (with where an approval
    would go), the route, the earlier approval runs and history."""
    with use_case() as ctx, service.read_once(ctx):  # the workflow panel's parts read the record too
        form = service.readable_form(ctx, form_name)
        shown = service.record_page(ctx, form, record_id)  # the row read once, with the update/delete rules
        record, history = shown["record"], shown["history"]
        hidden = frozenset(f.name for f in form.fields if f.name not in record["fields"])
        may_edit = shown["may"]["update"] and bool(service.editable_fields(ctx, form, hidden, record))
        may_delete = shown["may"]["delete"]
        fields = {f.name: f for f in form.fields}
        related = related_records(ctx, form, record_id)
        if form.workflow:  # whom a task may be handed on to: every user with their roles
            everyone = list_users(ctx.session)
            flow = workflow_panel(ctx, form, record_id, everyone)
            users = {u.name: u.label for u in everyone}
        else:  # the people the page shows, by name (the viewer is known already)
            flow = None
            users = display_names(ctx.session, record_people(form, record, history, related) - {ctx.user.name})
            users[ctx.user.name] = ctx.user.label
        return render_template("records/detail.html", form=form, record=record, history=history,
                               fields=fields, may_edit=may_edit, may_delete=may_delete, flow=flow,
                               related=related, users=users, prints=usable_layouts(ctx, form))


RELATED_ROWS = 10


def related_records(ctx: Context, form: FormDef, record_id: int) -> list[dict[str, Any]]:
    """Records of other forms whose link fields point here (an account's visits, notes,
    tickets...), newest first, as far as the user may read them."""
    found = []
    for other in ctx.gate.readable_forms(ctx.user):
        hidden = ctx.gate.never_visible(ctx.user, other, ctx.local_now)
        for field in other.fields:
            if not type_of(field).links or field.form != form.name or field.name in hidden:
                continue
            page = service.list_records(ctx, other.name, {field.name: str(record_id),
                                                          "per_page": str(RELATED_ROWS), "order_by": "-created_at"})
            can_create = ctx.gate.can_create(ctx.user, other)
            if not page["total"] and not can_create:
                continue
            columns = [c for c in list_columns(other, hidden) if c.name != field.name][:4]
            with_system_values(page, columns)
            found.append({"form": other, "field": field, "page": page, "columns": columns, "can_create": can_create,
                          "title": other.title if sum(1 for f in other.fields if type_of(f).links
                                                       and f.form == form.name) == 1
                          else f"{other.title}（{field.label}）"})
    return found


def workflow_panel(ctx: Context, form: FormDef, record_id: int, everyone: list[Any]) -> dict[str, Any]:
    """What the detail page offers for a record in a workflow: the transitions the user may
    fire now, their open tasks here (and where each may be sent back), whether they may
    withdraw, the route and the earlier approval runs (the route shows the latest)."""
    from engine.services import route as route_service
    from engine.services import tasks as task_service
    from engine.services import workflow as workflow_service

    transitions = workflow_service.available_transitions(ctx, form.name, record_id)
    route = route_service.record_route(ctx, form.name, record_id, transitions)
    on_route = {s["approval"]["run"] for s in route["stages"] if s["approval"] and s["approval"]["run"]}
    return {
        "transitions": transitions,
        "route": route,
        "send_back": route_service.send_back_choices(ctx, form.name, record_id),
        "tasks": task_service.open_tasks_on(ctx, form.name, record_id),
        "may_withdraw": workflow_service.may_withdraw(ctx, form.name, record_id),
        # the route shows each approval stage's latest run: the progress panel the earlier ones
        "progress": [run for run in task_service.approval_progress(ctx, form.name, record_id)
                     if run["id"] not in on_route],
        "stages": {s.name: s.title for s in form.workflow.stages} if form.workflow else {},
        "colleagues": [(u.name, u.label) for u in task_service.hand_on_candidates(ctx, form.name, record_id,
                                                                                   everyone)],
    }


@bp.route("/<form_name>/<id:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_page(form_name: str, record_id: int):
    """Edit a record: the fields editable for the user in its stage."""
    with use_case(write=request.method == "POST") as ctx:
        form = service.readable_form(ctx, form_name)
        record = service.get_record(ctx, form.name, record_id)
        if not service.may(ctx, form, record_id, "update"):
            abort(403)
        shown = list(record["fields"])
        hidden = frozenset(f.name for f in form.fields if f.name not in shown)
        editable = service.editable_fields(ctx, form, hidden, record)
        readonly = service.readonly_fields(ctx, form, record_id)
        form = without_hidden_columns(form, ctx.gate.never_visible(ctx.user, form, ctx.local_now))
        if not editable:
            flash(_("Nothing can be changed in this stage."), "warning")
            return redirect(url_for("records.detail_page", form_name=form.name, record_id=record_id))
        form_class = build_form_class(form, shown, widget_context(ctx))
        data = form_data_from_record(form, record["fields"])
        for field in form.fields:  # an empty line-item table starts with one blank row to fill in
            if field.is_table and field.name in editable and not data.get(field.name):
                data[field.name] = [{}]
        wtform = form_class() if request.method == "POST" else form_class(formdata=None, data=data)
        offer_link_titles(wtform, record, _titles(ctx))
        if request.method == "POST" and wtform.validate():
            values, uploads = raw_values(wtform, editable)
            for name in [n for n, v in values.items() if v and v == data.get(n) != record["fields"].get(n)]:
                del values[name]  # sent back as shown, which is less than it holds (a time to the minute): kept
            version = request.form.get("version", type=int)
            try:
                with ctx.session.begin_nested():
                    values.update(store_uploads(ctx, uploads))
                    service.update_record(ctx, form.name, record_id, version, values, keep_readonly=True)
            except ValidationFailed as exc:
                return _render_edit(form, wtform, record, shown, editable, apply_errors(wtform, exc.fields),
                                    readonly), 422
            except EngineError as exc:
                if exc.status != 409:
                    raise
                return _render_edit(form, wtform, record, shown, editable, [exc.message], readonly), 409
            flash(_("Saved."), "success")
            return redirect(url_for("records.detail_page", form_name=form.name, record_id=record_id))
        return _render_edit(form, wtform, record, shown, editable, readonly=readonly)


@bp.post("/<form_name>/<id:record_id>/delete")
@login_required
def delete_page(form_name: str, record_id: int):
    """Delete a record."""
    try:
        with use_case(write=True) as ctx:
            service.delete_record(ctx, form_name, record_id)
    except NotFound:
        raise
    except EngineError as exc:
        flash(exc.message, "error")
        return redirect(url_for("records.detail_page", form_name=form_name, record_id=record_id))
    flash(_("Deleted."), "success")
    return redirect(url_for("records.list_page", form_name=form_name))
