"""Shared fixtures for the expression tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa


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
