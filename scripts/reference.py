"""Writes the generated sections of docs/reference.md (`make docs`); `--check` only compares.

A generated section sits between two marker lines and is rewritten from the engine's own
sources; everything outside the markers is hand-written and kept as it is:

    <!-- generated: NAME -->
    ...
    <!-- end generated -->

NAME is one of
- `keys DEF`: the keys of one object of the module format (`module` for the file itself, else
  a `$defs` name of the assembled JSON Schema, engine.definitions.schema.module_schema());
- `value-kinds`: the named kinds of value the key tables refer to (identifier, expression, ...);
- `text-keys`: the keys of a text written in two languages (the object form of `title` and `text`);
- `field-types`: every field type with its own option keys (the assembled schema);
- `expression-functions`: engine.expressions FUNCTION_HELP;
- `api`, `pages`: the routes of the app under /api, and the others (method, path, the view's docstring);
- `cli`: the `engine` command's click commands, arguments and options;
- `settings`: engine.settings.SETTINGS.
"""
from __future__ import annotations

import difflib
import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.reference_parts import (  # noqa: E402
    api_section,
    cli_section,
    functions_section,
    pages_section,
    settings_section,
)
from scripts.reference_schema import (  # noqa: E402
    field_types_section,
    keys_section,
    text_keys_section,
    value_kinds_section,
)

REFERENCE = ROOT / "docs" / "reference.md"
BEGIN = "<!-- generated: "
END = "<!-- end generated -->"


def heading_anchor(title: str) -> str:
    from engine.ui.reference import anchor

    return anchor(title)


def anchors(text: str) -> dict[str, str]:
    """Section name (a `$defs` name for `keys` sections) → the anchor of the heading above it,
    for links from one generated table to another."""
    found: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("#"):
            current = heading_anchor(line.lstrip("#").strip())
        elif line.startswith(BEGIN):
            found.setdefault(line[len(BEGIN):].removesuffix("-->").strip().removeprefix("keys "), current)
    return found


def section(name: str, text: str) -> str:
    """The body of one generated section."""
    makers: dict[str, Callable[[], str]] = {
        "value-kinds": lambda: value_kinds_section(anchors(text)),
        "text-keys": lambda: text_keys_section(anchors(text)),
        "field-types": lambda: field_types_section(anchors(text)),
        "expression-functions": functions_section,
        "api": lambda: api_section(_app()),
        "pages": lambda: pages_section(_app()),
        "cli": cli_section,
        "settings": settings_section,
    }
    if name.startswith("keys "):
        return keys_section(name.removeprefix("keys ").strip(), anchors(text))
    if name not in makers:
        raise SystemExit(f"docs/reference.md: unknown generated section {name!r}")
    return makers[name]()


_APP = None


def _app():
    """The web app, built once on an empty database: only its URL map is read."""
    global _APP
    if _APP is None:
        from engine.app import create_app

        logging.getLogger("engine.web.startup").setLevel(logging.CRITICAL)
        folder = tempfile.mkdtemp(prefix="engine-reference-")
        _APP = create_app({"DATABASE_URL": f"sqlite:///{folder}/reference.db",
                           "ENGINE_CONFIG_DIR": str(ROOT / "configs"), "ENGINE_SECRET_KEY": "reference"})
    return _APP


def regenerate(text: str) -> str:
    """`text` with every generated section rewritten."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if not line.startswith(BEGIN):
            continue
        name = line[len(BEGIN):].removesuffix("-->").strip()
        while i < len(lines) and lines[i] != END:
            if lines[i].startswith(BEGIN):
                raise SystemExit(f"docs/reference.md: section {name!r} has no {END!r} line")
            i += 1
        if i == len(lines):
            raise SystemExit(f"docs/reference.md: section {name!r} has no {END!r} line")
        out.extend(section(name, text).rstrip("\n").splitlines())
        out.append(END)
        i += 1
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    current = REFERENCE.read_text(encoding="utf-8")
    fresh = regenerate(current)
    if "--check" in argv:
        if fresh == current:
            return 0
        diff = difflib.unified_diff(current.splitlines(), fresh.splitlines(), "docs/reference.md (committed)",
                                    "docs/reference.md (generated)", lineterm="", n=1)
        print("\n".join(list(diff)[:80]))
        print("docs/reference.md is out of date: run `make docs` and commit it", file=sys.stderr)
        return 1
    if fresh != current:
        REFERENCE.write_text(fresh, encoding="utf-8")
        print("docs/reference.md updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
