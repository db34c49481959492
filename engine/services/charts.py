"""Dashboard charts (docs/reference.md, Charts): each form's `charts`, aggregated in SQL over exactly the rows
the viewer may read (the same row filter as lists), so a user's dashboard shows
their numbers. A chart over a field hidden from the viewer is not shown to them at all.
`avg` of a yes/no field is the share of yes (a rate)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, and_, cast, func, select

from engine.access import uses_hidden
from engine.access.visibility import fields_read
from engine.definitions.model import ChartDef, FormDef
from engine.fieldtypes import Refs, field_type, type_of
from engine.fieldtypes.choices import COLORS
from engine.i18n import _
from engine.records.codec import readable_titles
from engine.records.context import Context
from engine.store.system import approvals, users

from .list_filters import DashboardFilters, chart_params, group_params
from .queries import parse_list_query

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
    paths: list[tuple[str, ...]] = [(n,) for n in (chart.value_field, chart.group_by, chart.date_field)
                                    if n and n != "stage"]
    if chart.where is not None:
        paths += list(chart.where.references())
    names, through_hidden = fields_read(ctx.gate, ctx.user, form, paths, ctx.local_now)
    return through_hidden or uses_hidden(names, hidden)



def _rows_of(ctx: Context, form: FormDef, chart: ChartDef, filters: DashboardFilters | None,
             index: int | None) -> tuple[dict[str, str], list[ColumnElement]]:
    """The chart's list parameters (`drill`) and the SQL conditions selecting the rows it counts:
    the viewer's row filter, then the list's own conditions for those parameters."""
    table = ctx.runtime.tables(form.name).table
    index = form.charts.index(chart) if index is None else index
    drill = chart_params(form, index, chart, filters or DashboardFilters())
    invisible = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    conditions = [ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now),
                  *parse_list_query(ctx, form, table, drill, invisible).conditions]
    return drill, conditions


def _measure(ctx: Context, form: FormDef, chart: ChartDef) -> tuple[ColumnElement[Any], bool]:
    """The chart's aggregate over the form's table, and whether it is a share shown in percent."""
    table = ctx.runtime.tables(form.name).table
    value_field = form.field(chart.value_field) if chart.value_field else None
    percent = (chart.aggregate == "avg" and value_field is not None
               and field_type(value_field.value_kind).average_is_share)
    if chart.aggregate == "count" or value_field is None:
        return (func.count() if value_field is None else func.count(table.c[value_field.name])), percent
    column: ColumnElement[Any] = table.c[value_field.name]
    if percent:
        column = cast(column, Integer)
    return getattr(func, chart.aggregate)(column), percent


def _is_number(chart: ChartDef) -> bool:
    return chart.source != "approvals" and (chart.type == "number" or not chart.group_by)


def _number_body(form: FormDef, chart: ChartDef, drill: dict[str, str], raw: Any, percent: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"title": chart.title, "type": chart.type, "form": form.name, "percent": percent,
                            "name": chart.name, "drill": drill}
    value = _round(_number(raw), percent)
    body["value"] = value if raw is not None or chart.aggregate in ("count", "sum") else None
    body["display"] = ("—" if body["value"] is None else f"{value:.1f}" if percent
                       else f"{value:,}" if isinstance(value, int) else f"{value:,.2f}")
    return body


def number_charts(ctx: Context, form: FormDef, charts: list[tuple[int, ChartDef]],
                  filters: DashboardFilters | None = None) -> list[dict[str, Any]]:
    """Several single-figure charts of one form in one pass over its rows: each its own aggregate
    with `FILTER (WHERE its conditions)`, all under the viewer's row filter. Exact figures, as
    `chart_data` gives one by one, for one scan of the table instead of one per chart."""
    table = ctx.runtime.tables(form.name).table
    row_filter = ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)
    parts = []
    for index, chart in charts:
        drill, conditions = _rows_of(ctx, form, chart, filters, index)
        measure, percent = _measure(ctx, form, chart)
        own = conditions[1:]  # the row filter applies to the whole pass
        parts.append((chart, drill, measure.filter(and_(*own)) if own else measure, percent))
    row = ctx.session.execute(select(*(p[2] for p in parts)).select_from(table).where(row_filter)).one()
    return [_number_body(form, chart, drill, raw, percent)
            for (chart, drill, _m, percent), raw in zip(parts, row, strict=True)]


def chart_data(ctx: Context, form: FormDef, chart: ChartDef, filters: DashboardFilters | None = None,
               index: int | None = None) -> dict[str, Any]:
    """The chart's figures over the rows the viewer may read, under the dashboard's `filters`.
    Those rows are selected by the list's own parameters (`drill`, and per group `groups`), so
    the list a click opens shows exactly the records counted."""
    table = ctx.runtime.tables(form.name).table
    drill, conditions = _rows_of(ctx, form, chart, filters, index)
    if chart.source == "approvals":
        return _approval_chart(ctx, form, chart, conditions)
    measure, percent = _measure(ctx, form, chart)
    if _is_number(chart) or not chart.group_by:
        raw = ctx.session.execute(select(measure).select_from(table).where(*conditions)).scalar()
        return _number_body(form, chart, drill, raw, percent)
    body: dict[str, Any] = {"title": chart.title, "type": chart.type, "form": form.name, "percent": percent,
                            "name": chart.name, "drill": drill}
    group: ColumnElement[Any] = table.c.stage if chart.group_by == "stage" else table.c[chart.group_by]
    if chart.interval in ("month", "year") and GROUP_DAYS_FIRST and _days_first(form, chart):
        stmt = _by_day_then_period(ctx, chart, group, measure, conditions)
        group = stmt.selected_columns[0]
    elif chart.interval in ("month", "year"):
        group = _period(ctx, chart, group)
        stmt = select(group, measure).select_from(table).where(*conditions).group_by(group)
    else:
        stmt = select(group, measure).select_from(table).where(*conditions).group_by(group)
    by_value = not (chart.group_by == "stage" and form.workflow is not None) and not _time_axis(form, chart) \
        and chart.type != "line"
    if by_value:  # only the largest groups are shown: only they leave the database (and get labels)
        # ties broken by the group itself (empty last), so the same groups show on every database
        stmt = stmt.order_by(func.coalesce(measure, 0).desc(), group.is_(None), group).limit(MAX_GROUPS)
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
    body["groups"] = [group_params(form, chart, p[0]) for p in points]
    if chart.interval == "day" and (colors := _colors(form, chart.group_by, [p[0] for p in points])):
        body["colors"] = colors
    return body


#: Month and year charts of a date field aggregate by day first (see `_by_day_then_period`).
GROUP_DAYS_FIRST = True


def _period(ctx: Context, chart: ChartDef, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A date's month (`YYYY-MM`) or year (`YYYY`), the group of a chart by month or year."""
    pattern = {"month": ("%Y-%m", "YYYY-MM"), "year": ("%Y", "YYYY")}[chart.interval]
    return (func.strftime(pattern[0], column) if ctx.runtime.dialect == "sqlite"
            else func.to_char(column, pattern[1]))


