"""The list filters a dashboard drill-down uses (docs/reference.md, Dashboard): `chart=N` (the chart's
`where`), `owner=USER` (the form's owner), `team=USER` (the owner is that user or someone they
manage, directly or indirectly), and the dashboard's own filters (`from`, `to`, `owner`, `team`)
turned into exactly those list parameters, so a chart and the list it opens count the same rows.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, select, true

from engine.definitions.model import ChartDef, FormDef
from engine.errors import BadRequest
from engine.expressions import to_sql
from engine.fieldtypes import type_of
from engine.i18n import _
from engine.records.context import Context
from engine.store.scope import FormSqlScope
from engine.store.system import users

#: List parameters this module answers (the list query skips them).
PARAMS = ("chart", "owner", "team")


def _known_user(ctx: Context, name: str, param: str) -> str:
    name = name.strip()
    if not name or ctx.session.execute(select(users.c.name).where(users.c.name == name)).first() is None:
        raise BadRequest(_("parameter '%(param)s': no user '%(name)s'", param=param, name=name))
    return name


def team_names(name: str) -> Select:
    """The user and everyone they manage, directly or indirectly (a recursive query; a cycle
    of managers ends because UNION keeps each name once)."""
    # unnamed: a statement may hold several (one per single figure read in one pass), each its own name
    team = select(users.c.name.label("name")).where(users.c.name == name).cte(recursive=True)
    member = users.alias("member")
    team = team.union(select(member.c.name).where(member.c.manager == team.c.name))
    return select(team.c.name)


def owner_column(form: FormDef, table: Table, invisible: frozenset[str], param: str) -> ColumnElement:
    """The form's owner column for a filter given by `param` (`owner`, `team`, `quick=mine`); 400
    when the owner is hidden from the caller (filtering on it would reveal it)."""
    name = form.owner_attribute
    if name in invisible:
        raise BadRequest(_("parameter '%(param)s': the owner of %(form)s is hidden from you", param=param,
                           form=form.title))
    return table.c[name]


def chart_condition(ctx: Context, form: FormDef, text: str) -> ColumnElement:
    """`chart=N`: the `where` of the form's chart at index N (one the caller may see)."""
    from .charts import visible_charts

    try:
        index = int(text)
    except ValueError:
        raise BadRequest(_("parameter 'chart' must be the number of one of the form's charts")) from None
    chart = form.charts[index] if 0 <= index < len(form.charts) else None
    if chart is None or chart not in visible_charts(ctx, form):
        raise BadRequest(_("parameter 'chart': %(form)s has no chart %(index)s", form=form.title, index=index))
    if chart.where is None:
        return true()
    scope = FormSqlScope(ctx.app, ctx.runtime.schema, form, user=ctx.user.name, now=ctx.local_now,
                         dialect=ctx.runtime.dialect)
    return to_sql(chart.where, scope)


def conditions(ctx: Context, form: FormDef, table: Table, params: Mapping[str, Any], invisible: frozenset[str],
               field_condition: Callable[[str, str], ColumnElement]) -> list[ColumnElement]:
    """The conditions of `chart`, `owner` and `team` in `params`; `owner` on a form with a field of
    that name which is not its owner stays that field's filter (`field_condition`)."""
    found: list[ColumnElement] = []
    if params.get("chart") not in (None, ""):
        found.append(chart_condition(ctx, form, str(params["chart"])))
    if params.get("owner") not in (None, ""):
        if form.field("owner") is not None and form.owner_attribute != "owner":
            found.append(field_condition("owner", str(params["owner"])))
        else:
            column = owner_column(form, table, invisible, "owner")
            found.append(column == _known_user(ctx, str(params["owner"]), "owner"))
    if params.get("team") not in (None, ""):
        column = owner_column(form, table, invisible, "team")
        found.append(column.in_(team_names(_known_user(ctx, str(params["team"]), "team"))))
    return found


# -- the dashboard's filters ---------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    date_from: date | None = None
    date_to: date | None = None
    owner: str | None = None
    team: str | None = None

    @property
    def active(self) -> bool:
        return any((self.date_from, self.date_to, self.owner, self.team))

    @property
    def by_owner(self) -> bool:
        return bool(self.owner or self.team)

    def query(self) -> dict[str, str]:
        """The dashboard's own URL parameters."""
        out = {"from": self.date_from.isoformat() if self.date_from else "",
               "to": self.date_to.isoformat() if self.date_to else "", "owner": self.owner or "",
               "team": self.team or ""}
        return {k: v for k, v in out.items() if v}


def _date_param(args: Mapping[str, Any], name: str) -> date | None:
    raw = str(args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str) -> date:
    raise BadRequest(_("parameter '%(param)s' must be a date (YYYY-MM-DD)", param=name))


def parse_dashboard_filters(ctx: Context, args: Mapping[str, Any]) -> DashboardFilters:
    """`from`, `to` (dates, inclusive), `owner`, `team` (user names); anything wrong is a 400 naming it."""
    date_from, date_to = _date_param(args, "from"), _date_param(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadRequest(_("parameter 'from' must not be after 'to'"))
    owner = _known_user(ctx, str(args["owner"]), "owner") if args.get("owner") else None
    team = _known_user(ctx, str(args["team"]), "team") if args.get("team") else None
    return DashboardFilters(date_from, date_to, owner, team)


def chart_params(form: FormDef, index: int, chart: ChartDef, filters: DashboardFilters) -> dict[str, str]:
    """The list parameters selecting the rows chart `index` counts under `filters` (the group
    aside): the chart's `where`, the date range on its `date_field` (whole days in company
    time), the owner or team."""
    params = {"chart": str(index)}
    stamp = form.is_datetime(chart.date_field)
    if filters.date_from:
        params[f"{chart.date_field}__gte"] = filters.date_from.isoformat() + ("T00:00:00" if stamp else "")
    if filters.date_to:
        params[f"{chart.date_field}__lte"] = filters.date_to.isoformat() + ("T23:59:59.999999" if stamp else "")
    if filters.owner:
        params["owner"] = filters.owner
    if filters.team:
        params["team"] = filters.team
    return params


def group_params(form: FormDef, chart: ChartDef, key: Any) -> dict[str, str] | None:
    """The list parameters selecting one group of a chart (a bar, slice, point or funnel step);
    None when no list filter selects exactly it (the empty group, a list-valued field)."""
    if key is None or key == "" or not chart.group_by:
        return None
    if chart.group_by == "stage":
        return {"stage": str(key)}
    name = chart.group_by
    field = form.field(name)
    if field is not None and (type_of(field).multiple or not type_of(field).query_ops(field)):
        return None
    if chart.interval in ("month", "year"):  # "2026-03" / "2026", grouped as stored (UTC for a datetime)
        year, _sep, month = str(key).partition("-")
        first = date(int(year), int(month or 1), 1)
        after = (date(first.year + first.month // 12, first.month % 12 + 1, 1) if month
                 else date(first.year + 1, 1, 1))
        end = after - timedelta(days=1)
        if form.is_datetime(name):
            return {f"{name}__gte": f"{first.isoformat()}T00:00:00+00:00",
                    f"{name}__lte": f"{end.isoformat()}T23:59:59.999999+00:00"}
        return {f"{name}__gte": first.isoformat(), f"{name}__lte": end.isoformat()}
    if isinstance(key, bool):
        return {name: "true" if key else "false"}
    if isinstance(key, date):  # a date, or a datetime (its exact moment)
        return {name: key.isoformat()}
    return {name: str(key)}
