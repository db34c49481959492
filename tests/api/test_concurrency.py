"""Races with real threads against a real database (SQLite file / PostgreSQL)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.kitchen


def test_serial_numbers_are_unique_under_concurrency(race, make_user):
    clerk = make_user("clerk1", "clerk")
    results = race(8, lambda i: [clerk.post("/api/forms/thing/records", json={"fields": {"code": f"AB-{i}{j}"}})
                                 for j in range(4)])
    responses = [r for batch in results for r in batch]
    assert all(r.status_code == 201 for r in responses), [r.get_json() for r in responses if r.status_code != 201]
    serials = sorted(r.get_json()["fields"]["serial"] for r in responses)
    assert len(set(serials)) == 32
    assert [s[-3:] for s in serials] == [f"{i:03d}" for i in range(1, 33)]


def test_two_edits_of_the_same_version_one_wins(race, make_user):
    clerk = make_user("clerk1", "clerk")
    record = clerk.create("thing", code="AB-1")
    url = f"/api/forms/thing/records/{record['id']}"
    results = race(6, lambda i: clerk.patch(url, json={"version": 1, "fields": {"count": 100 + i}}))
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 409, 409, 409, 409, 409]
    winner = next(r for r in results if r.status_code == 200).get_json()
    final = clerk.get(url).get_json()
    assert final["version"] == 2
    assert final["fields"]["count"] == winner["fields"]["count"]
    history = clerk.get(f"{url}/history").get_json()
    assert [h["action"] for h in history] == ["create", "update"]


def test_unique_value_race_admits_one(race, make_user):
    clerk = make_user("clerk1", "clerk")
    results = race(6, lambda i: clerk.post("/api/forms/party/records", json={"fields": {"name": "same"}}))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 1
    assert set(statuses) <= {201, 409, 422}
    assert clerk.get("/api/forms/party/records").get_json()["total"] == 1
