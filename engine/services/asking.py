"""What an action asks its user for before it can be done: the
`require`d fields of a transition or of an approval step that are still empty, and the comment a
transition with `comment_required` or a rejection needs. The ask form (page and dialog) shows
exactly these; the actions themselves (`fire_transition`, `decide`) check them again."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.access.visibility import without_hidden_columns
from engine.definitions.model import FieldDef, FormDef, StepDef, TransitionDef
from engine.errors import Conflict, NotFound, ValidationFailed
from engine.i18n import _
from engine.records.context import Context
from engine.records.validate import prepare_values
from engine.store.records import StoredRecord, update_record_row

from .records import after_write, edit_refusal, encode_values, get_record, load_readable, readable_form, readonly_rows

# -- the fields an action asks for (require) ---------------------------------------------


class FieldsRequired(ValidationFailed):
    """An action's `require`d fields are empty and none were given (a batch cannot ask)."""

    code = "fields_required"


def _unseen(ctx: Context, form: FormDef, hidden: frozenset[str]) -> frozenset[str]:
    return hidden | ctx.gate.never_visible(ctx.user, form, ctx.local_now)


def _readonly_for(ctx: Context, form: FormDef, record_id: int) -> frozenset[str]:
    """The caller's read-only fields in the record (their roles' `readonly`): as an edit sees
    them; for a caller no role of whom grants update, those all their roles list."""
    perms = ctx.gate.permissions(ctx.user, form)
    if any(p.rule("update").grants for p in perms):
        return ctx.gate.readonly_in_record(ctx.session, ctx.user, form, record_id, ctx.local_now)
    return frozenset.intersection(*(p.readonly for p in perms)) if perms else frozenset()


def _ask_refusal(ctx: Context, form: FormDef, record: StoredRecord,
                 hidden: frozenset[str]) -> Callable[[FieldDef], str | None]:
    """Why the caller may not fill an asked field (None when they may): the edit's rule
    (`edit_refusal`) without the stage's `editable` (the definition asks for the field), and
    neither a field hidden from them nor a computed one."""
    unseen = _unseen(ctx, form, hidden)
    edit = edit_refusal(None, unseen, _readonly_for(ctx, form, record.id))

    def reason(field: FieldDef) -> str | None:
        if field.name in unseen:
            return _("unknown field")
        if field.computed:
            return _("is computed and cannot be set")
        return edit(field)
    return reason


def _empty(value: Any) -> bool:
    return value in (None, "", [])


def asked_fields(ctx: Context, form: FormDef, names: tuple[str, ...], record: StoredRecord,
                 hidden: frozenset[str], skip: Any = ()) -> list[str]:
    """Of the `require`d `names` (less `skip`: what the action sets itself), those an ask form
    offers the caller: still empty in the record, and the caller may fill them."""
    if not any(_empty(record.values.get(name)) and name not in skip for name in names):
        return []
    reason = _ask_refusal(ctx, form, record, hidden)
    out = []
    for name in names:
        field = form.field(name)
        if field is None or name in skip or not _empty(record.values.get(name)) or reason(field) is not None:
            continue
        out.append(name)
    return out


def ask_of_transition(ctx: Context, form: FormDef, transition: TransitionDef, record: StoredRecord,
                      hidden: frozenset[str]) -> dict[str, Any] | None:
    """What firing the transition asks the caller for: `{"comment": bool, "fields": [names]}`,
    or None when it asks for nothing."""
    fields = asked_fields(ctx, form, transition.require, record, hidden, skip=transition.set)
    if not fields and not transition.comment_required:
        return None
    return {"comment": transition.comment_required, "fields": fields}


