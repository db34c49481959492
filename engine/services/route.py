"""The route of a record through its workflow (`GET .../route`, the record page's route panel and
the preview next to a transition that enters an approval): the stages in order with the current
one, each approval stage's steps (which are conditional and whether they apply to this record),
who acted and who is waiting; and the earlier steps an open task may be sent back to.

Only what the caller may read: a step condition that reads a field hidden from the caller (or
reads through a link into what they may not read) is neither shown nor evaluated for them
(`applies` null), a step such a condition passed by reads `not_shown` (not `skipped`), and
approvers named by such a field are left out. A handful of queries per
record whatever the number of stages, steps and runs (runs, their tasks, moves, people)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from engine.access.visibility import fields_read, uses_hidden
from engine.auth.users import display_names
from engine.definitions.model import FormDef, Recipient, StageDef, StepDef
from engine.errors import NotFound
from engine.i18n import _
from engine.records.context import Context
from engine.store.records import StoredRecord
from engine.store.system import approvals as approvals_table
from engine.store.system import history, tasks, users
from engine.workflows import approvals

from .records import load_readable, readable_form

#: History actions that move a record from stage to stage (their details hold `from` and `to`).
MOVES = ("transition", "approval", "withdraw")


def record_route(ctx: Context, form_name: str, record_id: int,
                 transitions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The route as `GET /api/forms/{form}/records/{id}/route` answers it (404 without a workflow
    or when the record may not be read); `transitions`: those the caller may fire now, when the
    caller has listed them already."""
    from .workflow import available_transitions

    form = readable_form(ctx, form_name)
    if form.workflow is None:
        raise NotFound(f"form '{form.name}' has no workflow")
    record, hidden = load_readable(ctx, form, record_id)
    if transitions is None:
        transitions = available_transitions(ctx, form.name, record_id)
    return build_route(ctx, form, record, hidden, transitions)


def send_back_choices(ctx: Context, form_name: str, record_id: int) -> dict[int, dict[str, Any]]:
    """For each of the caller's open tasks on a record: where its 回退 may go, `{"options":
    [{"value", "label"}], "default": value}`: the earlier steps that ran and apply now, then the
    submitter; the default is as a send back without `to` (the previous step, from the first
    step the submitter)."""
    form = ctx.app.form(form_name)
    if form is None or form.workflow is None:
        return {}
    rows = ctx.session.execute(
        select(tasks, approvals_table.c.stage, approvals_table.c.submitter)
        .join(approvals_table, approvals_table.c.id == tasks.c.approval_id)
        .where(tasks.c.form == form.name, tasks.c.record_id == record_id, tasks.c.assignee == ctx.user.name,
               tasks.c.status == "open").order_by(tasks.c.id)).mappings().all()
    if not rows:
        return {}
    record, hidden = load_readable(ctx, form, record_id)
    submitters = display_names(ctx.session, {row["submitter"] for row in rows})
    out = {}
    for row in rows:
        stage = form.workflow.stage(row["stage"])
        if stage is None or stage.approval is None:
            continue
        steps = stage.approval.steps
        targets = approvals.send_back_targets(ctx, form, record, stage, row, hidden)
        options = [{"value": steps[i].name, "label": steps[i].title} for i in targets]
        previous = approvals.previous_step(ctx, row)
        if previous is None:
            default = approvals.SUBMITTER
        elif previous in targets:
            default = steps[previous].name
        else:  # the previous step no longer applies: a send back without `to` passes it by
            default = ""
            options.insert(0, {"value": "", "label": _("Previous step")})
        who = submitters.get(row["submitter"]) or row["submitter"]
        options.append({"value": approvals.SUBMITTER, "label": _("Submitter (%(name)s)", name=who)})
        out[row["id"]] = {"options": options, "default": default}
    return out


