"""Comments on a record: anyone who may read it may comment; kept in its history. Each
reader the comment @mentions is told (mentions.py)."""
from __future__ import annotations

from typing import Any

from engine.errors import ValidationFailed
from engine.i18n import _
from engine.records.context import Context

from .history import write_history
from .mentions import notify_mentioned
from .records import load_readable, readable_form

MAX_COMMENT = 2000


def check_length(comment: str | None) -> None:
    """Every comment (on a record, a transition, a task decision) is bounded the same way."""
    if comment and len(comment) > MAX_COMMENT:
        raise ValidationFailed({"comment": [_("at most %(n)s characters (got %(got)s)", n=MAX_COMMENT,
                                              got=len(comment))]})


def add_comment(ctx: Context, form_name: str, record_id: int, text: Any) -> dict[str, Any]:
    form = readable_form(ctx, form_name)
    record, _hidden = load_readable(ctx, form, record_id)
    comment = text.strip() if isinstance(text, str) else ""
    if not comment:
        raise ValidationFailed({"comment": [_("required")]})
    check_length(comment)
    write_history(ctx.session, form.name, record_id, ctx.user.name, "comment", {"comment": comment}, ctx.now)
    notify_mentioned(ctx, form, record, comment)
    return {"form": form.name, "record_id": record_id, "actor": ctx.user.name, "comment": comment,
            "at": ctx.now.astimezone(ctx.tzinfo).isoformat()}
