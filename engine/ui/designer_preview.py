"""The designer's preview: the generated create form, list page, record page and board of a form,
from the admin's draft definitions (the live set when they have no draft), as a user with one role
sees them.

Built with the same pieces as the real pages (the WTForms builder, the record templates, the
gate's hidden fields and the stage rules), inside a read-only transaction: nothing is written,
and the page's save button does nothing. The list shows the first rows the role may read when
the database already has every column the draft's form needs, else sample values from the
field types (marked as samples); the record page shows the newest such row (in the chosen stage),
else a sample record, with the role's transitions and approval actions disabled."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, g, render_template, request
from sqlalchemy import inspect, select

from engine.access.visibility import without_hidden_columns
from engine.auth.users import User
from engine.definitions import AppDef, load_sources
from engine.definitions.model import FieldDef, FormDef, Recipient
from engine.errors import DefinitionError, EngineError
from engine.fieldtypes import type_of
from engine.forms.builder import build_form_class
from engine.i18n import _
from engine.records.context import Context, open_context
from engine.runtime import build_runtime
from engine.services import records as service
from engine.services import tasks as task_service
from engine.services import workflow as workflow_service
from engine.services.designer import texts_of
from engine.store.system import definition_drafts
from engine.ui.display import list_cells
from engine.ui.records import (
    _client_expressions,
    _defaults,
    list_columns,
    query_without,
    user_labels,
    widget_context,
)
from engine.web import engine_state
from engine.web.login import admins_only, resolve_user
from engine.workflows.machine import MachineError, fire

bp = Blueprint("designer_preview", __name__, url_prefix="/admin/designer")

#: Sample rows the list shows when it cannot show stored ones.
SAMPLE_ROWS = 3
#: The views of the preview (board: forms with a workflow only).
VIEWS = ("form", "list", "detail", "board")


bp.before_request(admins_only)


def _draft_texts(db: Any, user_name: str) -> dict[str, str] | None:
    """The canonical texts of the user's draft, None without one."""
    with db.session() as session:
        row = session.execute(select(definition_drafts.c.sources).where(
            definition_drafts.c.user_name == user_name)).first()
    if row is None:
        return None
    texts, problems = texts_of(row.sources)
    if problems:
        raise DefinitionError(problems)
    return texts


def preview_definitions(db: Any, user_name: str) -> tuple[AppDef, bool]:
    """(the definitions to preview, whether they are the user's draft): the draft when they
    have one (DefinitionError when it does not load), else the live set."""
    texts = _draft_texts(db, user_name)
    if texts is None:
        return engine_state().runtime().app, False
    return load_sources(texts), True


@contextmanager
def _as_role(app: AppDef, admin: User, role: str) -> Iterator[Context]:
    """A read-only Context over `app` for the admin acting with only `role`."""
    state = engine_state()
    runtime = build_runtime(app, state.db)
    user = replace(admin, roles=frozenset({role}))
    with open_context(state.db, runtime, user, tzinfo=state.tzinfo, write=False) as ctx:
        yield ctx


@bp.get("/preview/<form_name>")
def preview(form_name: str):
    """Admins: the create form (`view=form`, with `stage=NAME` the fields editable in that stage), the list
    page (`view=list`), a record's page (`view=detail`: the newest stored record the role may read, in
    `stage` when given, else a sample record in `stage` or the initial stage; its transitions and approval
    actions shown disabled, the approval route of the stage) or the board (`view=board`, forms with a
    workflow) of a form as a user with `role` sees it, from the caller's draft (else the live set).
    Writes nothing."""
    admin = g.get("user") or resolve_user()
    if admin is None:
        abort(403)
    state = engine_state()
    try:
        app, is_draft = preview_definitions(state.db, admin.name)
    except DefinitionError as exc:
        return render_template("designer/preview_problems.html", problems=exc.problems), 422
    form = app.form(form_name)
    if form is None:
        abort(404)
    roles = list(app.roles.values())
    role = request.args.get("role") or next((p for p in form.permissions), "admin")
    if role not in app.roles:
        abort(404)
    view = request.args.get("view", "form")
    if view not in VIEWS or (view == "board" and form.workflow is None):
        abort(404)
    stage = request.args.get("stage") or None
    if stage is not None and (form.workflow is None or form.workflow.stage(stage) is None):
        abort(404)
    common = {"preview_role": app.roles[role], "preview_draft": is_draft, "preview_roles": roles,
              "preview_view": view, "preview_stage": stage, "preview_form_name": form.name,
              "preview_stages": form.workflow.stages if form.workflow else ()}
    with _as_role(app, admin, role) as ctx:
        if view in ("list", "board"):
            return _list(ctx, app, form, common)
        if view == "detail":
            return _detail(ctx, form, stage, common)
        return _form(ctx, app, form, stage, common)


