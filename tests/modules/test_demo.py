"""`engine demo`: a demo company with records in every stage, dated relative to today, and
no record in a state the shipped definitions could not have brought it to."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine.auth.users import get_user
from engine.demo import DemoLoader
from engine.expressions import ExpressionError, evaluate_condition
from engine.records.compute import RecordScope
from engine.records.context import Context
from engine.store.records import load_children, rows_to_records, select_records
from engine.store.system import approvals, history, tasks
from engine.workflows.approvals import barred_approvers
from tests.conftest import SHIPPED

pytestmark = pytest.mark.kitchen


def test_the_demo_company_has_every_stage(app, make_user):
    state = app.extensions["engine"]
    runtime = state.runtime()
    log = DemoLoader(runtime, state.db, ZoneInfo("Asia/Shanghai")).load(sorted((SHIPPED / "demo").glob("*.json")))
    assert any("user liuyang" in line for line in log)
    manager = make_user("boss2", "sales_manager")

    def stages(form):
        items = manager.get(f"/api/forms/{form}/records?per_page=200").get_json()["items"]
        return Counter(i["stage"] for i in items), items

    orders, order_items = stages("sales_order")
    assert set(orders) == {s.name for s in runtime.form("sales_order").workflow.stages}
    opportunities, _ = stages("opportunity")
    assert set(opportunities) == {s.name for s in runtime.form("opportunity").workflow.stages}
    customers, _ = stages("customer")
    assert customers["pool"] >= 3 and customers["active"] >= 25
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert any(o["stage"] == "collecting" and o["fields"]["payment_due"] < today for o in order_items)
    with state.db.session() as session:
        overdue = session.execute(select(tasks.c.id).where(tasks.c.status == "open",
                                                           tasks.c.due_at < datetime.now(UTC))).all()
    assert overdue  # some review tasks are already late
    zhang = manager.get("/api/forms/customer/records?owner=zhangwei").get_json()["total"]
    assert zhang >= 8


ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def demo(app):
    """The shipped modules with the demo loaded: (runtime, {form: [StoredRecord]}, ctx factory)."""
    state = app.extensions["engine"]
    runtime = state.runtime()
    DemoLoader(runtime, state.db, ZONE).load(sorted((SHIPPED / "demo").glob("*.json")))
    return state, runtime


def all_records(session, runtime, form):
    tables = runtime.tables(form.name)
    records = rows_to_records(form, tables, session.execute(select_records(tables).order_by(tables.table.c.id)))
    load_children(session, form, tables, records)
    return records


def test_every_demo_record_is_in_a_state_its_workflow_allows(demo):
    """Every record in a stage got there by a transition whose `require` fields it has and
    whose `condition` holds (a payment-complete order has nothing outstanding), or by an
    approval that approved or rejected it; approval runs agree with the stages; nobody
    approved their own record."""
    state, runtime = demo
    problems: list[str] = []
    with state.db.session() as session:
        admin = get_user(session, "admin")
        ctx = Context(runtime, session, admin, now=datetime.now(UTC), tzinfo=ZONE)
        for form in runtime.app.forms.values():
            workflow = form.workflow
            if workflow is None:
                continue
            for record in all_records(session, runtime, form):
                where = f"{form.name} #{record.id} ({record.meta['stage']})"
                entries = session.execute(select(history.c.action, history.c.details).where(
                    history.c.form == form.name, history.c.record_id == record.id).order_by(history.c.id)).all()
                runs = session.execute(select(approvals).where(
                    approvals.c.form == form.name, approvals.c.record_id == record.id)
                    .order_by(approvals.c.id)).mappings().all()
                stage = workflow.stage(record.meta["stage"])
                moves = [d for a, d in entries if a in ("transition", "approval", "withdraw")]
                if record.meta["stage"] != workflow.initial or moves:
                    last = moves[-1] if moves else {}
                    if last.get("to") != record.meta["stage"]:
                        problems.append(f"{where}: no move into its stage in the history")
                    name = last.get("transition")
                    transition = workflow.transition(name) if name else None
                    for fired in {d.get("transition") for d in moves} - {None}:  # what each step required
                        earlier = workflow.transition(fired)
                        missing = [f for f in earlier.require if record.values.get(f) in (None, "", [])]
                        if missing:
                            problems.append(f"{where}: went through {fired} but has no {missing}")
                    # a condition reading a linked record held when fired; that record may move on
                    # since (a won opportunity's quotation is accepted by the order it made)
                    reads_links = transition is not None and transition.condition is not None and any(
                        len(path) > 1 and (head := form.field(path[0])) is not None and head.field_type.links
                        for path in transition.condition.references())
                    if transition is not None and not reads_links:
                        scope = RecordScope(ctx, form, record.values, record.meta, now=ctx.local_now, user="admin")
                        try:
                            holds = transition.condition is None or evaluate_condition(transition.condition, scope)
                        except ExpressionError:
                            holds = True  # not checkable
                        if not holds:
                            problems.append(f"{where}: the condition of {name} does not hold")
                pending = [r for r in runs if r["status"] == "pending"]
                if stage.approval is not None and len(pending) != 1:
                    problems.append(f"{where}: {len(pending)} pending approvals in an approval stage")
                if stage.approval is None and pending:
                    problems.append(f"{where}: a pending approval outside an approval stage")
                for run in runs:
                    rows = session.execute(select(tasks).where(tasks.c.approval_id == run["id"])).mappings().all()
                    open_rows = [t for t in rows if t["status"] == "open"]
                    if (run["status"] == "pending") != bool(open_rows):
                        problems.append(f"{where}: approval {run['id']} is {run['status']} with "
                                        f"{len(open_rows)} open tasks")
                    steps = workflow.stage(run["stage"]).approval.steps
                    for task in rows:
                        step = steps[task["step_index"]]
                        barred = barred_approvers(form, record, run["submitter"])
                        if not step.allow_self_approval and task["assignee"] in barred and \
                                task["status"] in ("open", "approved"):
                            problems.append(f"{where}: {task['assignee']} approves their own record")
                    if run["status"] == "approved":
                        approved_steps = {t["step_index"] for t in rows if t["status"] in ("approved", "skipped")}
                        for index, step in enumerate(steps):
                            scope = RecordScope(ctx, form, record.values, record.meta, now=ctx.local_now,
                                                user="admin")
                            if (step.when is None or evaluate_condition(step.when, scope)) \
                                    and index not in approved_steps:
                                problems.append(f"{where}: approved without step {step.name}")
    assert problems == []


def test_demo_orders_are_consistent(demo):
    """The order flow's own rules: a completed order is paid in full, paid before it was
    completed; shipping and invoice details only on orders that got that far; dates in order."""
    state, runtime = demo
    problems = []
    with state.db.session() as session:
        orders = all_records(session, runtime, runtime.form("sales_order"))
        payments = all_records(session, runtime, runtime.form("payment"))
    paid = Counter()
    last_paid: dict[int, date] = {}
    for payment in payments:
        order = payment.values["order"]
        paid[order] += payment.values["amount"]
        last_paid[order] = max(last_paid.get(order, date.min), payment.values["paid_on"])
    reached = {"shipped": ("shipped", "invoicing", "collecting", "done"), "invoiced": ("collecting", "done")}
    today = datetime.now(ZONE).date()
    for order in orders:
        v, stage, where = order.values, order.meta["stage"], f"order #{order.id} ({order.meta['stage']})"
        if paid[order.id] != (v["collected"] or 0):
            problems.append(f"{where}: collected {v['collected']} but payments sum to {paid[order.id]}")
        if (v["total"] or 0) < 0:
            problems.append(f"{where}: a negative total")
        if stage == "done":
            if v["outstanding"] > 0:
                problems.append(f"{where}: ¥{v['outstanding']} outstanding")
            if last_paid.get(order.id, date.min) > v["completed_on"]:
                problems.append(f"{where}: paid after it was completed")
        if stage != "done" and stage != "cancelled" and paid[order.id] > (v["total"] or Decimal(0)):
            problems.append(f"{where}: overpaid while open")
        if stage not in reached["shipped"] and (v.get("carrier") or v.get("tracking_no") or v.get("shipped_on")):
            problems.append(f"{where}: shipping details before shipping")
        if stage not in reached["invoiced"] and (v.get("invoice_no") or v.get("invoiced_on")):
            problems.append(f"{where}: an invoice before invoicing")
        dates = [v.get(n) for n in ("order_date", "shipped_on", "invoiced_on", "completed_on") if v.get(n)]
        if dates != sorted(dates) or any(d > today for d in dates):
            problems.append(f"{where}: dates out of order {dates}")
        if v.get("delivery_date") and v.get("order_date") and v["delivery_date"] < v["order_date"]:
            problems.append(f"{where}: delivery before the order date")
    assert problems == []


def test_demo_quotations_and_the_orders_won_with_them(demo):
    """Quotations in draft, review, approved and voided, each with lines of enabled catalogue
    products; every won opportunity names a quotation of its own that its order (made from it)
    accepted, and that order carries the quotation's customer, contact and lines."""
    state, runtime = demo
    with state.db.session() as session:
        products = {p.id: p for p in all_records(session, runtime, runtime.form("product"))}
        quotations = {q.id: q for q in all_records(session, runtime, runtime.form("quotation"))}
        opportunities = all_records(session, runtime, runtime.form("opportunity"))
        orders = all_records(session, runtime, runtime.form("sales_order"))
    assert len(products) >= 15 and any(not p.values["enabled"] for p in products.values())
    assert {"draft", "review", "approved", "voided"} <= {q.meta["stage"] for q in quotations.values()}
    assert all(q.values["items"] and all(products[r["product"]].values["enabled"] for r in q.values["items"])
               for q in quotations.values())
    won = [o for o in opportunities if o.meta["stage"] == "won"]
    assert len(won) == 6
    keys = ("product", "qty", "price", "discount", "subtotal")
    for chance in won:
        quote = quotations[chance.values["quotation"]]
        assert quote.meta["stage"] == "accepted" and quote.values["opportunity"] == chance.id
        (order,) = [o for o in orders if o.values["opportunity"] == chance.id]
        assert (order.values["quotation"], order.values["customer"], order.values["contact"]) == (
            quote.id, quote.values["customer"], quote.values["contact"])
        assert [{k: r[k] for k in keys} for r in order.values["items"]] == [
            {k: r[k] for k in keys} for r in quote.values["items"]]
        assert order.values["total"] == quote.values["amount"] == chance.values["expected_amount"]


def test_demo_orders_name_a_contact_of_their_customer_and_its_receiver(demo):
    """The 送货单 prints the receiver: every demo order has a contact of its customer, and the
    receiver and phone filled from it."""
    state, runtime = demo
    with state.db.session() as session:
        contacts = {c.id: c for c in all_records(session, runtime, runtime.form("contact"))}
        orders = all_records(session, runtime, runtime.form("sales_order"))
    assert orders
    for order in orders:
        contact = contacts[order.values["contact"]]
        assert contact.values["customer"] == order.values["customer"]
        assert (order.values["receiver"], order.values["receiver_phone"]) == (
            contact.values["name"], contact.values["mobile"])