def build_route(ctx: Context, form: FormDef, record: StoredRecord, hidden: frozenset[str],
                transitions: list[dict[str, Any]]) -> dict[str, Any]:
    """The route of a readable record (`hidden`: its fields hidden from the caller;
    `transitions`: those the caller may fire now, as `available_transitions` lists them)."""
    workflow = form.workflow
    assert workflow is not None
    current = record.meta.get("stage")
    runs = ctx.session.execute(select(approvals_table).where(
        approvals_table.c.form == form.name, approvals_table.c.record_id == record.id)
        .order_by(approvals_table.c.id)).mappings().all()
    shown_runs: dict[str, Any] = {}  # per approval stage: its pending run, else its latest
    for run in runs:
        if shown_runs.get(run["stage"]) is None or shown_runs[run["stage"]]["status"] != "pending":
            shown_runs[run["stage"]] = run
    run_tasks: dict[int, list[Any]] = {}
    if shown_runs:
        for row in ctx.session.execute(select(tasks).where(
                tasks.c.approval_id.in_([r["id"] for r in shown_runs.values()]))
                .order_by(tasks.c.id)).mappings():
            run_tasks.setdefault(row["approval_id"], []).append(row)
    visited = {workflow.initial, current}
    for details in ctx.session.execute(select(history.c.details).where(
            history.c.form == form.name, history.c.record_id == record.id, history.c.action.in_(MOVES))).scalars():
        if isinstance(details, dict):
            visited.update(details.get(k) for k in ("from", "to"))
    people = _People(ctx, form, record, hidden)
    conditions = _Conditions(ctx, form, record, hidden)
    stages = []
    for stage in workflow.stages:
        approval = None
        if stage.approval is not None:
            shown = shown_runs.get(stage.name)
            approval = {"steps": _steps(stage, shown, run_tasks.get(shown["id"], []) if shown else [], conditions,
                                        people),
                        "status": shown["status"] if shown else None, "run": shown["id"] if shown else None}
        stages.append({"name": stage.name, "title": stage.title, "current": stage.name == current,
                       "visited": stage.name in visited, "final": stage.final, "approval": approval})
    open_stages = [s.name for s in workflow.stages if not s.final]
    preview = {}
    for available in transitions:
        entered = workflow.stage(available["to"])
        if entered is not None and entered.approval is not None:
            preview[available["name"]] = preview_steps(entered, conditions, people)
    people.fill()
    return {
        "stage": current, "stages": stages,
        "transitions": [{"name": t.name, "title": t.title, "to": t.to,
                         "from": open_stages if "*" in t.sources else list(t.sources)}
                        for t in workflow.transitions],
        "preview": preview,
    }


def preview_for(ctx: Context, form: FormDef, record: StoredRecord, hidden: frozenset[str],
                stage_name: str) -> list[dict[str, Any]] | None:
    """The route's preview of one transition: the steps entering `stage_name` would run for the
    record now (as `preview_steps`), or None when that stage has no approval."""
    stage = form.workflow.stage(stage_name) if form.workflow is not None else None
    if stage is None or stage.approval is None:
        return None
    people = _People(ctx, form, record, hidden)
    steps = preview_steps(stage, _Conditions(ctx, form, record, hidden), people)
    people.fill()
    return steps


def condition_hidden(ctx: Context, form: FormDef, hidden: frozenset[str], step: StepDef) -> bool:
    """Whether a step's condition reads what is hidden from the caller in this record (a field
    in `hidden`, or through a link into what they may not read)."""
    if step.when is None:
        return False
    names, through_hidden = fields_read(ctx.gate, ctx.user, form, step.when.references(), ctx.local_now)
    return bool(through_hidden or uses_hidden(names, hidden))


def preview_steps(stage: StageDef, conditions: _Conditions, people: _People) -> list[dict[str, Any]]:
    """The steps an approval stage would run for the record as it is now: those that apply
    (or whose condition the caller may not see, `applies` null), each with its approvers."""
    assert stage.approval is not None
    out = []
    for step in stage.approval.steps:
        _condition, applies = conditions.of(step)
        if applies is not False:
            out.append({"step": step.name, "title": step.title, "conditional": step.when is not None,
                        "applies": applies, "approvers": people.approvers(step.approvers)})
    return out


def _steps(stage: StageDef, run: Any, rows: list[Any], conditions: _Conditions,
           people: _People) -> list[dict[str, Any]]:
    """Each step of the stage's approval with its state in `run` (the pending run, else the
    latest; None when the approval has not run): the round a step last ran in is the latest
    round that started at or before it (a send back starts a new round at its target)."""
    assert stage.approval is not None
    position = run["step_index"] if run is not None else -1
    starts: dict[int, int] = {}
    for row in rows:
        starts[row["round"]] = min(starts.get(row["round"], row["step_index"]), row["step_index"])
    out = []
    for index, step in enumerate(stage.approval.steps):
        condition, applies = conditions.of(step)
        entry: dict[str, Any] = {"name": step.name, "title": step.title, "mode": step.mode,
                                 "conditional": step.when is not None, "condition": condition, "applies": applies,
                                 "approvers": people.approvers(step.approvers), "acted": [], "waiting_for": []}
        if run is None or index > position:
            if run is not None and run["status"] == "approved":  # the approval ended without it
                entry["status"] = "skipped" if step.when is None or applies is not None else "not_shown"
            elif run is not None and run["status"] != "pending" and applies is not False:
                entry["status"] = "not_reached"  # the approval ended before it
            else:
                entry["status"] = "skipped" if applies is False else "waiting"
            out.append(entry)
            continue
        rounds = [r for r, start in starts.items() if start <= index and r <= run["round"]]
        mine = [row for row in rows if rounds and row["round"] == max(rounds) and row["step_index"] == index]
        entry["status"] = _status(mine, run["status"])
        if entry["status"] == "skipped" and step.when is not None and applies is None:
            entry["status"] = "not_shown"  # passed by a condition the caller may not see: that would tell it
        for row in mine:
            if row["status"] == "open":
                entry["waiting_for"].append(people.person(row["assignee"]))
            elif row["acted_by"] is not None:  # a pass by the system (去重) is the assignee's approval
                acted = people.person(row["assignee"] if row["status"] == "skipped" else row["acted_by"])
                acted.update(decision=row["status"], comment=row["comment"],
                             at=row["acted_at"].astimezone(people.ctx.tzinfo).isoformat() if row["acted_at"] else None)
                entry["acted"].append(acted)
        out.append(entry)
    return out


