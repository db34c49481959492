"""`engine demo`: a demo company with records in every stage, dated relative to today."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine.demo import DemoLoader
from engine.store.system import tasks
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
