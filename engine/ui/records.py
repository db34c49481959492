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
from engine.auth.users import list_users
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
from engine.records.context import Context
from engine.services import records as service
from engine.services.files import store_upload
from engine.services.prints import usable_layouts
from engine.web import engine_state, use_case

bp = Blueprint("records", __name__, url_prefix="/f")


def _users(ctx: Context):
    cache: dict[str | None, list[Any]] = {}
    everyone = [u for u in list_users(ctx.session) if u.active]

    def users(role: str | None) -> list[Any]:
        if role not in cache:
            cache[role] = [u for u in everyone if role is None or role in u.roles]
        return cache[role]
    return users


def _title_of(ctx: Context):
    def title_of(form_name: str) -> str | None:
        target = ctx.app.form(form_name)
        return target.title_field if target else None
    return title_of


def _widget_context(ctx: Context) -> WidgetContext:
    return SimpleNamespace(users=_users(ctx), title_of=_title_of(ctx))


def user_labels(ctx: Context) -> dict[str, str]:
    return {u.name: u.label for u in list_users(ctx.session)}


def list_columns(form: FormDef, hidden: frozenset[str]) -> list[FieldDef]:
    names = form.list.columns or [f.name for f in form.fields if type_of(f).list_column][:5]
    return [f for n in names if (f := form.field(n)) is not None and n not in hidden]


def _query_without(args: Any, *drop: str, **override: Any) -> str:
    params = [(k, v) for k, v in args.items(multi=True) if k not in drop and k not in override]
    params += [(k, v) for k, v in override.items() if v not in (None, "")]
    return urlencode(params)


@bp.get("/<form_name>")
@login_required
def list_page(form_name: str):
    """A form's list (columns, filters, search, sort, pages), or with `view=board` the board by stage of a
    form with a workflow."""
    with use_case() as ctx:
        form = service.readable_form(ctx, form_name)
        hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
        params = {k: v for k, v in request.args.items() if k not in ("lang", "view") and v != ""}
        if request.args.get("view") == "board" and form.workflow:
            params.setdefault("per_page", "200")
        try:
            page = service.list_records(ctx, form.name, _multi(request.args, params, form.workflow is not None))
        except EngineError as exc:
            flash(exc.message, "error")
            page = service.list_records(ctx, form.name, {})
        filters = [f for n in form.list.filters if (f := form.field(n)) is not None and n not in hidden]
        return render_template(
            "records/list.html", form=form, page=page, columns=list_columns(form, hidden), filters=filters,
            chosen_links=_chosen_links(ctx, filters), users=user_labels(ctx), widget_context=_widget_context(ctx),
            args=request.args,
            can_create=ctx.gate.can_create(ctx.user, form),
            query_without=_query_without, view=request.args.get("view", "list"),
            prints=usable_layouts(ctx, form),
        )


def _chosen_links(ctx: Context, filters: list[FieldDef]) -> dict[str, str]:
    """field name → what a link filter's chosen record shows: its title when the user may read
    it, "(no access)" when not (never its title), as link values read everywhere."""
    from engine.records.codec import readable_titles

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


def _store_uploads(ctx: Context, uploads: dict) -> dict[str, int]:
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
    """Create a record of the form."""
    with use_case(write=request.method == "POST") as ctx:
        form = ctx.app.form(form_name)
        if form is None or not ctx.gate.can_create(ctx.user, form):
            abort(404)
        hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
        form = without_hidden_columns(form, hidden)
        shown = [f.name for f in form.fields if f.name not in hidden]
        editable = service.editable_fields(ctx, form, hidden, None)
        readonly = service.readonly_fields(ctx, form, None)
        form_class = build_form_class(form, shown, _widget_context(ctx))
        preset = _preset_links(ctx, form, shown) if request.method == "GET" else None
        data = _defaults(ctx, form)
        if preset:
            data.update(preset["fields"])
        wtform = form_class() if request.method == "POST" else form_class(formdata=None, data=data)
        offer_link_titles(wtform, preset)
        if request.method == "POST" and wtform.validate():
            values, uploads = raw_values(wtform, editable)
            try:
                with ctx.session.begin_nested():
                    values.update(_store_uploads(ctx, uploads))
                    created = service.create_record(ctx, form.name, values, keep_readonly=True)
            except ValidationFailed as exc:
                return _render_edit(form, wtform, None, shown, editable, apply_errors(wtform, exc.fields),
                                    readonly), 422
            flash(_("Saved."), "success")
            if "id" in created and ctx.gate.can(ctx.user, form, "read"):
                return redirect(url_for("records.detail_page", form_name=form.name, record_id=created["id"]))
            return redirect(url_for("records.list_page", form_name=form.name))
        return _render_edit(form, wtform, None, shown, editable, readonly=readonly)


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
    """One record: its fields, related records, the transitions the user may fire, approval progress and
    history."""
    with use_case() as ctx:
        form = service.readable_form(ctx, form_name)
        record = service.get_record(ctx, form.name, record_id)
        history = service.record_history(ctx, form.name, record_id)
        hidden = frozenset(f.name for f in form.fields if f.name not in record["fields"])
        may_edit = (bool(service.editable_fields(ctx, form, hidden, record))
                    and service.may(ctx, form, record_id, "update"))
        may_delete = service.may(ctx, form, record_id, "delete")
        fields = {f.name: f for f in form.fields}
        everyone = list_users(ctx.session)
        flow = workflow_panel(ctx, form, record_id, everyone) if form.workflow else None
        return render_template("records/detail.html", form=form, record=record, history=history,
                               fields=fields, may_edit=may_edit, may_delete=may_delete, flow=flow,
                               related=related_records(ctx, form, record_id),
                               users={u.name: u.label for u in everyone},
                               prints=usable_layouts(ctx, form))


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
            found.append({"form": other, "field": field, "page": page, "columns": columns, "can_create": can_create,
                          "title": other.title if sum(1 for f in other.fields if type_of(f).links
                                                       and f.form == form.name) == 1
                          else f"{other.title}（{field.label}）"})
    return found


def workflow_panel(ctx: Context, form: FormDef, record_id: int, everyone: list[Any]) -> dict[str, Any]:
    """What the detail page offers for a record in a workflow: the transitions the user may
    fire now, their open tasks here, whether they may withdraw, and the approval progress."""
    from engine.services import tasks as task_service
    from engine.services import workflow as workflow_service

    return {
        "transitions": workflow_service.available_transitions(ctx, form.name, record_id),
        "tasks": task_service.open_tasks_on(ctx, form.name, record_id),
        "may_withdraw": workflow_service.may_withdraw(ctx, form.name, record_id),
        "progress": task_service.approval_progress(ctx, form.name, record_id),
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
        form_class = build_form_class(form, shown, _widget_context(ctx))
        data = form_data_from_record(form, record["fields"])
        for field in form.fields:  # an empty line-item table starts with one blank row to fill in
            if field.is_table and field.name in editable and not data.get(field.name):
                data[field.name] = [{}]
        wtform = form_class() if request.method == "POST" else form_class(formdata=None, data=data)
        offer_link_titles(wtform, record)
        if request.method == "POST" and wtform.validate():
            values, uploads = raw_values(wtform, editable)
            for name in [n for n, v in values.items() if v and v == data.get(n) != record["fields"].get(n)]:
                del values[name]  # sent back as shown, which is less than it holds (a time to the minute): kept
            version = request.form.get("version", type=int)
            try:
                with ctx.session.begin_nested():
                    values.update(_store_uploads(ctx, uploads))
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
