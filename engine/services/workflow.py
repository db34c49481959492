"""Workflow use cases: available transitions, fire a transition, withdraw an approval.
Each runs in the caller's single transaction with the record row locked first."""
from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import insert, select, update

from engine.auth.users import SYSTEM_USER
from engine.definitions.model import FieldDef, FormDef, TableCopyDef, TransitionDef, WorkflowDef
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.expressions import ExpressionError, evaluate, evaluate_condition
from engine.fieldtypes import type_of
from engine.i18n import _, each_language
from engine.records.compute import RecordScope, RowScope, default_value
from engine.records.context import Context
from engine.records.validate import prepare_values
from engine.store.db import Database, rowcount
from engine.store.records import StoredRecord, fetch_one
from engine.store.system import incidents, tasks
from engine.workflows import approvals, timers
from engine.workflows.machine import MachineError, fire

from .asking import ask_of_transition, missing_required, write_asked
from .comments import check_length
from .history import write_history
from .records import after_write, create_record, encode_values, load_readable, present, readable_form

log = logging.getLogger(__name__)


def _workflow_form(ctx: Context, form_name: str) -> tuple[FormDef, WorkflowDef]:
    form = readable_form(ctx, form_name)
    if form.workflow is None:
        raise NotFound(f"form '{form.name}' has no workflow")
    return form, form.workflow


def may_fire(ctx: Context, form: FormDef, transition: TransitionDef, record: StoredRecord) -> bool:
    if ctx.user.is_admin:
        return True
    if "$owner" in transition.roles and record.get(form.owner_attribute) == ctx.user.name:
        return True
    return bool(set(transition.roles) & ctx.user.roles)


def _scope(ctx: Context, form: FormDef, record: StoredRecord) -> RecordScope:
    return RecordScope(ctx, form, record.values, record.meta, now=ctx.local_now, user=ctx.user.name)


def condition_holds(ctx: Context, form: FormDef, transition: TransitionDef, record: StoredRecord) -> bool:
    if transition.condition is None:
        return True
    try:
        return evaluate_condition(transition.condition, _scope(ctx, form, record))
    except ExpressionError:
        log.warning("condition of %s.%s failed to evaluate; treated as false", form.name, transition.name)
        return False  # fail closed


def available_transitions(ctx: Context, form_name: str, record_id: int) -> list[dict[str, Any]]:
    form, workflow = _workflow_form(ctx, form_name)
    record, _hidden = load_readable(ctx, form, record_id)
    machine = ctx.runtime.machines[form.name]
    out = []
    for transition in workflow.transitions:
        if not may_fire(ctx, form, transition, record):
            continue
        try:
            target = fire(machine, transition.name, record.meta["stage"],
                          partial(condition_holds, ctx, form, transition, record))
        except MachineError:
            continue
        if target is not None:
            out.append({"name": transition.name, "title": transition.title, "to": transition.to,
                        "comment_required": transition.comment_required, "confirm": transition.confirm,
                        "ask": ask_of_transition(ctx, form, transition, record, _hidden)})
    return out


def fire_transition(ctx: Context, form_name: str, record_id: int, name: str, comment: str | None = None,
                    version: Any = None, fields: Any = None) -> dict[str, Any]:
    """Fire `name` on the record; `fields`: values of its `require`d fields (written with it,
    in the same transaction, with the history)."""
    form, workflow = _workflow_form(ctx, form_name)
    transition = workflow.transition(name)
    if transition is None:
        raise NotFound(f"form '{form.name}' has no transition '{name}'")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ValidationFailed({"version": [_("must be an integer (the version the action is based on)")]})
    record, hidden = load_readable(ctx, form, record_id, lock=True)
    if version is not None and version != record.version:
        raise Conflict(_("record %(id)s was changed by someone else (now version %(version)s)", id=record_id,
                         version=record.version),
                       code="stale_version", current_version=record.version)
    if not may_fire(ctx, form, transition, record):
        raise Forbidden(_("you may not do '%(action)s' on this record", action=transition.title))
    try:
        target = fire(ctx.runtime.machines[form.name], name, record.meta["stage"],
                      lambda: condition_holds(ctx, form, transition, record))
    except MachineError:
        raise Conflict(_("'%(action)s' is not possible in stage %(stage)s", action=transition.title,
                         stage=_stage_title(form, record.meta["stage"])), code="wrong_stage") from None
    if target is None:
        raise Conflict(_("the conditions for '%(action)s' are not met", action=transition.title),
                       code="condition_false")
    if transition.comment_required and not (comment or "").strip():
        raise ValidationFailed({"comment": [_("required")]})
    check_length((comment or "").strip())
    _run_transition(ctx, form, transition, record, hidden, target, comment, fields=fields)
    fresh, fresh_hidden = load_readable(ctx, form, record_id)
    return present(ctx, form, fresh, fresh_hidden)


