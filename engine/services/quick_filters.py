"""The list's quick filters (`quick=mine,this_month,overdue`, docs/reference.md): the caller's
records (the form's owner field), created this month in the engine's time zone, and overdue
(past their stage's due time in a non-final stage). Several are all applied."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table

from engine.definitions.model import QUICK_FILTERS, FormDef
from engine.errors import BadRequest
from engine.i18n import _
from engine.records.context import Context

from .list_filters import owner_column

#: List parameters handled here (`saved` is resolved into the others by services.views first).
PARAMS = ("quick", "saved")


def month_bounds(local_now: datetime) -> tuple[datetime, datetime]:
    """The first instant of `local_now`'s month and of the next one, in its time zone."""
    start = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=32)).replace(day=1)


def conditions(ctx: Context, form: FormDef, table: Table, params: Mapping[str, str],
               invisible: frozenset[str]) -> list[ColumnElement]:
    if not params.get("quick"):
        return []
    getlist = getattr(params, "getlist", None)
    texts = list(getlist("quick")) if getlist else [params["quick"]]
    found: list[ColumnElement] = []
    for part in [p.strip() for text in texts for p in str(text).split(",") if p.strip()]:
        if part == "mine":
            found.append(owner_column(form, table, invisible, "quick") == ctx.user.name)
        elif part == "this_month":
            start, end = month_bounds(ctx.local_now)
            found += [table.c.created_at >= start, table.c.created_at < end]
        elif part == "overdue":
            if form.workflow is None:
                raise BadRequest(_("quick filter 'overdue' needs a workflow; %(form)s has none", form=form.title))
            finals = [s.name for s in form.workflow.stages if s.final]
            found += [table.c.due_at < ctx.now, table.c.stage.not_in(finals)]
        else:
            raise BadRequest(_("unknown quick filter '%(name)s' in parameter 'quick' (use %(known)s)", name=part,
                               known=", ".join(QUICK_FILTERS)))
    return found
