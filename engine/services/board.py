"""The board of a form with a workflow (docs/reference.md, Pages): a column per stage, each with its
first cards in the list's order and the number of records in that stage, exact up to the list's bound
(ENGINE_EXACT_TOTAL_LIMIT) and "N+" above it. Each column is the list itself with `stage=` added, so the
same permissions, filters, order and bounded count apply, and an index on (stage, the list's order) serves
both its cards and its count; a board of a million records reads a few cards and at most bound + 1 index
entries per stage instead of the whole table."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from engine.definitions.model import FormDef
from engine.records.context import Context

from .records import list_records

#: Cards shown per column (the column's count says how many there are).
CARDS_PER_STAGE = 25


def board_page(ctx: Context, form: FormDef, params: Mapping[str, str], *,
               exact_limit: int | None = None) -> dict[str, Any]:
    """Every column's cards (`items`, at most CARDS_PER_STAGE a stage) and `stage_totals`: stage →
    {"count", "exact"}. A `stage` filter among `params` leaves the other columns empty."""
    assert form.workflow is not None
    base = MultiDict([(k, v) for k, v in (params.items(multi=True) if isinstance(params, MultiDict)
                                           else params.items())
                      if k not in ("stage", "page", "per_page", "after", "before")])
    wanted = params.get("stage")
    items: list[dict[str, Any]] = []
    totals: dict[str, dict[str, Any]] = {}
    for stage in form.workflow.stages:
        if wanted and wanted != stage.name:
            totals[stage.name] = {"count": 0, "exact": True}
            continue
        query = base.copy()
        query["stage"] = stage.name
        query["per_page"] = str(CARDS_PER_STAGE)
        column = list_records(ctx, form.name, query, exact_limit=exact_limit)
        items += column["items"]
        totals[stage.name] = {"count": column["total"], "exact": column.get("total_exact", True)}
    return {"items": items, "stage_totals": totals, "total": sum(t["count"] for t in totals.values()),
            "page": 1, "per_page": CARDS_PER_STAGE}
