"""The task inbox (`GET /api/tasks`, the `/tasks` page): 待办 (open), 已办 (done: what I decided)
and 抄送我 (cc), each row with its record's title and summary as the caller reads them, and the
forms and steps of a tab for its filters. Reading only: decisions are in `engine.services.tasks`."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from engine.errors import BadRequest
from engine.i18n import _
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.store.system import approvals as approvals_table
from engine.store.system import carbon_copies, tasks

from .cursors import SortKey, after_condition, decode_cursor, encode_cursor
from .summaries import summarize
from .tasks import encode_task, stage_of_approval, step_of

#: The inbox's tabs (`status` of GET /api/tasks, `tab` of the page).
TABS = ("open", "done", "cc")
#: Distinct (form, step) pairs the filters of a tab offer at most.
MAX_CHOICES = 500
#: Query parameters of GET /api/tasks (`lang`: the language of every page and answer).
PARAMS = ("status", "form", "step", "overdue", "after", "per_page", "lang")
#: Tasks per page: the API's default and most (`per_page`), and the inbox page's.
MAX_PER_PAGE = 200
PAGE_SIZE = 100
#: Each tab's order, as keyset sort keys (the last one the tie-break): 待办 the earliest due
#: first (no due time last), 已办 the latest decided first, 抄送我 the newest first.
ORDERS: dict[str, list[SortKey]] = {
    "open": [SortKey(tasks.c.due_at, False), SortKey(tasks.c.id, False)],
    "done": [SortKey(tasks.c.acted_at, True), SortKey(tasks.c.id, True)],
    "cc": [SortKey(carbon_copies.c.id, True)],
}


def inbox_filters(ctx: Context, args: Mapping[str, str], tab_key: str = "status") -> dict[str, Any]:
    """The inbox's filters from a query string (`tab_key`: `status` for the API, `tab` for the
    page, which also takes the API's `status`): {"tab", "form", "step", "overdue"}. 400 saying
    what for an unknown parameter, an unknown tab, form or step, or `overdue` other than 1 / 0."""
    keys = tuple(dict.fromkeys((tab_key, *PARAMS)))
    unknown = sorted(set(args) - set(keys))
    if unknown:
        raise BadRequest(_("unknown parameter '%(name)s' (use %(known)s)", name=unknown[0],
                           known=", ".join(keys)))
    given = tab_key if args.get(tab_key) else "status"
    tab = args.get(given) or "open"
    if tab not in TABS:
        raise BadRequest(_("%(name)s must be open, done or cc", name=given))
    overdue = args.get("overdue") or ""
    if overdue not in ("", "0", "1"):
        raise BadRequest(_("overdue must be 1 or 0"))
    form_name = args.get("form") or None
    step = args.get("step") or None
    per_page = args.get("per_page") or ""
    if per_page and not (per_page.isdigit() and 1 <= int(per_page) <= MAX_PER_PAGE):
        raise BadRequest(_("per_page must be a whole number from 1 to %(most)s", most=MAX_PER_PAGE))
    form = ctx.app.form(form_name) if form_name else None
    if form_name and form is None:
        raise BadRequest(_("unknown form '%(name)s' in parameter 'form'", name=form_name))
    if step:
        forms = [form] if form is not None else [f for f in ctx.app.forms.values() if f.workflow is not None]
        names = {s.name for f in forms for stage in (f.workflow.stages if f.workflow else ())
                 if stage.approval is not None for s in stage.approval.steps}
        if step not in names:
            raise BadRequest(_("unknown approval step '%(name)s' in parameter 'step'", name=step))
    return {"tab": tab, "form": form_name, "step": step, "overdue": overdue == "1",
            "after": args.get("after") or None, "per_page": int(per_page) if per_page else None}


def _read_along(ctx: Context, rows: list[Any]) -> tuple[dict, dict]:
    """What a list of task (or cc) rows shows besides the rows: the stages of their approvals,
    and per (form, record id) the title and the summary as the caller reads them, one query
    per form each, never one per task."""
    cache = ctx._cache.setdefault("approval_stage", {})
    wanted = sorted({row["approval_id"] for row in rows} - set(cache))
    if wanted:
        cache.update(ctx.session.execute(select(approvals_table.c.id, approvals_table.c.stage)
                                         .where(approvals_table.c.id.in_(wanted))).all())
    titles: dict[tuple[str, int], str] = {}
    summaries: dict[tuple[str, int], list] = {}
    by_form: dict[str, set[int]] = {}
    for row in rows:
        by_form.setdefault(row["form"], set()).add(row["record_id"])
    for form_name, ids in by_form.items():
        form = ctx.app.form(form_name)
        if form is None:
            continue
        for record_id in ids:  # a record the caller may not read (any more), or whose title is hidden: "#id"
            titles[(form_name, record_id)] = f"#{record_id}"
            summaries[(form_name, record_id)] = []
        for record_id, title in readable_titles(ctx, form, ids).items():
            titles[(form_name, record_id)] = title
        for record_id, items in summarize(ctx, form, ids).items():
            summaries[(form_name, record_id)] = items
    return titles, summaries


def list_tasks(ctx: Context, status: str = "open", limit: int = MAX_PER_PAGE, *, form: str | None = None,
               step: str | None = None, overdue: bool = False, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """The first `limit` tasks of a tab (`task_page`)."""
    return task_page(ctx, status, per_page=limit, form=form, step=step, overdue=overdue, ids=ids)[0]


def task_page(ctx: Context, status: str = "open", *, per_page: int = MAX_PER_PAGE, after: str | None = None,
              form: str | None = None, step: str | None = None, overdue: bool = False,
              ids: list[int] | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of 待办 (open, the earliest due first), 已办 (done: what I decided, the latest first)
    or 抄送我 (cc, the newest first), each with its record's title and summary
    (`engine.services.summaries`), and the cursor of the next page (None on the last). Filters:
    `form`, `step` (names), `overdue` (open tasks past their due time), `ids` (these tasks only).
    `after`: a cursor this tab gave (`engine.services.cursors`; 400 otherwise); pages follow
    each other by the tab's order, so a task decided meanwhile neither repeats nor hides one."""
    if status not in TABS:
        raise BadRequest(_("%(name)s must be open, done or cc", name="status"))
    if status == "cc" and overdue:  # being copied has no due time
        return [], None
    source = carbon_copies if status == "cc" else tasks
    if status == "open":
        who: ColumnElement = (tasks.c.assignee == ctx.user.name) & (tasks.c.status == "open")
    elif status == "done":
        who = (tasks.c.acted_by == ctx.user.name) & tasks.c.status.in_(("approved", "rejected", "sent_back",
                                                                          "reassigned"))
    else:
        who = carbon_copies.c.user_name == ctx.user.name
    stmt: Select = select(source).where(who)
    if form:
        stmt = stmt.where(source.c.form == form)
    if step:
        stmt = stmt.where(source.c.step == step)
    if overdue:  # open tasks past their due time: none in 已办
        stmt = stmt.where(tasks.c.status == "open", tasks.c.due_at.is_not(None), tasks.c.due_at < ctx.now)
    if ids is not None:
        stmt = stmt.where(source.c.id.in_(ids))
    keys, order = ORDERS[status], f"tasks:{status}"
    if after:
        stmt = stmt.where(after_condition(keys, decode_cursor(ctx.session, after, order, keys, who)))
    stmt = stmt.order_by(*(_ordered(key) for key in keys)).limit(per_page + 1)
    rows = list(ctx.session.execute(stmt).mappings().all())
    more = len(rows) > per_page
    rows = rows[:per_page]
    following = (encode_cursor(order, keys, [rows[-1][key.column.name] for key in keys], frozenset())
                 if more else None)
    titles, summaries = _read_along(ctx, rows)
    if status == "cc":
        return [_cc_item(ctx, row, titles, summaries) for row in rows], following
    items = [encode_task(ctx, row, titles, summaries) for row in rows]
    if status == "done":  # a task handed on no longer grants reading its record: no title, no link
        readable = _readable_ids(ctx, {(row["form"], row["record_id"]) for row in rows})
        for item in items:
            item["readable"] = (item["form"], item["record_id"]) in readable
            if not item["readable"]:
                item["title"] = f"#{item['record_id']}"
                item["summary"] = []
    return items, following


