"""docs/reference.md is the product's own reference: its generated sections are what
`make docs` writes from the sources today, and it names every key of the module format,
every field type, every command and option, every API route and page, every setting and
notification channel, and every expression function."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from engine.app import create_app
from engine.cli import main as engine_command
from engine.definitions.schema import module_schema
from engine.expressions.nodes import ARITHMETIC, COMPARISONS, FUNCTIONS
from engine.fieldtypes import REGISTRY
from engine.notify.channel import registered
from engine.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference.md"


@pytest.fixture(scope="module")
def reference() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def test_generated_sections_are_current():
    result = subprocess.run([sys.executable, "scripts/reference.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        "docs/reference.md is out of date with the schema, the field types, the commands, the API or the "
        "settings: run `make docs` and commit docs/reference.md\n" + result.stdout[-4000:] + result.stderr[-2000:])


def _schema_keys(node: Any, found: set[str]) -> set[str]:
    """Every property name anywhere in the schema."""
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            found.add(key)
            _schema_keys(value, found)
        for key, value in node.items():
            if key != "properties":
                _schema_keys(value, found)
    elif isinstance(node, list):
        for item in node:
            _schema_keys(item, found)
    return found


def test_every_key_of_the_module_format_has_a_row(reference):
    keys = _schema_keys(module_schema(), set()) - {"$schema"}
    # keys are identifiers, or language codes (`zh-CN`) in a text written in two languages
    rows = set(re.findall(r"^\| `(?:[a-z_]+\.)?([A-Za-z_-]+)` \|", reference, re.M))
    assert keys - rows == set(), "keys of the module schema without a row in docs/reference.md"


def test_every_field_type_is_described(reference):
    for name in REGISTRY:
        assert f"#### `{name}`" in reference, f"field type {name} has no section of its own"
        assert f"| `{name}` |" in reference, f"field type {name} is missing from the table of values"


def _commands(command: click.Command, path: str) -> list[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        return [c for name, sub in command.commands.items() for c in _commands(sub, f"{path} {name}")]
    return [(path, command)]


def test_every_command_and_option_is_described(reference):
    for path, command in _commands(engine_command, "engine"):
        start = reference.find(f"#### `{path}`\n")
        assert start >= 0, f"`{path}` has no section"
        section = reference[start:reference.find("\n####", start + 1)]
        for param in command.params:
            for name in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
                if name.startswith("--") and name != "--help":
                    assert name in section, f"`{path}` {name} is not described"


def test_every_api_route_and_page_is_described(reference, tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/reference.db", "ENGINE_SECRET_KEY": "test",
                      "ENGINE_CONFIG_DIR": str(ROOT / "configs")})
    api, pages = [], []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "favicon"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        methods = [m for m in ("GET", "POST", "PATCH", "DELETE") if m in (rule.methods or ())]
        if path.startswith("/api/"):
            api += [f"| {method} | `{path}` |" for method in methods]
        else:
            pages.append(f"| {', '.join(methods)} | `{path}` |")
    assert len(api) > 20 and len(pages) > 20
    assert [row for row in api if row not in reference] == [], "API routes missing from docs/reference.md"
    assert [row for row in pages if row not in reference] == [], "pages missing from docs/reference.md"


def test_every_setting_is_described(reference):
    missing = [setting.name for setting in SETTINGS if f"| `{setting.name}` |" not in reference]
    assert not missing, "settings missing from the settings table (describe them in engine/settings.py SETTINGS)"


def test_every_notification_channel_and_its_settings_are_described(reference):
    for name, channel in registered().items():
        assert f"| `{name}` |" in reference, f"channel {name} has no row in Notifications"
        missing = [key for key in channel.settings if f"`{key}`" not in reference]
        assert not missing, f"settings of channel {name} not described"


def test_every_expression_function_and_operator_is_described(reference):
    missing = [name for name in FUNCTIONS if f"| `{name}(" not in reference]
    assert not missing
    section = reference[reference.index("## Expressions"):reference.index("## Permissions")]
    words = set(re.findall(r"`([^`]+)`", section))
    spelled = {op for word in words for op in word.split()}
    assert [op for op in (*ARITHMETIC, *COMPARISONS, "and", "or", "not") if op not in spelled | words] == []


def test_the_reference_never_points_outside_the_repository(reference):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (reference, readme):
        assert "shared/SPEC" not in text and "../shared" not in text
    assert "docs/reference.md" in readme
    links = re.findall(r"\]\(([^)\s]+)\)", reference)
    outside = [link for link in links if not link.startswith("#") and not (ROOT / "docs" / link.split("#")[0]).exists()]
    assert not outside, "links in docs/reference.md to what the repository does not hold"


def test_every_link_in_the_reference_finds_its_heading(reference):
    from engine.ui.reference import anchor

    headings = {anchor(line.lstrip("#").strip()) for line in reference.splitlines() if line.startswith("#")}
    targets = set(re.findall(r"\]\(#([^)\s]+)\)", reference))
    assert targets - headings == set()
