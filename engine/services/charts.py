"""Dashboard charts (docs/reference.md, Charts): each form's `charts`, aggregated in SQL over exactly the rows
the viewer may read (the same row filter as lists), so a user's dashboard shows
their numbers. A chart over a field hidden from the viewer is not shown to them at all.
`avg` of a yes/no field is the share of yes (a rate)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, select

from engine.access import uses_hidden
from engine.access.visibility import fields_read
from engine.definitions.model import ChartDef, FormDef
from engine.expressions import to_sql
from engine.fieldtypes import Refs, field_type, type_of
from engine.fieldtypes.choices import COLORS
from engine.i18n import _
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.store.scope import FormSqlScope
from engine.store.system import approvals, users

MAX_GROUPS = 30


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def visible_charts(ctx: Context, form: FormDef) -> list[ChartDef]:
    """The form's charts minus those whose value, grouping or `where` names a field hidden
    from the viewer (a filter over a hidden field would let its totals reveal the values)."""
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    return [c for c in form.charts if not _uses_hidden(ctx, form, c, hidden)]


def _uses_hidden(ctx: Context, form: FormDef, chart: ChartDef, hidden: frozenset[str]) -> bool:
    paths: list[tuple[str, ...]] = [(n,) for n in (chart.value_field, chart.group_by) if n and n != "stage"]
    if chart.where is not None:
        paths += list(chart.where.references())
    names, through_hidden = fields_read(ctx.gate, ctx.user, form, paths, ctx.local_now)
    return through_hidden or uses_hidden(names, hidden)



def chart_data(ctx: Context, form: FormDef, chart: ChartDef) -> dict[str, Any]:
    table = ctx.runtime.tables(form.name).table
    conditions = [ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)]
    if chart.where is not None:
        scope = FormSqlScope(ctx.app, ctx.runtime.schema, form, user=ctx.user.name, now=ctx.local_now,
                             dialect=ctx.runtime.dialect)
        conditions.append(to_sql(chart.where, scope))
    if chart.source == "approvals":
        return _approval_chart(ctx, form, chart, conditions)
    value_field = form.field(chart.value_field) if chart.value_field else None
    percent = (chart.aggregate == "avg" and value_field is not None
               and field_type(value_field.value_kind).average_is_share)
    if chart.aggregate == "count" or value_field is None:
        measure = func.count() if value_field is None else func.count(table.c[value_field.name])
    else:
        column: ColumnElement[Any] = table.c[value_field.name]
        if percent:
            column = cast(column, Integer)
        measure = getattr(func, chart.aggregate)(column)
    body: dict[str, Any] = {"title": chart.title, "type": chart.type, "form": form.name, "percent": percent,
                            "name": chart.name}
    if chart.type == "number" or not chart.group_by:
        raw = ctx.session.execute(select(measure).select_from(table).where(*conditions)).scalar()
        value = _round(_number(raw), percent)
        body["value"] = value if raw is not None or chart.aggregate in ("count", "sum") else None
        body["display"] = ("—" if body["value"] is None else f"{value:.1f}" if percent
                           else f"{value:,}" if isinstance(value, int) else f"{value:,.2f}")
        return body
    group: ColumnElement[Any] = table.c.stage if chart.group_by == "stage" else table.c[chart.group_by]
    if chart.interval in ("month", "year"):
        pattern = {"month": ("%Y-%m", "YYYY-MM"), "year": ("%Y", "YYYY")}[chart.interval]
        group = (func.strftime(pattern[0], group) if ctx.runtime.dialect == "sqlite"
                 else func.to_char(group, pattern[1]))
    stmt = select(group, measure).select_from(table).where(*conditions).group_by(group)
    rows = ctx.session.execute(stmt).all()
    labels = ({r[0]: str(r[0]) if r[0] is not None else _("(empty)") for r in rows} if chart.interval != "day"
              else _labels(ctx, form, chart.group_by, [r[0] for r in rows]))
    points = [(r[0], labels.get(r[0], str(r[0])), _round(_number(r[1]), percent)) for r in rows]
    if chart.group_by == "stage" and form.workflow is not None:
        order = {s.name: i for i, s in enumerate(form.workflow.stages)}
        points.sort(key=lambda p: order.get(p[0], len(order)))
    elif _time_axis(form, chart):  # in time order; past MAX_GROUPS the latest (and the empty group) kept
        points.sort(key=lambda p: (p[0] is None, p[0]))
        empty = [p for p in points if p[0] is None]
        points = points[:len(points) - len(empty)][-(MAX_GROUPS - len(empty)):] + empty
    elif chart.type == "line":
        points.sort(key=lambda p: (p[0] is None, p[0]))
    else:
        points.sort(key=lambda p: -(p[2] or 0))
        points = points[:MAX_GROUPS]
    body["labels"] = [p[1] for p in points]
    body["values"] = [p[2] for p in points]
    if chart.interval == "day" and (colors := _colors(form, chart.group_by, [p[0] for p in points])):
        body["colors"] = colors
    return body


def _time_axis(form: FormDef, chart: ChartDef) -> bool:
    """Grouped by a date or datetime (by day, month or year): the groups are points in time."""
    if chart.interval != "day":
        return True
    field = form.field(chart.group_by or "") if chart.group_by != "stage" else None
    return field is not None and field.value_kind in ("date", "datetime")


def _colors(form: FormDef, group_by: str, keys: list[Any]) -> list[str | None] | None:
    """Each group's own colour (a coloured option's, as its badge on pages), None for a group
    without one; None when no group has a colour (the chart's palette then colours them all)."""
    field = form.field(group_by) if group_by != "stage" else None
    if field is None:
        return None
    kind = type_of(field)
    names = [kind.color(field, key) if key is not None else None for key in keys]
    if not any(names):
        return None
    return [COLORS[n].background if n in COLORS else None for n in names]


def _approval_chart(ctx: Context, form: FormDef, chart: ChartDef, conditions: list) -> dict[str, Any]:
    """Lead times (hours from submission to approval) of the approved approvals of the records
    the viewer may read."""
    table = ctx.runtime.tables(form.name).table
    if ctx.runtime.dialect == "sqlite":
        hours = (func.julianday(approvals.c.finished_at) - func.julianday(approvals.c.started_at)) * 24
    else:
        hours = func.extract("epoch", approvals.c.finished_at - approvals.c.started_at) / 3600
    measure = func.count() if chart.aggregate == "count" else getattr(func, chart.aggregate)(hours)
    source = approvals.join(table, table.c.id == approvals.c.record_id)
    where = [approvals.c.form == form.name, approvals.c.status == "approved", approvals.c.finished_at.isnot(None),
             *conditions]
    body: dict[str, Any] = {"title": chart.title, "type": chart.type, "form": form.name, "percent": False,
                            "name": chart.name}
    if chart.type == "number" or not chart.group_by:
        raw = ctx.session.execute(select(measure).select_from(source).where(*where)).scalar()
        value = None if raw is None else int(raw) if chart.aggregate == "count" else round(float(raw), 1)
        body["value"] = value
        body["display"] = "—" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
        return body
    rows = ctx.session.execute(select(approvals.c.stage, measure).select_from(source).where(*where)
                               .group_by(approvals.c.stage)).all()
    titles = {s.name: s.title for s in form.workflow.stages} if form.workflow else {}
    body["labels"] = [titles.get(r[0], r[0]) for r in rows]
    body["values"] = [int(r[1]) if chart.aggregate == "count" else round(float(r[1] or 0), 1) for r in rows]
    return body


def _round(value: Any, percent: bool) -> Any:
    if value is None:
        return 0
    if percent:
        return round(float(value) * 100, 1)
    if isinstance(value, float):
        return round(value, 2)
    return value


def _labels(ctx: Context, form: FormDef, group_by: str, keys: list[Any]) -> dict[Any, str]:
    none = _("(empty)")
    if group_by == "stage" and form.workflow is not None:
        stages = {s.name: s.title for s in form.workflow.stages}
        return {k: stages.get(k, str(k)) if k else none for k in keys}
    field = form.field(group_by)
    if field is None:
        return {k: str(k) if k is not None else none for k in keys}
    kind = type_of(field)
    present = [k for k in keys if k is not None and k != ""]
    refs = Refs(ctx=ctx)
    titles: dict[Any, str] = {}
    if kind.holds_user and present:
        refs = Refs(ctx=ctx, users=dict(ctx.session.execute(
            select(users.c.name, func.coalesce(users.c.display_name, users.c.name))
            .where(users.c.name.in_(present))).all()))
    target = ctx.app.form(field.form or "") if kind.links else None
    if target is not None:  # titles as on pages: a record the viewer may not read is not named
        titles = readable_titles(ctx, target, present)

    def label(key: Any) -> str:
        if key is None or key == "":
            return none
        return kind.text(field, kind.encode(field, key, ctx), refs.with_title(titles.get(key))) or str(key)
    return {k: label(k) for k in keys}


def dashboard(ctx: Context) -> list[dict[str, Any]]:
    """Every chart the user may see, grouped by module then form."""
    out = []
    forms = ctx.gate.readable_forms(ctx.user)
    for module in ctx.app.modules:
        cards = []
        for form in forms:
            if form.module != module.name:
                continue
            cards += [chart_data(ctx, form, chart) for chart in visible_charts(ctx, form)]
        if cards:
            out.append({"module": module, "charts": cards})
    return out
