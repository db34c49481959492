"""Shared fixtures; also makes the project importable when it is not installed."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

if importlib.util.find_spec("engine") is None:  # not installed (pip install -e .) yet
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """The parity database (parity_db.py) on SQLite and on PostgreSQL (skipped if down)."""
    from parity_db import postgres_engine, sqlite_engine

    if request.param == "sqlite":
        with sqlite_engine(str(tmp_path_factory.mktemp("parity") / "t.db")) as eng:
            yield eng
        return
    with postgres_engine() as eng:
        if eng is None:
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
        yield eng