def _status(rows: list[Any], run_status: str) -> str:
    """A step's state from its tasks in the round it last ran in (none: passed by its condition)."""
    found = {row["status"] for row in rows}
    if not found:
        return "skipped"
    for status, shown in (("open", "current"), ("rejected", "rejected"), ("sent_back", "sent_back"),
                          ("approved", "done"), ("skipped", "done"), ("withdrawn", "withdrawn")):
        if status in found:
            return shown
    return "cancelled" if run_status == "cancelled" else "closed"


class _Conditions:
    """Step conditions as the caller may see them: (text, applies) with both None when the step
    has no condition or its condition reads what is hidden from the caller."""

    def __init__(self, ctx: Context, form: FormDef, record: StoredRecord, hidden: frozenset[str]) -> None:
        self.ctx, self.form, self.record, self.hidden = ctx, form, record, hidden
        self.cache: dict[int, tuple[str | None, bool | None]] = {}

    def of(self, step: StepDef) -> tuple[str | None, bool | None]:
        if step.when is None:
            return None, None
        key = id(step)
        if key not in self.cache:
            if condition_hidden(self.ctx, self.form, self.hidden, step):
                self.cache[key] = (None, None)
            else:
                self.cache[key] = (step.when.source,
                                   approvals.step_applies(self.ctx, self.form, self.record, step))
        return self.cache[key]


class _People:
    """Display names of the people on a route, read in one query at the end (`fill`): entries
    handed out by `person` and `approvers` are completed in place."""

    def __init__(self, ctx: Context, form: FormDef, record: StoredRecord, hidden: frozenset[str]) -> None:
        self.ctx, self.form, self.record, self.hidden = ctx, form, record, hidden
        self.entries: list[dict[str, Any]] = []
        self.lists: list[tuple[list[Any], list[tuple[str, str]]]] = []
        self.managers: dict[str, str | None] = {}

    def person(self, name: str) -> dict[str, Any]:
        entry = {"user": name, "display": name}
        self.entries.append(entry)
        return entry

    def _value(self, field_name: str) -> Any:
        if uses_hidden([field_name], self.hidden):
            return None  # who that is would tell the hidden value
        meta = self.record.meta
        return meta.get(field_name) if field_name in meta else self.record.values.get(field_name)

    def approvers(self, recipients: Iterable[Recipient]) -> list[Any]:
        """[display names or role titles] of a step's approvers (filled in by `fill`)."""
        out: list[Any] = []
        wanted: list[tuple[str, str]] = []
        for recipient in recipients:
            if recipient.kind == "role":
                role = self.ctx.app.roles.get(recipient.value)
                wanted.append(("text", role.title if role else recipient.value))
            elif recipient.kind == "user":
                wanted.append(("user", recipient.value))
            elif (value := self._value(recipient.value)) and recipient.kind == "field":
                wanted.append(("user", str(value)))
            elif value and recipient.kind == "manager_of":
                self.managers.setdefault(str(value), None)
                wanted.append(("manager", str(value)))
        self.lists.append((out, wanted))
        return out

    def fill(self) -> None:
        if self.managers:
            for name, manager in self.ctx.session.execute(select(users.c.name, users.c.manager).where(
                    users.c.name.in_(list(self.managers)))):
                self.managers[name] = manager
        names = {e["user"] for e in self.entries} | {v for _out, w in self.lists for k, v in w if k == "user"} \
            | {m for m in self.managers.values() if m}
        shown: dict[str, str | None] = {}
        active: set[str] = set()
        if names:
            for name, display, is_active in self.ctx.session.execute(
                    select(users.c.name, users.c.display_name, users.c.active).where(users.c.name.in_(list(names)))):
                shown[name] = display
                if is_active:
                    active.add(name)

        def label(name: str) -> str:
            return _("System") if name == approvals.SYSTEM else (shown.get(name) or name)

        for entry in self.entries:
            entry["display"] = label(entry["user"])
        for out, wanted in self.lists:
            for kind, value in wanted:
                person = self.managers.get(value) if kind == "manager" else value
                if kind == "text":
                    out.append(value)
                elif person in active:  # only active people get tasks
                    out.append(label(person))
            out[:] = list(dict.fromkeys(out))
