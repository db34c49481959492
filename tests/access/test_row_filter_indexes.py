"""The row filter is written so that indexes serve it (docs/reference.md, Permissions), and selects exactly
the rows it selected as `id IN (subquery)`: for several users (own rows, the shared pool, an open task, a
decided task, a task closed by someone else, a carbon copy, a deactivated user), the visible ids are the same
as the plain form's and as those listed by hand."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, or_, select, text

from engine.access.gate import participation
from engine.auth.users import get_user, update_user
from engine.store.system import approvals, carbon_copies, tasks

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a fixed instant, in UTC


def _approval(session: Any, form: str, record_id: int) -> int:
    key = session.execute(insert(approvals).values(
        form=form, record_id=record_id, stage="review", return_stage="draft", submitter="admin",
        status="pending", step_index=0, round=1, started_at=NOW)).inserted_primary_key
    return int(key[0])


def _task(session: Any, form: str, record_id: int, assignee: str, status: str, acted_by: str | None = None) -> None:
    session.execute(insert(tasks).values(
        approval_id=_approval(session, form, record_id), form=form, record_id=record_id, step="manager",
        step_index=0, round=1, assignee=assignee, status=status, acted_by=acted_by, created_at=NOW))


def _copy(session: Any, form: str, record_id: int, user_name: str) -> None:
    session.execute(insert(carbon_copies).values(
        approval_id=_approval(session, form, record_id), form=form, record_id=record_id, user_name=user_name,
        step="manager", created_at=NOW))


@pytest.fixture
def planted(app, make_user, admin):
    """Customers of two salespeople, one in the pool, and approval parts on the others' rows."""
    make_user("alice", "sales")
    make_user("bob", "sales")
    make_user("carol", "warehouse")  # reads every customer
    make_user("dave", "finance")  # reads every customer too
    ids = {}
    for key, owner in [("a1", "alice"), ("a2", "alice"), ("b1", "bob"), ("b2", "bob"), ("b3", "bob"),
                       ("b4", "bob"), ("b5", "bob")]:
        ids[key] = admin.create("customer", name=f"客户{key}", owner=owner)["id"]
    ids["pool"] = admin.create("customer", name="公海客户", in_pool=True)["id"]
    state = app.extensions["engine"]
    with state.db.transaction() as session:
        _task(session, "customer", ids["b1"], "alice", "open")  # open: alice may read
        _task(session, "customer", ids["b2"], "alice", "approved", "alice")  # decided by her: lasts
        _task(session, "customer", ids["b3"], "alice", "closed")  # closed by a peer: nothing
        _task(session, "customer", ids["b4"], "alice", "approved", "bob")  # someone else decided: nothing
        _copy(session, "customer", ids["b5"], "alice")  # copied: lasts
        _task(session, "sales_order", ids["b3"], "alice", "open")  # another form's task: nothing here
    return ids


def _visible(app: Any, name: str, plain: bool = False) -> set[int]:
    state = app.extensions["engine"]
    runtime = state.runtime()
    form = runtime.app.form("customer")
    table = runtime.tables("customer").table
    with state.db.session() as session:
        user = get_user(session, name)
        assert user is not None
        if plain:  # the filter as it was: the role rules OR id IN (each participation subquery)
            grants = runtime.gate.grants(user, form, "read", NOW, participation=False)
            clauses = [g.clause for g in grants]
            if not any(g.everything for g in grants) and user.active:
                clauses += [table.c.id.in_(ids) for ids in participation("customer", name)]
            condition = or_(*clauses) if clauses else table.c.id.is_(None)
        else:
            condition = runtime.gate.row_filter(user, form, "read", NOW)
        return set(session.scalars(select(table.c.id).where(condition)))


def test_the_row_filter_selects_the_same_rows_as_the_plain_form(app, planted):
    ids = planted
    expected = {
        "alice": {ids["a1"], ids["a2"], ids["pool"], ids["b1"], ids["b2"], ids["b5"]},
        "bob": {ids["b1"], ids["b2"], ids["b3"], ids["b4"], ids["b5"], ids["pool"]},
        "carol": set(ids.values()),
        "dave": set(ids.values()),
    }
    for name, rows in expected.items():
        assert _visible(app, name) == rows, name
        assert _visible(app, name, plain=True) == rows, name


def test_a_deactivated_user_sees_no_row_through_either_part(app, planted):
    state = app.extensions["engine"]
    with state.db.transaction() as session:
        update_user(session, "alice", active=False)
    assert _visible(app, "alice") == set()