def _days_first(form: FormDef, chart: ChartDef) -> bool:
    """Whether a chart by month or year can add up its days: over a date field (a few hundred
    distinct days, not a timestamp's million), of an aggregate the days combine into exactly."""
    field = form.field(chart.group_by or "") if chart.group_by != "stage" else None
    return (field is not None and field.value_kind == "date"
            and (chart.aggregate in ("count", "sum", "min", "max") or not chart.value_field))


def _by_day_then_period(ctx: Context, chart: ChartDef, day: ColumnElement[Any], measure: ColumnElement[Any],
                        conditions: list) -> Any:
    """The chart by month or year in two steps: the rows grouped by their date, then those days
    by period (counts and sums added, minima and maxima taken again). The same figures as
    grouping the rows by period directly, which formats the period of every row (`to_char` of
    each of a million rows costs more than the scan); here only each day's is formatted."""
    table = day.table
    inner = (select(day.label("day"), measure.label("part")).select_from(table).where(*conditions)
             .group_by(day).subquery())
    part = inner.c.part
    if chart.aggregate in ("min", "max"):
        combined: ColumnElement[Any] = getattr(func, chart.aggregate)(part)
    elif chart.aggregate == "count" or not chart.value_field or isinstance(part.type, Integer):
        combined = cast(func.sum(part), BigInteger)  # a sum of counts (or integers) stays an integer
    else:
        combined = func.sum(part)
    period = _period(ctx, chart, inner.c.day)
    return select(period, combined).group_by(period)


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


