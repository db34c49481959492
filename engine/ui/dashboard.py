"""The dashboard page's filters and drill-down links (docs/reference.md, Dashboard)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import jsonify, render_template, request, url_for

from engine.errors import BadRequest, NotFound
from engine.i18n import _
from engine.services.charts import dashboard, dashboard_plan, filter_people, piece_data
from engine.services.list_filters import DashboardFilters, parse_dashboard_filters
from engine.web import use_case


def _list_url(form: str, *params: dict[str, str]) -> str:
    """The list with all `params` (a group's range on the date field adds to the dashboard's range on
    it: the same parameter twice, both applied)."""
    return url_for("records.list_page", form_name=form) + "?" + urlencode([p for d in params for p in d.items()])


def _with_links(chart: dict[str, Any]) -> dict[str, Any]:
    """`href`: the list of the records a figure counts; `hrefs`: one per group (None for a group no
    list filter selects, such as the empty one)."""
    drill = chart.get("drill")
    if drill is None:  # approvals' lead times: not records of the list
        return chart
    if "labels" in chart:
        chart["hrefs"] = [_list_url(chart["form"], drill, group) if group is not None else None
                          for group in chart.get("groups", [])]
    else:
        chart["href"] = _list_url(chart["form"], drill)
    return chart


def _frames(plan: list, filters: DashboardFilters) -> list[dict[str, Any]]:
    """The page's chart frames, drawn before any figure is read: per module the charts in the forms'
    order, each with `src`, the URL of its piece's figures (the charts a statement reads together share it)."""
    out = []
    for module, pieces in plan:
        frames = []
        for form, piece in pieces:
            src = url_for("workflow.dashboard_charts", form=form.name) + "?" + urlencode(
                {"charts": ",".join(str(i) for i, _c in piece), **filters.query()})
            frames += [{"form": form.name, "index": i, "title": chart.title, "type": chart.type,
                        "name": chart.name, "src": src} for i, chart in piece]
        order = {name: n for n, name in enumerate(dict.fromkeys(f["form"] for f in frames))}
        frames.sort(key=lambda f: (order[f["form"]], f["index"]))
        out.append({"module": module, "charts": frames})
    return out


def render_dashboard() -> Any:
    """The page: by default its frames at once, each chart's figures fetched by the page from
    `dashboard_charts` (in parallel, so the page is complete when its slowest chart is); `inline=1`
    (the fallback without scripts, or after a chart failed) reads every chart before answering."""
    inline = request.args.get("inline") == "1"
    with use_case() as ctx:
        error = None
        try:
            filters = parse_dashboard_filters(ctx, request.args)
        except BadRequest as exc:
            error, filters = exc.message, DashboardFilters()
        if inline:
            modules = dashboard(ctx, filters)
            for group in modules:
                group["charts"] = [_with_links(c) for c in group["charts"]]
        else:
            modules = _frames(dashboard_plan(ctx, filters), filters)
        people, teams = filter_people(ctx)
    inline_url = url_for("workflow.dashboard_page") + "?" + urlencode({"inline": "1", **filters.query()})
    page = render_template("workflow/dashboard.html", modules=modules, filters=filters, people=people, teams=teams,
                           error=error, args=request.args, inline=inline, inline_url=inline_url)
    return (page, 400) if error else page


def chart_figures(form_name: str) -> Any:
    """The figures of charts of one form (`charts=I,J,…`, indexes among the form's charts, as a frame's
    `src` names them) under the dashboard's filters, with their drill-down links. A chart the user
    does not see on their dashboard (unreadable form, hidden field, owner filter on a hidden owner): 404."""
    with use_case() as ctx:
        filters = parse_dashboard_filters(ctx, request.args)
        try:
            wanted = [int(i) for i in str(request.args.get("charts", "")).split(",")]
        except ValueError:
            raise BadRequest(_("parameter '%(param)s' must be a list of numbers", param="charts")) from None
        pieces = [(form, piece) for _m, pieces in dashboard_plan(ctx, filters) for form, piece in pieces
                  if form.name == form_name and [i for i, _c in piece] == wanted]
        if not pieces:
            raise NotFound(_("no such chart"))
        form, piece = pieces[0]
        bodies = [_with_links(body) for body in piece_data(ctx, form, piece, filters)]
    return jsonify({"charts": bodies})
