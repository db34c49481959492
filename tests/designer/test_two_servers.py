"""Two `engine serve` processes, as two hosts with their own copy of configs/ and no shared
filesystem, on one database: a publish through one reaches the other within its reload interval,
and the other's unchanged files never take it back. Run as subprocesses, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request

from tests.cli_fixtures import ENGINE
from tests.conftest import SHIPPED


def call(port: int, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def field_names(port: int, token: str, get_json) -> list[str]:
    form = next(f for f in get_json(port, "/api/forms", token) if f["name"] == "customer")
    return [f["name"] for f in form["fields"]]


def test_a_publish_on_one_server_reaches_the_other(engine_cli, env, free_port, get_json, tmp_path):
    hosts = {}
    for host in ("a", "b"):
        folder = tmp_path / host / "configs"
        shutil.copytree(SHIPPED, folder)
        hosts[host] = {**env, "ENGINE_CONFIG_DIR": str(folder), "ENGINE_RELOAD_INTERVAL": "0.5"}
    engine_cli(hosts["a"], "init", "--admin-password", "secret-admin", cwd=tmp_path)
    token = engine_cli(hosts["a"], "users", "token", "admin", cwd=tmp_path).stdout.strip().splitlines()[-1]
    ports = {host: free_port() for host in hosts}
    servers = [subprocess.Popen([ENGINE, "serve", "--port", str(ports[host]), "--no-scheduler"], env=hosts[host],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for host in hosts]
    try:
        assert "wechat" not in field_names(ports["b"], token, get_json)
        status, state = call(ports["a"], "GET", "/api/admin/designer", token)
        assert status == 200
        files = state["files"]
        customer = next(f for f in files["crm.json"]["forms"] if f["name"] == "customer")
        customer["fields"].append({"name": "wechat", "type": "text", "label": "微信号"})
        base = state["live"]["signature"]
        status, saved = call(ports["a"], "PUT", "/api/admin/designer/draft", token,
                             {"base_signature": base, "sources": files})
        assert (status, saved["problems"]) == (200, [])
        status, published = call(ports["a"], "POST", "/api/admin/designer/publish", token,
                                 {"base_signature": base, "note": "微信号"})
        assert status == 200, published
        deadline = time.monotonic() + 15
        while "wechat" not in field_names(ports["b"], token, get_json):
            assert time.monotonic() < deadline, "host b never served the published set"
            time.sleep(0.2)
        time.sleep(1.5)  # several reload checks of host b, whose files still lack the field
        assert "wechat" in field_names(ports["b"], token, get_json)
        assert "wechat" in field_names(ports["a"], token, get_json)
        status, versions = call(ports["b"], "GET", "/api/admin/designer/versions", token)
        assert [v["live"] for v in versions][:1] == [True] and versions[0]["note"] == "微信号"
        assert "wechat" not in (tmp_path / "b" / "configs" / "crm.json").read_text(encoding="utf-8")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)
