"""Layers below the web shell load no web framework: `import engine.definitions` and the
`engine validate` command run without Flask (each in a fresh interpreter, since this test
process has Flask loaded already)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

WEB = ("flask", "flask_babel", "flask_login", "flask_wtf")


def _run(code: str) -> None:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_engine_and_its_definitions_loads_no_flask():
    _run(f"import engine, engine.definitions, sys; loaded = [m for m in {WEB!r} if m in sys.modules]; "
         "assert not loaded, loaded")


@pytest.mark.parametrize("folder", ["configs", "tests/configs/bad"])
def test_validate_loads_no_flask(folder):
    """Valid definitions and invalid ones (whose problem messages are formatted) alike."""
    _run("import sys\n"
         "from click.testing import CliRunner\n"
         "from engine.cli import main\n"
         f"result = CliRunner().invoke(main, ['validate', {folder!r}])\n"
         "assert result.exception is None or isinstance(result.exception, SystemExit), result.exception\n"
         "assert result.output.strip(), 'validate said nothing'\n"
         f"loaded = [m for m in {WEB!r} if m in sys.modules]\n"
         "assert not loaded, loaded\n")