Piece = list[tuple[int, ChartDef]]  # charts of one form read together: a grouped chart, or all its single figures


def dashboard_plan(ctx: Context, filters: DashboardFilters | None = None) \
        -> list[tuple[Any, list[tuple[FormDef, Piece]]]]:
    """Which charts the user sees, without reading a record: per module (in order) the pieces of each
    form, each piece one statement (a grouped chart alone; a form's single figures together). With an
    owner or team filter, a form whose owner is hidden from the user shows no charts: they could not
    be filtered without revealing it."""
    filters = filters or DashboardFilters()
    out = []
    forms = ctx.gate.readable_forms(ctx.user)
    for module in ctx.app.modules:
        pieces: list[tuple[FormDef, Piece]] = []
        for form in forms:
            if form.module != module.name:
                continue
            if filters.by_owner and form.owner_attribute in ctx.gate.never_visible(ctx.user, form, ctx.local_now):
                continue
            visible = visible_charts(ctx, form)
            shown = [(i, chart) for i, chart in enumerate(form.charts) if chart in visible]
            numbers = [(i, chart) for i, chart in shown if _is_number(chart)]
            together = len(numbers) > 1
            for i, chart in shown:
                if together and (i, chart) in numbers:
                    if (i, chart) == numbers[0]:
                        pieces.append((form, numbers))
                else:
                    pieces.append((form, [(i, chart)]))
        if pieces:
            out.append((module, pieces))
    return out


def piece_data(ctx: Context, form: FormDef, piece: Piece, filters: DashboardFilters | None = None) \
        -> list[dict[str, Any]]:
    """The figures of one piece of `dashboard_plan`, each chart's body with its `index` in the form."""
    bodies = (number_charts(ctx, form, piece, filters) if len(piece) > 1
              else [chart_data(ctx, form, piece[0][1], filters, piece[0][0])])
    for (index, _chart), body in zip(piece, bodies, strict=True):
        body["index"] = index
    return bodies


def dashboard(ctx: Context, filters: DashboardFilters | None = None) -> list[dict[str, Any]]:
    """Every chart the user may see, grouped by module then form, under the dashboard's filters
    (the pieces of `dashboard_plan`, read one after the other), in the form's order of charts."""
    out = []
    for module, pieces in dashboard_plan(ctx, filters):
        cards: list[dict[str, Any]] = []
        by_form: dict[str, dict[int, dict[str, Any]]] = {}
        for form, piece in pieces:
            for body in piece_data(ctx, form, piece, filters):
                by_form.setdefault(form.name, {})[body["index"]] = body
        for bodies in by_form.values():
            cards += [bodies[i] for i in sorted(bodies)]
        out.append({"module": module, "charts": cards})
    return out


def filter_people(ctx: Context) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The dashboard's owner and team choices: the active users (name, display name), and those
    of them who manage someone; two small queries of names only."""
    people = [(name, display or name) for name, display in ctx.session.execute(
        select(users.c.name, users.c.display_name).where(users.c.active.is_(True)).order_by(users.c.name))]
    managers = {m for (m,) in ctx.session.execute(
        select(users.c.manager).where(users.c.manager.isnot(None), users.c.active.is_(True)).distinct())}
    return people, [(name, label) for name, label in people if name in managers]
