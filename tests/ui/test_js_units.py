"""The page scripts' pure logic, tested with node's own test runner (tests/ui/js/*.test.js, and ES modules
in *.test.mjs)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("script", sorted(p.name for p in [*TESTS.glob("*.test.js"), *TESTS.glob("*.test.mjs")]))
def test_js_unit_tests_pass(script: str) -> None:
    result = subprocess.run([NODE, "--test", str(TESTS / script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