def _form(ctx: Context, app: AppDef, form: FormDef, stage: str | None, common: dict[str, Any]) -> str:
    may_create = ctx.gate.can_create(ctx.user, form)
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    form = without_hidden_columns(form, hidden)
    shown = [f.name for f in form.fields if f.name not in hidden]
    record = {"stage": stage} if stage else None
    editable = service.editable_fields(ctx, form, hidden, record) if may_create or stage else []
    wtform = build_form_class(form, shown, widget_context(ctx))(formdata=None, data=_defaults(ctx, form))
    expressions = _client_expressions(form, shown, app)
    offset = datetime.now(ctx.tzinfo).utcoffset()
    expressions.update(user=ctx.user.name, tz_offset=int(offset.total_seconds() // 60) if offset else 0)
    return render_template("designer/preview_form.html", form=form, wtform=wtform, record=None, shown=shown,
                           editable=set(editable), extra_errors=[], expressions=expressions,
                           preview_may=may_create, hidden_fields=_labels(form, hidden), **common,
                           readonly=service.readonly_fields(ctx, form, None, stored=stage is not None))


def _list(ctx: Context, app: AppDef, form: FormDef, common: dict[str, Any]) -> str:
    may_read = ctx.gate.can(ctx.user, form, "read")
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    columns = list_columns(form, hidden)
    filters = [f for n in form.list.filters if (f := form.field(n)) is not None and n not in hidden]
    page, samples = None, True
    board = common["preview_view"] == "board"
    if may_read and _stored(ctx, form):
        try:
            page = service.list_records(ctx, form.name, {"per_page": "200" if board else str(form.list.page_size)})
        except EngineError:
            page = None
        samples = not page or not page["items"]
    if samples:
        items = _sample_items(form, board)
        page = {"items": items, "total": len(items), "page": 1, "per_page": form.list.page_size}
    search = [f.label for n in form.list.search if (f := form.field(n)) is not None and n not in hidden]
    users = user_labels(ctx)
    cells = list_cells(form, columns, page["items"] if page else [], users)
    return render_template(
        "designer/preview_list.html", form=form, page=page, columns=columns, filters=filters, chosen_links={},
        users=users, cells=cells, widget_context=widget_context(ctx),
        args=request.args,
        can_create=ctx.gate.can_create(ctx.user, form), query_without=query_without, view=common["preview_view"],
        preview_samples=samples, preview_may=may_read, preview_search=search,
        hidden_fields=_labels(form, hidden), **common)


def _labels(form: FormDef, names: frozenset[str]) -> list[str]:
    return [f.label for f in form.fields if f.name in names]


def _stored(ctx: Context, form: FormDef) -> bool:
    """Whether the database has the form's table with a column for every field of the draft."""
    table = ctx.runtime.tables(form.name).table
    inspector = inspect(ctx.session.connection())
    if not inspector.has_table(table.name):
        return False
    columns = {c["name"] for c in inspector.get_columns(table.name)}
    return all(f.name in columns for f in form.fields if not f.is_table)


def _sample(field: FieldDef, i: int) -> Any:
    if field.is_table:
        return None
    if field.options:
        return field.options[i % len(field.options)].value
    values = type_of(field).samples[1]
    value = values[i % len(values)] if values else None
    if isinstance(value, dict) and "url" in value:  # a sample file is no stored file: shown without its link
        value = {k: v for k, v in value.items() if k != "url"}
    return value


def _sample_item(form: FormDef, i: int, stage: str | None) -> dict[str, Any]:
    fields = {f.name: _sample(f, i) for f in form.fields}
    links = {f.name: f"#{v}" for f in form.fields if f.field_type.links and (v := fields.get(f.name))}
    return {"id": i + 1, "sample": True, "fields": fields, "links": links, "stage": stage}


def _sample_items(form: FormDef, board: bool = False) -> list[dict[str, Any]]:
    """Sample rows in the initial stage; for the board, one in each stage."""
    if board and form.workflow:
        return [_sample_item(form, i, s.name) for i, s in enumerate(form.workflow.stages)]
    stage = form.workflow.initial if form.workflow else None
    return [_sample_item(form, i, stage) for i in range(SAMPLE_ROWS)]


def _detail(ctx: Context, form: FormDef, stage: str | None, common: dict[str, Any]) -> str:
    may_read = ctx.gate.can(ctx.user, form, "read")
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    record, history, progress = _stored_record(ctx, form, stage) if may_read else (None, [], [])
    if record is None:
        record, history = _sample_record(ctx, form, stage, hidden), []
    stage = record.get("stage")
    stage_def = form.workflow.stage(stage) if form.workflow and stage else None
    flow = None
    if form.workflow is not None:
        flow = {"transitions": _transitions(ctx, form, record), "may_withdraw": False, "colleagues": [],
                "tasks": _role_tasks(ctx, stage_def),
                "progress": progress or _route(ctx, form, stage_def),
                "stages": {s.name: s.title for s in form.workflow.stages}}
    editable = service.editable_fields(ctx, form, hidden, record) if may_read else []
    return render_template(
        "designer/preview_detail.html", form=form, record=record, history=history,
        fields={f.name: f for f in form.fields}, may_edit=bool(editable) and ctx.gate.can(ctx.user, form, "update"),
        related=[],
        may_delete=ctx.gate.can(ctx.user, form, "delete"), flow=flow, users=user_labels(ctx),
        preview_samples=record.get("sample", False), preview_may=may_read, hidden_fields=_labels(form, hidden),
        **common)


def _stored_record(ctx: Context, form: FormDef, stage: str | None) -> tuple[dict | None, list, list]:
    """The newest record the role may read (in `stage` when given), its history and approval
    progress; (None, [], []) when the database cannot show one under the draft."""
    if not _stored(ctx, form):
        return None, [], []
    params = {"per_page": "1", "order_by": "-created_at", **({"stage": stage} if stage else {})}
    try:
        items = service.list_records(ctx, form.name, params)["items"]
        if not items:
            return None, [], []
        record_id = items[0]["id"]
        progress = task_service.approval_progress(ctx, form.name, record_id) if form.workflow else []
        return (service.get_record(ctx, form.name, record_id), service.record_history(ctx, form.name, record_id),
                progress)
    except EngineError:
        return None, [], []


def _sample_record(ctx: Context, form: FormDef, stage: str | None, hidden: frozenset[str]) -> dict[str, Any]:
    """A sample record in `stage` (else the initial one), created by the previewing user now."""
    item = _sample_item(form, 0, stage or (form.workflow.initial if form.workflow else None))
    for field in form.fields:
        if field.is_table:
            item["fields"][field.name] = [{sub.name: _sample(sub, 0) for sub in field.fields}]
    item["fields"] = {n: v for n, v in item["fields"].items() if n not in hidden}
    item.update(created_by=ctx.user.name, created_at=datetime.now(ctx.tzinfo).isoformat(), version=1)
    return item


def _transitions(ctx: Context, form: FormDef, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The transitions the role could fire on the record: for a stored record those whose
    conditions hold now, for a sample those leaving its stage (conditions not evaluated; a
    sample is the role's own record)."""
    if not record.get("sample"):
        try:
            return workflow_service.available_transitions(ctx, form.name, record["id"])
        except EngineError:
            return []
    assert form.workflow is not None
    machine, out = ctx.runtime.machines[form.name], []
    for t in form.workflow.transitions:
        if not (ctx.user.is_admin or "$owner" in t.roles or set(t.roles) & ctx.user.roles):
            continue
        try:
            fire(machine, t.name, record["stage"], lambda: True)
        except MachineError:
            continue
        out.append({"name": t.name, "title": t.title, "to": t.to, "comment_required": t.comment_required,
                    "confirm": t.confirm})
    return out


def _role_tasks(ctx: Context, stage: Any) -> list[dict[str, Any]]:
    """An approval task for each step of the stage the role approves (by role)."""
    if stage is None or stage.approval is None:
        return []
    return [{"id": 0, "step_title": step.title, "due_at": None, "overdue": False} for step in stage.approval.steps
            if any(r.kind == "role" and r.value in ctx.user.roles for r in step.approvers)]


def _route(ctx: Context, form: FormDef, stage: Any) -> list[dict[str, Any]]:
    """The stage's approval steps and who approves each, as one run not yet decided."""
    if stage is None or stage.approval is None:
        return []
    steps = [{"name": s.name, "title": s.title, "mode": s.mode,
              "approvers": _(", ").join(_recipient(ctx, form, r) for r in s.approvers)} for s in stage.approval.steps]
    return [{"id": 0, "stage": stage.name, "stage_title": stage.title, "status": "pending", "tasks": [],
             "submitter": ctx.user.name, "started_at": datetime.now(ctx.tzinfo).isoformat(), "steps": steps}]


def _recipient(ctx: Context, form: FormDef, who: Recipient) -> str:
    role = ctx.app.roles.get(who.value) if who.kind == "role" else None
    field = form.field(who.value) if who.kind in ("field", "manager_of") else None
    label = role.title if role else field.label if field else who.value
    return _("manager of %(field)s", field=label) if who.kind == "manager_of" else label


def preview_banner(role_title: str, is_draft: bool, view: str) -> str:
    """"预览：销售 看到的表单（草稿）" in the reader's language."""
    if view == "detail":
        return (_("Preview: a record's page as %(role)s sees it (draft)", role=role_title) if is_draft
                else _("Preview: a record's page as %(role)s sees it (live definitions)", role=role_title))
    if view == "board":
        return (_("Preview: the board %(role)s sees (draft)", role=role_title) if is_draft
                else _("Preview: the board %(role)s sees (live definitions)", role=role_title))
    if view == "list":
        return (_("Preview: the list %(role)s sees (draft)", role=role_title) if is_draft
                else _("Preview: the list %(role)s sees (live definitions)", role=role_title))
    return (_("Preview: the form %(role)s sees (draft)", role=role_title) if is_draft
            else _("Preview: the form %(role)s sees (live definitions)", role=role_title))


@bp.app_context_processor
def _preview_helpers() -> dict[str, Any]:
    return {"preview_banner": preview_banner}