def fire_for_linked(ctx: Context, form: FormDef, record_id: int, name: str, via: dict[str, Any]) -> bool:
    """`update_linked` `transition`: fire `name` on this record as the system, in the caller's
    transaction, when it is available from the record's current stage and its condition holds
    (else nothing; False). The history entry names `via` ({"form", "id"}) as the cause."""
    workflow = form.workflow
    transition = workflow.transition(name) if workflow is not None else None
    if transition is None:
        return False
    system = ctx.acting_as(SYSTEM_USER)
    record = fetch_one(system.session, form, system.runtime.tables(form.name), record_id, lock=True)
    if record is None:
        return False
    try:
        target = fire(system.runtime.machines[form.name], name, record.meta["stage"],
                      lambda: condition_holds(system, form, transition, record))
    except MachineError:
        return False
    if target is None:
        return False
    _run_transition(system, form, transition, record, frozenset(), target, None, via=via)
    return True


def _run_transition(ctx: Context, form: FormDef, transition: TransitionDef, record: StoredRecord,
                    hidden: frozenset[str], target: str, comment: str | None,
                    via: dict[str, Any] | None = None, fields: Any = None) -> None:
    """Fire a transition already allowed on the locked record: the asked `fields`, its `set`,
    `require`, `create`, the move and its history."""
    name = transition.name
    record_id = record.id
    before = dict(record.values)
    asked = write_asked(ctx, form, transition.require, fields, record, hidden,
                        _("not asked by this transition"), skip=transition.set)
    changes = {**asked, **_apply_set(ctx, form, transition, record, hidden)}
    missing = missing_required(form, transition.require, record,
                               _("required for '%(action)s'", action=transition.title))
    if missing:
        raise ValidationFailed(missing)
    pending = approvals.pending_approval(ctx, form.name, record_id)
    if pending is not None:  # leaving an approval stage by a transition (e.g. cancel) ends the approval
        approvals.finish(ctx, pending["id"], "cancelled")
    if transition.create is not None:
        created = _create_linked(ctx, form, transition, record)
    else:
        created = None
    move_record(ctx, form, record, target, action="transition", changes=changes, before=before,
                details={"transition": name, "title": each_language(transition.title), "comment": comment or None,
                         **({"created": created} if created else {}), **({"via": via} if via else {})})


def _stage_title(form: FormDef, stage: str | None) -> str:
    found = form.workflow.stage(stage) if form.workflow and stage else None
    return found.title if found else str(stage)


def _apply_set(ctx: Context, form: FormDef, transition: TransitionDef, record: StoredRecord,
               hidden: frozenset[str]) -> dict[str, Any]:
    """Values of `set`, applied to the record's values with the same validation as an edit
    (required fields are checked again); returns {field: new value} of what changed."""
    incoming = {}
    for field_name, expr in transition.set.items():
        try:
            incoming[field_name] = evaluate(expr, _scope(ctx, form, record))
        except ExpressionError as exc:
            raise ValidationFailed({field_name: [exc.message]}) from None
    ctx.editing = (form.name, record.id)
    values, changed = prepare_values(ctx, form, incoming, current=record.values, meta=record.meta,
                                     hidden=frozenset(), editable=lambda f: None)
    record.values.update({k: values[k] for k in changed})
    return {k: values[k] for k in changed}


