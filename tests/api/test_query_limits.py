"""A query string costs little: too long or with too many parameters it is refused before
any work, in the API's JSON envelope under /api and as a page elsewhere; `engine serve`
refuses request lines beyond gunicorn's 8190-byte maximum itself."""
from __future__ import annotations

import subprocess
import urllib.error
import urllib.request

from engine.web.limits import MAX_QUERY_BYTES, MAX_QUERY_PARAMS
from tests.cli_fixtures import ENGINE


def test_a_long_query_on_the_api_is_a_json_414(app, make_user):
    alice = make_user("alice", "sales")
    answer = alice.get("/api/forms/customer/records?q=" + "a" * 100_000)
    assert answer.status_code == 414 and answer.mimetype == "application/json"
    error = answer.get_json()["error"]
    assert error["code"] == "uri_too_long" and str(MAX_QUERY_BYTES) in error["message"]


def test_too_many_parameters_on_the_api_are_a_json_400(app, make_user):
    alice = make_user("alice", "sales")
    answer = alice.get("/api/forms/customer/records?" + "&".join(f"p{i}=1" for i in range(MAX_QUERY_PARAMS + 1)))
    assert answer.status_code == 400 and answer.mimetype == "application/json"
    error = answer.get_json()["error"]
    assert error["code"] == "bad_request" and str(MAX_QUERY_PARAMS) in error["message"]
    many = alice.get("/api/forms/customer/records?" + "&".join(["a"] * 5000))  # 9,999 bytes: too long first
    assert many.status_code == 414 and many.get_json()["error"]["code"] == "uri_too_long"


def test_a_query_within_the_bounds_is_answered(app, make_user):
    alice = make_user("alice", "sales")
    answer = alice.get("/api/forms/customer/records?q=" + "a" * 4000)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]


def test_a_long_query_on_a_page_is_a_page_in_the_users_language(login, app, make_user):
    make_user("sam", "sales")
    client = app.test_client()
    assert login(client, "sam", "sam-password").status_code == 302
    answer = client.get("/f/customer?q=" + "a" * 9000)
    assert answer.status_code == 414 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert "地址过长" in page and len(page) < 50_000
    answer = client.get("/f/customer?" + "&".join(["a"] * 300))
    assert answer.status_code == 400 and "300" in answer.get_data(as_text=True)


def test_engine_serve_refuses_a_9_kb_request_line_and_bounds_what_passes(
        engine_cli, free_port, get_json, env, tmp_path):
    engine_cli(env, "init", "--admin-password", "x", cwd=tmp_path)
    token = engine_cli(env, "users", "token", "admin", cwd=tmp_path).stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen([ENGINE, "serve", "--port", str(port), "--no-scheduler"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert get_json(port, "/api/forms", token)

        def status(query: str) -> tuple[int, str]:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/forms/customer/records?{query}",
                                             headers={"Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, response.headers.get_content_type()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.headers.get_content_type()

        assert status("q=" + "a" * 9 * 1024)[0] == 400  # gunicorn's own refusal, before the app
        assert status("q=" + "a" * 8050) == (414, "application/json")  # passes gunicorn, bounded by the app
        assert status("q=" + "a" * 7000)[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
