"""Fixtures for tests that run the `engine` command as a subprocess (a pytest plugin of
tests/conftest.py): its environment, the command itself, and a server's port and answers."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ENGINE = str(Path(sys.executable).with_name("engine"))
SHIPPED = Path(__file__).resolve().parent.parent / "configs"


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    """The environment of an `engine` command on this test's database and the shipped configs."""
    return {**os.environ, "DATABASE_URL": db_url, "ENGINE_CONFIG_DIR": str(SHIPPED), "ENGINE_SECRET_KEY": "cli-test"}


@pytest.fixture
def engine_cli() -> Callable[..., subprocess.CompletedProcess]:
    """engine_cli(env, *args, check=True, cwd=None) → the finished `engine *args` (exit 0 unless check=False)."""

    def run(env: dict[str, str], *args: str, check: bool = True, cwd: Any = None) -> subprocess.CompletedProcess:
        result = subprocess.run([ENGINE, *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result
    return run


@pytest.fixture
def free_port() -> Callable[[], int]:
    """free_port() → a TCP port on 127.0.0.1 that nothing listens on now."""

    def find() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    return find


@pytest.fixture
def get_json() -> Callable[..., Any]:
    """get_json(port, path, token) → a local server's JSON answer, retried while it starts."""

    def fetch(port: int, path: str, token: str, attempts: int = 100) -> Any:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={"Authorization": f"Bearer {token}"})
        for _ in range(attempts):
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return json.load(response)
            except (ConnectionError, TimeoutError, urllib.error.URLError):
                time.sleep(0.1)
        raise AssertionError("server did not answer")
    return fetch