def _create_linked(ctx: Context, form: FormDef, transition: TransitionDef, record: StoredRecord) -> dict[str, Any]:
    create = transition.create
    assert create is not None
    target = ctx.app.form(create.form)
    if target is None:
        raise NotFound(f"no form '{create.form}'")
    fields: dict[str, Any] = {}
    for field_name, expr in create.set.items():
        table = target.field(field_name)
        if table is not None and table.is_table:
            continue
        try:
            fields[field_name] = evaluate(expr, _scope(ctx, form, record))
        except ExpressionError as exc:
            raise ValidationFailed({f"create.{field_name}": [exc.message]}) from None
    for table in target.fields:
        copy = create.table_copy(table.name, table) if table.is_table else None
        if copy is not None:
            fields[table.name] = _copied_rows(ctx, form, record, table, copy)
    created = create_record(ctx, create.form, fields, system=True)
    return {"form": create.form, "id": created["id"]}


def _source_rows(ctx: Context, form: FormDef, record: StoredRecord,
                 path: tuple[str, ...]) -> tuple[FieldDef, list[dict[str, Any]]]:
    """The table a copy reads and its rows: the record's own (`items`), or, read as the system,
    those of the record a link points at (`link.items`; none when the link is empty)."""
    if len(path) == 1:
        table = form.field(path[0])
        assert table is not None
        return table, list(record.values.get(path[0]) or [])
    link = form.field(path[0])
    linked_form = ctx.app.form(link.form or "") if link is not None else None
    assert linked_form is not None
    table = linked_form.field(path[1])
    assert table is not None
    linked_id = record.values.get(path[0])
    if linked_id is None:
        return table, []
    linked = fetch_one(ctx.session, linked_form, ctx.runtime.tables(linked_form.name), linked_id)
    return table, list(linked.values.get(path[1]) or []) if linked is not None else []


def _copied_rows(ctx: Context, form: FormDef, record: StoredRecord, target: FieldDef,
                 copy: TableCopyDef) -> list[dict[str, Any]]:
    """The rows a created record's table field takes: columns by equal name (as the API writes
    them; computed columns are recomputed on create, file columns are not copied, the others get
    their default), then `set` over each source row."""
    source, rows = _source_rows(ctx, form, record, copy.source)
    out = []
    for i, row in enumerate(rows):
        new: dict[str, Any] = {}
        for column in target.fields:
            found = source.subfield(column.name)
            if found is None or column.computed or not column.field_type.settable or column.name in copy.set \
                    or row.get(column.name) is None:  # a file stays with its record
                continue
            new[column.name] = type_of(found).encode(found, row[column.name], ctx)
        for column in target.fields:  # the other columns get their default
            if column.name not in new and column.name not in copy.set and not column.computed \
                    and (default := default_value(column, ctx)) is not None:
                new[column.name] = type_of(column).encode(column, default, ctx)
        scope = RowScope(source, row, now=ctx.local_now, user=ctx.user.name)
        for name, expr in copy.set.items():
            try:
                new[name] = evaluate(expr, scope)
            except ExpressionError as exc:
                raise ValidationFailed({f"create.{target.name}.{i}.{name}": [exc.message]}) from None
        out.append(new)
    return out


