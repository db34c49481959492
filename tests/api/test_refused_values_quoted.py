"""A refused value is quoted cut in the error (select, multiselect, user): a long value
sent is not sent back whole."""
from __future__ import annotations

import pytest

LONG = "g" * 200_000


@pytest.mark.parametrize("fields", [{"grade": LONG}, {"industry": LONG}])
def test_a_long_unknown_option_is_quoted_cut(app, make_user, fields):
    alice = make_user("alice", "sales")
    answer = alice.post("/api/forms/customer/records", json={"fields": {"name": "Acme", **fields}})
    assert answer.status_code == 422
    message = answer.get_json()["error"]["fields"][next(iter(fields))][0]
    assert len(message) < 200 and "…" in message
    assert len(answer.get_data()) < 2000
