from __future__ import annotations

import shutil

import pytest

from tests.conftest import TEST_CONFIGS


@pytest.fixture
def app(make_app, tmp_path):
    folder = tmp_path / "ledger"
    shutil.copytree(TEST_CONFIGS / "prints", folder)
    return make_app(folder, ENGINE_COMPANY_NAME="示例贸易有限公司")


@pytest.fixture
def people(make_user):
    return {"clerk": make_user("cora", "clerk"), "keeper": make_user("kim", "keeper"),
            "auditor": make_user("ada", "auditor")}


@pytest.fixture
def ledger(people):
    """A party with two bills (one urgent: the keeper may not read it; one void) and receipts."""
    clerk = people["clerk"]
    party = clerk.create("party", party_name="华东机电", secret_note="信用差")
    other = clerk.create("party", party_name="别家")
    lines = [{"item": "轴承 6205", "qty": 10, "price": "12.50", "cost": "8.00"},
             {"item": "齿轮箱", "qty": 2, "price": "1234.56", "cost": "900.00"}]
    bill = clerk.create("bill", bill_no="D-001", party=party["id"], bill_date="2026-03-05", kind="normal",
                        owner="cora", lines=lines, remark="月结")
    urgent = clerk.create("bill", bill_no="D-002", party=party["id"], bill_date="2026-03-06", kind="urgent",
                          lines=[{"item": "急件", "qty": 1, "price": "500.00", "cost": "100.00"}])
    void = clerk.create("bill", bill_no="D-003", party=party["id"], bill_date="2026-03-07", kind="normal",
                        lines=[{"item": "作废件", "qty": 1, "price": "1.00", "cost": "1.00"}])
    assert clerk.post(f"/api/forms/bill/records/{void['id']}/transitions/cancel",
                      json={"version": void["version"]}).status_code == 200
    elsewhere = clerk.create("bill", bill_no="X-009", party=other["id"], kind="normal",
                             lines=[{"item": "别处", "qty": 1, "price": "9.00"}])
    small = clerk.create("receipt", bill=bill["id"], received_on="2026-03-10", amount="500.00")
    large = clerk.create("receipt", bill=bill["id"], received_on="2026-03-11", amount="2000.00")
    hidden_bill = clerk.create("receipt", bill=urgent["id"], received_on="2026-03-12", amount="300.00")
    clerk.create("receipt", bill=elsewhere["id"], received_on="2026-03-12", amount="9.00")
    return {"party": party, "bill": bill, "urgent": urgent, "void": void, "small": small, "large": large,
            "hidden_bill": hidden_bill}
