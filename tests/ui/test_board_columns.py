"""The board (`?view=board`): each stage's column shows its first cards in the list's order and the number
of records in that stage (not of the cards shown), exact up to ENGINE_EXACT_TOTAL_LIMIT and "N+" above it,
under the viewer's row rule and the list's filters (engine/services/board.py)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

import engine.services.board as board


def columns(html: str) -> dict[str, tuple[str, str, int]]:
    """stage → (badge text, its data-count, cards in the column)."""
    out = {}
    for stage, body in re.findall(r'<section class="board-column[^"]*" data-stage="([^"]+)">(.*?)</section>', html,
                                  re.S):
        badge = re.search(r'data-count="([^"]*)" data-testid="board-count">([^<]*)<', body)
        assert badge, body[:300]
        out[stage] = (badge.group(2), badge.group(1), body.count("board-card\""))
    return out


@pytest.fixture
def customers(app, admin, make_user):
    make_user("alice", "sales")
    make_user("bob", "sales")
    ids = {"alice": [admin.create("customer", name=f"甲{i}", owner="alice")["id"] for i in range(3)],
           "bob": [admin.create("customer", name=f"乙{i}", owner="bob")["id"] for i in range(2)]}
    pooled = admin.create("customer", name="公海", in_pool=True)["id"]
    state = app.extensions["engine"]
    table = state.runtime().tables("customer").table
    with state.db.transaction() as session:
        session.execute(update(table).where(table.c.id == pooled).values(stage="pool", owner=None))
    return ids


def test_a_column_shows_its_first_cards_and_counts_the_whole_stage(browser, customers, monkeypatch):
    monkeypatch.setattr(board, "CARDS_PER_STAGE", 2)
    html = browser("root8", "admin").get("/f/customer?view=board").get_data(as_text=True)
    assert columns(html) == {"active": ("5", "5", 2), "pool": ("1", "1", 1)}


def test_the_counts_follow_the_row_rule_and_the_filters(browser, customers, app):
    alice = browser("alice2", "sales")
    state = app.extensions["engine"]
    table = state.runtime().tables("customer").table
    with state.db.transaction() as session:
        session.execute(update(table).where(table.c.id == customers["alice"][0]).values(owner="alice2"))
    assert columns(alice.get("/f/customer?view=board").get_data(as_text=True)) == {
        "active": ("1", "1", 1), "pool": ("1", "1", 1)}
    assert columns(alice.get("/f/customer?view=board&stage=pool").get_data(as_text=True)) == {
        "active": ("0", "0", 0), "pool": ("1", "1", 1)}


def test_above_the_exact_bound_a_column_says_n_plus(make_app, config_dir, make_user, admin, customers, login):
    bounded = make_app(config_dir, ENGINE_EXACT_TOTAL_LIMIT=3)
    make_user("root7", "admin")
    client = bounded.test_client()
    assert login(client, "root7", "root7-password").status_code == 302
    assert columns(client.get("/f/customer?view=board").get_data(as_text=True)) == {
        "active": ("3+", "", 5), "pool": ("1", "1", 1)}