def _ordered(key: SortKey) -> ColumnElement:
    clause = key.column.desc() if key.descending else key.column.asc()
    return clause.nulls_last() if key.nullable else clause


def task_choices(ctx: Context, status: str = "open") -> list[dict[str, Any]]:
    """The forms and steps of the caller's tasks in a tab, for the inbox's filters:
    [{"form", "form_title", "steps": [{"name", "title"}]}], in the order of the definitions.
    One query (the approval's stage joined in), at most MAX_CHOICES distinct steps."""
    if status == "cc":
        source, who = carbon_copies, carbon_copies.c.user_name == ctx.user.name
    else:
        states = ("open",) if status == "open" else ("approved", "rejected", "sent_back", "reassigned")
        person = tasks.c.assignee if status == "open" else tasks.c.acted_by
        source, who = tasks, (person == ctx.user.name) & tasks.c.status.in_(states)
    triples = ctx.session.execute(
        select(source.c.form, source.c.step, approvals_table.c.stage)
        .join(approvals_table, approvals_table.c.id == source.c.approval_id)
        .where(who).distinct().limit(MAX_CHOICES)).all()
    steps: dict[str, dict[str, str]] = {}
    for form_name, step_name, stage_name in triples:
        form = ctx.app.form(form_name)
        if form is None:
            continue
        _stage, step = step_of(form, stage_name, step_name)
        steps.setdefault(form_name, {})[step_name] = step.title if step else step_name
    return [{"form": name, "form_title": form.title, "steps": [{"name": n, "title": t}
                                                               for n, t in steps[name].items()]}
            for name, form in ctx.app.forms.items() if name in steps]


