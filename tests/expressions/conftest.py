"""Make the project importable when pytest runs without an installed package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("engine") is None:  # not installed (pip install -e .) yet
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
