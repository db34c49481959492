"""Login throttling: per account and per client address, kept in the database (shared by
every process), refused before any password is hashed, 429 with Retry-After."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from engine.auth import users as users_module

RULES = {"ENGINE_LOGIN_MAX_FAILURES": 5, "ENGINE_LOGIN_ADDRESS_MAX_FAILURES": 12,
         "ENGINE_LOGIN_WINDOW": 600, "ENGINE_LOGIN_LOCKOUT": 900}


@pytest.fixture
def app(make_app, config_dir):
    return make_app(config_dir, **RULES)


@pytest.fixture
def hashes(monkeypatch):
    """How many password hashes were checked (the costly part of a try)."""
    calls = []
    real = users_module.check_password_hash

    def counting(stored, password):
        calls.append(1)
        return real(stored, password)

    monkeypatch.setattr(users_module, "check_password_hash", counting)
    return calls


@pytest.fixture
def try_login(token_of):
    """try_login(client, name, password, address=...) → the login form's answer, posted from that address."""

    def post(client, name, password, address="198.51.100.7"):
        return client.post("/login", data={"username": name, "password": password,
                                           "csrf_token": token_of(client, "/login")},
                           environ_base={"REMOTE_ADDR": address})
    return post


def test_forty_wrong_passwords_then_the_right_one_is_refused(try_login, app, make_user, hashes):
    make_user("alice", "sales")
    client = app.test_client()
    answers = [try_login(client, "alice", f"guess-{i}").status_code for i in range(40)]
    assert answers[:4] == [401] * 4 and set(answers[4:]) == {429}
    hashed = len(hashes)
    right = try_login(client, "alice", "alice-password")
    assert right.status_code == 429
    assert 1 <= int(right.headers["Retry-After"]) <= 900
    assert len(hashes) == hashed == 5  # refused tries never reached the password hash
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=901), tick=False):
        assert try_login(client, "alice", "alice-password").status_code == 302


def test_the_lock_holds_in_every_worker_process(try_login, make_app, config_dir, make_user, app):
    """Two apps on one database stand for two worker processes (or hosts)."""
    make_user("alice", "sales")
    other_worker = make_app(config_dir, **RULES)
    for i in range(5):
        try_login(app.test_client(), "alice", f"guess-{i}", address=f"203.0.113.{i}")
    refused = try_login(other_worker.test_client(), "alice", "alice-password", address="192.0.2.1")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_one_address_guessing_many_accounts_is_locked(try_login, app, make_user, hashes):
    make_user("alice", "sales")
    client = app.test_client()
    answers = [try_login(client, f"user{i}", "guess-guess").status_code for i in range(15)]
    assert answers[:11] == [401] * 11 and set(answers[11:]) == {429}
    assert try_login(client, "alice", "alice-password").status_code == 429
    assert try_login(client, "alice", "alice-password", address="192.0.2.50").status_code == 302
    assert len(hashes) == 13


def test_success_clears_the_account_count(try_login, app, make_user):
    make_user("alice", "sales")
    for _round in range(2):  # without clearing, round 2 would be locked at its first try
        for i in range(4):
            assert try_login(app.test_client(), "alice", f"guess-{i}").status_code == 401
        assert try_login(app.test_client(), "alice", "alice-password").status_code == 302


def test_failures_older_than_the_window_do_not_count(try_login, app, make_user):
    make_user("alice", "sales")
    for i in range(4):
        try_login(app.test_client(), "alice", f"guess-{i}", address=f"203.0.113.{i}")
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=601), tick=False):
        for i in range(4):
            assert try_login(app.test_client(), "alice", f"late-{i}", address=f"203.0.113.{i}").status_code == 401
        assert try_login(app.test_client(), "alice", "alice-password").status_code == 302


def test_parallel_guessers_are_counted_and_stopped(try_login, app, make_user, hashes):
    """8 guessers at once: every failure is counted (rows locked while counted), so the
    number of hashed tries stays near the limit instead of 8 × 10."""
    make_user("alice", "sales")
    answers: list[int] = []

    def guesser(n: int) -> None:
        client = app.test_client()
        for i in range(10):
            answers.append(try_login(client, "alice", f"g{n}-{i}", address=f"203.0.113.{n}").status_code)

    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 80 and set(answers) <= {401, 429}
    assert answers.count(401) + answers.count(429) == 80
    assert len(hashes) <= 5 + 8  # at most one try per guesser in flight when the lock fell
    assert try_login(app.test_client(), "alice", "alice-password", address="192.0.2.9").status_code == 429


def test_unknown_api_tokens_are_throttled_per_address(app, make_user, hashes):
    alice = make_user("alice", "sales")
    client = app.test_client()
    codes = [client.get("/api/forms", headers={"Authorization": f"Bearer nope-{i}"},
                        environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code for i in range(14)]
    assert codes[:11] == [401] * 11 and set(codes[11:]) == {429}
    refused = client.get("/api/forms", headers={"Authorization": "Bearer nope-again"},
                         environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert alice.get("/api/forms").status_code == 200  # another address is not affected


def test_a_locked_address_does_not_shut_out_valid_tokens(app, make_user):
    """Clients sharing an address (NAT, a proxy) with a guesser keep working: a live token
    always passes, also one issued after the lock fell."""
    alice = make_user("alice", "sales")
    client = app.test_client()
    shared = {"REMOTE_ADDR": "198.51.100.9"}
    codes = [client.get("/api/forms", headers={"Authorization": f"Bearer nope-{i}"},
                        environ_base=shared).status_code for i in range(12)]
    assert codes[-1] == 429
    bob = make_user("bob", "sales")  # freshly issued, after the lock
    for token in (alice.token, bob.token):
        answer = client.get("/api/forms", headers={"Authorization": f"Bearer {token}"}, environ_base=shared)
        assert answer.status_code == 200, answer.get_data(as_text=True)
    still = client.get("/api/forms", headers={"Authorization": "Bearer nope-x"}, environ_base=shared)
    assert still.status_code == 429


def test_a_signed_in_session_keeps_working_from_a_locked_address(try_login, app, make_user, hashes):
    """The address lock refuses password checks only: someone already signed in from that
    address is not signed out or refused."""
    make_user("alice", "sales")
    alice = app.test_client()
    assert try_login(alice, "alice", "alice-password").status_code == 302
    guesser = app.test_client()
    codes = [try_login(guesser, f"user{i}", "guess-guess").status_code for i in range(13)]
    assert codes[-1] == 429
    for path in ("/", "/api/forms"):
        assert alice.get(path, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200
    assert try_login(app.test_client(), "alice", "alice-password").status_code == 429  # a new sign-in waits


def test_a_revoked_token_in_use_is_not_counted_as_a_guess(app, make_user):
    alice = make_user("alice", "sales")
    from engine.auth.tokens import revoke_tokens
    from engine.auth.users import get_user

    with app.extensions["engine"].db.transaction() as session:
        revoke_tokens(session, get_user(session, "alice").id)
    codes = {alice.get("/api/forms").status_code for _ in range(20)}
    assert codes == {401}
