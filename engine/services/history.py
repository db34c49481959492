"""The record history: every create, edit, transition, decision and reminder, with who and when."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine.store.system import history


def write_history(session: Session, form: str, record_id: int, actor: str, action: str,
                  details: dict[str, Any], at: datetime) -> None:
    session.execute(insert(history).values(
        form=form, record_id=record_id, actor=actor, action=action, details=details, at=at))


def read_history(session: Session, form: str, record_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(history).where(history.c.form == form, history.c.record_id == record_id).order_by(history.c.id)
    ).mappings()
    return [dict(row) for row in rows]
