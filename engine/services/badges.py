"""What the top bar's badges count for the acting user: open tasks, unread notifications and,
for admins, open incidents. One statement for all three, since every page shows them."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from engine.records.context import Context
from engine.store.system import incidents, notifications, tasks


@dataclass(frozen=True)
class Badges:
    open_tasks: int = 0
    unread_notifications: int = 0
    #: 0 for users who are not admins (they do not see incidents)
    open_incidents: int = 0


def badge_counts(ctx: Context) -> Badges:
    """The same counts as tasks.count_open, inbox.count_unread and incidents.count_open, as
    scalar subqueries of one SELECT in the caller's transaction."""
    user = ctx.user
    counts = [
        select(func.count()).select_from(tasks)
        .where(tasks.c.assignee == user.name, tasks.c.status == "open").scalar_subquery(),
        select(func.count()).select_from(notifications)
        .where(notifications.c.user_name == user.name, notifications.c.read_at.is_(None)).scalar_subquery(),
    ]
    if user.is_admin:
        counts.append(select(func.count()).select_from(incidents)
                      .where(incidents.c.resolved_at.is_(None)).scalar_subquery())
    row = ctx.session.execute(select(*counts)).one()
    return Badges(*(int(n) for n in row))
