"""The links test module (tests/configs/links), copied per test so a test may change it."""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "links"


@pytest.fixture
def links_app(make_app, tmp_path):
    """The app on the links module, after `edit(doc)` changed its definition (when given)."""
    def build(edit: Callable[[dict[str, Any]], None] | None = None):
        folder = tmp_path / "links"
        shutil.copytree(CONFIG, folder)
        if edit is not None:
            path = folder / "links.json"
            doc = json.loads(path.read_text(encoding="utf-8"))
            edit(doc)
            path.write_text(json.dumps(doc), encoding="utf-8")
        return make_app(folder)
    return build


@pytest.fixture
def app(links_app):
    return links_app()


@pytest.fixture
def staff(make_user):
    return make_user("sam", "staff")
