"""The JSON Schema of one module file, assembled once: module.schema.json holds what every
field shares and the rest of the module format; each registered field type adds its name,
its option keys and the rules that keep them on the types that own them."""
from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

BASE_PATH = Path(__file__).with_name("module.schema.json")


@cache
def _module_schema() -> dict[str, Any]:
    return json.loads(BASE_PATH.read_text(encoding="utf-8"))


def module_schema() -> dict[str, Any]:
    """The assembled schema (a copy: callers may change it)."""
    return copy.deepcopy(_module_schema())