def test_the_list_api_counts_what_the_filter_selects(app, planted, make_user):
    alice = make_user("alice2", "sales")
    response = alice.get("/api/forms/customer/records?per_page=200")
    assert response.get_json()["total"] == 1  # the pool customer only
    state = app.extensions["engine"]
    with state.db.transaction() as session:
        _copy(session, "customer", planted["b1"], "alice2")
    body = alice.get("/api/forms/customer/records?per_page=200").get_json()
    assert {item["id"] for item in body["items"]} == {planted["pool"], planted["b1"]}
    assert body["total"] == 2


def test_on_postgresql_an_index_can_answer_the_whole_row_filter(app, planted, db_url):
    """Owner's index OR pool's index OR the primary key for the ids one takes part in: a BitmapOr
    (as `id IN (subquery)` alone, a hashed subplan, it could only be a filter over every row)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL plan")
    state = app.extensions["engine"]
    runtime = state.runtime()
    form = runtime.app.form("customer")
    table = runtime.tables("customer").table
    with state.db.session() as session:
        user = get_user(session, "alice")
        condition = runtime.gate.row_filter(user, form, "read", NOW)
        statement = select(table.c.id).where(condition)
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        session.execute(text("SET LOCAL enable_seqscan = off"))  # the tiny table would be read whole
        plan = "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
    assert "BitmapOr" in plan and "Index Cond: (id = ANY ($" in plan, plan


def test_the_row_branches_split_the_filter_into_disjoint_parts(app, planted, make_user):
    """`Gate.row_branches` (the list's count, branch by branch): every visible row in exactly one
    branch, no other row in any, for own rows, the pool, open and decided tasks and a carbon copy;
    nothing to split for a user who reads every row."""
    state = app.extensions["engine"]
    runtime = state.runtime()
    form = runtime.app.form("customer")
    table = runtime.tables("customer").table
    make_user("erin", "sales")  # no rows of her own, no task: the pool only
    with state.db.session() as session:
        for name in ("alice", "bob", "erin"):
            user = get_user(session, name)
            branches = runtime.gate.row_branches(user, form, "read", NOW)
            assert branches is not None and len(branches) >= 3, name  # owner, pool, participation
            found = [set(session.scalars(select(table.c.id).where(b))) for b in branches]
            union = set().union(*found)
            assert union == _visible(app, name), name
            assert sum(len(rows) for rows in found) == len(union), name  # disjoint
        for name in ("carol", "dave"):
            assert runtime.gate.row_branches(get_user(session, name), form, "read", NOW) is None


def test_the_bounded_count_by_branches_matches_the_plain_count(app, planted):
    """The list's total counted branch by branch is the plain count, below and above its bound."""
    from engine.services.totals import bounded_total

    state = app.extensions["engine"]
    runtime = state.runtime()
    form = runtime.app.form("customer")
    table = runtime.tables("customer").table
    dialect = runtime.dialect
    with state.db.session() as session:
        for name in ("alice", "bob"):
            user = get_user(session, name)
            condition = runtime.gate.row_filter(user, form, "read", NOW)
            branches = runtime.gate.row_branches(user, form, "read", NOW)
            plain = len(_visible(app, name))
            for extra in ([], [table.c.in_pool.is_(False)]):
                expected = len(set(session.scalars(select(table.c.id).where(condition, *extra))))
                for limit in (100, expected, max(expected - 1, 0), 1):
                    got = bounded_total(session, table, [condition, *extra], limit, dialect, estimate=False,
                                        branches=branches)
                    want = bounded_total(session, table, [condition, *extra], limit, dialect, estimate=False)
                    assert (got.count, got.exact) == (want.count, want.exact), (name, limit, extra)
            assert plain == bounded_total(session, table, [condition], 100, dialect, branches=branches).count


def test_on_postgresql_the_salespersons_count_is_one_index_scan_per_branch(app, planted, db_url):
    """The owner's branch first, through the owner's index, no BitmapOr of the whole filter."""
    if not db_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL plan")
    from sqlalchemy import func, literal, union_all

    state = app.extensions["engine"]
    runtime = state.runtime()
    form = runtime.app.form("customer")
    table = runtime.tables("customer").table
    with state.db.session() as session:
        user = get_user(session, "alice")
        branches = runtime.gate.row_branches(user, form, "read", NOW)
        union = union_all(*(select(literal(1).label("one")).select_from(table).where(b) for b in branches)).subquery()
        statement = select(func.count()).select_from(select(union.c.one).limit(11).subquery())
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_bitmapscan = off"))
        plan = "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
    assert "Append" in plan and "BitmapOr" not in plan, plan
    first = plan.split('"*SELECT* 1"')[1].split('"*SELECT* 2"')[0]
    assert "Index" in first and "owner" in first and "in_pool" not in first, plan