def _readable_ids(ctx: Context, keys: set[tuple[str, int]]) -> set[tuple[str, int]]:
    """Which of these (form, record id) the caller may read now, one query per form."""
    found: set[tuple[str, int]] = set()
    for form_name in {f for f, _id in keys}:
        form = ctx.app.form(form_name)
        if form is None:
            continue
        found.update((form_name, i) for i in readable_titles(ctx, form, [i for f, i in keys if f == form_name]))
    return found


def _cc_item(ctx: Context, row: Any, titles: dict, summaries: dict) -> dict[str, Any]:
    """A copy sent to the caller, shaped like a task (status "cc")."""
    form_def = ctx.app.form(row["form"])
    key = (row["form"], row["record_id"])
    stage_name = stage_of_approval(ctx, row["approval_id"])
    stage, step_def = step_of(form_def, stage_name, row["step"])
    return {"id": row["id"], "form": row["form"], "record_id": row["record_id"],
            "title": titles.get(key) or f"#{row['record_id']}", "summary": summaries.get(key, []),
            "step": row["step"], "step_title": step_def.title if step_def else row["step"],
            "stage": stage_name, "stage_title": stage.title if stage else stage_name,
            "status": "cc", "due_at": None, "overdue": False,
            "form_title": form_def.title if form_def else row["form"],
            "created_at": row["created_at"].astimezone(ctx.tzinfo).isoformat(),
            "waiting": max(0, int((ctx.now - row["created_at"]).total_seconds()))}


__all__ = ["inbox_filters", "list_tasks", "task_page", "task_choices", "TABS", "PAGE_SIZE"]