def move_record(ctx: Context, form: FormDef, record: StoredRecord, to_stage: str, *, action: str,
                details: dict[str, Any], changes: dict[str, Any] | None = None,
                before: dict[str, Any] | None = None, actor: str | None = None) -> None:
    """Put the locked record into `to_stage` (with any field changes) in one versioned UPDATE,
    write history, and run what entering the stage starts (an approval)."""
    workflow = form.workflow
    assert workflow is not None
    stage = workflow.stage(to_stage)
    assert stage is not None
    tables = ctx.runtime.tables(form.name)
    from_stage = record.meta["stage"]
    due_at: datetime | None = ctx.now + stage.due if stage.due else None
    columns = {k: v for k, v in (changes or {}).items() if k in tables.table.c}
    result = ctx.session.execute(
        update(tables.table).where(tables.table.c.id == record.id, tables.table.c.version == record.version)
        .values(stage=to_stage, version=record.version + 1, updated_at=ctx.now, due_at=due_at, **columns))
    if rowcount(result) != 1:
        raise Conflict(_("record %(id)s was changed by someone else", id=record.id), code="stale_version")
    from engine.store.records import write_children

    for name in tables.children:
        if changes and name in changes:
            write_children(ctx.session, tables, name, record.id, changes[name] or [])
    encoded_changes = []
    if changes:
        old = encode_values(ctx, form, before or {}, set(changes))
        new = encode_values(ctx, form, changes, set(changes))
        encoded_changes = [{"field": k, "old": old.get(k), "new": new.get(k)} for k in changes]
    write_history(ctx.session, form.name, record.id, actor or ctx.user.name, action,
                  {**details, "from": from_stage, "to": to_stage,
                   **({"changes": encoded_changes} if encoded_changes else {})}, ctx.now)
    record.meta.update(stage=to_stage, version=record.version + 1, updated_at=ctx.now, due_at=due_at)
    timers.on_stage_entry(ctx, form, record.id, stage, due_at)
    if changes:  # what a change of the fields does besides the row (files, reminders, synced copies, rollups)
        after_write(ctx, form, record.id, before or {}, {**(before or {}), **changes}, record.meta, set(changes))
    else:  # the reminders on the record's system dates
        timers.plan_date_reminders(ctx, form, record.id, record.values, record.meta)
    if stage.approval is not None:
        outcome = approvals.start(ctx, form, record, stage, return_stage=from_stage)
        if outcome.status == "approved":  # every step skipped or already approved
            move_record(ctx, form, record, stage.approval.approved, action="approval",
                        details={"result": "approved"}, actor=approvals.SYSTEM)


def withdraw(ctx: Context, form_name: str, record_id: int) -> dict[str, Any]:
    form, _workflow = _workflow_form(ctx, form_name)
    record, _hidden = load_readable(ctx, form, record_id, lock=True)
    pending = approvals.pending_approval(ctx, form.name, record_id)
    check_withdrawable(ctx, pending)
    assert pending is not None
    approvals.finish(ctx, pending["id"], "withdrawn", closing="withdrawn")
    move_record(ctx, form, record, pending["return_stage"], action="withdraw", details={})
    fresh, hidden = load_readable(ctx, form, record_id)
    return present(ctx, form, fresh, hidden)


def check_withdrawable(ctx: Context, pending: Any) -> None:
    """The withdraw rule, for the action and for the pages that offer it: an approval in
    progress, asked for by the user (or an admin), on which no approver has acted yet."""
    if pending is None:
        raise Conflict(_("there is no approval in progress to withdraw"), code="no_approval")
    if pending["submitter"] != ctx.user.name and not ctx.user.is_admin:
        raise Forbidden(_("only the submitter may withdraw"))
    acted = ctx.session.execute(select(tasks.c.id).where(
        tasks.c.approval_id == pending["id"], tasks.c.status.in_(("approved", "rejected", "sent_back")),
        tasks.c.acted_by != approvals.SYSTEM)).first()
    if acted is not None:
        raise Conflict(_("an approver has already acted; it can no longer be withdrawn"), code="already_acted")


def may_withdraw(ctx: Context, form_name: str, record_id: int) -> bool:
    """Whether `withdraw` would take this record's approval back now (the record is readable)."""
    try:
        check_withdrawable(ctx, approvals.pending_approval(ctx, form_name, record_id))
    except (Conflict, Forbidden):
        return False
    return True


def record_incident(db: Database, kind: str, form: str, record_id: int, message: str, now: datetime) -> None:
    """Written in its own transaction: the action that met the problem was rolled back."""
    with db.transaction() as session:
        session.execute(insert(incidents).values(kind=kind, form=form, record_id=record_id, message=message,
                                                 created_at=now))