def write_asked(ctx: Context, form: FormDef, names: tuple[str, ...], given: Any, record: StoredRecord,
                hidden: frozenset[str], not_asked: str, skip: Any = ()) -> dict[str, Any]:
    """Apply `given` ({field: value} sent for an action's `require`d `names`) to the locked
    record's values, validated as an edit (types, required, links, unique). Only what the ask
    form asks (`asked_fields`) is taken: a field not in `names` (or in `skip`) is refused with
    `not_asked`, one already filled as "already filled" (changing it is an edit, with the edit's
    rights), a hidden or read-only one as an edit refuses it.
    Returns {field: new value} of what changed (the caller writes it with its history)."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise ValidationFailed({"fields": [_("must be an object of field values")]})
    unseen = _unseen(ctx, form, hidden)
    errors: dict[str, list[str]] = {}
    for key in given:
        if key in unseen:
            errors[key] = [_("unknown field")]
        elif key not in names or key in skip:
            errors[key] = [not_asked]
        elif not _empty(record.values.get(key)):
            errors[key] = [_("already filled: to change it, edit the record")]
    if errors:
        raise ValidationFailed(errors)
    ctx.editing = (form.name, record.id)
    readonly = _readonly_for(ctx, form, record.id)
    values, changed = prepare_values(ctx, form, given, current=record.values, meta=record.meta, hidden=unseen,
                                     editable=_ask_refusal(ctx, form, record, hidden),
                                     check_rows=readonly_rows(ctx, readonly))
    record.values.update({k: values[k] for k in changed})
    return {k: values[k] for k in changed}


def missing_required(form: FormDef, names: tuple[str, ...], record: StoredRecord, message: str) -> dict[str, list]:
    return {name: [message] for name in names if _empty(record.values.get(name))}


def step_ask(ctx: Context, form: FormDef, step: StepDef, record: StoredRecord,
             hidden: frozenset[str]) -> list[str]:
    """The `require`d fields of an approval step the approver is asked to fill (still empty)."""
    return asked_fields(ctx, form, step.require, record, hidden)


def write_step_fields(ctx: Context, form: FormDef, step: StepDef, record: StoredRecord, hidden: frozenset[str],
                      fields: Any) -> list[dict[str, Any]]:
    """Approving at a step with `require`: write the approver's `fields` (only those the step
    asks) to the locked record, then check that every required field is filled (none given and
    some empty: `fields_required`, what a batch approval answers, naming them). Returns the
    changes as the history lists them."""
    if not step.require and fields is None:
        return []
    before = dict(record.values)
    changes = write_asked(ctx, form, step.require, fields, record, hidden, _("not asked by this step"))
    missing = missing_required(form, step.require, record,
                               _("required to approve at '%(step)s'", step=step.title))
    if missing and fields is None:  # nothing given (a batch): say which fields the step still needs
        labels = ", ".join(field.label for name in missing if (field := form.field(name)) is not None)
        raise FieldsRequired(missing, _("to approve at '%(step)s', fill in first: %(fields)s", step=step.title,
                                        fields=labels))
    if missing:
        raise ValidationFailed(missing)
    if not changes:
        return []
    tables = ctx.runtime.tables(form.name)
    if not update_record_row(ctx.session, tables, record.id, record.version, changes, ctx.now):
        raise Conflict(_("record %(id)s was changed by someone else", id=record.id), code="stale_version")
    record.meta.update(version=record.version + 1, updated_at=ctx.now)
    after_write(ctx, form, record.id, before, record.values, record.meta, set(changes))
    old = encode_values(ctx, form, before, set(changes))
    new = encode_values(ctx, form, changes, set(changes))
    return [{"field": k, "old": old.get(k), "new": new.get(k)} for k in form.field_names if k in changes]


def describe_asked(ctx: Context, form_name: str, record_id: int, asks: list[dict[str, Any]],
                   describe: Callable[[FieldDef, frozenset[str]], dict[str, Any]]) -> None:
    """Asked field names in `asks` → their definitions as the caller sees them (`describe`: the
    API's field description), each with the current value."""
    record = get_record(ctx, form_name, record_id)
    form = readable_form(ctx, form_name)
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    shown = without_hidden_columns(form, hidden)
    for ask in asks:
        ask["fields"] = [{**describe(field, hidden), "value": record["fields"].get(name)}
                         for name in ask["fields"] if (field := shown.field(name)) is not None]


# -- what the pages ask ------------------------------------------------------------------


#: Task actions that may ask for something: approve (the step's fields) and reject (the comment).
ASKING_ACTIONS = ("approve", "reject")


def transition_ask(ctx: Context, form_name: str, record_id: int, name: str) -> dict[str, Any]:
    """What firing `name` on the record asks the caller now: `{"form", "transition", "record",
    "hidden", "available", "fields": [names], "comment": bool}`; `available` False
    (with `reason`) when the caller may not fire it now."""
    form = readable_form(ctx, form_name)
    if form.workflow is None or (transition := form.workflow.transition(name)) is None:
        raise NotFound(f"form '{form_name}' has no transition '{name}'")
    record, hidden = load_readable(ctx, form, record_id)
    from .workflow import available_transitions  # the actions use this module: imported when asked

    found = next((t for t in available_transitions(ctx, form.name, record_id) if t["name"] == name), None)
    ask = (found or {}).get("ask") or {"comment": transition.comment_required, "fields": []}
    return {"form": form, "transition": transition, "record": record, "hidden": hidden,
            "available": found is not None,
            "reason": None if found is not None else _why_not(ctx, form, record, record.meta["stage"], transition.to,
                                                              [transition]),
            "fields": ask["fields"], "comment": ask["comment"]}


def needs_asking(ask: dict[str, Any], comment: str | None) -> bool:
    """Whether an action posted without its ask form must show the form first."""
    return bool(ask["fields"]) or (ask["comment"] and not (comment or "").strip())


def task_ask(ctx: Context, task_id: int, action: str) -> dict[str, Any]:
    """What deciding `action` on the caller's open task asks: `{"task", "form", "record",
    "step_title", "fields": [names], "comment": bool}` (404 when it is not the caller's task)."""
    if action not in ASKING_ACTIONS:
        raise NotFound(f"no task action '{action}'")
    from . import tasks as task_service  # the actions use this module: imported when asked

    row = task_service.task_row(ctx, task_id)
    if row is None or row["assignee"] != ctx.user.name:
        raise NotFound(f"no task {task_id}")
    form = ctx.app.form(row["form"])
    if form is None or form.workflow is None:
        raise NotFound(f"no task {task_id}")
    if row["status"] != "open":
        raise Conflict(_("this task has already been handled"), code="task_closed")
    record, hidden = load_readable(ctx, form, row["record_id"])
    stage = form.workflow.stage(task_service.stage_of_approval(ctx, row["approval_id"]))
    assert stage is not None and stage.approval is not None
    step = stage.approval.steps[row["step_index"]]
    fields = step_ask(ctx, form, step, record, hidden) if action == "approve" else []
    return {"task": task_service.encode_task(ctx, row), "form": form, "record": record, "hidden": hidden,
            "step_title": step.title,
            "fields": fields, "comment": action == "reject"}


def moves_to(ctx: Context, form_name: str, record_id: int, stage: str) -> dict[str, Any]:
    """The board's drop of a card on the column `stage`: the transitions from the record's stage
    to that stage the caller may fire now (`{"choices": [{"name", "title", "ask", "confirm"}]}`),
    or `{"refused": reason}` saying why there is none."""
    form = readable_form(ctx, form_name)
    workflow = form.workflow
    if workflow is None or workflow.stage(stage) is None:
        raise NotFound(f"form '{form_name}' has no stage '{stage}'")
    record, _hidden = load_readable(ctx, form, record_id)
    current = record.meta["stage"]
    if current == stage:
        return {"choices": [], "refused": None}
    from .workflow import available_transitions

    choices = [{"name": t["name"], "title": t["title"], "ask": t["ask"] is not None, "confirm": t["confirm"]}
               for t in available_transitions(ctx, form.name, record_id) if t["to"] == stage]
    if choices:
        return {"choices": choices}
    return {"choices": [], "refused": _why_not(ctx, form, record, current, stage)}


def _why_not(ctx: Context, form: FormDef, record: Any, current: str, stage: str,
             candidates: list[TransitionDef] | None = None) -> str:
    """Why none of the transitions to `stage` (or `candidates`) can be fired now."""
    from .workflow import condition_holds, may_fire

    workflow = form.workflow
    assert workflow is not None
    leading: list[TransitionDef] = [t for t in (candidates or [t for t in workflow.transitions if t.to == stage])
                                    if "*" in t.sources or current in t.sources]
    to_stage, from_stage = workflow.stage(stage), workflow.stage(current)
    to_title = to_stage.title if to_stage is not None else stage
    from_title = from_stage.title if from_stage is not None else current
    if not leading:
        return _("No action moves a record from %(from)s to %(to)s.", **{"from": from_title, "to": to_title})
    allowed = [t for t in leading if may_fire(ctx, form, t, record)]
    if not allowed:
        return _("You may not do '%(action)s' on this record.", action=leading[0].title)
    if not any(condition_holds(ctx, form, t, record) for t in allowed):
        return _("The conditions for '%(action)s' are not met.", action=allowed[0].title)
    return _("'%(action)s' is not possible now.", action=allowed[0].title)
