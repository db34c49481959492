"""A record list's `total` (docs/reference.md, HTTP API): exact up to a bound, an estimate above it.

An exact `count(*)` reads every matching row, which at a million records costs far more than the
page itself. So the count stops at the bound: `count(*)` over `SELECT 1 ... LIMIT bound + 1` reads
at most bound + 1 rows, and when it finds that many the list is "more than the bound". Then
PostgreSQL's planner estimates the rows of the same filtered query (EXPLAIN, nothing is read),
never below bound + 1; SQLite has no such estimate and answers bound + 1 ("10,000+"). So does a
reader restricted by row rules: the planner's statistics cover the whole table (rows they may not
see), and its guess for a row rule's OR is often off by several times.

Dashboards and charts count for themselves and stay exact; exports read every row.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ClauseElement, ColumnElement, Executable, Table, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

#: Default of ENGINE_EXACT_TOTAL_LIMIT: below it (and at it) `total` is exact.
EXACT_TOTAL_LIMIT = 10_000


@dataclass(frozen=True)
class Total:
    count: int
    exact: bool


class _Explain(Executable, ClauseElement):
    """`EXPLAIN (FORMAT JSON) <select>` with the select's parameters bound as usual."""
    inherit_cache = False

    def __init__(self, statement: Any) -> None:
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def planner_rows(session: Session, statement: Any) -> int:
    """The rows PostgreSQL's planner expects `statement` to return (nothing is executed)."""
    doc = session.execute(_Explain(statement)).scalar_one()
    if isinstance(doc, str):
        import json

        doc = json.loads(doc)
    return int(doc[0]["Plan"]["Plan Rows"])


def bounded_total(session: Session, table: Table, conditions: Sequence[ColumnElement], limit: int,
                  dialect: str, estimate: bool = True,
                  branches: Sequence[ColumnElement] | None = None) -> Total:
    """The rows of `table` matching `conditions`: exact when at most `limit`, else an estimate
    above `limit` (the planner's when `estimate` and on PostgreSQL, else `limit` + 1).

    `branches`: disjoint conditions whose rows together are those of `conditions[0]` (the row
    filter, `Gate.row_branches`); the rows are then counted branch by branch, a UNION ALL under
    the same bound (`conditions[1:]` in each), so each branch may be an index-only scan and the
    count stops in the first branches when they already pass the bound."""
    if branches:
        rest = conditions[1:]
        union = union_all(*(select(literal(1).label("one")).select_from(table).where(branch, *rest)
                            for branch in branches)).subquery()
        capped = select(union.c.one).limit(limit + 1).subquery()
    else:
        capped = select(literal(1)).select_from(table).where(*conditions).limit(limit + 1).subquery()
    count = int(session.execute(select(func.count()).select_from(capped)).scalar_one())
    if count <= limit:
        return Total(count, True)
    guess = 0
    if dialect == "postgresql" and estimate:
        guess = planner_rows(session, select(literal(1)).select_from(table).where(*conditions))
    return Total(max(guess, limit + 1), False)
